"""The registration pages: a leader's list, registering a title, one registration with its actions,
and a campaign's registrations with bulk approval, for each role."""

from datetime import timedelta

import pytest
from django.contrib.messages import constants, get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardRegistration, RegisteredPerson
from awards.services import registrations as registration_services
from pacts.models import Campaign
from tests.awards.factories import CSTD, EXCELLENT, FLAG, GOVERNMENT_FLAG, make_awards_world

pytestmark = pytest.mark.django_db

Status = AwardRegistration.Status
MINE = reverse("awards:my_registrations")
CREATE = reverse("awards:registration_create")


@pytest.fixture
def other_world():
    """Another region of the same year, with its own units, leaders and campaign."""
    return make_awards_world(2, prefix="khac")


def _as(client, user):
    client.force_login(user)
    return client


def url(name: str, registration: AwardRegistration) -> str:
    return reverse(f"awards:registration_{name}", args=[registration.pk])


def campaign_url(campaign: Campaign, name: str = "campaign_registrations") -> str:
    return reverse(f"awards:{name}", args=[campaign.pk])


def create_url(world, index: int = 0) -> str:
    return f"{CREATE}?campaign={world.campaign.pk}&unit={world.units[index].pk}"


def register(world, index: int = 0, code: str = FLAG, *, submit: bool = True, **kwargs) -> AwardRegistration:
    return registration_services.registration_create(
        campaign=world.campaign,
        unit=world.units[index],
        title=world.titles[code],
        actor=world.leaders[index],
        submit=submit,
        **kwargs,
    )


def people_data(rows=(), *, initial: int = 0, extra: int = 2) -> dict:
    data = {
        "people-TOTAL_FORMS": str(len(rows) + extra),
        "people-INITIAL_FORMS": str(initial),
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "1000",
    }
    for n, (full_name, position) in enumerate(rows):
        data |= {f"people-{n}-full_name": full_name, f"people-{n}-position": position}
    for n in range(len(rows), len(rows) + extra):
        data |= {f"people-{n}-full_name": "", f"people-{n}-position": ""}
    return data


def create_data(world, code: str = FLAG, *, send: bool = False, people=(), note: str = "") -> dict:
    data = {"title": str(world.titles[code].pk), "note": note} | people_data(people)
    if send:
        data["send"] = "1"
    return data


def levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def snapshot() -> list[tuple]:
    registrations = AwardRegistration.objects.order_by("pk").values_list(
        "pk", "status", "note", "return_reason", "outcome_note", "decided_by_id"
    )
    people = RegisteredPerson.objects.order_by("pk").values_list("registration_id", "full_name", "position")
    return [*registrations, *people]


# --- access -----------------------------------------------------------------------------------------


def test_every_page_sends_visitors_to_log_in(client, world):
    registration = register(world)
    addresses = [
        MINE,
        create_url(world),
        url("detail", registration),
        url("edit", registration),
        campaign_url(world.campaign),
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith(reverse("accounts:login"))
    for name in ("submit", "withdraw", "approve", "return", "propose", "not_awarded"):
        assert client.post(url(name, registration)).status_code == 302
    assert client.post(campaign_url(world.campaign, "campaign_registrations_approve")).status_code == 302
    assert AwardRegistration.objects.get().status == Status.SUBMITTED


def test_an_account_without_a_role_is_refused_the_list(client, no_role_user):
    assert _as(client, no_role_user).get(MINE).status_code == 403


def test_actions_refuse_get(client, world):
    registration = register(world)
    _as(client, world.officer)
    assert client.get(url("approve", registration)).status_code == 405
    assert client.get(campaign_url(world.campaign, "campaign_registrations_approve")).status_code == 405


def test_unknown_registrations_and_campaigns_are_not_found(client, world, ministry_user):
    _as(client, ministry_user)
    assert client.get(reverse("awards:registration_detail", args=[999999])).status_code == 404
    assert client.get(reverse("awards:campaign_registrations", args=[999999])).status_code == 404
    assert client.post(reverse("awards:registration_approve", args=[999999])).status_code == 404


# --- a leader's list --------------------------------------------------------------------------------


def test_a_leader_sees_their_unit_with_its_registrations_and_the_register_button(client, world):
    registration = register(world)
    response = _as(client, world.leaders[0]).get(MINE)
    assert response.status_code == 200
    body = response.content.decode()
    [row] = response.context["units"]
    assert row.unit == world.units[0]
    assert row.campaign == world.campaign
    assert row.registrations == [registration]
    assert world.units[0].name in body
    assert world.titles[FLAG].name in body
    assert f'id="register-{world.units[0].pk}"' in body
    assert create_url(world).replace("&", "&amp;") in body
    assert world.units[1].name not in body
    assert response.context["campaigns"] is None  # a leader only: no list of campaigns


def test_the_list_shows_the_reason_of_a_returned_registration(client, world):
    registration = register(world)
    registration_services.registration_return(
        registration=registration, actor=world.officer, reason="Thiếu báo cáo thành tích."
    )
    body = _as(client, world.leaders[0]).get(MINE).content.decode()
    assert "Thiếu báo cáo thành tích." in body


def test_after_the_deadline_the_register_button_is_hidden_with_a_note(client):
    world = make_awards_world(2, deadline=timezone.localdate() - timedelta(days=1))
    body = _as(client, world.leaders[0]).get(MINE).content.decode()
    assert f'id="register-{world.units[0].pk}"' not in body
    assert f'id="deadline-passed-{world.units[0].pk}"' in body


def test_the_list_shows_another_year_on_request(client, world):
    response = _as(client, world.leaders[0]).get(MINE, {"year": world.campaign.year + 1})
    assert response.status_code == 200
    [row] = response.context["units"]
    assert row.campaign is None and not row.in_region
    assert "register-" not in response.content.decode()
    assert response.context["years"] == [world.campaign.year]


def test_a_bad_year_is_refused_beside_the_field(client, world):
    response = _as(client, world.leaders[0]).get(MINE, {"year": "năm"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert response.context["year"] == timezone.localdate().year


def test_region_officers_and_ministry_get_links_to_the_campaigns(client, world, other_world, ministry_user):
    register(world)
    officer_page = _as(client, world.officer).get(MINE)
    assert [c.pk for c in officer_page.context["campaigns"]] == [world.campaign.pk]
    assert campaign_url(world.campaign) in officer_page.content.decode()
    [campaign] = officer_page.context["campaigns"]
    assert campaign.awaiting_count == 1 and campaign.registered_count == 1
    ministry_page = _as(client, ministry_user).get(MINE)
    assert {c.pk for c in ministry_page.context["campaigns"]} == {world.campaign.pk, other_world.campaign.pk}
    assert ministry_page.context["units"] == []


# --- registering ------------------------------------------------------------------------------------


def test_the_form_offers_the_titles_open_to_the_unit(client, world):
    response = _as(client, world.leaders[0]).get(create_url(world))
    assert response.status_code == 200
    offered = {label for value, label in response.context["form"].fields["title"].choices if value}
    assert world.titles[FLAG].name in offered
    assert world.titles[CSTD].name in offered
    assert world.titles[EXCELLENT].name not in offered  # Tập thể lao động xuất sắc: THADS only
    assert 'name="send"' in response.content.decode()


@pytest.mark.parametrize("who", ["other_leader", "officer", "ministry"])
def test_only_the_units_leader_may_register(client, world, ministry_user, who):
    user = {"other_leader": world.leaders[1], "officer": world.officer, "ministry": ministry_user}[who]
    _as(client, user)
    assert client.get(create_url(world)).status_code == 403
    assert client.post(create_url(world), create_data(world)).status_code == 403
    assert not AwardRegistration.objects.exists()


def test_a_unit_outside_the_campaigns_region_is_not_found(client, world, other_world):
    address = f"{CREATE}?campaign={world.campaign.pk}&unit={other_world.units[0].pk}"
    assert _as(client, other_world.leaders[0]).get(address).status_code == 404


@pytest.mark.parametrize("query", ["", "?campaign=abc&unit=1", "?campaign=999999&unit=1"])
def test_a_missing_or_unknown_campaign_is_not_found(client, world, query):
    assert _as(client, world.leaders[0]).get(f"{CREATE}{query}").status_code == 404


def test_a_leader_saves_a_draft(client, world):
    response = _as(client, world.leaders[0]).post(create_url(world), create_data(world, note="Dẫn đầu khu vực."))
    registration = AwardRegistration.objects.get()
    assert response.status_code == 302
    assert response.url == url("detail", registration)
    assert registration.status == Status.DRAFT
    assert registration.unit == world.units[0] and registration.title == world.titles[FLAG]
    assert registration.note == "Dẫn đầu khu vực."
    assert registration.created_by == world.leaders[0]


def test_a_leader_sends_at_once_an_individual_title_with_its_people(client, world):
    data = create_data(
        world, CSTD, send=True, people=[("Nguyễn Thị Hoa", "Phó Giám đốc"), ("Trần Văn An", "Chánh Văn phòng")]
    )
    response = _as(client, world.leaders[0]).post(create_url(world), data)
    assert response.status_code == 302
    registration = AwardRegistration.objects.get()
    assert registration.status == Status.SUBMITTED
    assert list(registration.people.values_list("full_name", "position")) == [
        ("Nguyễn Thị Hoa", "Phó Giám đốc"),
        ("Trần Văn An", "Chánh Văn phòng"),
    ]


def test_an_ineligible_title_posted_anyway_is_refused(client, world):
    response = _as(client, world.leaders[0]).post(create_url(world), create_data(world, EXCELLENT, send=True))
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not AwardRegistration.objects.exists()


def test_a_second_registration_of_the_same_title_is_refused(client, world):
    register(world)
    before = snapshot()
    response = _as(client, world.leaders[0]).post(create_url(world), create_data(world, send=True))
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert snapshot() == before
    offered = [value for value, _label in response.context["form"].fields["title"].choices]
    assert world.titles[FLAG].pk not in offered


def test_a_withdrawn_title_can_be_registered_again(client, world):
    registration = register(world)
    registration_services.registration_withdraw(registration=registration, actor=world.leaders[0])
    response = _as(client, world.leaders[0]).post(create_url(world), create_data(world, send=True))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED
    assert AwardRegistration.objects.count() == 1


def test_a_registration_after_the_deadline_is_refused(client):
    world = make_awards_world(2, deadline=timezone.localdate() - timedelta(days=1))
    response = _as(client, world.leaders[0]).get(create_url(world))
    assert 'id="deadline-passed"' in response.content.decode()
    for send in (False, True):
        response = client.post(create_url(world), create_data(world, send=send))
        assert response.status_code == 200
        assert response.context["form"].errors["title"]
    assert not AwardRegistration.objects.exists()


def test_the_deadline_day_itself_is_still_open(client):
    world = make_awards_world(2, deadline=timezone.localdate())
    response = _as(client, world.leaders[0]).post(create_url(world), create_data(world, send=True))
    assert response.status_code == 302
    assert AwardRegistration.objects.get().status == Status.SUBMITTED


def test_people_for_a_collective_title_are_refused(client, world):
    data = create_data(world, FLAG, people=[("Nguyễn Thị Hoa", "Phó Giám đốc")])
    response = _as(client, world.leaders[0]).post(create_url(world), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not AwardRegistration.objects.exists()


def test_an_individual_title_cannot_be_sent_without_people(client, world):
    response = _as(client, world.leaders[0]).post(create_url(world), create_data(world, CSTD, send=True))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not AwardRegistration.objects.exists()  # the draft is not kept either


def test_a_person_without_a_position_is_refused_beside_the_field(client, world):
    data = create_data(world, CSTD, people=[("Nguyễn Thị Hoa", "")])
    response = _as(client, world.leaders[0]).post(create_url(world), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["position"]
    assert not AwardRegistration.objects.exists()


@pytest.mark.parametrize("title", ["", "abc", "999999"])
def test_a_missing_or_unknown_title_is_refused(client, world, title):
    data = create_data(world) | {"title": title}
    response = _as(client, world.leaders[0]).post(create_url(world), data)
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not AwardRegistration.objects.exists()


# --- one registration: who sees what ----------------------------------------------------------------


def test_the_units_leader_sees_edit_send_and_withdraw_on_a_draft(client, world):
    registration = register(world, submit=False)
    response = _as(client, world.leaders[0]).get(url("detail", registration))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("edit", "submit", "withdraw"):
        assert url(name, registration) in body
    for name in ("approve", "return", "propose", "not_awarded"):
        assert url(name, registration) not in body


def test_the_detail_shows_the_titles_conditions_as_points_to_check(client, world):
    registration = register(world)
    response = _as(client, world.leaders[0]).get(url("detail", registration))
    assert response.context["warnings"] == registration_services.registration_warnings(registration)
    assert 'id="warnings"' in response.content.decode()
    assert "Dẫn đầu phong trào thi đua của khu vực" in response.content.decode()  # a condition of the flag
    assert reverse("awards:campaign_votes", args=[world.campaign.pk]) in response.content.decode()


def test_the_leader_of_another_member_unit_reads_but_cannot_act(client, world):
    registration = register(world)
    _as(client, world.leaders[1])
    response = client.get(url("detail", registration))
    assert response.status_code == 200
    assert url("withdraw", registration) not in response.content.decode()
    assert client.get(url("edit", registration)).status_code == 403
    assert client.post(url("withdraw", registration)).status_code == 403
    assert AwardRegistration.objects.get().status == Status.SUBMITTED


def test_a_draft_is_the_units_own_until_it_is_sent(client, world, ministry_user):
    draft = register(world, 1, submit=False)
    for outsider in (world.leaders[0], world.officer, ministry_user):
        _as(client, outsider)
        assert client.get(url("detail", draft)).status_code == 403
        assert client.post(url("submit", draft)).status_code == 403
        listed = client.get(campaign_url(world.campaign)).context["page"].object_list
        assert draft.pk not in {r.pk for r in listed}
    assert _as(client, world.leaders[1]).get(url("detail", draft)).status_code == 200
    assert AwardRegistration.objects.get().status == Status.DRAFT


def test_a_leader_of_another_region_is_refused(client, world, other_world):
    registration = register(world)
    _as(client, other_world.leaders[0])
    assert client.get(url("detail", registration)).status_code == 403
    assert client.get(campaign_url(world.campaign)).status_code == 403


def test_the_region_officer_sees_approve_and_return_on_a_sent_registration(client, world):
    registration = register(world, 1)
    response = _as(client, world.officer).get(url("detail", registration))
    body = response.content.decode()
    assert url("approve", registration) in body and url("return", registration) in body
    assert url("edit", registration) not in body and url("propose", registration) not in body


def test_an_officer_of_a_member_unit_that_is_not_the_head_cannot_review(client, world):
    from accounts.models import Role
    from tests.factories import UserFactory

    member_officer = UserFactory(username="canbo.thanhvien", unit=world.units[1], roles=[Role.REGION])
    registration = register(world, 2)
    _as(client, member_officer)
    response = client.get(url("detail", registration))
    assert response.status_code == 200
    assert url("approve", registration) not in response.content.decode()
    assert client.post(url("approve", registration)).status_code == 403
    assert AwardRegistration.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["leader", "other_leader"])
def test_leaders_cannot_approve_or_return(client, world, who):
    registration = register(world)
    _as(client, world.leaders[0] if who == "leader" else world.leaders[1])
    assert client.post(url("approve", registration)).status_code == 403
    assert client.post(url("return", registration), {"reason": "Thiếu hồ sơ."}).status_code == 403
    assert AwardRegistration.objects.get().status == Status.SUBMITTED


def test_only_ministry_staff_propose_or_record_not_awarded(client, world, ministry_user):
    registration = registration_services.registration_approve(
        registration=register(world, code=GOVERNMENT_FLAG), actor=world.officer
    )
    _as(client, world.officer)
    assert client.post(url("propose", registration)).status_code == 403
    assert client.post(url("not_awarded", registration), {"reason": "Không đủ điều kiện."}).status_code == 403
    assert AwardRegistration.objects.get().status == Status.APPROVED
    body = _as(client, ministry_user).get(url("detail", registration)).content.decode()
    assert url("propose", registration) in body and url("not_awarded", registration) in body


# --- one registration: the actions ------------------------------------------------------------------


def test_the_full_cycle_through_the_pages(client, world):
    leader, officer = world.leaders[0], world.officer
    _as(client, leader)
    client.post(create_url(world), create_data(world))
    registration = AwardRegistration.objects.get()
    assert registration.status == Status.DRAFT

    response = client.post(url("submit", registration))
    assert response.url == url("detail", registration)
    assert constants.SUCCESS in levels(response)
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED and registration.submitted_at is not None

    _as(client, officer)
    client.post(url("return", registration), {"reason": "Bổ sung báo cáo thành tích."})
    registration.refresh_from_db()
    assert registration.status == Status.RETURNED
    assert registration.return_reason == "Bổ sung báo cáo thành tích."
    assert registration.decided_by == officer

    _as(client, leader)
    body = client.get(url("detail", registration)).content.decode()
    assert "Bổ sung báo cáo thành tích." in body
    response = client.post(url("edit", registration), {"note": "Đã bổ sung báo cáo."} | people_data())
    assert response.status_code == 302
    client.post(url("submit", registration))
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED
    assert registration.note == "Đã bổ sung báo cáo."

    _as(client, officer)
    response = client.post(url("approve", registration))
    assert constants.SUCCESS in levels(response)
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED
    assert registration.return_reason == ""
    assert registration.decided_by == officer and registration.decided_at is not None
    body = client.get(url("detail", registration)).content.decode()
    assert officer.full_name in body


def test_return_without_a_reason_is_refused(client, world):
    registration = register(world)
    response = _as(client, world.officer).post(url("return", registration), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["return_form"].errors["reason"]
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED and registration.return_reason == ""


def test_ministry_staff_approve_and_return_too(client, world, ministry_user):
    first, second = register(world, 0), register(world, 1)
    _as(client, ministry_user)
    client.post(url("approve", first))
    client.post(url("return", second), {"reason": "Thiếu hồ sơ."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.APPROVED, Status.RETURNED)


def test_approving_twice_is_refused_with_a_message(client, world):
    registration = registration_services.registration_approve(registration=register(world), actor=world.officer)
    before = snapshot()
    response = _as(client, world.officer).post(url("approve", registration))
    assert response.status_code == 302
    assert constants.ERROR in levels(response)
    assert snapshot() == before


def test_a_draft_cannot_be_sent_after_the_deadline(client, world):
    registration = register(world, submit=False)
    Campaign.objects.filter(pk=world.campaign.pk).update(registration_deadline=timezone.localdate() - timedelta(days=1))
    response = _as(client, world.leaders[0]).post(url("submit", registration))
    assert constants.ERROR in levels(response)
    registration.refresh_from_db()
    assert registration.status == Status.DRAFT


def test_a_returned_registration_can_be_sent_again_after_the_deadline(client, world):
    registration = register(world)
    registration_services.registration_return(registration=registration, actor=world.officer, reason="Bổ sung.")
    Campaign.objects.filter(pk=world.campaign.pk).update(registration_deadline=timezone.localdate() - timedelta(days=1))
    _as(client, world.leaders[0]).post(url("submit", registration))
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED


def test_a_leader_withdraws_a_sent_registration(client, world):
    registration = register(world)
    response = _as(client, world.leaders[0]).post(url("withdraw", registration))
    assert constants.SUCCESS in levels(response)
    registration.refresh_from_db()
    assert registration.status == Status.WITHDRAWN


def test_a_proposed_registration_cannot_be_withdrawn(client, world, ministry_user):
    registration = registration_services.registration_approve(
        registration=register(world, code="bang-khen-bo-truong"), actor=world.officer
    )
    _as(client, ministry_user).post(url("propose", registration))
    registration.refresh_from_db()
    assert registration.status == Status.PROPOSED
    body = _as(client, world.leaders[0]).get(url("detail", registration)).content.decode()
    assert url("withdraw", registration) not in body
    response = client.post(url("withdraw", registration))
    assert constants.ERROR in levels(response)
    registration.refresh_from_db()
    assert registration.status == Status.PROPOSED


def test_a_title_decided_by_the_vote_is_not_proposed_by_hand(client, world, ministry_user):
    registration = registration_services.registration_approve(
        registration=register(world, code=FLAG), actor=world.officer
    )
    _as(client, ministry_user)
    assert url("propose", registration) not in client.get(url("detail", registration)).content.decode()
    response = client.post(url("propose", registration))
    assert constants.ERROR in levels(response)
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED


def test_not_awarded_needs_a_reason_and_records_it(client, world, ministry_user):
    registration = registration_services.registration_approve(registration=register(world), actor=world.officer)
    _as(client, ministry_user)
    response = client.post(url("not_awarded", registration), {"reason": ""})
    assert response.status_code == 200
    assert response.context["not_awarded_form"].errors["reason"]
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED
    client.post(url("not_awarded", registration), {"reason": "Không đạt điều kiện về tỷ lệ."})
    registration.refresh_from_db()
    assert registration.status == Status.NOT_AWARDED
    assert registration.outcome_note == "Không đạt điều kiện về tỷ lệ."


# --- editing ----------------------------------------------------------------------------------------


def test_a_leader_edits_the_note_and_people(client, world):
    registration = register(world, code=CSTD, submit=False, people=[("Nguyễn Thị Hoa", "Phó Giám đốc")])
    _as(client, world.leaders[0])
    response = client.get(url("edit", registration))
    assert response.status_code == 200
    assert response.context["formset"].initial_form_count() == 1
    data = {"note": "Bổ sung."} | people_data([("Nguyễn Thị Hoa", "Giám đốc"), ("Lê Văn Bình", "Chuyên viên")])
    response = client.post(url("edit", registration), data)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.note == "Bổ sung."
    assert list(registration.people.values_list("full_name", "position")) == [
        ("Nguyễn Thị Hoa", "Giám đốc"),
        ("Lê Văn Bình", "Chuyên viên"),
    ]


def test_a_person_ticked_for_deletion_is_removed(client, world):
    registration = register(world, code=CSTD, submit=False, people=[("Nguyễn Thị Hoa", "Phó Giám đốc"), ("B", "C")])
    data = {"note": ""} | people_data([("Nguyễn Thị Hoa", "Phó Giám đốc"), ("B", "C")], initial=2)
    data["people-1-DELETE"] = "on"
    _as(client, world.leaders[0]).post(url("edit", registration), data)
    assert list(registration.people.values_list("full_name", flat=True)) == ["Nguyễn Thị Hoa"]


def test_a_sent_registration_cannot_be_edited(client, world):
    registration = register(world)
    _as(client, world.leaders[0])
    response = client.get(url("edit", registration))
    assert response.status_code == 302 and response.url == url("detail", registration)
    assert constants.ERROR in levels(response)
    before = snapshot()
    client.post(url("edit", registration), {"note": "Sửa."} | people_data())
    assert snapshot() == before


def test_people_added_to_a_collective_title_on_edit_are_refused(client, world):
    registration = register(world, submit=False)
    before = snapshot()
    data = {"note": "Sửa."} | people_data([("Nguyễn Thị Hoa", "Phó Giám đốc")])
    response = _as(client, world.leaders[0]).post(url("edit", registration), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert snapshot() == before


# --- a campaign's registrations ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "other_leader", "officer", "ministry"])
def test_the_campaigns_registrations_are_read_by_its_members_and_ministry(client, world, ministry_user, who):
    user = {"leader": world.leaders[0], "other_leader": world.leaders[2], "officer": world.officer}.get(
        who, ministry_user
    )
    register(world)
    response = _as(client, user).get(campaign_url(world.campaign))
    assert response.status_code == 200
    assert world.units[0].name in response.content.decode()
    assert response.context["can_review"] == (who in ("officer", "ministry"))
    assert ('name="registrations"' in response.content.decode()) == (who in ("officer", "ministry"))


def test_counts_by_status_and_filters(client, world):
    register(world, 0)
    register(world, 1, submit=False)
    register(world, 2, code=GOVERNMENT_FLAG)
    _as(client, world.officer)
    response = client.get(campaign_url(world.campaign))
    counts = {item.status: item.count for item in response.context["counts"]}
    # The officer does not see the other unit's draft.
    assert counts[Status.SUBMITTED] == 2 and counts[Status.DRAFT] == 0 and counts[Status.APPROVED] == 0
    assert len(response.context["page"].object_list) == 2
    response = client.get(campaign_url(world.campaign), {"status": "submitted"})
    assert {r.unit_id for r in response.context["page"].object_list} == {world.units[0].pk, world.units[2].pk}
    response = client.get(campaign_url(world.campaign), {"title": world.titles[GOVERNMENT_FLAG].pk})
    assert [r.unit_id for r in response.context["page"].object_list] == [world.units[2].pk]
    response = client.get(campaign_url(world.campaign), {"status": "bogus"})
    assert response.context["form"].errors["status"]


def test_reviewers_approve_many_at_once(client, world):
    first, second, draft = register(world, 0), register(world, 1), register(world, 2, submit=False)
    response = _as(client, world.officer).post(
        campaign_url(world.campaign, "campaign_registrations_approve") + "?status=submitted",
        {"registrations": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert response.url == campaign_url(world.campaign) + "?status=submitted"
    assert constants.SUCCESS in levels(response)
    statuses = dict(AwardRegistration.objects.values_list("pk", "status"))
    assert statuses == {first.pk: Status.APPROVED, second.pk: Status.APPROVED, draft.pk: Status.DRAFT}


@pytest.mark.parametrize("chosen", ["draft", "none", "text"])
def test_bulk_approval_refuses_what_is_not_awaiting_approval(client, world, chosen):
    sent, draft = register(world, 0), register(world, 1, submit=False)
    posted = {"draft": {"registrations": [sent.pk, draft.pk]}, "none": {}, "text": {"registrations": ["x"]}}[chosen]
    before = snapshot()
    response = _as(client, world.officer).post(campaign_url(world.campaign, "campaign_registrations_approve"), posted)
    assert response.status_code == 302
    assert constants.ERROR in levels(response)
    assert snapshot() == before


def test_leaders_cannot_approve_many(client, world):
    sent = register(world, 1)
    response = _as(client, world.leaders[0]).post(
        campaign_url(world.campaign, "campaign_registrations_approve"), {"registrations": [sent.pk]}
    )
    assert response.status_code == 403
    assert AwardRegistration.objects.get().status == Status.SUBMITTED


def _queries(client, user, address: str) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def _registered_world(n_units: int, prefix: str):
    world = make_awards_world(n_units, prefix=prefix)
    for index in range(n_units):
        kwargs = {"people": [("Nguyễn Văn A", "Chuyên viên")]} if index % 2 else {}
        register(world, index, CSTD if index % 2 else FLAG, **kwargs)
    return world


def test_the_campaigns_page_takes_the_same_number_of_queries_for_more_units(client, ministry_user):
    small, big = _registered_world(2, "nho"), _registered_world(12, "lon")
    assert _queries(client, ministry_user, campaign_url(small.campaign)) == _queries(
        client, ministry_user, campaign_url(big.campaign)
    )
    assert _queries(client, small.officer, campaign_url(small.campaign)) == _queries(
        client, big.officer, campaign_url(big.campaign)
    )


def test_the_leaders_list_takes_the_same_number_of_queries_for_more_registrations(client):
    world = make_awards_world(2)
    register(world, 0, FLAG)
    few = _queries(client, world.leaders[0], MINE)
    register(world, 0, GOVERNMENT_FLAG)
    register(world, 0, CSTD, people=[("Nguyễn Văn A", "Chuyên viên")])
    assert _queries(client, world.leaders[0], MINE) == few


def test_the_campaign_page_links_to_the_registrations_and_votes(client, world):
    body = _as(client, world.leaders[1]).get(reverse("pacts:campaign_detail", args=[world.campaign.pk])).content
    assert campaign_url(world.campaign).encode() in body
    assert reverse("awards:campaign_votes", args=[world.campaign.pk]).encode() in body
