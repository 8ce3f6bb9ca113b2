"""The region's ranking page and its .xlsx export: who may see it, the order and shared ranks, the queries."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from awards.models import ScoreSheet
from awards.selectors.scoring import TIE_RULES, ranking_rows
from awards.services import scoring as scoring_services
from awards.views.scoring_sheets import RANKING_HEADINGS
from regions import services as region_services
from tests.awards.factories import make_awards_world, make_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_awards_world(5)


@pytest.fixture
def table(world):
    return make_table(world.campaign.year)


def ranking_url(table, region, name: str = "ranking") -> str:
    return reverse(f"awards:{name}", args=[table.pk, region.pk])


def scored(table, unit, leader, points: dict[str, str], *, submit: bool = True) -> ScoreSheet:
    sheet = scoring_services.sheet_open(table=table, unit=unit)
    by_code = {entry.criterion.code: entry.criterion_id for entry in sheet.entries.select_related("criterion")}
    scores = {by_code[code]: scoring_services.SelfScore(Decimal(value)) for code, value in points.items()}
    scoring_services.sheet_save_self_scores(sheet=sheet, actor=leader, scores=scores)
    return scoring_services.sheet_submit(sheet=sheet, actor=leader) if submit else sheet


def review(sheet, officer, points: dict[str, str], *, finish: bool = True) -> ScoreSheet:
    by_code = {entry.criterion.code: entry.criterion_id for entry in sheet.entries.select_related("criterion")}
    reviews = {
        by_code[code]: scoring_services.ReviewedScore(Decimal(value), "Thẩm định lại") for code, value in points.items()
    }
    return scoring_services.sheet_review(sheet=sheet, actor=officer, reviews=reviews, finish=finish)


# Equal totals of 45, told apart by the tie rules: more criteria points first, then fewer deductions.
A = {"1.1": "20", "1.2": "10", "2.1": "15"}  # 45 on the criteria alone
B = {"1.1": "20", "1.2": "10", "2.1": "10", "3.1": "5"}  # 40 + 5 bonus
C = dict(A)  # the same as A in every respect: they share a rank
D = {"1.1": "20", "1.2": "10", "2.1": "15", "3.1": "5", "3.2": "5"}  # 45 + 5 − 5: same total and criteria as A


@pytest.fixture
def ranked(world, table):
    """Units 0–3 sent (D, A, B, C); unit 4 is still scoring."""
    units, leaders = world.units, world.leaders
    scored(table, units[0], leaders[0], D)
    scored(table, units[1], leaders[1], A)
    scored(table, units[2], leaders[2], B)
    scored(table, units[3], leaders[3], C)
    scored(table, units[4], leaders[4], {"1.1": "20"}, submit=False)
    return world


# --- access ---------------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client, world, table):
    for name in ("ranking", "ranking_xlsx"):
        response = client.get(ranking_url(table, world.campaign.region, name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["ranking", "ranking_xlsx"])
def test_the_regions_people_and_ministry_staff_see_it(client, world, table, ministry_user, admin_user, name):
    for user in (world.leaders[3], world.officer, ministry_user, admin_user):
        client.force_login(user)
        assert client.get(ranking_url(table, world.campaign.region, name)).status_code == 200


@pytest.mark.parametrize("name", ["ranking", "ranking_xlsx"])
def test_others_are_refused(client, world, table, no_role_user, name):
    other = make_awards_world(2, prefix="khac")
    for user in (other.leaders[0], other.officer, no_role_user):
        client.force_login(user)
        assert client.get(ranking_url(table, world.campaign.region, name)).status_code == 403


def test_an_unknown_table_or_region_is_not_found(client, world, table, ministry_user):
    client.force_login(ministry_user)
    assert client.get(reverse("awards:ranking", args=[table.pk + 999, world.campaign.region.pk])).status_code == 404
    assert client.get(reverse("awards:ranking", args=[table.pk, 987654])).status_code == 404


def test_a_ranking_of_another_year_is_refused_to_the_regions_leaders(client, world):
    later = make_table(world.campaign.year + 1)
    client.force_login(world.leaders[1])
    assert client.get(ranking_url(later, world.campaign.region)).status_code == 403


# --- order ----------------------------------------------------------------------------------------


def test_units_are_ranked_by_final_score_with_the_tie_rules_and_shared_ranks(client, ranked, table, ministry_user):
    client.force_login(ministry_user)
    response = client.get(ranking_url(table, ranked.campaign.region))
    units = ranked.units
    rows = [(item.row.unit_id, item.row.rank, item.shared) for item in response.context["rows"]]
    # A and C: equal in every respect, rank 1 together; D: same total and criteria, more deducted;
    # B: same total, fewer points on the criteria; unit 4, not sent, unranked at the end.
    assert rows[:2] in (
        [(units[1].pk, 1, True), (units[3].pk, 1, True)],
        [(units[3].pk, 1, True), (units[1].pk, 1, True)],
    )
    assert rows[2:] == [(units[0].pk, 3, False), (units[2].pk, 4, False), (units[4].pk, None, False)]
    assert [item.row.grade for item in response.context["rows"]] == ["Xuất sắc"] * 4 + [""]
    assert response.context["provisional"]
    page = response.content.decode()
    assert str(TIE_RULES) in page
    assert page.count('data-rank="1"') == 2


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6])
def test_the_pages_read_together_are_the_whole_ranking(client, ranked, table, ministry_user, monkeypatch, size):
    """Each page reads its own rows from the database; across the end of the ranked units too."""
    from awards.views import scoring_sheets

    monkeypatch.setattr(scoring_sheets, "RANKING_PAGE_SIZE", size)
    region = ranked.campaign.region
    whole = [(r.row.unit_id, r.row.rank, r.shared) for r in ranking_rows(table, region).rows]
    client.force_login(ministry_user)
    read = []
    for number in range(1, len(whole) // size + 2):
        response = client.get(ranking_url(table, ranked.campaign.region), {"page": number})
        read += [(item.row.unit_id, item.row.rank, item.shared) for item in response.context["rows"]]
        assert len(response.context["rows"]) <= size and response.context["unit_count"] == len(whole)
    assert read[: len(whole)] == whole and len(whole) == 5
    assert [(rank, shared) for _unit, rank, shared in whole] == [
        (1, True),
        (1, True),
        (3, False),
        (4, False),
        (None, False),
    ]  # a shared rank across two pages of one row each is still shared


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("9" * 30, 3), ("0", 1), ("-2", 1), ("abc", 1), ("", 1)])
def test_a_page_past_the_end_or_unreadable_shows_the_last_or_the_first(
    client, ranked, table, ministry_user, monkeypatch, asked, shown
):
    """The page is read before the ranking is counted: past the end, the count is asked and the last page read."""
    from awards.views import scoring_sheets

    monkeypatch.setattr(scoring_sheets, "RANKING_PAGE_SIZE", 2)
    client.force_login(ministry_user)
    whole = client.get(ranking_url(table, ranked.campaign.region), {"page": shown}).context["rows"]
    response = client.get(ranking_url(table, ranked.campaign.region), {"page": asked})
    assert response.context["page"].number == shown and response.context["unit_count"] == 5
    assert [item.row.unit_id for item in response.context["rows"]] == [item.row.unit_id for item in whole]
    assert len(whole) == (1 if shown == 3 else 2)


def test_the_final_score_is_the_reviewed_one(client, ranked, table, ministry_user):
    sheet = ScoreSheet.objects.get(table=table, unit=ranked.units[1])
    review(sheet, ranked.officer, {"2.1": "5"})  # A falls to 35
    client.force_login(ministry_user)
    rows = client.get(ranking_url(table, ranked.campaign.region)).context["rows"]
    by_unit = {item.row.unit_id: item for item in rows}
    assert by_unit[ranked.units[1].pk].row.rank == 4
    assert by_unit[ranked.units[1].pk].row.grade == "Tốt"
    assert by_unit[ranked.units[1].pk].row.sheet.self_total == Decimal("45")
    assert by_unit[ranked.units[3].pk].row.rank == 1
    assert not by_unit[ranked.units[3].pk].shared


def test_the_ranking_is_final_once_every_unit_is_reviewed(client, world, table, ministry_user):
    for unit, leader in zip(world.units, world.leaders, strict=True):
        review(scored(table, unit, leader, A), world.officer, {})
    client.force_login(ministry_user)
    response = client.get(ranking_url(table, world.campaign.region))
    assert not response.context["provisional"]
    assert [item.row.rank for item in response.context["rows"]] == [1] * 5


def test_names_are_those_of_the_year(client, ranked, table, ministry_user):
    year = table.year
    region_services.region_rename(
        region=ranked.campaign.region, name="Khu vực thi đua mới", effective=date(year + 1, 1, 1)
    )
    region_services.unit_rename(unit=ranked.units[2], name="Sở Tư pháp tỉnh Sáp Nhập", effective=date(year + 1, 1, 1))
    client.force_login(ministry_user)
    response = client.get(ranking_url(table, ranked.campaign.region))
    page = response.content.decode()
    assert "Khu vực thi đua thử 5" in page
    assert "Khu vực thi đua mới" not in page
    assert "Sở Tư pháp tỉnh Thử 2" in page
    assert "Sáp Nhập" not in page


def test_each_unit_links_to_its_sheet_for_those_who_may_see_it(client, ranked, table):
    units = ranked.units
    sent = ScoreSheet.objects.get(table=table, unit=units[1])
    draft = ScoreSheet.objects.get(table=table, unit=units[4])
    client.force_login(ranked.officer)
    urls = {
        item.row.unit_id: item.url for item in client.get(ranking_url(table, ranked.campaign.region)).context["rows"]
    }
    assert urls[units[1].pk] == reverse("awards:sheet_review", args=[sent.pk])
    assert urls[units[4].pk] == reverse("awards:sheet", args=[table.pk, units[4].pk])
    assert draft.status == ScoreSheet.Status.DRAFT
    client.force_login(ranked.leaders[1])
    urls = {
        item.row.unit_id: item.url for item in client.get(ranking_url(table, ranked.campaign.region)).context["rows"]
    }
    assert urls[units[1].pk] == reverse("awards:sheet", args=[table.pk, units[1].pk])
    assert {unit_id for unit_id, url in urls.items() if url} == {units[1].pk}


# --- export ---------------------------------------------------------------------------------------


def test_the_export_is_a_workbook_with_vietnamese_headings_in_ranking_order(client, ranked, table, ministry_user):
    client.force_login(ministry_user)
    response = client.get(ranking_url(table, ranked.campaign.region, "ranking_xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = list(workbook.active.iter_rows(values_only=True))
    assert cells[0][0] == table.name
    heading = cells.index(RANKING_HEADINGS)
    body = cells[heading + 1 : heading + 6]
    assert [row[0] for row in body] == [1, 1, 3, 4, None]
    assert body[2][1] == "Sở Tư pháp tỉnh Thử 0"
    assert body[2][2:7] == (45, 45, 5, 5, 45)
    assert body[3][2:8] == (45, 40, 5, 0, 45, "Xuất sắc")
    assert body[4][1] == "Sở Tư pháp tỉnh Thử 4"
    assert body[4][2] is None


# --- queries --------------------------------------------------------------------------------------


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["ranking", "ranking_xlsx"])
def test_the_queries_do_not_grow_with_the_units(client, name):
    small, big = make_awards_world(3, prefix="nho"), make_awards_world(15, prefix="lon")
    table = make_table(small.campaign.year)
    for world in (small, big):
        for n, (unit, leader) in enumerate(zip(world.units, world.leaders, strict=True)):
            sheet = scored(table, unit, leader, A if n % 2 else B)
            if n % 3 == 0:
                review(sheet, world.officer, {"2.1": "12"})
    for viewer in ("officer", "leader"):
        counts = []
        for world in (small, big):
            client.force_login(world.officer if viewer == "officer" else world.leaders[1])
            counts.append(_queries(client, ranking_url(table, world.campaign.region, name)))
        assert counts[0] == counts[1], viewer


@pytest.mark.parametrize("name", ["ranking", "ranking_xlsx"])
def test_the_ranking_of_a_draft_table_is_shown_to_ministry_staff_only(client, world, ministry_user, name):
    draft = make_table(world.campaign.year, kinds=("cuc_thads",), publish=False, name="Bảng dự thảo")
    client.force_login(world.leaders[0])
    assert client.get(ranking_url(draft, world.campaign.region, name)).status_code == 404
    client.force_login(ministry_user)
    assert client.get(ranking_url(draft, world.campaign.region, name)).status_code == 200


# --- the rows' markup -------------------------------------------------------------------------------

# The rows as awards/ranking.html wrote them with template tags, before awards.templatetags.ranking_rows.
TEMPLATE_ROWS = (Path(__file__).parent / "fixtures" / "ranking_rows_before.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("viewer", ["officer", "leader"])
def test_the_rows_written_in_python_are_the_markup_the_template_wrote(client, ranked, table, language, viewer):
    from django.template import engines
    from django.test.html import parse_html

    sheet = ScoreSheet.objects.get(table=table, unit=ranked.units[0])
    review(sheet, ranked.officer, {"2.1": "12.5"})  # decimals, a reviewed badge; A and C still share a rank
    client.force_login(ranked.officer if viewer == "officer" else ranked.leaders[1])
    client.cookies["thidua_language"] = language
    response = client.get(ranking_url(table, ranked.campaign.region))
    page = response.content.decode()
    written = page[page.index("<tbody>") + len("<tbody>") : page.index("</tbody>")]
    with translation.override(language):
        expected = engines["django"].from_string(TEMPLATE_ROWS).render({"rows": response.context["rows"]})
    assert parse_html(written) == parse_html(expected)
    assert "—" in written and "<a href=" in written and ("(shared rank)" in written or "(đồng hạng)" in written)
