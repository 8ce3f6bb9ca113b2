"""The audit trail of a pact: the page and its Excel export."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pacts import services
from pacts.audit import RequestInfo, audit_record
from pacts.errors import PactError
from pacts.models import AuditEvent, Pact
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def audit_url(world) -> str:
    return reverse("pacts:pact_audit", args=[world.pact.pk])


def export_url(world) -> str:
    return reverse("pacts:pact_audit_export", args=[world.pact.pk])


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def world():
    """A pact drafted with a comment that looks like a formula, opened, signed by one unit and refused to another."""
    world = make_world(3, open_pact=False)
    services.pact_comment(pact=world.pact, author=world.leaders[2], unit=world.units[2], text='=HYPERLINK("x")')
    world.pact = services.pact_open(pact=world.pact, deadline=timezone.now() + timedelta(days=7), actor=world.officer)
    info = RequestInfo(ip_address="203.0.113.7", user_agent=BROWSER)
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[1], user=world.leaders[1], consent=True, content_hash=pact.content_hash, info=info
    )
    with pytest.raises(PactError):
        services.pact_sign(
            pact=pact,
            unit=world.units[1],
            user=world.leaders[2],
            consent=True,
            content_hash=pact.content_hash,
            info=info,
        )
    return world


def test_visitors_are_sent_to_log_in(client, world):
    for url in (audit_url(world), export_url(world)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_the_region_officer_sees_every_event_with_its_offset_address_and_browser(client, world):
    client.force_login(world.officer)
    response = client.get(audit_url(world))
    assert response.status_code == 200
    page = body(response)
    events = list(AuditEvent.objects.filter(pact=world.pact).order_by("at", "id"))
    assert [e.pk for e in response.context["page"].object_list] == [e.pk for e in events]
    for label in ("Tạo mới", "Chỉnh sửa", "Góp ý", "Mở ký", "Đã ký", "Bị từ chối"):
        assert label in page
    signed = next(e for e in events if e.action == "signed")
    assert f"{timezone.localtime(signed.at):%d/%m/%Y %H:%M:%S} +07:00" in page
    assert "203.0.113.7" in page and BROWSER in page
    assert "Chỉ người đang lãnh đạo" in page  # the refusal's reason
    assert "=HYPERLINK(&quot;x&quot;)" in page


@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_ministry_staff_and_administrators_see_the_trail(client, request, role, world):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    assert client.get(audit_url(world)).status_code == 200
    assert client.get(export_url(world)).status_code == 200


@pytest.mark.parametrize("who", ["member_leader", "other_region", "no_role"])
def test_others_may_not_read_the_trail(client, request, world, who):
    if who == "member_leader":
        user = world.leaders[1]
    elif who == "other_region":
        user = make_world(1, prefix="khac").officer
    else:
        user = request.getfixturevalue("no_role_user")
    client.force_login(user)
    assert client.get(audit_url(world)).status_code == 403
    assert client.get(export_url(world)).status_code == 403


def test_an_unknown_pact_is_not_found(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(reverse("pacts:pact_audit", args=[999999])).status_code == 404
    assert client.get(reverse("pacts:pact_audit_export", args=[999999])).status_code == 404


def test_the_trail_can_be_narrowed_to_one_action(client, world):
    client.force_login(world.officer)
    response = client.get(audit_url(world), {"action": "refused"})
    assert [e.action for e in response.context["page"].object_list] == ["refused"]
    bad = client.get(audit_url(world), {"action": "deleted"})
    assert "Hãy chọn một thao tác trong danh sách." in body(bad)


def test_a_long_trail_is_paginated(client, world):
    for n in range(60):
        audit_record(action=AuditEvent.Action.VIEWED, pact=world.pact, detail=f"lần xem {n}")
    client.force_login(world.officer)
    first = client.get(audit_url(world))
    assert len(first.context["page"].object_list) == 50
    second = client.get(audit_url(world), {"page": 2})
    assert '<span class="page-link" aria-current="page">2</span>' in body(second)
    assert "lần xem 59" in body(second)


def test_the_page_issues_the_same_queries_for_a_long_trail(client, world, django_assert_num_queries):
    client.force_login(world.officer)
    with CaptureQueriesContext(connection) as few:
        client.get(audit_url(world))
    for n in range(80):
        audit_record(action=AuditEvent.Action.VIEWED, pact=world.pact, detail=str(n))
    with django_assert_num_queries(len(few)):
        client.get(audit_url(world))


def test_the_export_opens_in_excel_with_vietnamese_headings_and_times_as_text(client, world):
    client.force_login(world.officer)
    response = client.get(export_url(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    headings = rows[5]
    assert headings[:5] == ("STT", "Thời điểm (UTC+07:00)", "Thao tác", "Người thực hiện", "Đơn vị")
    events = list(AuditEvent.objects.filter(pact=world.pact).order_by("at", "id"))
    data = rows[6:]
    assert len(data) == len(events)
    signed = events.index(next(e for e in events if e.action == "signed"))
    assert data[signed][1] == f"{timezone.localtime(events[signed].at):%d/%m/%Y %H:%M:%S} +07:00"
    assert data[signed][2] == "Đã ký"
    assert data[signed][5] == "203.0.113.7"
    assert data[signed][6] == BROWSER
    assert world.pact.content_hash in [cell for row in rows[:4] for cell in row]
    comment = next(row for row in data if row[2] == "Góp ý")
    assert comment[7] == '=HYPERLINK("x")'
    assert sheet.cell(row=6 + data.index(comment) + 1, column=8).data_type == "s"


def test_the_export_stays_vietnamese_when_the_interface_is_in_english(client, world):
    client.force_login(world.officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Audit trail" in body(client.get(audit_url(world)))
    response = client.get(export_url(world))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[5][2] == "Thao tác"
