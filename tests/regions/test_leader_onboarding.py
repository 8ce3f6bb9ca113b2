"""Leaders on board in one step: on a unit's page and for a whole roster, ministry staff give each leader of the day
without an account their account (leader role, the unit), the appointment if new, and the invitation at once.
All or nothing: rows left empty are skipped, every row is checked, and nothing is saved while any row fails."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Role, User
from outbox.models import Email
from regions import services
from regions.models import Appointment
from tests.factories import UserFactory
from tests.people.helpers import as_user, invitation_links
from tests.regions.factories import make_region, make_unit

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def roster():
    region = make_region()
    units = [make_unit(f"Sở Tư pháp tỉnh Thử {n}") for n in range(4)]
    for unit in units:
        services.membership_add(region=region, unit=unit, year=YEAR)
    return region, units


def _url(region) -> str:
    return reverse("regions:roster_leaders_onboard", args=[region.slug, YEAR])


def test_the_roster_page_offers_a_row_per_leader_without_an_account_and_a_new_head_where_none(client, roster):
    region, units = roster
    known = services.appointment_start(
        unit=units[0], full_name="Lê Văn Có", position="Giám đốc", start=date(2024, 1, 1)
    )
    deputy = services.appointment_start(
        unit=units[0], full_name="Phạm Thị Phó", position="Phó Giám đốc", start=date(2024, 3, 1), kind="deputy"
    )
    linked = UserFactory(unit=units[1], roles=[Role.LEADER])
    services.appointment_start(
        unit=units[1], full_name="Đã Có", position="Giám đốc", start=date(2024, 1, 1), user=linked
    )
    as_user(client, UserFactory(roles=[Role.MINISTRY]))
    response = client.get(_url(region))
    assert response.status_code == 200
    keys = [form.spec.key for form in response.context["formset"].forms]
    assert keys == [f"a{known.pk}", f"a{deputy.pk}", f"u{units[2].pk}", f"u{units[3].pk}"]
    page = response.content.decode()
    assert "Has an account" in page and linked.username in page
    assert (
        reverse("regions:roster_leaders_onboard", args=[region.slug, YEAR])
        in client.get(reverse("regions:roster_detail", args=[region.slug, YEAR])).content.decode()
    )


def test_onboarding_four_leaders_creates_accounts_appointments_and_invitations_at_once(client, roster):
    region, units = roster
    recorded = services.appointment_start(
        unit=units[0], full_name="Lê Văn Có", position="Giám đốc", start=date(2024, 1, 1)
    )
    staff = UserFactory(roles=[Role.MINISTRY])
    as_user(client, staff)
    data = {f"a{recorded.pk}-email": "Co.LV@stp.example.vn"}
    for n, unit in enumerate(units[1:], start=1):
        data |= {
            f"u{unit.pk}-full_name": f"Nguyễn Thị Mới {n}",
            f"u{unit.pk}-position": "Giám đốc",
            f"u{unit.pk}-kind": "head",
            f"u{unit.pk}-start": "01/01/2025",
            f"u{unit.pk}-email": f"moi{n}@stp.example.vn",
        }
    response = client.post(_url(region), data)
    assert response.status_code == 302, response.context["formset"].forms[0].errors if response.context else ""
    assert response.url == reverse("regions:roster_detail", args=[region.slug, YEAR])
    recorded.refresh_from_db()
    account = recorded.user
    assert account.email == "co.lv@stp.example.vn" and account.username == "co.lv" and account.unit == units[0]
    assert {r for r in account.groups.values_list("name", flat=True)} == {Role.LEADER.value}
    assert not account.has_usable_password()
    for n, unit in enumerate(units[1:], start=1):
        appointment = Appointment.objects.get(unit=unit)
        assert appointment.full_name == f"Nguyễn Thị Mới {n}" and appointment.start == date(2025, 1, 1)
        assert appointment.user.email == f"moi{n}@stp.example.vn" and appointment.user.unit == unit
    assert Invitation.objects.filter(invited_by=staff).count() == 4
    assert len(invitation_links(account)) == 1  # the people area's e-mail and link


def test_rows_left_empty_are_skipped(client, roster):
    region, units = roster
    as_user(client, UserFactory(roles=[Role.MINISTRY]))
    unit = units[2]
    data = {
        f"u{unit.pk}-full_name": "Trần Văn Một",
        f"u{unit.pk}-position": "Giám đốc",
        f"u{unit.pk}-kind": "head",
        f"u{unit.pk}-start": "01/02/2025",
        f"u{unit.pk}-email": "mot@stp.example.vn",
        f"u{units[3].pk}-kind": "head",  # the select always sends a value: not a filled row
    }
    assert client.post(_url(region), data).status_code == 302
    assert list(Appointment.objects.values_list("unit", flat=True)) == [unit.pk]


def test_nothing_filled_is_refused_with_a_message(client, roster):
    region, _units = roster
    as_user(client, UserFactory(roles=[Role.MINISTRY]))
    response = client.post(_url(region), {})
    assert response.status_code == 200
    assert "Fill in at least one row: a row left empty is skipped." in response.content.decode()


def test_any_bad_row_saves_nothing_and_every_bad_row_says_why(client, roster):
    region, units = roster
    taken = UserFactory(email="taken@stp.example.vn", unit=make_unit("Sở khác"))
    as_user(client, UserFactory(roles=[Role.MINISTRY]))
    good, no_date, bad_mail, taken_mail = units
    row = {"full_name": "Người Tốt", "position": "Giám đốc", "kind": "head", "start": "01/01/2025"}
    data = {f"u{good.pk}-{k}": v for k, v in row.items()} | {f"u{good.pk}-email": "tot@stp.example.vn"}
    data |= {f"u{no_date.pk}-full_name": "Không Ngày", f"u{no_date.pk}-email": "nd@stp.example.vn"}
    data |= {f"u{bad_mail.pk}-{k}": v for k, v in row.items()} | {f"u{bad_mail.pk}-email": "not-an-address"}
    data |= {f"u{taken_mail.pk}-{k}": v for k, v in row.items()} | {f"u{taken_mail.pk}-email": taken.email}
    response = client.post(_url(region), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the leader&#x27;s position." in page and "Enter the date (dd/mm/yyyy)." in page
    assert "Enter a valid e-mail address." in page
    assert "rows have errors: nothing was saved" in page
    assert not Appointment.objects.exists() and not User.objects.filter(email="tot@stp.example.vn").exists()
    # Once the form's errors are mended, the service's refusals come back on their rows; still nothing is saved.
    data[f"u{no_date.pk}-email"] = ""
    data[f"u{no_date.pk}-full_name"] = ""
    data[f"u{bad_mail.pk}-email"] = "ok@stp.example.vn"
    response = client.post(_url(region), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Another account already uses this e-mail address" in page and taken.username in page
    assert not Appointment.objects.exists()
    assert not User.objects.filter(email__in=["tot@stp.example.vn", "ok@stp.example.vn"]).exists()
    assert not Email.objects.filter(kind="accounts.invitation").exists()


def test_the_same_address_twice_is_refused(client, roster):
    region, units = roster
    as_user(client, UserFactory(roles=[Role.MINISTRY]))
    data = {}
    for unit in units[:2]:
        data |= {
            f"u{unit.pk}-full_name": f"Người {unit.pk}",
            f"u{unit.pk}-position": "Giám đốc",
            f"u{unit.pk}-kind": "head",
            f"u{unit.pk}-start": "01/01/2025",
            f"u{unit.pk}-email": "chung@stp.example.vn",
        }
    response = client.post(_url(region), data)
    assert "The same address is in the row of Người" in response.content.decode()
    assert not User.objects.filter(email="chung@stp.example.vn").exists()


def test_an_account_of_the_unit_with_that_address_is_linked_not_duplicated(client, roster):
    region, units = roster
    recorded = services.appointment_start(
        unit=units[0], full_name="Lê Văn Có", position="Giám đốc", start=date(2024, 1, 1)
    )
    existing = UserFactory(email="co@stp.example.vn", unit=units[0], roles=[Role.LEADER])
    as_user(client, UserFactory(roles=[Role.MINISTRY]))
    response = client.post(_url(region), {f"a{recorded.pk}-email": "co@stp.example.vn"}, follow=True)
    assert "existing account of the unit has been linked" in response.content.decode()
    recorded.refresh_from_db()
    assert recorded.user == existing and User.objects.filter(email="co@stp.example.vn").count() == 1


@pytest.mark.parametrize("role", [Role.REGION, Role.LEADER])
def test_only_ministry_staff_bring_leaders_on_board(client, roster, role):
    region, units = roster
    officer = UserFactory(unit=units[0], roles=[role])
    as_user(client, officer)
    assert client.get(_url(region)).status_code == 403
    assert client.post(_url(region), {}).status_code == 403
    assert client.get(reverse("regions:unit_leaders_onboard", args=[units[0].pk])).status_code == 403


def test_the_page_asks_for_the_password_again_first(client, roster):
    region, _units = roster
    as_user(client, UserFactory(roles=[Role.MINISTRY]), reauthenticated=False)
    response = client.get(_url(region))
    assert response.status_code == 302 and "confirm" in response.url


def test_the_service_refuses_anyone_but_ministry_staff(roster):
    _region, units = roster
    row = services.LeaderRow(
        key="x", unit=units[0], email="a@b.vn", full_name="A", position="B", start=date(2025, 1, 1)
    )
    with pytest.raises(services.RegionsError):
        services.leader_onboard(actor=UserFactory(roles=[Role.REGION]), row=row)
    assert not User.objects.filter(email="a@b.vn").exists()


def test_usernames_are_made_free_from_the_address(roster):
    _region, units = roster
    UserFactory(username="minh.hv")
    staff = UserFactory(roles=[Role.MINISTRY])
    row = services.LeaderRow(
        key="x",
        unit=units[0],
        email="Minh.HV@stp.example.vn",
        full_name="Hoàng Văn Minh",
        position="Giám đốc",
        start=date(2025, 1, 1),
    )
    done = services.leader_onboard(actor=staff, row=row)
    assert done.account.username == "minh.hv2" and done.invited
    assert done.appointment.user == done.account and done.appointment.kind == "head"


def test_on_a_units_page_another_leader_can_be_added_besides_the_head(client, roster):
    _region, units = roster
    unit = units[0]
    head_user = UserFactory(unit=unit, roles=[Role.LEADER])
    services.appointment_start(
        unit=unit, full_name="Trưởng", position="Giám đốc", start=date(2024, 1, 1), user=head_user
    )
    as_user(client, UserFactory(roles=[Role.MINISTRY]))
    url = reverse("regions:unit_leaders_onboard", args=[unit.pk])
    assert url in client.get(reverse("regions:unit_detail", args=[unit.pk])).content.decode()
    form = client.get(url).context["formset"].forms[0]
    assert form.spec.kind == "deputy" and form.spec.appointment is None
    response = client.post(
        url,
        {
            f"u{unit.pk}-full_name": "Phó Mới",
            f"u{unit.pk}-position": "Phó Giám đốc",
            f"u{unit.pk}-kind": "deputy",
            f"u{unit.pk}-start": "01/03/2025",
            f"u{unit.pk}-email": "pho@stp.example.vn",
        },
    )
    assert response.status_code == 302
    deputy = Appointment.objects.get(full_name="Phó Mới")
    assert deputy.kind == "deputy" and deputy.user.email == "pho@stp.example.vn"
    assert Appointment.objects.get(full_name="Trưởng").end is None  # a deputy does not end the head's term
