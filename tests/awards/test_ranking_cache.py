"""A ranking page is kept in the worker's memory under the generation of what it is made of
(awards.selectors.scoring.ranking_generation; PostgreSQL's triggers of awards/migrations/0011): read again, it
is not ranked again; after any committed change to a sheet, a table, a membership, a unit or a unit's name,
whatever made it (a service or a plain UPDATE), the page is the ORM's answer again; a transaction that wrote
sees its own rows. Transactional tests: the generation changes when a transaction commits."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from awards.models import RankingChange, RankingGeneration, ScoreSheet, ScoringTable
from awards.selectors.scoring import _ranking_list, _ranking_values, ranking_generation
from awards.services import scoring as scoring_services
from awards.tasks import fold_ranking_changes
from regions import services as region_services
from regions.models import RegionMembership, Unit, UnitName
from tests.awards.factories import make_awards_world, make_table
from tests.awards.test_ranking_views import A, B, C, review, scored
from tests.regions.factories import make_region, make_unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers and the kept pages are PostgreSQL's"),
]

PAGE = (0, 4)  # the first rows, and one more to tell whether the last row shares its rank


def _orm(table, region):
    return [tuple(row) for row in _ranking_list(table, region)[PAGE[0] : PAGE[1]]]


def _page(table, region):
    return _ranking_values(table, region, *PAGE)


@pytest.fixture
def ranked():
    world = make_awards_world(5)
    table = make_table(world.campaign.year)
    units, leaders = world.units, world.leaders
    scored(table, units[0], leaders[0], A)
    scored(table, units[1], leaders[1], B)
    scored(table, units[2], leaders[2], C)
    scored(table, units[3], leaders[3], {"1.1": "5"}, submit=False)  # a draft: listed after the ranked
    return world, table


def _sent(world, table):
    scored(table, world.units[4], world.leaders[4], {"1.1": "20", "1.2": "10", "2.1": "20"})


def _reviewed(world, table):
    review(ScoreSheet.objects.get(table=table, unit=world.units[1]), world.officer, {"2.1": "20"})


def _returned(world, table):
    sheet = ScoreSheet.objects.get(table=table, unit=world.units[0])
    scoring_services.sheet_return_to_unit(sheet=sheet, actor=world.officer, reason="Thiếu minh chứng")


def _totals_written_by_hand(world, table):
    ScoreSheet.objects.filter(table=table, unit=world.units[2]).update(cached_final_total=Decimal("49"))


def _member_removed(world, table):
    membership = RegionMembership.objects.get(region=world.campaign.region, year=table.year, unit=world.units[0])
    region_services.membership_remove(membership=membership)


def _renamed_for_the_year(world, table):
    region_services.unit_rename(unit=world.units[3], name="Sở Tư pháp tỉnh Ả Đổi Tên", effective=date(table.year, 1, 1))


def _name_moved_into_the_year_by_hand(world, table):
    name = "Sở Tư pháp tỉnh Ả Năm Sau"
    region_services.unit_rename(unit=world.units[3], name=name, effective=date(table.year + 1, 1, 1))
    assert _page(table, world.campaign.region) == _orm(table, world.campaign.region)  # not yet: kept as it was
    UnitName.objects.filter(unit=world.units[3], name=name).update(valid_from=date(table.year, 6, 1))


def _kind_changed(world, table):
    Unit.objects.filter(pk=world.units[1].pk).update(kind=Unit.Kind.CUC_THADS)


def _member_added(world, table):
    unit = make_unit("Sở Tư pháp tỉnh Thử Mới", Unit.Kind.SO_TU_PHAP)  # no sheet: only the counts change here
    region_services.membership_add(region=world.campaign.region, unit=unit, year=table.year)


def _member_moved_by_hand(world, table):
    other = make_region("Cụm thi đua thử khác")
    RegionMembership.objects.filter(year=table.year, unit=world.units[2]).update(region=other)


CHANGES = [
    _sent,
    _reviewed,
    _returned,
    _totals_written_by_hand,
    _member_removed,
    _renamed_for_the_year,
    _name_moved_into_the_year_by_hand,
    _kind_changed,
    _member_added,
    _member_moved_by_hand,
]


def _kept(queries) -> bool:
    """Read from memory: the generation, and whether a name takes effect after the year (the query's text
    depends on it); not ranked again."""
    sql = [query["sql"] for query in queries.captured_queries]
    ranked = any("RANK() OVER" in text for text in sql)
    return len(sql) == 2 and "pg_current_xact_id_if_assigned" in sql[0] and not ranked


def test_a_page_read_again_is_not_ranked_again(ranked):
    world, table = ranked
    region = world.campaign.region
    first = _page(table, region)
    assert first == _orm(table, region) and len(first) == 4
    with CaptureQueriesContext(connection) as queries:
        assert _page(table, region) == first
    assert _kept(queries)


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
def test_a_committed_change_shows_on_the_next_view(ranked, change):
    world, table = ranked
    region = world.campaign.region
    before = _page(table, region)
    with CaptureQueriesContext(connection) as queries:
        assert _page(table, region) == before
    assert _kept(queries)
    change(world, table)
    table.refresh_from_db()
    after = _page(table, region)
    assert after == _orm(table, region)
    assert after != before


def test_a_transaction_that_wrote_sees_its_own_rows(ranked):
    world, table = ranked
    region = world.campaign.region
    before = _page(table, region)
    with transaction.atomic():
        _totals_written_by_hand(world, table)
        assert ranking_generation() is None
        inside = _page(table, region)
        assert inside == _orm(table, region) and inside != before
        transaction.set_rollback(True)
    assert _page(table, region) == before == _orm(table, region)


WATCHED = ["awards_scoresheet", "awards_scoringtable", "regions_regionmembership", "regions_unit", "regions_unitname"]


@pytest.mark.parametrize("table", WATCHED)
def test_a_statement_on_each_watched_table_counts_once_committed(ranked, table):
    before = ranking_generation()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = id WHERE id < 0")  # noqa: S608 - a name of the list above
        assert ranking_generation() is None  # this transaction wrote
    assert ranking_generation() == before + 1


def test_a_transaction_counts_once_whatever_it_wrote_and_not_if_rolled_back(ranked):
    world, table = ranked
    before = ranking_generation()
    with transaction.atomic():
        ScoreSheet.objects.filter(table=table).update(cached_final_bonus=Decimal("1"))  # four rows
        UnitName.objects.filter(unit__in=world.units).update(name="Sở Tư pháp tỉnh Đổi")
        with transaction.atomic():
            Unit.objects.filter(pk=world.units[0].pk).update(kind=Unit.Kind.CUC_THADS)
            transaction.set_rollback(True)  # a savepoint rolled back: the mark goes with it
        Unit.objects.filter(pk=world.units[1].pk).update(kind=Unit.Kind.CUC_THADS)
        assert RankingChange.objects.count() == changes_before(before) + 1
    assert ranking_generation() == before + 1
    with transaction.atomic():
        ScoreSheet.objects.filter(table=table).update(cached_final_bonus=Decimal("2"))
        transaction.set_rollback(True)
    assert ranking_generation() == before + 1


def changes_before(generation: int) -> int:
    folded = RankingGeneration.objects.values_list("value", flat=True).first() or 0
    return generation - folded


def test_a_truncate_counts(ranked):
    with transaction.atomic(), connection.cursor() as cursor:
        count = RankingChange.objects.count()
        cursor.execute("TRUNCATE regions_unitname")
        assert RankingChange.objects.count() == count + 1
        transaction.set_rollback(True)


def test_folding_keeps_the_generation_and_the_pages_kept_under_it(ranked):
    world, table = ranked
    region = world.campaign.region
    generation = ranking_generation()
    assert RankingChange.objects.exists()
    first = _page(table, region)
    assert scoring_services.ranking_changes_fold() == generation == ranking_generation()
    assert not RankingChange.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        assert _page(table, region) == first
    assert _kept(queries)
    _totals_written_by_hand(world, table)
    assert ranking_generation() == generation + 1
    assert fold_ranking_changes.delay().get() == generation + 1  # as beat runs it
    assert settings.CELERY_BEAT_SCHEDULE["ranking-changes-fold"]["task"] == fold_ranking_changes.name
    assert _page(table, region) == _orm(table, region) != first


def test_a_table_read_before_a_change_finds_no_page_of_the_new_one(ranked):
    """The key is the query: a table object read before its kinds changed ranks by the kinds it holds."""
    world, table = ranked
    region = world.campaign.region
    assert _page(table, region) != []
    stale = ScoringTable.objects.get(pk=table.pk)
    stale.unit_kinds = [Unit.Kind.CUC_THADS]
    assert _page(stale, region) == _orm(stale, region) == []
    assert _page(table, region) == _orm(table, region) != []
