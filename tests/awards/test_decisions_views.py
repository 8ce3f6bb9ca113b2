"""The award decision pages: the list, recording a decision in two steps, and a decision's awards."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import Award, AwardDecision, AwardRegistration
from awards.services.decisions import HistoricalAward, decision_record
from awards.services.registrations import registration_approve, registration_create
from awards.services.votes import vote_record
from tests.awards.factories import CSTD, FLAG, GOVERNMENT_FLAG

pytestmark = pytest.mark.django_db

LIST = reverse("awards:decision_list")
CREATE = reverse("awards:decision_create")
BANG_KHEN = "bang-khen-bo-truong"  # open to Sở Tư pháp, no vote
Status = AwardRegistration.Status


def detail_url(decision: AwardDecision) -> str:
    return reverse("awards:decision_detail", args=[decision.pk])


def _as(client, user):
    client.force_login(user)
    return client


def _approved(world, n: int, code: str, people=()) -> AwardRegistration:
    registration = registration_create(
        campaign=world.campaign,
        unit=world.units[n],
        title=world.titles[code],
        actor=world.leaders[n],
        people=people,
        submit=True,
    )
    return registration_approve(registration=registration, actor=world.officer)


def _historical(world, *, number: str, signed_on: date, year: int, n: int = 0, code: str = GOVERNMENT_FLAG):
    return decision_record(
        number=number,
        signed_on=signed_on,
        issuer="Thủ tướng Chính phủ",
        actor=None,
        historical=[HistoricalAward(world.units[n], world.titles[code], year)],
    )


def step_two(world, code: str) -> str:
    return f"{CREATE}?year={world.campaign.year}&title={world.titles[code].pk}"


def _decision_data(registrations, **overrides) -> dict:
    data = {
        "registrations": [str(registration.pk) for registration in registrations],
        "number": "125/QĐ-BTP",
        "signed_on": "20/01/2026",
        "issuer": "Bộ trưởng Bộ Tư pháp",
        "summary": "Tặng Bằng khen của Bộ trưởng",
    }
    return data | overrides


def _state() -> tuple:
    return (
        list(AwardDecision.objects.order_by("pk").values_list("pk", "number")),
        list(Award.objects.order_by("pk").values_list("pk", "unit_id", "title_id")),
        list(AwardRegistration.objects.order_by("pk").values_list("pk", "status")),
    )


# --- access -----------------------------------------------------------------------------------------


@pytest.fixture
def decision(world):
    return _historical(world, number="01/QĐ-TTg", signed_on=date(2022, 5, 20), year=2021)


@pytest.mark.parametrize("name", ["list", "create", "detail"])
def test_every_decision_page_sends_visitors_to_log_in(client, decision, name):
    address = {"list": LIST, "create": CREATE}.get(name) or detail_url(decision)
    response = client.get(address)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["list", "create", "detail"])
def test_ministry_staff_open_every_decision_page(client, decision, ministry_user, name):
    address = {"list": LIST, "create": CREATE}.get(name) or detail_url(decision)
    assert _as(client, ministry_user).get(address).status_code == 200


def test_administrators_read_decisions_but_do_not_record_them(client, world, decision, admin_user):
    _as(client, admin_user)
    assert client.get(LIST).status_code == 200
    assert client.get(detail_url(decision)).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.get(step_two(world, BANG_KHEN)).status_code == 403


@pytest.mark.parametrize("who", ["officer", "leader", "no_role"])
def test_region_officers_leaders_and_accounts_without_a_role_are_refused(client, world, decision, no_role_user, who):
    user = {"officer": world.officer, "leader": world.leaders[0], "no_role": no_role_user}[who]
    _as(client, user)
    for address in (LIST, CREATE, step_two(world, BANG_KHEN), detail_url(decision)):
        assert client.get(address).status_code == 403


def test_a_leader_cannot_post_a_decision(client, world):
    registration = _approved(world, 0, BANG_KHEN)
    before = _state()
    response = _as(client, world.leaders[0]).post(step_two(world, BANG_KHEN), _decision_data([registration]))
    assert response.status_code == 403
    assert _state() == before


def test_an_unknown_decision_is_not_found(client, ministry_user):
    assert _as(client, ministry_user).get(reverse("awards:decision_detail", args=[999999])).status_code == 404


# --- list -------------------------------------------------------------------------------------------


def test_the_list_shows_decisions_with_their_number_of_awards_and_filters_by_year(client, world, ministry_user):
    older = _historical(world, number="01/QĐ-TTg", signed_on=date(2022, 5, 20), year=2021)
    newer = decision_record(
        number="77/QĐ-BTP",
        signed_on=date(2023, 2, 1),
        issuer="Bộ trưởng Bộ Tư pháp",
        actor=None,
        historical=[
            HistoricalAward(world.units[1], world.titles[BANG_KHEN], 2022),
            HistoricalAward(world.units[2], world.titles[BANG_KHEN], 2022),
        ],
    )
    _as(client, ministry_user)
    response = client.get(LIST)
    rows = {decision.pk: decision.award_count for decision in response.context["page"].object_list}
    assert rows == {older.pk: 1, newer.pk: 2}
    assert reverse("awards:decision_create").encode() in response.content
    body = client.get(LIST, {"year": 2022}).content.decode()
    assert detail_url(older) in body
    assert detail_url(newer) not in body


def test_a_bad_year_filter_is_ignored_with_a_message(client, decision, ministry_user):
    response = _as(client, ministry_user).get(LIST, {"year": "năm ngoái"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert detail_url(decision).encode() in response.content


# --- recording a decision ---------------------------------------------------------------------------


def test_step_one_asks_for_the_year_and_the_title(client, world, ministry_user):
    response = _as(client, ministry_user).get(CREATE)
    assert response.status_code == 200
    assert "year" in response.context["form"].fields and "title" in response.context["form"].fields
    response = client.get(CREATE, {"year": "", "title": "999999"})
    assert set(response.context["form"].errors) == {"year", "title"}


def test_step_two_lists_the_awardable_registrations_by_region(client, world, ministry_user):
    approved = [_approved(world, n, BANG_KHEN) for n in (0, 2)]
    registration_create(
        campaign=world.campaign, unit=world.units[1], title=world.titles[BANG_KHEN], actor=world.leaders[1], submit=True
    )  # awaiting approval: not listed
    response = _as(client, ministry_user).get(step_two(world, BANG_KHEN))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [group.name for group in groups] == [world.campaign.region.name]
    rows = groups[0].rows
    assert {row.pk for row in rows} == {registration.pk for registration in approved}
    assert all(row.awardable for row in rows)
    body = response.content.decode()
    assert world.units[0].name in body and world.units[2].name in body
    assert world.units[1].name not in body
    assert response.context["form"].initial["issuer"] == "Bộ trưởng Bộ Tư pháp"


def test_a_decision_awards_the_chosen_registrations(client, world, ministry_user):
    chosen = [_approved(world, n, BANG_KHEN) for n in (0, 1)]
    left = _approved(world, 2, BANG_KHEN)
    response = _as(client, ministry_user).post(step_two(world, BANG_KHEN), _decision_data(chosen))
    decision = AwardDecision.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(decision)
    assert (decision.number, decision.signed_on, decision.issuer) == (
        "125/QĐ-BTP",
        date(2026, 1, 20),
        "Bộ trưởng Bộ Tư pháp",
    )
    assert decision.recorded_by == ministry_user
    for registration in chosen:
        registration.refresh_from_db()
        assert registration.status == Status.AWARDED
    left.refresh_from_db()
    assert left.status == Status.APPROVED
    awards = set(Award.objects.values_list("unit_id", "recipient_name", "year"))
    assert awards == {(unit.pk, unit.name, world.campaign.year) for unit in world.units[:2]}


def test_a_vote_based_title_awards_only_the_proposed_registration(client, world, ministry_user):
    proposed, approved = _approved(world, 0, FLAG), _approved(world, 1, FLAG)
    vote_record(
        campaign=world.campaign,
        title=world.titles[FLAG],
        held_on=timezone.localdate(),
        ballots_cast=3,
        counts={proposed.pk: 3, approved.pk: 0},
        actor=world.officer,
    )
    _as(client, ministry_user)
    rows = {row.pk: row for group in client.get(step_two(world, FLAG)).context["groups"] for row in group.rows}
    assert rows[proposed.pk].awardable
    assert not rows[approved.pk].awardable and rows[approved.pk].why_not
    before = _state()
    response = client.post(step_two(world, FLAG), _decision_data([proposed, approved]))
    assert response.status_code == 200
    assert response.context["form"].errors["registrations"]
    assert _state() == before
    response = client.post(step_two(world, FLAG), _decision_data([proposed], issuer="Bộ trưởng Bộ Tư pháp"))
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == Status.AWARDED


def test_an_individual_title_lists_the_people_and_keeps_them_on_the_award(client, world, ministry_user):
    registration = _approved(world, 0, CSTD, people=[("Nguyễn Thị Mai", "Phó Giám đốc")])
    _as(client, ministry_user)
    assert "Nguyễn Thị Mai" in client.get(step_two(world, CSTD)).content.decode()
    client.post(step_two(world, CSTD), _decision_data([registration], issuer="Giám đốc Sở Tư pháp"))
    award = Award.objects.get()
    assert award.people == "Nguyễn Thị Mai, Phó Giám đốc"
    assert "Nguyễn Thị Mai" in client.get(detail_url(award.decision)).content.decode()


def test_a_decision_without_registrations_is_refused(client, world, ministry_user):
    _approved(world, 0, BANG_KHEN)
    before = _state()
    response = _as(client, ministry_user).post(step_two(world, BANG_KHEN), _decision_data([]))
    assert response.status_code == 200
    assert response.context["form"].errors["registrations"]
    assert _state() == before


def test_a_decision_already_recorded_is_refused_beside_its_number(client, world, ministry_user):
    first, second = _approved(world, 0, BANG_KHEN), _approved(world, 1, BANG_KHEN)
    _as(client, ministry_user)
    assert client.post(step_two(world, BANG_KHEN), _decision_data([first])).status_code == 302
    before = _state()
    response = client.post(step_two(world, BANG_KHEN), _decision_data([second], number="125/qđ-btp"))
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert _state() == before
    second.refresh_from_db()
    assert second.status == Status.APPROVED


def test_a_registration_not_offered_cannot_be_posted(client, world, ministry_user):
    offered = _approved(world, 0, BANG_KHEN)
    other_title = _approved(world, 1, GOVERNMENT_FLAG)
    before = _state()
    response = _as(client, ministry_user).post(step_two(world, BANG_KHEN), _decision_data([offered, other_title]))
    assert response.context["form"].errors["registrations"]
    assert _state() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("number", ""), ("signed_on", "31/02/2026"), ("signed_on", "hôm qua"), ("issuer", ""), ("number", "x" * 101)],
)
def test_a_decision_with_bad_details_is_refused_beside_the_field(client, world, ministry_user, field, value):
    registration = _approved(world, 0, BANG_KHEN)
    before = _state()
    response = _as(client, ministry_user).post(
        step_two(world, BANG_KHEN), _decision_data([registration], **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert _state() == before


def test_step_two_takes_the_same_number_of_queries_for_more_registrations(client, world, ministry_user):
    _as(client, ministry_user)
    _approved(world, 0, CSTD, people=[("Nguyễn Thị Mai", "Phó Giám đốc")])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(step_two(world, CSTD)).status_code == 200
        return len(queries)

    few = count()
    for n in (1, 2):
        _approved(world, n, CSTD, people=[("Trần Văn An", "Chuyên viên"), ("Lê Thị Bình", "Trưởng phòng")])
    assert count() == few


# --- detail -----------------------------------------------------------------------------------------


def test_the_detail_shows_the_awards_with_the_recipients_named_as_on_the_decision(client, world, ministry_user):
    from regions import services as region_services

    decision = _historical(world, number="01/QĐ-TTg", signed_on=date(2022, 5, 20), year=2021)
    old_name = world.units[0].name
    region_services.unit_rename(unit=world.units[0], name="Sở Tư pháp tỉnh Tên Mới", effective=date(2025, 7, 1))
    body = _as(client, ministry_user).get(detail_url(decision)).content.decode()
    assert "01/QĐ-TTg" in body and "20/05/2022" in body and "Thủ tướng Chính phủ" in body
    assert old_name in body and "Tên Mới" not in body
    assert world.titles[GOVERNMENT_FLAG].name in body
    assert reverse("awards:unit_awards", args=[world.units[0].pk]) in body
