"""The demo awards of seed_demo: the 2018 registrations of "miền Đông Nam bộ" as the article reports them,
its 2018 scoring and ranking, the suy tôn vote and the decision, and the 2021 Government flag of Đồng Tháp."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from awards.models import Award, AwardRegistration, ScoreSheet, ScoringTable, Vote
from awards.selectors import history as history_selectors
from awards.selectors import scoring as scoring_selectors
from regions.models import Unit

pytestmark = pytest.mark.django_db

SOUTH_EAST = "mien-dong-nam-bo"


@pytest.fixture
def output() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_2018_registrations_are_those_of_the_article(output):
    registered = (
        AwardRegistration.objects.filter(
            campaign__region__slug=SOUTH_EAST,
            campaign__year=2018,
            title__code="co-thi-dua-nganh-tu-phap",
            status__in=AwardRegistration.REGISTERED,
        )
        .values("unit__kind")
        .annotate(n=Count("id"))
    )
    by_kind = {row["unit__kind"]: row["n"] for row in registered}
    assert by_kind[Unit.Kind.SO_TU_PHAP] == 12
    assert by_kind[Unit.Kind.CUC_THADS] + by_kind[Unit.Kind.CHI_CUC_THADS] == 40
    assert "52 units registered for Cờ thi đua ngành Tư pháp" in output


def test_the_2018_ranking_the_vote_and_the_decision_agree(output):
    table = ScoringTable.objects.get(year=2018)
    region = AwardRegistration.objects.filter(campaign__region__slug=SOUTH_EAST).first().campaign.region
    rows = scoring_selectors.region_ranking(table, region)
    ranked = [row for row in rows if row.rank is not None]
    assert len(ranked) == 12
    assert ScoreSheet.objects.filter(table=table, status=ScoreSheet.Status.REVIEWED).count() == 12
    votes = Vote.objects.filter(campaign__year=2018, campaign__region__slug=SOUTH_EAST)
    assert set(votes.values_list("block", flat=True)) == {"Khối Sở Tư pháp", "Khối Thi hành án dân sự"}
    vote = votes.get(block="Khối Sở Tư pháp")
    assert vote.proposed.unit_id == ranked[0].unit_id
    award = Award.objects.get(registration=vote.proposed)
    assert award.decision.number == "01/QĐ-BTP"
    assert AwardRegistration.objects.get(pk=vote.proposed_id).status == AwardRegistration.Status.AWARDED
    thads = votes.get(block="Khối Thi hành án dân sự")
    assert thads.seats == 2 and len(thads.proposed_registration_ids()) == 2
    assert {award.registration_id for award in Award.objects.filter(decision=award.decision)} >= (
        thads.proposed_registration_ids()
    )


def test_dong_thap_keeps_its_government_flag_under_its_name_of_the_day(output):
    award = Award.objects.get(title__code="co-thi-dua-chinh-phu")
    assert award.recipient_name == "Cục Thi hành án dân sự tỉnh Đồng Tháp"
    assert award.decision.signed_on.isoformat() == "2021-03-02"
    # The merged unit of 2025 carries the history.
    successor = award.unit.successor
    assert successor is not None and award.unit_id in history_selectors.unit_lineage_ids(successor)


def test_seeding_twice_changes_nothing(output):
    models = (AwardRegistration, Award, ScoreSheet, Vote)
    counts = [model.objects.count() for model in models]
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "Demo awards (unchanged" in again.getvalue()
    assert counts == [model.objects.count() for model in models]
