from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from regions.models import Appointment, Province
from tests.factories import UnitFactory, UserFactory

from .helpers import as_user

URL = reverse("people:person_list")


@pytest.mark.django_db
def test_it_lists_roles_in_words_the_unit_with_province_and_end_and_todays_posts(client, ministry_user):
    province = Province.objects.create(code="45", name="Quảng Trị")
    ended = UnitFactory(name="Sở Tư pháp tỉnh Quảng Trị", province=province, active_to=date(2025, 6, 30))
    leader = UserFactory(full_name="Hoàng Thị Lan", roles=["leader", "region"], unit=ended)
    Appointment.objects.create(
        unit=ended, user=leader, full_name=leader.full_name, position="Giám đốc", start=date(2020, 1, 1)
    )
    Appointment.objects.create(
        unit=ended,
        user=leader,
        full_name=leader.full_name,
        position="Phó Giám đốc",
        kind="deputy",
        start=date(2015, 1, 1),
        end=date(2019, 12, 31),
    )
    as_user(client, ministry_user)
    body = client.get(URL).content.decode()
    assert "Hoàng Thị Lan" in body
    assert "Unit leader, Region officer" in body or "Region officer, Unit leader" in body
    assert ">leader<" not in body and ">region<" not in body
    assert "Sở Tư pháp tỉnh Quảng Trị (Quảng Trị, until 30/06/2025)" in body
    assert "Giám đốc" in body
    assert "Phó Giám đốc" not in body  # ended in 2019


@pytest.mark.django_db
def test_the_search_finds_names_without_marks_usernames_and_addresses(client, ministry_user):
    UserFactory(full_name="Nguyễn Thị Hồng Đào", username="dao.nth", email="dao@sotuphap.example.vn")
    UserFactory(full_name="Trần Văn Bình", username="binh.tv", email="binh@example.vn")
    as_user(client, ministry_user)
    for query in ("hong dao", "Hồng Đào", "dao.nth", "sotuphap"):
        body = client.get(URL, {"q": query}).content.decode()
        assert "Nguyễn Thị Hồng Đào" in body, query
        assert "Trần Văn Bình" not in body, query


@pytest.mark.django_db
def test_it_filters_by_role_and_by_status(client, ministry_user):
    leader = UserFactory(full_name="Lãnh Đạo Một", roles=["leader"])
    officer = UserFactory(full_name="Cán Bộ Hai", roles=["region"])
    gone = UserFactory(full_name="Đã Nghỉ Ba", roles=["leader"], is_active=False)
    waiting = UserFactory(full_name="Chờ Nhận Bốn", roles=["leader"])
    Invitation.objects.create(user=waiting, sent_at=timezone.now())
    as_user(client, ministry_user)

    def names(**query) -> set[str]:
        body = client.get(URL, query).content.decode()
        return {u.full_name for u in (leader, officer, gone, waiting) if u.full_name in body}

    assert names(role="leader") == {"Lãnh Đạo Một", "Đã Nghỉ Ba", "Chờ Nhận Bốn"}
    assert names(role="region") == {"Cán Bộ Hai"}
    assert names(status="inactive") == {"Đã Nghỉ Ba"}
    assert names(status="pending") == {"Chờ Nhận Bốn"}
    assert names(status="active") == {"Lãnh Đạo Một", "Cán Bộ Hai"}
    assert names(status="nonsense") == {u.full_name for u in (leader, officer, gone, waiting)}


@pytest.mark.django_db
def test_the_inviter_sees_when_an_invitation_was_sent_and_until_when_it_works(client, ministry_user):
    waiting = UserFactory(full_name="Chờ Nhận Bốn", roles=["leader"])
    sent = timezone.now() - timedelta(days=1)
    Invitation.objects.create(user=waiting, sent_at=sent)
    as_user(client, ministry_user)
    body = client.get(URL).content.decode()
    until = timezone.localtime(sent + timedelta(days=7)).strftime("%d/%m/%Y")
    assert "Invitation not yet accepted" in body
    assert f"valid until {until}" in body


@pytest.mark.django_db
def test_it_pages_and_takes_the_same_queries_for_many_people(client, ministry_user):
    for _n in range(3):
        user = UserFactory(roles=["leader"])
        Appointment.objects.create(
            unit=user.unit, user=user, full_name=user.full_name, position="Giám đốc", start=date(2020, 1, 1)
        )
    as_user(client, ministry_user)
    client.get(URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _n in range(30):
        user = UserFactory(roles=["leader"])
        Appointment.objects.create(
            unit=user.unit, user=user, full_name=user.full_name, position="Giám đốc", start=date(2020, 1, 1)
        )
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


# The rows as people/person_list.html wrote them with template tags and includes, before people_rows.
PERSON_ROWS = (Path(__file__).parent / "fixtures" / "person_rows_before.html").read_text(encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_written_in_python_are_the_markup_the_template_wrote(client, ministry_user, language):
    """Every kind of row: posts held today and not, deactivated, invited (waiting and expired), no role, no
    e-mail, a position, a last log-in late in the evening (shown in Vietnam's time), names to escape."""
    from django.template import engines
    from django.test.html import parse_html
    from django.utils import translation

    province = Province.objects.create(code="46", name="Huế")
    unit = UnitFactory(name='Sở Tư pháp <Huế> & "mới"', province=province, active_from=date(2025, 7, 1))
    leader = UserFactory(full_name="Hoàng <b>Lan</b>", position="Giám đốc Sở", roles=["leader", "region"], unit=unit)
    leader.last_login = datetime(2026, 3, 20, 16, 30, tzinfo=UTC)  # 23:30 in Hà Nội
    leader.save(update_fields=["last_login"])
    Appointment.objects.create(
        unit=unit, user=leader, full_name=leader.full_name, position="Giám đốc", start=date(2025, 7, 1)
    )
    UserFactory(full_name="", username="khongten", email="", roles=[])
    UserFactory(full_name="Đã Nghỉ", roles=["leader"], is_active=False)
    waiting, expired = UserFactory(full_name="Chờ Nhận"), UserFactory(full_name="Quá Hạn")
    Invitation.objects.create(user=waiting, sent_at=timezone.now())
    Invitation.objects.create(user=expired, sent_at=timezone.now() - timedelta(days=30))  # valid 7 days
    as_user(client, ministry_user)
    client.cookies["thidua_language"] = language
    response = client.get(URL)
    page = response.content.decode()
    start = page.index("<tbody>")
    written = page[start + len("<tbody>") : page.index("</tbody>", start)]
    with translation.override(language):
        expected = engines["django"].from_string(PERSON_ROWS).render(response.context[0].flatten())
    assert parse_html(written) == parse_html(expected)
    assert written.count("<tr>") == 6 and "<b>Lan</b>" not in written and "20/03/2026 23:30" in written
    assert all(
        badge in written for badge in ("text-bg-secondary", "text-bg-warning", "text-bg-danger", "text-bg-success")
    )
