"""Award rules as the law writes them (issue 14, item 5): the Government flag chosen among the units voted up
for the sector's flag, at most 20% of them rounded down; suy tôn votes that elect several units and may be held
by block; individual Bằng khen; Giấy khen and Kỷ niệm chương in the catalogue; each title's legal basis on its page;
the new vote columns fixed by the database once recorded."""

from datetime import date

import pytest
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.urls import reverse
from django.utils import timezone, translation

from awards.catalogue import RULES, TITLES, ensure_titles
from awards.errors import AwardsError
from awards.models import Award, AwardRegistration, AwardTitle, AwardTitleBasis, Vote, VoteCount
from awards.services.decisions import HistoricalAward, decision_record
from awards.services.registrations import (
    registration_approve,
    registration_create,
    registration_propose,
    registration_submit,
)
from awards.services.votes import elected, vote_record
from regions import services as region_services
from regions.models import RegionMembership, Unit
from tests.awards.factories import FLAG, GOVERNMENT_FLAG, make_awards_world
from tests.conftest import require
from tests.db_guards import refused
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db

Status = AwardRegistration.Status
BANG_KHEN_CA_NHAN = "bang-khen-bo-truong-ca-nhan"
BANG_KHEN_TTG_CA_NHAN = "bang-khen-thu-tuong-ca-nhan"
GIAY_KHEN = "giay-khen"
KY_NIEM_CHUONG = "ky-niem-chuong-vi-su-nghiep-tu-phap"
SO_BLOCK, THADS_BLOCK = "Khối Sở Tư pháp", "Khối Thi hành án dân sự"


@pytest.fixture(autouse=True)
def _english_messages():
    """The services' messages are matched in English, their source language."""
    with translation.override("en"):
        yield


def last_year() -> int:
    return timezone.localdate().year - 1


def approved(world, unit: Unit, code: str = FLAG, *, people=()) -> AwardRegistration:
    registration = registration_create(
        campaign=world.campaign,
        unit=unit,
        title=world.titles[code],
        actor=world.officer,
        people=people,
        submit=True,
    )
    return registration_approve(registration=registration, actor=world.officer)


def flag_awarded(units: list[Unit], year: int, number: str) -> None:
    """The sector's flag awarded to these units for ``year``: they were voted up (and met its standard)."""
    decision_record(
        number=number,
        signed_on=timezone.localdate(),
        issuer="Bộ trưởng Bộ Tư pháp",
        actor=None,
        historical=[HistoricalAward(unit, AwardTitle.objects.get(code=FLAG), year) for unit in units],
    )


def other_units(n: int, prefix: str) -> list[Unit]:
    """Units of other regions (the share is counted over the whole sector)."""
    return [make_unit(f"Sở Tư pháp tỉnh Khác {prefix}{index}", active_from=date(2000, 1, 1)) for index in range(n)]


def government_world(voted_up_elsewhere: int, *, n_units: int = 3):
    """A region of ``n_units`` units, all voted up for the sector's flag, with ``voted_up_elsewhere`` more units
    voted up in other regions the same year, and each of this region's units approved for the Government flag."""
    world = make_awards_world(n_units, year=last_year())
    flag_awarded(world.units + other_units(voted_up_elsewhere, "gov"), world.campaign.year, "5/QĐ-BTP")
    registrations = [approved(world, unit, GOVERNMENT_FLAG) for unit in world.units]
    return world, registrations


def status(registration) -> str:
    return AwardRegistration.objects.get(pk=registration.pk).status


# --- the Government flag: only units voted up, at most 20% of them -------------------------------------------


def test_the_catalogue_chooses_the_government_flag_among_the_units_voted_up_for_the_sectors_flag():
    titles = make_awards_world(1).titles
    government = titles[GOVERNMENT_FLAG]
    assert government.chosen_from == titles[FLAG]
    assert government.max_share_percent == 20
    assert not government.excludes.exists() and not titles[FLAG].excludes.exists()
    assert "Khoản 1 Điều 25 Luật Thi đua, khen thưởng số 06/2022/QH15" in government.legal_basis
    assert "20%" in government.legal_basis


def test_exactly_20_percent_is_allowed_and_one_more_is_refused():
    world, (first, second, third) = government_world(7)  # 3 + 7 = 10 units voted up: 2 allowed
    registration_propose(registration=first, actor=None)
    registration_propose(registration=second, actor=None)
    with pytest.raises(AwardsError) as refusal:
        registration_propose(registration=third, actor=None)
    message = refusal.value.message
    assert "at most 20% of the 10 units voted up" in message and "that is 2 unit(s); 2 already proposed" in message
    assert [status(r) for r in (first, second, third)] == [Status.PROPOSED, Status.PROPOSED, Status.APPROVED]


def test_the_share_is_rounded_down():
    world, (first, second, _third) = government_world(6)  # 9 units voted up: 20% is 1.8, so 1
    registration_propose(registration=first, actor=None)
    with pytest.raises(AwardsError, match="at most 20% of the 9 units voted up"):
        registration_propose(registration=second, actor=None)
    assert status(second) == Status.APPROVED


def test_fewer_than_five_units_voted_up_allow_none():
    world, (first, *_rest) = government_world(1)  # 4 units voted up: 0.8, so none
    with pytest.raises(AwardsError, match="that is 0 unit"):
        registration_propose(registration=first, actor=None)


def test_only_a_unit_voted_up_for_the_sectors_flag_can_be_proposed_for_the_government_flag():
    world = make_awards_world(2, year=last_year())
    flag_awarded([world.units[0], *other_units(9, "lead")], world.campaign.year, "6/QĐ-BTP")
    not_voted_up = approved(world, world.units[1], GOVERNMENT_FLAG)
    with pytest.raises(AwardsError, match="was not voted up"):
        registration_propose(registration=not_voted_up, actor=None)
    assert status(not_voted_up) == Status.APPROVED
    # Voted up by this year's vote of the region (proposed, awaiting the decision) is enough.
    candidate = approved(world, world.units[1])
    vote_record(
        campaign=world.campaign,
        title=world.titles[FLAG],
        held_on=timezone.localdate(),
        ballots_cast=2,
        counts={candidate.pk: 2},
        actor=world.officer,
    )
    assert registration_propose(registration=not_voted_up, actor=None).status == Status.PROPOSED


def test_a_decision_cannot_award_the_government_flag_beyond_the_share():
    world, registrations = government_world(7)  # 2 allowed
    with pytest.raises(AwardsError, match="so 3 more would exceed the limit"):
        decision_record(
            number="10/QĐ-TTg", signed_on=timezone.localdate(), issuer="Thủ tướng Chính phủ", actor=None,
            registrations=registrations,
        )  # fmt: skip
    assert not Award.objects.filter(title__code=GOVERNMENT_FLAG).exists()
    decision_record(
        number="10/QĐ-TTg", signed_on=timezone.localdate(), issuer="Thủ tướng Chính phủ", actor=None,
        registrations=registrations[:2],
    )  # fmt: skip
    assert Award.objects.filter(title__code=GOVERNMENT_FLAG).count() == 2
    with pytest.raises(AwardsError, match="2 already proposed or awarded"):
        registration_propose(registration=registrations[2], actor=None)


def test_a_unit_may_hold_both_flags_for_one_year():
    world, (first, *_rest) = government_world(7)
    decision_record(
        number="11/QĐ-TTg", signed_on=timezone.localdate(), issuer="Thủ tướng Chính phủ", actor=None,
        registrations=[first],
    )  # fmt: skip
    assert set(Award.objects.filter(unit=world.units[0]).values_list("title__code", flat=True)) == {
        FLAG,
        GOVERNMENT_FLAG,
    }


# --- votes that elect several units ------------------------------------------------------------------------


def test_the_seats_are_filled_by_the_candidates_with_a_majority_in_order():
    assert elected({1: 5, 2: 4, 3: 1}, 6, 2) == ([1, 2], "")
    ids, reason = elected({1: 5, 2: 3, 3: 3}, 6, 2)  # 3 of 6 is no majority
    assert ids == [1] and "Only 1 of 2 units" in reason
    ids, reason = elected({1: 5, 2: 4, 3: 4}, 6, 2)  # the last seat is tied
    assert ids == [1] and "tie for the last seat" in reason
    ids, reason = elected({1: 2, 2: 2}, 3, 1)
    assert ids == [] and "same number of votes" in reason


def test_a_vote_proposes_several_units_and_marks_each():
    world = make_awards_world(5)
    registrations = [approved(world, unit) for unit in world.units[:4]]
    outcome = vote_record(
        campaign=world.campaign,
        title=world.titles[FLAG],
        held_on=timezone.localdate(),
        ballots_cast=5,
        seats=2,
        counts={registrations[0].pk: 5, registrations[1].pk: 4, registrations[2].pk: 1, registrations[3].pk: 0},
        actor=world.officer,
    )
    assert outcome.proposed_units == registrations[:2] and not outcome.reason
    vote = Vote.objects.get()
    assert vote.seats == 2 and vote.proposed_registration_ids() == {registrations[0].pk, registrations[1].pk}
    assert set(VoteCount.objects.filter(proposed=True).values_list("registration_id", flat=True)) == {
        registrations[0].pk,
        registrations[1].pk,
    }
    assert [status(r) for r in registrations] == [Status.PROPOSED, Status.PROPOSED, Status.APPROVED, Status.APPROVED]


def test_a_vote_recorded_again_takes_back_every_unit_it_proposed():
    world = make_awards_world(4)
    registrations = [approved(world, unit) for unit in world.units[:3]]
    args = {"campaign": world.campaign, "title": world.titles[FLAG], "held_on": timezone.localdate()}
    counts = {registrations[0].pk: 4, registrations[1].pk: 3, registrations[2].pk: 1}
    vote_record(ballots_cast=4, seats=2, counts=counts, actor=world.officer, **args)
    vote_record(ballots_cast=4, counts={registrations[2].pk: 3}, actor=world.officer, **args)
    assert [status(r) for r in registrations] == [Status.APPROVED, Status.APPROVED, Status.PROPOSED]
    assert Vote.objects.get().seats == 1


@pytest.mark.parametrize(
    ("seats", "counts", "message"),
    [
        (2, (4, 4, 1), "each ballot names at most 2 units"),  # 9 votes from 4 ballots of 2
        (1, (3, 2, 0), "each ballot names one unit"),
        (4, (1, 1, 1), "cannot elect 4 units: there are 3 candidates"),
        (0, (1, 1, 1), "at least 1"),
    ],
)
def test_votes_that_do_not_fit_the_seats_are_refused(seats, counts, message):
    world = make_awards_world(4)
    registrations = [approved(world, unit) for unit in world.units[:3]]
    with pytest.raises(AwardsError, match=message):
        vote_record(
            campaign=world.campaign,
            title=world.titles[FLAG],
            held_on=timezone.localdate(),
            ballots_cast=4,
            seats=seats,
            counts=dict(zip([r.pk for r in registrations], counts, strict=True)),
            actor=world.officer,
        )
    assert not Vote.objects.exists()
    assert {status(r) for r in registrations} == {Status.APPROVED}


def test_a_title_with_a_limit_per_vote_refuses_more_seats():
    world = make_awards_world(3)
    AwardTitle.objects.filter(code=FLAG).update(max_per_vote=1)
    flag = AwardTitle.objects.get(code=FLAG)
    registrations = [approved(world, unit) for unit in world.units[:2]]
    with pytest.raises(AwardsError, match="at most 1 unit"):
        vote_record(
            campaign=world.campaign,
            title=flag,
            held_on=timezone.localdate(),
            ballots_cast=3,
            seats=2,
            counts={registrations[0].pk: 3, registrations[1].pk: 2},
            actor=world.officer,
        )
    assert not Vote.objects.exists()


# --- votes by block -------------------------------------------------------------------------------------------


def block_world(prefix: str = ""):
    """Two Sở Tư pháp and two Cục THADS in one region-year, each approved for the sector's flag."""
    world = make_awards_world(2, prefix=prefix)
    thads = [make_unit(f"Cục Thi hành án dân sự tỉnh Thử {prefix}{n}", kind=Unit.Kind.CUC_THADS) for n in range(2)]
    for unit in thads:
        region_services.membership_add(
            region=world.campaign.region, unit=unit, year=world.campaign.year, role=RegionMembership.Role.MEMBER
        )
    so = [approved(world, unit) for unit in world.units]
    return world, so, [approved(world, unit) for unit in thads]


def block_vote(world, block: str, counts: dict, ballots: int = 2, **kwargs):
    return vote_record(
        campaign=world.campaign,
        title=world.titles[FLAG],
        held_on=timezone.localdate(),
        ballots_cast=ballots,
        counts=counts,
        actor=world.officer,
        block=block,
        **kwargs,
    )


def test_each_block_votes_on_its_own_units_and_both_votes_stand():
    world, so, thads = block_world()
    first = block_vote(world, SO_BLOCK, {so[0].pk: 2, so[1].pk: 0})
    second = block_vote(world, THADS_BLOCK, {thads[1].pk: 2})
    assert first.proposed == so[0] and second.proposed == thads[1]
    assert set(Vote.objects.values_list("block", flat=True)) == {SO_BLOCK, THADS_BLOCK}
    assert [status(r) for r in (*so, *thads)] == [Status.PROPOSED, Status.APPROVED, Status.APPROVED, Status.PROPOSED]


def test_a_blocks_vote_refuses_other_units_and_more_ballots_than_its_members():
    world, so, thads = block_world()
    with pytest.raises(AwardsError, match="Only approved registrations"):
        block_vote(world, SO_BLOCK, {so[0].pk: 1, thads[0].pk: 1})
    with pytest.raises(AwardsError, match="3 ballots cast, but Khối Sở Tư pháp has 2 member units"):
        block_vote(world, SO_BLOCK, {so[0].pk: 3}, ballots=3)
    with pytest.raises(AwardsError, match="is not a block"):
        block_vote(world, "Khối Tòa án", {so[0].pk: 2})
    assert not Vote.objects.exists()


def test_a_region_votes_on_a_title_as_a_whole_or_by_blocks_not_both():
    world, so, _thads = block_world()
    block_vote(world, SO_BLOCK, {so[0].pk: 2})
    with pytest.raises(AwardsError, match="by blocks"):
        block_vote(world, "", {so[1].pk: 3}, ballots=4)
    other, other_so, other_thads = block_world("whole")
    block_vote(other, "", {other_so[0].pk: 3}, ballots=4)
    with pytest.raises(AwardsError, match="as a whole"):
        block_vote(other, THADS_BLOCK, {other_thads[0].pk: 2})
    assert Vote.objects.count() == 2


# --- the vote pages ---------------------------------------------------------------------------------------------


def _as(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def block_url(world, key: str) -> str:
    return reverse("awards:vote_record_block", args=[world.campaign.pk, world.titles[FLAG].pk, key])


def test_a_blocks_vote_is_recorded_from_its_page(client):
    world, so, thads = block_world()
    page = _as(client, world.officer).get(reverse("awards:campaign_votes", args=[world.campaign.pk]))
    body = page.content.decode()
    assert block_url(world, "so-tu-phap") in body and block_url(world, "thads") in body
    form = client.get(block_url(world, "thads"))
    assert set(form.context["form"].candidate_names) == {f"votes_{r.pk}" for r in thads}
    response = client.post(
        block_url(world, "thads"),
        {
            "held_on": f"{timezone.localdate():%d/%m/%Y}",
            "ballots_cast": "2",
            "seats": "2",
            f"votes_{thads[0].pk}": "2",
            f"votes_{thads[1].pk}": "2",
        },
    )
    assert response.status_code == 302
    assert constants.SUCCESS in [message.level for message in get_messages(response.wsgi_request)]
    vote = Vote.objects.get()
    assert (vote.block, vote.seats) == (THADS_BLOCK, 2)
    assert {status(r) for r in thads} == {Status.PROPOSED}
    [row] = client.get(reverse("awards:campaign_votes", args=[world.campaign.pk])).context["rows"]
    assert [section.block.name for section in row.sections] == [SO_BLOCK, THADS_BLOCK]  # no whole-region vote now


def test_a_bad_seat_number_is_refused_beside_its_field(client):
    world, so, _thads = block_world()
    response = _as(client, world.officer).post(
        block_url(world, "so-tu-phap"),
        {"held_on": f"{timezone.localdate():%d/%m/%Y}", "ballots_cast": "2", "seats": "0", f"votes_{so[0].pk}": "2"},
    )
    assert response.status_code == 200 and response.context["form"].errors["seats"]
    assert not Vote.objects.exists()


def test_only_the_regions_reviewers_record_a_blocks_vote_and_an_unknown_block_is_not_found(client):
    world, so, _thads = block_world()
    assert client.get(block_url(world, "so-tu-phap")).status_code == 302  # to the sign-in page
    assert _as(client, world.leaders[1]).get(block_url(world, "so-tu-phap")).status_code == 403
    response = client.post(
        block_url(world, "so-tu-phap"),
        {"held_on": f"{timezone.localdate():%d/%m/%Y}", "ballots_cast": "2", f"votes_{so[0].pk}": "2"},
    )
    assert response.status_code == 403 and not Vote.objects.exists()
    assert _as(client, world.officer).get(block_url(world, "khoi-toa-an")).status_code == 404


# --- individual awards and the catalogue ------------------------------------------------------------------------


def test_the_catalogue_has_individual_bang_khen_giay_khen_and_ky_niem_chuong():
    titles = make_awards_world(1).titles
    for code in (BANG_KHEN_CA_NHAN, BANG_KHEN_TTG_CA_NHAN, GIAY_KHEN, KY_NIEM_CHUONG):
        assert titles[code].is_individual and titles[code].kind == AwardTitle.Kind.FORM
    assert titles[GIAY_KHEN].name == "Giấy khen của Thủ trưởng cơ quan, đơn vị"
    assert titles[KY_NIEM_CHUONG].name == "Kỷ niệm chương “Vì sự nghiệp Tư pháp”"
    assert "Thông tư 14/2025/TT-BTP" in titles[KY_NIEM_CHUONG].legal_basis
    assert titles[KY_NIEM_CHUONG].bases.filter(document="Thông tư 14/2025/TT-BTP", valid_from=date(2025, 9, 15))
    assert titles["bang-khen-thu-tuong"].subject == AwardTitle.Subject.COLLECTIVE


def test_every_seeded_title_cites_its_legal_basis_and_no_unchecked_article():
    ensure_titles(AwardTitle, AwardTitleBasis)
    codes = [row[0] for row in TITLES]
    assert set(codes) == set(RULES)
    assert all(AwardTitle.objects.get(code=code).legal_basis for code in codes)
    assert not AwardTitleBasis.objects.filter(title__code__startswith="bang-khen", article__in=["Điều 71", "Điều 74"])


def test_a_leader_registers_staff_for_the_ministers_bang_khen():
    world = make_awards_world(2)
    people = [("Nguyễn Thị Lan", "Phó Giám đốc"), ("Trần Văn Bình", "Trưởng phòng Hành chính tư pháp")]
    registration = registration_create(
        campaign=world.campaign,
        unit=world.units[0],
        title=world.titles[BANG_KHEN_CA_NHAN],
        actor=world.leaders[0],
        people=people,
        submit=True,
    )
    assert registration.status == Status.SUBMITTED
    assert list(registration.people.values_list("full_name", "position")) == people
    registration = registration_approve(registration=registration, actor=world.officer)
    registration_propose(registration=registration, actor=None)
    decision_record(
        number="20/QĐ-BTP",
        signed_on=timezone.localdate(),
        issuer="Bộ trưởng Bộ Tư pháp",
        actor=None,
        registrations=[AwardRegistration.objects.get(pk=registration.pk)],
    )
    award = Award.objects.get(registration=registration)
    assert award.people == "Nguyễn Thị Lan, Phó Giám đốc\nTrần Văn Bình, Trưởng phòng Hành chính tư pháp"


def test_an_individual_bang_khen_needs_people_and_the_collective_one_takes_none():
    world = make_awards_world(2)
    draft = registration_create(
        campaign=world.campaign, unit=world.units[0], title=world.titles[BANG_KHEN_CA_NHAN], actor=world.leaders[0]
    )
    with pytest.raises(AwardsError, match="Name at least one person"):
        registration_submit(registration=draft, actor=world.leaders[0])
    with pytest.raises(AwardsError, match="awarded to the unit, not to people"):
        registration_create(
            campaign=world.campaign,
            unit=world.units[1],
            title=world.titles["bang-khen-bo-truong"],
            actor=world.leaders[1],
            people=[("Lê Văn Cường", "Chánh Văn phòng")],
        )
    with pytest.raises(AwardsError, match="both the name and the position"):
        registration_create(
            campaign=world.campaign,
            unit=world.units[1],
            title=world.titles[BANG_KHEN_CA_NHAN],
            actor=world.leaders[1],
            people=[("Lê Văn Cường", "")],
        )
    assert AwardRegistration.objects.get().status == Status.DRAFT


# --- the title's page ------------------------------------------------------------------------------------------


def title_url(code: str) -> str:
    return reverse("awards:title_detail", args=[AwardTitle.objects.get(code=code).pk])


def test_the_title_page_shows_its_rules_and_legal_basis(client, leader_user):
    world, (first, *_rest) = government_world(7)
    registration_propose(registration=first, actor=None)
    response = _as(client, leader_user).get(title_url(GOVERNMENT_FLAG))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Khoản 1 Điều 25 Luật Thi đua, khen thưởng số 06/2022/QH15" in body
    assert "Công văn 5007/BNV-TĐKT ngày 05/9/2023 của Bộ Nội vụ" in body
    assert "Chosen only among the units the regions voted up (suy tôn) for “Cờ thi đua ngành Tư pháp”" in body
    assert "At most 20% of those units in the whole sector, rounded down" in body
    [row] = response.context["shares"]
    assert (row.year, row.share.base, row.share.allowed, row.share.taken) == (world.campaign.year, 10, 2, 1)
    knc = client.get(title_url(KY_NIEM_CHUONG)).content.decode()
    assert "Thông tư 14/2025/TT-BTP ngày 05/9/2025" in knc and "full name and position" in knc
    listing = client.get(reverse("awards:title_list")).content.decode()
    assert title_url(GOVERNMENT_FLAG) in listing


def test_the_title_page_is_for_signed_in_accounts_with_a_role(client, no_role_user):
    make_awards_world(1)
    assert client.get(title_url(FLAG)).status_code == 302
    assert _as(client, no_role_user).get(title_url(FLAG)).status_code == 403
    assert client.get(reverse("awards:title_detail", args=[999999])).status_code in (403, 404)


def test_ministry_staff_set_a_titles_share_and_a_bad_one_changes_nothing(client, ministry_user):
    titles = make_awards_world(1).titles
    from tests.awards.test_titles_views import _edit_data

    excellent = titles["tap-the-lao-dong-xuat-sac"]
    data = _edit_data(excellent)
    url = reverse("awards:title_edit", args=[excellent.pk])
    response = _as(client, ministry_user).post(url, data | {"max_share_percent": "20"})
    assert response.status_code == 200 and response.context["form"].errors["chosen_from"]
    response = client.post(url, data | {"max_share_percent": "150", "chosen_from": titles[FLAG].pk})
    assert response.context["form"].errors["max_share_percent"]
    response = client.post(url, data | {"max_per_vote": "2"})  # the title is not voted on
    assert response.context["form"].errors["max_per_vote"]
    excellent.refresh_from_db()
    assert (excellent.chosen_from, excellent.max_share_percent, excellent.max_per_vote) == (None, None, None)
    assert client.post(url, data | {"max_share_percent": "30", "chosen_from": titles[FLAG].pk}).status_code == 302
    excellent.refresh_from_db()
    assert (excellent.chosen_from, excellent.max_share_percent) == (titles[FLAG], 30)


# --- the database keeps a recorded vote's new columns (PostgreSQL) --------------------------------------------


def test_a_recorded_votes_block_seats_and_proposed_marks_are_fixed(uses_postgres):
    require(uses_postgres, "the evidence guards are PostgreSQL triggers")
    world, so, _thads = block_world()
    vote = block_vote(world, SO_BLOCK, {so[0].pk: 2, so[1].pk: 2}, seats=2).vote
    assert "seats cannot change" in refused("UPDATE awards_vote SET seats = 1 WHERE id = %s", [vote.pk])
    assert "block cannot change" in refused("UPDATE awards_vote SET block = '' WHERE id = %s", [vote.pk])
    assert "cannot change" in refused("UPDATE awards_votecount SET proposed = false WHERE vote_id = %s", [vote.pk])
    # Once a decision awards the title in the campaign, the vote can no longer be replaced either.
    decision_record(
        number="30/QĐ-BTP", signed_on=timezone.localdate(), issuer="Bộ trưởng Bộ Tư pháp", actor=None,
        registrations=[AwardRegistration.objects.get(pk=so[0].pk)],
    )  # fmt: skip
    assert "is final" in refused("DELETE FROM awards_votecount WHERE vote_id = %s", [vote.pk])
    assert "is final" in refused(
        "INSERT INTO awards_votecount (vote_id, registration_id, votes_for, proposed) VALUES (%s, %s, 1, true)",
        [vote.pk, _thads[0].pk],
    )
    assert VoteCount.objects.filter(vote=vote, proposed=True).count() == 2
