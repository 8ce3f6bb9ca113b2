"""Signing progress: per pact with "remind now", per region-year campaign, and the national page."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from pacts import services
from pacts.audit import RequestInfo
from pacts.models import AuditEvent, Pact, PactSignature
from regions import services as region_services
from tests.pacts.factories import deputy_of, make_world

pytestmark = pytest.mark.django_db


def progress_url(world) -> str:
    return reverse("pacts:pact_progress", args=[world.pact.pk])


def remind_url(world) -> str:
    return reverse("pacts:pact_remind", args=[world.pact.pk])


def body(response) -> str:
    return response.content.decode()


def sign(world, n: int, user=None) -> PactSignature:
    pact = Pact.objects.get(pk=world.pact.pk)
    return services.pact_sign(
        pact=pact,
        unit=world.units[n],
        user=user or world.leaders[n],
        consent=True,
        content_hash=pact.content_hash,
        info=RequestInfo(ip_address="192.0.2.15", user_agent="Firefox"),
    )


@pytest.fixture
def world():
    """Three units; the second has signed."""
    world = make_world(3)
    sign(world, 1)
    return world


# ---------------------------------------------------------------------------------------------
# One pact
# ---------------------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client, world):
    for url in (progress_url(world), reverse("pacts:national_progress", args=[2026])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_a_member_leader_sees_signed_and_pending_units_without_addresses(client, world):
    client.force_login(world.leaders[2])
    response = client.get(progress_url(world))
    assert response.status_code == 200
    page = body(response)
    progress = response.context["progress"]
    assert [row.slot.unit_id for row in progress.signed] == [world.units[1].pk]
    assert [row.slot.unit_id for row in progress.pending] == [world.units[0].pk, world.units[2].pk]
    signature = PactSignature.objects.get(pact=world.pact, unit=world.units[1])
    assert f"{timezone.localtime(signature.signed_at):%d/%m/%Y %H:%M:%S} +07:00" in page
    assert "Nguyễn Văn Lãnh Đạo 1" in page
    assert "1/3 đơn vị" in page
    assert 'aria-valuenow="33"' in page
    assert "192.0.2.15" not in page
    assert 'id="remind-now"' not in page
    # their own unit's pending slot has a sign button; another unit's has none
    assert f'href="{reverse("pacts:pact_sign", args=[world.pact.pk, world.units[2].pk])}"' in page
    assert f'href="{reverse("pacts:pact_sign", args=[world.pact.pk, world.units[0].pk])}"' not in page


def test_pending_units_show_who_may_sign_today_including_a_deputy(client, world, ministry_user):
    deputy_of(world.units[2], "phogiamdoc.tiendo")
    client.force_login(ministry_user)
    page = body(client.get(progress_url(world)))
    assert "Nguyễn Văn Lãnh Đạo 2, Giám đốc" in page
    assert "Trần Phó Giám Đốc, Phó Giám đốc" in page


@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_ministry_staff_and_administrators_see_the_addresses_but_no_sign_button(client, request, role, world):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    response = client.get(progress_url(world))
    assert response.status_code == 200
    page = body(response)
    assert "192.0.2.15" in page
    assert "/sign/" not in page


def test_the_region_officer_of_the_head_unit_sees_progress_and_reminds(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.officer)
    page = body(client.get(progress_url(world)))
    assert 'id="remind-now"' in page
    mail.outbox.clear()
    client.cookies["thidua_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(world), follow=True)
    assert response.redirect_chain[-1][0] == progress_url(world)
    assert "The reminder to the leaders of 2 units that have not signed is queued" in body(response)
    reminded = AuditEvent.objects.get(pact=world.pact, action="reminded")
    assert reminded.actor == world.officer
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.leaders[0].email, world.leaders[2].email])


def test_reminding_an_executed_pact_says_why_nothing_was_sent(client, world):
    sign(world, 0)
    sign(world, 2)
    client.force_login(world.officer)
    page = body(client.get(progress_url(world)))
    assert 'id="remind-now"' not in page
    response = client.post(remind_url(world), follow=True)
    assert "Chỉ gửi nhắc khi giao ước đang mở ký." in body(response)
    assert not AuditEvent.objects.filter(pact=world.pact, action="reminded").exists()


def test_a_member_leader_may_not_remind(client, world):
    client.force_login(world.leaders[2])
    assert client.post(remind_url(world)).status_code == 403
    assert not AuditEvent.objects.filter(pact=world.pact, action="reminded").exists()


def test_reminding_takes_a_post(client, world):
    client.force_login(world.officer)
    assert client.get(remind_url(world)).status_code == 405


@pytest.mark.parametrize("who", ["leader", "region", "no_role"])
def test_people_of_another_region_may_not_see_the_progress(client, request, world, who):
    other = make_world(1, prefix="khac")
    user = {"leader": other.leaders[0], "region": other.officer, "no_role": request.getfixturevalue("no_role_user")}
    client.force_login(user[who])
    assert client.get(progress_url(world)).status_code == 403
    assert client.post(remind_url(world)).status_code == 403


def test_an_unknown_pact_is_not_found(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(reverse("pacts:pact_progress", args=[999999])).status_code == 404


def test_the_progress_page_issues_the_same_queries_for_200_units_as_for_10(
    client, ministry_user, django_assert_num_queries
):
    small, large = make_world(10, prefix="a"), make_world(200, prefix="b")
    for n in range(5):
        sign(small, n)
    for n in range(100):
        sign(large, n)
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(progress_url(small)).status_code == 200
    with django_assert_num_queries(len(few)):
        assert client.get(progress_url(large)).status_code == 200


@pytest.mark.parametrize(("asked", "number", "shown"), [("2", 2, 1), ("9", 2, 1), ("9" * 30, 2, 1), ("x", 1, 2)])
def test_the_pending_list_past_its_end_shows_its_last_page(client, ministry_user, monkeypatch, asked, number, shown):
    """Four units, one signed: three pending, two a page; a page asked past the end shows the last one."""
    from pacts.views import progress

    monkeypatch.setattr(progress, "PROGRESS_PAGE_SIZE", 2)
    world = make_world(4)
    sign(world, 0)
    client.force_login(ministry_user)
    response = client.get(progress_url(world), {"page": asked})
    page = response.context["pending_page"]
    assert (page.number, page.paginator.count, len(response.context["progress"].pending)) == (number, 3, shown)
    assert response.context["progress"].pending_count == 3 and response.context["progress"].total == 4


@pytest.mark.parametrize(("asked", "number", "shown"), [("2", 2, 1), ("7", 2, 1), ("-1", 2, 1), ("", 1, 2)])
def test_the_signed_list_past_its_end_shows_its_last_page(client, ministry_user, monkeypatch, asked, number, shown):
    """Four units, three signed, two a page: the signed list pages by itself (``signed_page``), in the order
    of signing, numbered on from its earlier pages; the pending list stays on its first page."""
    from pacts.views import progress

    monkeypatch.setattr(progress, "PROGRESS_PAGE_SIZE", 2)
    world = make_world(4)
    for n in (2, 0, 3):
        sign(world, n)
    client.force_login(ministry_user)
    response = client.get(progress_url(world), {"signed_page": asked})
    page, progress_shown = response.context["signed_page"], response.context["progress"]
    assert (page.number, page.paginator.count, len(progress_shown.signed)) == (number, 3, shown)
    order = [world.units[n].name for n in (2, 0, 3)]
    assert [row.slot.unit_name for row in progress_shown.signed] == order[(number - 1) * 2 : number * 2]
    assert response.context["signed_offset"] == (number - 1) * 2
    assert [row.slot.unit_id for row in progress_shown.pending] == [world.units[1].pk]
    assert (progress_shown.signed_count, progress_shown.pending_count, progress_shown.total) == (3, 1, 4)


@pytest.mark.parametrize("signed", [0, 3])
def test_a_pact_nobody_or_everybody_signed_shows_one_empty_list(client, ministry_user, signed):
    world = make_world(3)
    for n in range(signed):
        sign(world, n)
    client.force_login(ministry_user)
    response = client.get(progress_url(world), {"page": "2", "signed_page": "2"})
    progress_shown = response.context["progress"]
    assert (len(progress_shown.signed), len(progress_shown.pending)) == (signed, 3 - signed)
    assert (progress_shown.signed_count, progress_shown.pending_count, progress_shown.percent) == (
        signed,
        3 - signed,
        round(100 * signed / 3),
    )


# ---------------------------------------------------------------------------------------------
# A region's campaign, and the whole country
# ---------------------------------------------------------------------------------------------


def add_pacts(world, count: int) -> list[Pact]:
    """``count`` more pacts of the campaign, one per block, open with the first unit signed."""
    pacts = []
    for n in range(count):
        pact = services.pact_create(campaign=world.campaign, actor=world.officer, block=f"Khối thử {n}")
        services.pact_update_draft(pact=pact, actor=world.officer, clauses=["Hoàn thành nhiệm vụ."])
        pact = services.pact_open(pact=pact, deadline=timezone.now() + timedelta(days=3), actor=world.officer)
        services.pact_sign(
            pact=pact, unit=world.units[0], user=world.leaders[0], consent=True, content_hash=pact.content_hash
        )
        pacts.append(pact)
    return pacts


def campaign_url(world) -> str:
    return reverse("pacts:campaign_progress", args=[world.campaign.pk])


def national_url(year: int | None = None) -> str:
    return reverse("pacts:national_progress", args=[year or timezone.localdate().year])


def test_the_region_page_lists_every_pact_of_the_campaign_with_its_count(client, world):
    add_pacts(world, 2)
    client.force_login(world.leaders[2])
    response = client.get(campaign_url(world))
    assert response.status_code == 200
    rows = {(p.block, p.signature_count, p.slot_count) for p in response.context["pacts"]}
    assert rows == {("", 1, 3), ("Khối thử 0", 1, 3), ("Khối thử 1", 1, 3)}
    page = body(response)
    assert "Toàn khu vực" in page and "Đang mở ký" in page
    assert progress_url(world) in page


def test_the_region_page_filters_by_status(client, world):
    add_pacts(world, 1)
    services.pact_withdraw(pact=world.pact, reason="Sửa chỉ tiêu", actor=world.officer)
    client.force_login(world.officer)
    response = client.get(campaign_url(world), {"status": "withdrawn"})
    assert [(p.block, p.status) for p in response.context["pacts"]] == [("", "withdrawn")]
    bad = client.get(campaign_url(world), {"status": "lost"})
    assert bad.status_code == 200
    assert "Hãy chọn trạng thái trong danh sách." in body(bad)
    assert len(bad.context["pacts"]) == 3  # the withdrawn pact, its new draft, and the block's pact


def test_people_of_another_region_may_not_see_the_region_page(client, world):
    other = make_world(1, prefix="khac")
    client.force_login(other.leaders[0])
    assert client.get(campaign_url(world)).status_code == 403


def test_the_region_page_issues_the_same_queries_for_30_pacts_as_for_1(
    client, ministry_user, django_assert_num_queries
):
    world = make_world(3)
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(campaign_url(world)).status_code == 200
    add_pacts(world, 29)
    with django_assert_num_queries(len(few)):
        response = client.get(campaign_url(world))
    assert len(response.context["pacts"]) == 30


@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_ministry_staff_see_every_pact_of_the_year_with_the_regions_name_of_that_year(client, request, role):
    first, second = make_world(2, prefix="mot", year=2025), make_world(3, prefix="hai", year=2025)
    region = second.campaign.region
    region_services.region_rename(region=region, name="Khu vực đổi tên 2026", effective=date(2026, 1, 1))
    client.force_login(request.getfixturevalue(f"{role}_user"))
    response = client.get(national_url(2025))
    assert response.status_code == 200
    page = body(response)
    names = {p.region_name_on_day for p in response.context["page"].object_list}
    assert names == {first.campaign.region.name, "Khu vực thi đua thử hai3"}
    assert "Khu vực đổi tên 2026" not in page
    assert reverse("pacts:campaign_progress", args=[second.campaign.pk]) in page
    assert reverse("pacts:pact_progress", args=[second.pact.pk]) in page
    assert "0/3" in page and "0/2" in page


@pytest.mark.parametrize("role", ["region", "leader", "no_role"])
def test_only_ministry_staff_and_administrators_see_the_national_page(client, request, role):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    assert client.get(national_url()).status_code == 403
    assert client.get(reverse("pacts:national_progress_now")).status_code == 403


def test_the_national_page_without_a_year_opens_the_current_year(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(reverse("pacts:national_progress_now"))
    assert response.status_code == 302
    assert response.url == national_url()


def test_a_year_out_of_range_is_not_found(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(reverse("pacts:national_progress", args=[1900])).status_code == 404


def test_the_national_page_filters_by_status(client, ministry_user):
    world = make_world(2)
    sign(world, 0)
    sign(world, 1)
    other = make_world(2, prefix="khac")
    client.force_login(ministry_user)
    response = client.get(national_url(), {"status": "executed"})
    assert [p.pk for p in response.context["page"].object_list] == [world.pact.pk]
    assert other.pact.pk not in [p.pk for p in response.context["page"].object_list]
    counts = {value: count for value, _label, count in response.context["counts"]}
    assert counts["executed"] == 1 and counts["open"] == 1


def test_the_national_page_issues_the_same_queries_for_30_pacts_as_for_1(
    client, ministry_user, django_assert_num_queries
):
    world = make_world(3)
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(national_url()).status_code == 200
    add_pacts(world, 20)
    make_world(2, prefix="b")
    other = make_world(4, prefix="c")
    add_pacts(other, 7)
    with django_assert_num_queries(len(few)):
        response = client.get(national_url())
    assert response.context["page"].paginator.count == 30


# The rows as pacts/progress_pact.html wrote them with template tags, before pacts.templatetags.progress_rows.
FIXTURES = Path(__file__).parent / "fixtures"
SIGNED_ROWS = (FIXTURES / "progress_signed_rows_before.html").read_text(encoding="utf-8")
PENDING_ROWS = (FIXTURES / "progress_pending_rows_before.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("viewer", ["leader", "ministry"])
def test_the_rows_written_in_python_are_the_markup_the_template_wrote(client, world, ministry_user, language, viewer):
    from django.template import engines
    from django.test.html import parse_html

    deputy_of(world.units[2], "phogiamdoc.hang")
    region_services.appointment_end(
        appointment=world.units[0].appointments.get(), end=timezone.localdate() - timedelta(1)
    )
    client.force_login(world.leaders[2] if viewer == "leader" else ministry_user)
    client.cookies["thidua_language"] = language
    response = client.get(progress_url(world))
    page = body(response)
    signed, pending = [
        page[page.index("<tbody>", at) + len("<tbody>") : page.index("</tbody>", at)]
        for at in (page.index('id="signed-heading"'), page.index('id="pending-heading"'))
    ]
    context = response.context[0].flatten()
    with translation.override(language):
        expected_signed = engines["django"].from_string(SIGNED_ROWS).render(context)
        expected_pending = engines["django"].from_string(PENDING_ROWS).render(context)
    assert parse_html(signed) == parse_html(expected_signed)
    assert parse_html(pending) == parse_html(expected_pending)
    assert ("192.0.2.15" in signed) == (viewer == "ministry")
    assert ("/sign/" in pending) == (viewer == "leader") and "text-danger" in pending
