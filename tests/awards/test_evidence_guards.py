"""The database guards the awards record whatever the client (awards/migrations/0006): TRUNCATE, changes to a
recorded decision, its awards, a final registration, a reviewed sheet and its scores, a table in use and a
vote that can no longer be recorded again are refused by PostgreSQL itself, even for its superuser and for
the application's role; the services' own writes still go through."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from awards.models import (
    Award,
    AwardDecision,
    AwardRegistration,
    ScoreEntry,
    ScoreSheet,
    ScoringTable,
    Vote,
)
from awards.services.decisions import HistoricalAward, decision_record
from awards.services.registrations import registration_approve, registration_create, registration_not_awarded
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
    table_update,
)
from awards.services.votes import vote_record
from tests.awards.factories import FLAG, GOVERNMENT_FLAG, make_awards_world, make_table
from tests.conftest import require
from tests.db_guards import execute, make_app_role, refused, refused_to

pytestmark = pytest.mark.django_db

Status = AwardRegistration.Status

GUARDED_TABLES = [
    "awards_awardregistration",
    "awards_registeredperson",
    "awards_scoringtable",
    "awards_scoringgroup",
    "awards_criterion",
    "awards_gradethreshold",
    "awards_scoresheet",
    "awards_scoreentry",
    "awards_vote",
    "awards_votecount",
    "awards_awarddecision",
    "awards_award",
]

FULL = {"1.1": Decimal("20"), "1.2": Decimal("10"), "2.1": Decimal("20"), "3.1": Decimal("0"), "3.2": Decimal("0")}


@pytest.fixture(autouse=True)
def postgres(uses_postgres) -> None:
    require(uses_postgres, "the evidence guards are PostgreSQL triggers")


@pytest.fixture
def app_role() -> str:
    return make_app_role()


def approved(world, index: int, code: str = FLAG) -> AwardRegistration:
    registration = registration_create(
        campaign=world.campaign,
        unit=world.units[index],
        title=world.titles[code],
        actor=world.leaders[index],
        submit=True,
    )
    return registration_approve(registration=registration, actor=world.officer)


def scored_sheet(world, index: int, table: ScoringTable, points: dict[str, Decimal]):
    sheet = sheet_open(table=table, unit=world.units[index])
    by_code = {entry.criterion.code: entry.criterion_id for entry in sheet.entries.select_related("criterion")}
    scores = {by_code[code]: SelfScore(points=value) for code, value in points.items()}
    sheet_save_self_scores(sheet=sheet, actor=world.leaders[index], scores=scores)
    return sheet, by_code


@dataclass
class Record:
    world: object
    awarded: AwardRegistration
    runner_up: AwardRegistration
    not_awarded: AwardRegistration
    vote: Vote
    decision: AwardDecision
    award: Award
    table: ScoringTable
    reviewed: ScoreSheet
    submitted: ScoreSheet


def make_record(prefix: str = "") -> Record:
    """A year's awards record written by the services: a vote, a decision, a reviewed sheet, one sent for review."""
    world = make_awards_world(3, year=timezone.localdate().year - 1, prefix=prefix)
    first, second = approved(world, 0), approved(world, 1)
    vote = vote_record(
        campaign=world.campaign,
        title=world.titles[FLAG],
        held_on=timezone.localdate(),
        ballots_cast=3,
        counts={first.pk: 2, second.pk: 1},
        actor=world.officer,
    ).vote
    decision = decision_record(
        number="1/QĐ-BTP", signed_on=timezone.localdate(), issuer="Bộ trưởng", actor=None, registrations=[first]
    )
    not_awarded = registration_not_awarded(registration=approved(world, 2), actor=world.officer)
    table = make_table(world.campaign.year)
    reviewed, by_code = scored_sheet(world, 0, table, FULL)
    sheet_submit(sheet=reviewed, actor=world.leaders[0])
    sheet_review(
        sheet=reviewed,
        actor=world.officer,
        reviews={by_code["1.1"]: ReviewedScore(Decimal("18"), "Báo cáo chậm 2 ngày.")},
        finish=True,
    )
    submitted, _codes = scored_sheet(world, 1, table, FULL)
    sheet_submit(sheet=submitted, actor=world.leaders[1])
    return Record(
        world=world,
        awarded=AwardRegistration.objects.get(pk=first.pk),
        runner_up=AwardRegistration.objects.get(pk=second.pk),
        not_awarded=not_awarded,
        vote=vote,
        decision=decision,
        award=decision.awards.get(),
        table=table,
        reviewed=ScoreSheet.objects.get(pk=reviewed.pk),
        submitted=ScoreSheet.objects.get(pk=submitted.pk),
    )


@pytest.fixture
def record() -> Record:
    return make_record()


# The reviewer's statements (issue 10's follow-up): each succeeded before 0006.
def reviewer_attacks(record: Record) -> dict[str, tuple[str, list]]:
    return {
        "vote count": ("UPDATE awards_votecount SET votes_for = votes_for + 100 WHERE vote_id = %s", [record.vote.pk]),
        "reviewed points": (
            "UPDATE awards_scoreentry SET reviewed_points = 0 WHERE sheet_id = %s",
            [record.reviewed.pk],
        ),
        "decision number": ("UPDATE awards_awarddecision SET number = '99/QĐ-SỬA' WHERE id = %s", [record.decision.pk]),
        "award": ("DELETE FROM awards_award WHERE id = %s", [record.award.pk]),
        "table back to draft": ("UPDATE awards_scoringtable SET status = 'draft' WHERE id = %s", [record.table.pk]),
    }


def test_the_reviewer_s_statements_are_refused(record):
    for what, (sql, params) in reviewer_attacks(record).items():
        assert "cannot" in refused(sql, params), what
    assert list(record.vote.counts.order_by("-votes_for").values_list("votes_for", flat=True)) == [2, 1]
    assert ScoreEntry.objects.filter(sheet=record.reviewed, reviewed_points=Decimal("18")).count() == 1
    assert AwardDecision.objects.get(pk=record.decision.pk).number == "1/QĐ-BTP"
    assert Award.objects.filter(pk=record.award.pk).exists()
    assert ScoringTable.objects.get(pk=record.table.pk).status == ScoringTable.Status.PUBLISHED


def test_truncate_of_the_awards_record_is_refused(record):
    # The foreign keys are checked at commit; checked now, TRUNCATE meets the guard rather than them.
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in GUARDED_TABLES:
        assert "TRUNCATE of" in refused(f"TRUNCATE {table} CASCADE"), table


def test_a_recorded_decision_and_its_awards_never_change(record):
    decision, award = record.decision, record.award
    assert "cannot change (signed_on)" in refused(
        "UPDATE awards_awarddecision SET signed_on = signed_on - 1 WHERE id = %s", [decision.pk]
    )
    assert "cannot be deleted" in refused("DELETE FROM awards_awarddecision WHERE id = %s", [decision.pk])
    assert "cannot change (recipient_name)" in refused(
        "UPDATE awards_award SET recipient_name = 'Đơn vị khác' WHERE id = %s", [award.pk]
    )
    assert "cannot change (unit_id)" in refused(
        "UPDATE awards_award SET unit_id = %s WHERE id = %s", [record.world.units[1].pk, award.pk]
    )


def test_a_final_registration_never_changes_and_none_is_awarded_without_an_award(record):
    awarded, not_awarded = record.awarded, record.not_awarded
    assert "awarded: status cannot change" in refused(
        "UPDATE awards_awardregistration SET status = 'approved' WHERE id = %s", [awarded.pk]
    )
    assert "not_awarded: outcome_note cannot change" in refused(
        "UPDATE awards_awardregistration SET outcome_note = 'Sửa' WHERE id = %s", [not_awarded.pk]
    )
    assert "cannot be deleted" in refused("DELETE FROM awards_awardregistration WHERE id = %s", [not_awarded.pk])
    assert "people of registration" in refused(
        "INSERT INTO awards_registeredperson (registration_id, full_name, position) VALUES (%s, 'A', 'B')",
        [awarded.pk],
    )
    assert "without an award" in refused(
        "UPDATE awards_awardregistration SET status = 'awarded' WHERE id = %s", [record.runner_up.pk]
    )
    assert "cannot go from approved to draft" in refused(
        "UPDATE awards_awardregistration SET status = 'draft' WHERE id = %s", [record.runner_up.pk]
    )


def test_a_vote_that_can_no_longer_be_recorded_again_is_fixed(record):
    vote = record.vote
    assert "held_on cannot change" in refused("UPDATE awards_vote SET held_on = held_on - 1 WHERE id = %s", [vote.pk])
    assert "proposed registration" in refused(
        "UPDATE awards_vote SET proposed_id = %s WHERE id = %s", [record.runner_up.pk, vote.pk]
    )
    assert "is final" in refused("DELETE FROM awards_votecount WHERE vote_id = %s", [vote.pk])
    assert "is final" in refused("DELETE FROM awards_vote WHERE id = %s", [vote.pk])
    assert "is final" in refused(
        "INSERT INTO awards_votecount (vote_id, registration_id, votes_for) VALUES (%s, %s, 3)",
        [vote.pk, record.not_awarded.pk],
    )


def test_a_reviewed_sheet_and_a_table_in_use_are_fixed(record):
    reviewed, submitted, table = record.reviewed, record.submitted, record.table
    assert "reviewed: status cannot change" in refused(
        "UPDATE awards_scoresheet SET status = 'submitted' WHERE id = %s", [reviewed.pk]
    )
    assert "cannot be deleted" in refused("DELETE FROM awards_scoresheet WHERE id = %s", [reviewed.pk])
    assert "review is closed" in refused("DELETE FROM awards_scoreentry WHERE sheet_id = %s", [reviewed.pk])
    assert "self_points cannot change" in refused(
        "UPDATE awards_scoreentry SET self_points = 0 WHERE sheet_id = %s", [submitted.pk]
    )
    assert "unit_id cannot change" in refused(
        "UPDATE awards_scoresheet SET unit_id = %s WHERE id = %s", [record.world.units[2].pk, submitted.pk]
    )
    assert "in use: year cannot change" in refused(
        "UPDATE awards_scoringtable SET year = year + 1 WHERE id = %s", [table.pk]
    )
    assert "cannot be deleted" in refused("DELETE FROM awards_scoringtable WHERE id = %s", [table.pk])
    assert "kinds of unit" in refused(
        'UPDATE awards_scoringtable SET unit_kinds = \'["so_tu_phap", "cuc_thads"]\' WHERE id = %s', [table.pk]
    )
    assert "the table is in use" in refused(
        "UPDATE awards_criterion SET max_points = 100 WHERE group_id IN "
        "(SELECT id FROM awards_scoringgroup WHERE table_id = %s)",
        [table.pk],
    )
    assert "the table is in use" in refused(
        "INSERT INTO awards_scoringgroup (table_id, number, title) VALUES (%s, 9, 'Nhóm thêm')", [table.pk]
    )
    assert "a review was closed" in refused(
        "UPDATE awards_gradethreshold SET min_points = 0 WHERE table_id = %s", [table.pk]
    )


def test_the_services_still_replace_a_vote_correct_a_table_and_send_a_sheet_back():
    record = make_record()
    world = record.world
    # Before a decision, the vote is recorded again: the old one and its counts are deleted.
    other = make_awards_world(3, year=timezone.localdate().year - 1, prefix="guard-again")
    first, second = approved(other, 0), approved(other, 1)
    args = {"campaign": other.campaign, "title": other.titles[FLAG], "held_on": timezone.localdate(), "actor": None}
    vote_record(ballots_cast=3, counts={first.pk: 1, second.pk: 1}, **args)
    again = vote_record(ballots_cast=3, counts={first.pk: 1, second.pk: 2}, **args)
    assert again.proposed == second and Vote.objects.filter(campaign=other.campaign).count() == 1
    # A table in use keeps the name and decision it may correct; a draft's content may be replaced.
    table_update(table=record.table, name="Bảng tiêu chí (đính chính)", decision_number="537/QĐ-BTP")
    draft = make_table(world.campaign.year, kinds=("cuc_thads",), publish=False)
    table_set_content(table=draft, groups=[GroupSpec("Nhóm mới", [CriterionSpec("1.1", "Tiêu chí", Decimal("10"))])])
    assert draft.groups.get().criteria.count() == 1
    # A sheet sent back to its unit changes its self-scores again, its reviewed points kept.
    sheet = record.submitted
    by_code = {entry.criterion.code: entry.criterion_id for entry in sheet.entries.select_related("criterion")}
    sheet_review(sheet=sheet, actor=world.officer, reviews={by_code["2.1"]: ReviewedScore(Decimal("15"), "Thiếu.")})
    sheet_return_to_unit(sheet=sheet, actor=world.officer, reason="Bổ sung minh chứng.")
    sheet_save_self_scores(sheet=sheet, actor=world.leaders[1], scores={by_code["2.1"]: SelfScore(Decimal("16"))})
    entry = ScoreEntry.objects.get(sheet=sheet, criterion_id=by_code["2.1"])
    assert (entry.self_points, entry.reviewed_points) == (Decimal("16"), Decimal("15"))
    assert "reviewed_points cannot change" in refused(
        "UPDATE awards_scoreentry SET reviewed_points = 1 WHERE id = %s", [entry.pk]
    )


def test_as_the_app_role_the_reviewer_s_statements_fail_and_the_services_work(app_role):
    record = make_record()
    for what, (sql, params) in reviewer_attacks(record).items():
        assert "cannot" in refused_to(app_role, sql, params), what
    for table in ["awards_votecount", "awards_scoreentry", "awards_awarddecision", "awards_award"]:
        assert "permission denied" in refused_to(app_role, f"TRUNCATE {table}")
        assert "must be owner" in refused_to(app_role, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    world = record.world
    execute(f"SET ROLE {app_role}")
    try:
        decision = decision_record(
            number="2/QĐ-TTg",
            signed_on=date(2021, 3, 2),
            issuer="Thủ tướng Chính phủ",
            actor=None,
            historical=[HistoricalAward(world.units[1], world.titles[GOVERNMENT_FLAG], 2020)],
        )
        sheet_review(sheet=record.submitted, actor=world.officer, reviews={}, finish=True)
    finally:
        execute("RESET ROLE")
    assert decision.awards.count() == 1
    assert ScoreSheet.objects.get(pk=record.submitted.pk).status == ScoreSheet.Status.REVIEWED


@pytest.mark.django_db(transaction=True)
def test_no_award_is_added_to_a_decision_recorded_earlier():
    world = make_awards_world(2, prefix="guard-later")
    decision = decision_record(
        number="3/QĐ-TTg",
        signed_on=date(2021, 3, 2),
        issuer="Thủ tướng Chính phủ",
        actor=None,
        historical=[HistoricalAward(world.units[0], world.titles[GOVERNMENT_FLAG], 2020)],
    )
    message = refused(
        "INSERT INTO awards_award (decision_id, unit_id, title_id, year, recipient_name, people) "
        "VALUES (%s, %s, %s, 2019, 'Đơn vị thêm', '')",
        [decision.pk, world.units[1].pk, world.titles[GOVERNMENT_FLAG].pk],
    )
    assert "no award can be added" in message
    assert decision.awards.count() == 1
