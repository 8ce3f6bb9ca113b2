"""The rules of awards.services: each bad input is refused with a message and changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from awards.errors import AwardsError
from awards.models import Award, AwardDecision, AwardRegistration, ScoreEntry, Vote
from awards.selectors import history as history_selectors
from awards.selectors import registrations as registration_selectors
from awards.selectors import scoring as scoring_selectors
from awards.services.decisions import HistoricalAward, decision_record
from awards.services.registrations import (
    registration_approve,
    registration_create,
    registration_return,
    registration_submit,
    registration_update,
    registration_warnings,
    registration_withdraw,
)
from awards.services.scoring import (
    CriterionSpec,
    GroupSpec,
    ReviewedScore,
    SelfScore,
    sheet_open,
    sheet_return_to_unit,
    sheet_review,
    sheet_save_self_scores,
    sheet_submit,
    table_set_content,
    table_set_thresholds,
)
from awards.services.votes import vote_record
from pacts.models import Campaign
from regions import services as region_services
from regions.models import Unit
from tests.awards.factories import CSTD, EXCELLENT, FLAG, GOVERNMENT_FLAG, make_awards_world, make_table
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """The messages are matched in English, their source language (the Vietnamese is tested by the pages)."""
    with translation.override("en"):
        yield


Status = AwardRegistration.Status


def register(world, index=0, code=FLAG, **kwargs):
    kwargs.setdefault("submit", True)
    return registration_create(
        campaign=world.campaign, unit=world.units[index], title=world.titles[code], actor=world.leaders[index], **kwargs
    )


def approved(world, index=0, code=FLAG):
    return registration_approve(registration=register(world, index, code), actor=world.officer)


# --- registrations ---------------------------------------------------------------------------------


def test_a_leader_registers_and_sends_a_title():
    world = make_awards_world(2)
    registration = register(world)
    assert registration.status == Status.SUBMITTED
    assert registration.submitted_at is not None


def test_a_second_registration_of_the_same_title_is_refused():
    world = make_awards_world(2)
    register(world)
    with pytest.raises(AwardsError, match="already registered"):
        register(world)
    assert AwardRegistration.objects.count() == 1


def test_an_ineligible_title_is_refused():
    world = make_awards_world(2)  # Sở Tư pháp units: "Tập thể lao động xuất sắc" is for THADS only
    with pytest.raises(AwardsError, match="not open to units of this kind"):
        register(world, code=EXCELLENT)
    assert not AwardRegistration.objects.exists()


def test_a_registration_after_the_deadline_is_refused():
    world = make_awards_world(2, deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(AwardsError, match="closed on"):
        register(world)
    assert not AwardRegistration.objects.exists()


def test_the_deadline_day_itself_is_still_open():
    today = timezone.localdate()
    world = make_awards_world(2, deadline=today)
    assert register(world, today=today).status == Status.SUBMITTED


def test_a_draft_cannot_be_sent_after_the_deadline_but_a_returned_one_can():
    world = make_awards_world(2, deadline=date(2030, 3, 31))
    draft = register(world, submit=False, today=date(2030, 3, 1))
    with pytest.raises(AwardsError, match="closed on"):
        registration_submit(registration=draft, actor=world.leaders[0], today=date(2030, 4, 1))
    sent = register(world, 1, today=date(2030, 3, 1))
    returned = registration_return(registration=sent, actor=world.officer, reason="Bổ sung báo cáo.")
    again = registration_submit(registration=returned, actor=world.leaders[1], today=date(2030, 4, 1))
    assert again.status == Status.SUBMITTED


def test_a_unit_outside_the_region_cannot_register():
    world = make_awards_world(2)
    stranger = make_unit("Sở Tư pháp tỉnh Ngoài Khu Vực")
    with pytest.raises(AwardsError, match="not a member"):
        registration_create(campaign=world.campaign, unit=stranger, title=world.titles[FLAG], actor=world.leaders[0])
    assert not AwardRegistration.objects.exists()


def test_an_individual_title_needs_people_and_a_collective_one_refuses_them():
    world = make_awards_world(2)
    draft = register(world, code=CSTD, submit=False)
    with pytest.raises(AwardsError, match="at least one person"):
        registration_submit(registration=draft, actor=world.leaders[0])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    people = [("Nguyễn Thị Lan", "Phó Giám đốc")]
    registration_update(registration=draft, actor=world.leaders[0], people=people)
    assert registration_submit(registration=draft, actor=world.leaders[0]).status == Status.SUBMITTED
    with pytest.raises(AwardsError, match="not to people"):
        register(world, 1, people=people)
    assert not AwardRegistration.objects.filter(unit=world.units[1]).exists()


def test_return_needs_a_reason_and_changes_nothing_without_one():
    world = make_awards_world(2)
    registration = register(world)
    with pytest.raises(AwardsError, match="Say why"):
        registration_return(registration=registration, actor=world.officer, reason="  ")
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED


def test_a_withdrawn_registration_is_taken_up_again():
    world = make_awards_world(2)
    registration = register(world)
    registration_withdraw(registration=registration, actor=world.leaders[0])
    again = register(world)
    assert again.pk == registration.pk and again.status == Status.SUBMITTED


def test_a_title_already_held_for_the_year_cannot_be_registered():
    world = make_awards_world(2)
    decision_record(
        number="12/QĐ-TTg",
        signed_on=date(world.campaign.year, 2, 1),
        issuer="Thủ tướng Chính phủ",
        actor=None,
        historical=[HistoricalAward(world.units[0], world.titles[GOVERNMENT_FLAG], world.campaign.year)],
    )
    with pytest.raises(AwardsError, match="already holds"):
        register(world, code=GOVERNMENT_FLAG)
    assert not AwardRegistration.objects.exists()
    # The Government flag is chosen among the units voted up for the sector's flag: holding it does not exclude it.
    assert register(world).status == Status.SUBMITTED


def test_warnings_name_the_conditions_and_the_vote():
    world = make_awards_world(2)
    registration = register(world)
    warnings = registration_warnings(registration)
    assert any("suy tôn" in warning for warning in warnings)


# --- votes -----------------------------------------------------------------------------------------


def test_the_vote_proposes_the_unit_with_a_majority():
    world = make_awards_world(3)
    first, second = approved(world, 0), approved(world, 1)
    outcome = vote_record(
        campaign=world.campaign,
        title=world.titles[FLAG],
        held_on=timezone.localdate(),
        ballots_cast=3,
        counts={first.pk: 2, second.pk: 1},
        actor=world.officer,
    )
    assert outcome.proposed == first and not outcome.reason
    assert AwardRegistration.objects.get(pk=first.pk).status == Status.PROPOSED
    assert AwardRegistration.objects.get(pk=second.pk).status == Status.APPROVED


def test_more_votes_than_ballots_are_refused():
    world = make_awards_world(3)
    first = approved(world, 0)
    with pytest.raises(AwardsError, match="more than the 2 ballots"):
        vote_record(
            campaign=world.campaign,
            title=world.titles[FLAG],
            held_on=timezone.localdate(),
            ballots_cast=2,
            counts={first.pk: 3},
            actor=world.officer,
        )
    assert not Vote.objects.exists()
    assert AwardRegistration.objects.get(pk=first.pk).status == Status.APPROVED


def test_a_tie_proposes_no_one_and_a_new_vote_replaces_it():
    world = make_awards_world(3)
    first, second = approved(world, 0), approved(world, 1)
    args = {
        "campaign": world.campaign,
        "title": world.titles[FLAG],
        "held_on": timezone.localdate(),
        "actor": world.officer,
    }
    tie = vote_record(ballots_cast=3, counts={first.pk: 1, second.pk: 1}, **args)
    assert tie.proposed is None and tie.reason
    again = vote_record(ballots_cast=3, counts={first.pk: 1, second.pk: 2}, **args)
    assert again.proposed == second
    assert Vote.objects.count() == 1


# --- decisions -------------------------------------------------------------------------------------


def test_a_decision_awards_the_proposed_unit_under_its_name_of_the_day():
    world = make_awards_world(3, year=timezone.localdate().year - 1)
    first = approved(world, 0)
    vote_record(
        campaign=world.campaign,
        title=world.titles[FLAG],
        held_on=timezone.localdate(),
        ballots_cast=3,
        counts={first.pk: 3},
        actor=world.officer,
    )
    signed_on = date(world.campaign.year + 1, 1, 15)
    region_services.unit_rename(unit=world.units[0], name="Sở Tư pháp tên mới", effective=signed_on + timedelta(days=1))
    decision = decision_record(
        number="01/QĐ-BTP", signed_on=signed_on, issuer="Bộ trưởng Bộ Tư pháp", actor=None, registrations=[first]
    )
    award = decision.awards.get()
    assert award.recipient_name == "Sở Tư pháp tỉnh Thử 0"
    assert AwardRegistration.objects.get(pk=first.pk).status == Status.AWARDED


def test_a_vote_based_title_is_awarded_only_to_the_proposed_unit():
    world = make_awards_world(2)
    first = approved(world, 0)
    with pytest.raises(AwardsError, match="not proposed"):
        decision_record(
            number="02/QĐ-BTP", signed_on=timezone.localdate(), issuer="Bộ trưởng", actor=None, registrations=[first]
        )
    assert not AwardDecision.objects.exists() and not Award.objects.exists()


def test_a_decision_number_is_recorded_once():
    world = make_awards_world(2)
    historical = [HistoricalAward(world.units[0], world.titles[GOVERNMENT_FLAG], 2020)]
    decision_record(number="5/QĐ-TTg", signed_on=date(2021, 3, 2), issuer="TTg", actor=None, historical=historical)
    with pytest.raises(AwardsError, match="already recorded"):
        decision_record(number="5/qđ-ttg", signed_on=date(2021, 3, 2), issuer="TTg", actor=None, historical=historical)
    assert AwardDecision.objects.count() == 1


# --- scoring ---------------------------------------------------------------------------------------


def scored_sheet(world, index, table, points: dict[str, Decimal]):
    sheet = sheet_open(table=table, unit=world.units[index])
    by_code = {entry.criterion.code: entry.criterion_id for entry in sheet.entries.select_related("criterion")}
    scores = {by_code[code]: SelfScore(points=value) for code, value in points.items()}
    sheet_save_self_scores(sheet=sheet, actor=world.leaders[index], scores=scores)
    return sheet, by_code


FULL = {"1.1": Decimal("20"), "1.2": Decimal("10"), "2.1": Decimal("20"), "3.1": Decimal("0"), "3.2": Decimal("0")}


def test_points_above_the_maximum_are_refused_and_nothing_is_saved():
    world = make_awards_world(2)
    table = make_table(world.campaign.year)
    sheet, by_code = scored_sheet(world, 0, table, {"1.1": Decimal("15")})
    with pytest.raises(AwardsError, match="above its maximum"):
        sheet_save_self_scores(
            sheet=sheet,
            actor=world.leaders[0],
            scores={
                by_code["1.1"]: SelfScore(Decimal("12")),
                by_code["1.2"]: SelfScore(Decimal("11")),
            },
        )
    assert ScoreEntry.objects.get(sheet=sheet, criterion_id=by_code["1.1"]).self_points == Decimal("15")
    assert ScoreEntry.objects.get(sheet=sheet, criterion_id=by_code["1.2"]).self_points is None


def test_a_sheet_is_sent_only_when_every_criterion_is_scored_and_is_then_read_only():
    world = make_awards_world(2)
    table = make_table(world.campaign.year)
    sheet, by_code = scored_sheet(world, 0, table, {"1.1": Decimal("15")})
    with pytest.raises(AwardsError, match="1.2"):
        sheet_submit(sheet=sheet, actor=world.leaders[0])
    sheet, by_code = scored_sheet(world, 0, table, FULL)
    sheet_submit(sheet=sheet, actor=world.leaders[0])
    with pytest.raises(AwardsError, match="sent for review"):
        sheet_save_self_scores(sheet=sheet, actor=world.leaders[0], scores={by_code["1.1"]: SelfScore(Decimal("1"))})


def test_reviewed_points_need_a_reason_and_make_the_final_score():
    world = make_awards_world(2)
    table = make_table(world.campaign.year)
    sheet, by_code = scored_sheet(world, 0, table, FULL | {"3.1": Decimal("5"), "3.2": Decimal("2")})
    sheet_submit(sheet=sheet, actor=world.leaders[0])
    with pytest.raises(AwardsError, match="reason"):
        sheet_review(sheet=sheet, actor=world.officer, reviews={by_code["1.1"]: ReviewedScore(Decimal("18"))})
    assert ScoreEntry.objects.get(sheet=sheet, criterion_id=by_code["1.1"]).reviewed_points is None
    sheet_review(
        sheet=sheet,
        actor=world.officer,
        reviews={by_code["1.1"]: ReviewedScore(Decimal("18"), "Báo cáo chậm 2 ngày.")},
        finish=True,
    )
    totals = scoring_selectors.sheet_with_totals(sheet)
    assert totals.self_total == Decimal("53")  # 50 + 5 − 2
    assert totals.final_total == Decimal("51")
    assert scoring_selectors.grade_for(totals.final_total, scoring_selectors.thresholds_of(table)) == "Xuất sắc"


def cached(sheet) -> dict[str, Decimal]:
    sheet.refresh_from_db()
    return {name: getattr(sheet, column) for name, column in scoring_selectors.CACHED_TOTALS.items()}


def summed(sheet) -> dict[str, Decimal]:
    totals = scoring_selectors.sheet_with_totals(sheet)
    return {name: getattr(totals, name) for name in scoring_selectors.CACHED_TOTALS}


def test_the_totals_a_sheet_keeps_follow_every_change_of_its_points():
    world = make_awards_world(2)
    table = make_table(world.campaign.year)
    sheet, by_code = scored_sheet(world, 0, table, {"1.1": Decimal("15")})
    assert cached(sheet) == summed(sheet) and cached(sheet)["final_total"] == Decimal("15")
    sheet, by_code = scored_sheet(world, 0, table, FULL | {"3.1": Decimal("5"), "3.2": Decimal("2")})
    assert cached(sheet) == summed(sheet) and cached(sheet)["self_total"] == Decimal("53")
    with pytest.raises(AwardsError):  # refused: the cached totals stay those of the saved points
        sheet_save_self_scores(sheet=sheet, actor=world.leaders[0], scores={by_code["1.1"]: SelfScore(Decimal("99"))})
    assert cached(sheet)["self_total"] == Decimal("53")
    sheet_submit(sheet=sheet, actor=world.leaders[0])
    reason = "Báo cáo chậm 2 ngày."
    sheet_review(sheet=sheet, actor=world.officer, reviews={by_code["1.1"]: ReviewedScore(Decimal("18"), reason)})
    assert cached(sheet) == summed(sheet) and cached(sheet)["final_total"] == Decimal("51")
    sheet_return_to_unit(sheet=sheet, actor=world.officer, reason="Bổ sung tài liệu.")
    sheet, _ = scored_sheet(world, 0, table, {"3.2": Decimal("0")})
    sheet_submit(sheet=sheet, actor=world.leaders[0])
    sheet_review(
        sheet=sheet,
        actor=world.officer,
        reviews={by_code["1.1"]: ReviewedScore(None), by_code["3.1"]: ReviewedScore(Decimal("4"), reason)},
        finish=True,
    )
    assert cached(sheet) == summed(sheet)
    assert cached(sheet) == {
        "self_total": Decimal("55"),
        "final_standard": Decimal("50"),
        "final_bonus": Decimal("4"),
        "final_deduction": Decimal("0"),
        "final_total": Decimal("54"),
    }


def test_ranking_shares_a_rank_only_when_every_tie_rule_is_equal():
    world = make_awards_world(4)
    table = make_table(world.campaign.year)
    # Unit 0 and 1: 45 in total, but 0 has 45 on the criteria and 1 has 40 + 5 bonus: 0 ranks first.
    # Unit 2 equals unit 1 on every rule: they share second place. Unit 3 never sends its sheet.
    plans = [
        FULL | {"2.1": Decimal("15")},
        FULL | {"2.1": Decimal("10"), "3.1": Decimal("5")},
        FULL | {"2.1": Decimal("10"), "3.1": Decimal("5")},
    ]
    for index, plan in enumerate(plans):
        sheet, _codes = scored_sheet(world, index, table, plan)
        sheet_submit(sheet=sheet, actor=world.leaders[index])
    scored_sheet(world, 3, table, {"1.1": Decimal("1")})
    rows = scoring_selectors.region_ranking(table, world.campaign.region)
    assert [(row.unit_id, row.rank) for row in rows] == [
        (world.units[0].pk, 1),
        (world.units[1].pk, 2),
        (world.units[2].pk, 2),
        (world.units[3].pk, None),
    ]


def test_tables_of_a_year_do_not_score_the_same_kind_twice_and_fix_their_criteria_in_use():
    world = make_awards_world(1)
    table = make_table(world.campaign.year)
    with pytest.raises(AwardsError, match="already scores"):
        make_table(world.campaign.year, name="Bảng thứ hai")
    with pytest.raises(AwardsError, match="in use"):
        table_set_content(table=table, groups=[GroupSpec("Nhóm", [CriterionSpec("1", "Tiêu chí", Decimal("1"))])])


def test_lineage_follows_mergers_both_ways():
    old = make_unit("Cục Thi hành án dân sự tỉnh Cũ", kind=Unit.Kind.CUC_THADS, active_from=date(2000, 1, 1))
    other = make_unit("Cục Thi hành án dân sự tỉnh Khác", kind=Unit.Kind.CUC_THADS, active_from=date(2000, 1, 1))
    new = make_unit("Thi hành án dân sự tỉnh Mới", kind=Unit.Kind.THADS_TINH, active_from=date(2025, 7, 1))
    Unit.objects.filter(pk__in=[old.pk, other.pk]).update(successor=new)
    old.refresh_from_db()
    assert history_selectors.unit_lineage_ids(new) == {new.pk, old.pk, other.pk}
    assert history_selectors.unit_lineage_ids(old) == {old.pk, new.pk}


def test_a_leader_acts_only_for_units_active_in_the_year():
    from tests.factories import UserFactory

    old = make_unit("Sở Tư pháp tỉnh Cũ", active_from=date(2000, 1, 1), active_to=date(2025, 6, 30))
    new = make_unit("Sở Tư pháp tỉnh Mới", active_from=date(2025, 7, 1))
    leader = UserFactory(username="lanhdao.sapnhap", unit=old)
    region_services.appointment_start(
        unit=new, full_name="Trần Văn Phúc", position="Giám đốc", start=date(2025, 7, 1), user=leader
    )
    assert list(registration_selectors.acting_units_in_year(leader, 2026)) == [new]
    assert set(registration_selectors.acting_units_in_year(leader, 2025)) == {old, new}


# --- rules found in review ---------------------------------------------------------------------------


def _vote(world, counts, ballots=3, held_on=None):
    return vote_record(
        campaign=world.campaign,
        title=world.titles[FLAG],
        held_on=held_on or timezone.localdate(),
        ballots_cast=ballots,
        counts=counts,
        actor=world.officer,
    )


def test_once_awarded_the_vote_cannot_be_recorded_again():
    world = make_awards_world(3, year=timezone.localdate().year - 1)
    first, second = approved(world, 0), approved(world, 1)
    _vote(world, {first.pk: 2, second.pk: 1})
    decision_record(
        number="3/QĐ-BTP", signed_on=timezone.localdate(), issuer="Bộ trưởng", actor=None, registrations=[first]
    )
    with pytest.raises(AwardsError, match="already awarded"):
        _vote(world, {second.pk: 3})
    assert AwardRegistration.objects.get(pk=second.pk).status == Status.APPROVED


def test_the_votes_together_cannot_exceed_the_ballots_nor_the_vote_be_dated_outside_its_time():
    world = make_awards_world(3)
    first, second = approved(world, 0), approved(world, 1)
    with pytest.raises(AwardsError, match="each ballot names one unit"):
        _vote(world, {first.pk: 3, second.pk: 2})
    with pytest.raises(AwardsError, match="not after today"):
        _vote(world, {first.pk: 2}, held_on=date(1990, 1, 1))
    with pytest.raises(AwardsError, match="not after today"):
        _vote(world, {first.pk: 2}, held_on=timezone.localdate() + timedelta(days=1))
    assert not Vote.objects.exists()


def test_a_decision_is_not_dated_in_the_future_nor_before_the_achievement():
    world = make_awards_world(2)
    year = world.campaign.year
    historical = [HistoricalAward(world.units[0], world.titles[GOVERNMENT_FLAG], year)]
    args = {"number": "9/QĐ-TTg", "issuer": "TTg", "actor": None, "historical": historical}
    with pytest.raises(AwardsError, match="future"):
        decision_record(signed_on=timezone.localdate() + timedelta(days=1), **args)
    with pytest.raises(AwardsError, match="cannot award an achievement"):
        decision_record(signed_on=date(year - 1, 12, 31), **args)
    assert not AwardDecision.objects.exists()


def test_grades_are_fixed_once_a_review_is_closed_on_them():
    world = make_awards_world(2)
    table = make_table(world.campaign.year)
    sheet, _codes = scored_sheet(world, 0, table, FULL)
    sheet_submit(sheet=sheet, actor=world.leaders[0])
    with pytest.raises(AwardsError, match="at least one grade"):
        table_set_thresholds(table=table, thresholds=[])
    sheet_review(sheet=sheet, actor=world.officer, reviews={}, finish=True)
    with pytest.raises(AwardsError, match="can no longer change"):
        table_set_thresholds(table=table, thresholds=[("Xuất sắc", Decimal("10"))])
    assert table.thresholds.count() == 3


def test_a_closed_campaign_takes_no_more_sending_approving_or_voting():
    world = make_awards_world(3)
    sent, returned = register(world, 0), register(world, 1)
    returned = registration_return(registration=returned, actor=world.officer, reason="Bổ sung.")
    first = approved(world, 2)
    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.CLOSED)
    with pytest.raises(AwardsError, match="closed"):
        registration_approve(registration=sent, actor=world.officer)
    with pytest.raises(AwardsError, match="closed"):
        registration_submit(registration=returned, actor=world.leaders[1])
    with pytest.raises(AwardsError, match="closed"):
        _vote(world, {first.pk: 3})
    assert [r.status for r in AwardRegistration.objects.order_by("unit__name")] == [
        Status.SUBMITTED,
        Status.RETURNED,
        Status.APPROVED,
    ]
