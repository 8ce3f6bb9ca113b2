"""The dashboards: a fixed number of queries whatever the data, the .xlsx holding the page's numbers, who sees
which dashboard, the charts (SVG, escaped, no inline style) each with its table."""

import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from awards.models import AwardRegistration, Criterion, ScoreEntry, ScoreSheet
from awards.selectors.scoring import with_totals
from awards.services.registrations import registration_create
from awards.services.scoring import store_totals
from core.xlsx import sheet_title
from regions.selectors import region_name_on
from reports import charts
from reports.figures import figures
from reports.selectors import Scope, dashboard
from tests.awards.factories import FLAG, make_table, titles
from tests.factories import UserFactory
from tests.pacts.factories import leader_signs, make_world

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def grow(n: int, prefix: str, table) -> object:
    """A region of ``n`` Sở Tư pháp with an open pact half signed, every unit registered for the flag (one
    left unsent), a score sheet for each (half sent, a quarter reviewed)."""
    world = make_world(n, prefix=prefix)
    for index in range(n // 2):
        leader_signs(world, index)
    flag = titles()[FLAG]
    for index, unit in enumerate(world.units):
        registration_create(
            campaign=world.campaign, unit=unit, title=flag, actor=world.leaders[index], submit=index != n - 1
        )
        status = ScoreSheet.Status.DRAFT
        if index < n // 2:
            status = ScoreSheet.Status.SUBMITTED if index % 2 else ScoreSheet.Status.REVIEWED
        ScoreSheet.objects.create(table=table, unit=unit, status=status)
    return world


@pytest.fixture
def table():
    return make_table(YEAR)


def _client(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_query_counts_do_not_grow_with_the_data(client, table, ministry_user):
    small = grow(3, "a", table)
    client = _client(client, ministry_user)
    region_url = reverse("reports:region_dashboard", args=[YEAR, small.campaign.region.slug])
    unit_url = reverse("reports:unit_dashboard", args=[YEAR, small.units[0].pk])
    country_url = reverse("reports:country_dashboard", args=[YEAR])
    with CaptureQueriesContext(connection) as captured:
        dashboard(Scope(YEAR))
    reads = len(captured)
    assert reads <= 16  # the grouped reads shared by the figures (bench/dashboard.py), and whether names change
    before = [_queries(client, url) for url in (country_url, region_url, unit_url)]

    grow(12, "b", table)
    grow(7, "c", table)
    with CaptureQueriesContext(connection) as captured:
        board = dashboard(Scope(YEAR))
    assert board.state.units == 22 and board.registrations.total == 19  # the data did grow
    assert len(captured) == reads
    assert [_queries(client, url) for url in (country_url, region_url, unit_url)] == before


def test_the_figures_count_what_there_is(table):
    world = grow(4, "a", table)
    board = dashboard(Scope(YEAR, (world.campaign.region.pk,)))
    assert (board.signing.signed, board.signing.pending, board.signing.slots) == (2, 2, 4)
    assert board.registrations.total == 3  # one never sent
    assert [(row.name, row.counts) for row in board.registrations.rows] == [("Cờ thi đua ngành Tư pháp", {"stp": 3})]
    assert board.scoring.count("reviewed") == 1 and board.scoring.count("submitted") == 1
    assert board.nudges.counts == {"unsigned": 2, "returned": 0, "draft_registration": 1, "sheet_not_sent": 2}
    assert board.years[-1].registered == 3 and len(board.years) == 5
    assert board.days_to_deadline in (13, 14)


def test_the_score_distribution_totals_each_sheet_sent(table):
    """Reviewed points where given, else the unit's own; criteria + bonus − deductions, as the ranking counts
    them; a sheet sent without a single entry in the 0 bin; a sheet still being scored nowhere."""
    world = grow(4, "a", table)  # sheets: unit 0 reviewed, unit 1 sent, units 2 and 3 being scored
    criteria = {criterion.code: criterion for criterion in Criterion.objects.filter(group__table=table)}
    reviewed, sent, draft = (ScoreSheet.objects.get(table=table, unit=world.units[n]) for n in (0, 1, 2))
    for code, own, review in (("1.1", 20, 15), ("1.2", 10, None), ("2.1", 20, None), ("3.1", 5, None), ("3.2", 10, 2)):
        ScoreEntry.objects.create(sheet=sent, criterion=criteria[code], self_points=own, reviewed_points=review)
    ScoreEntry.objects.create(sheet=draft, criterion=criteria["1.1"], self_points=20)
    for sheet in (sent, draft):
        store_totals(sheet)  # as every scoring service does after points change
    assert with_totals(ScoreSheet.objects.filter(pk=sent.pk)).get().final_total == 48  # 15 + 10 + 20 + 5 − 2
    assert not reviewed.entries.exists()

    scoring = dashboard(Scope(YEAR, (world.campaign.region.pk,))).scoring
    assert [(pair.key, pair.label, pair.value) for pair in scoring.distribution] == [
        ("0", "0–10", 1),
        ("40", "40–50", 1),
    ]
    assert scoring.scored == 2 == scoring.count("submitted") + scoring.count("reviewed")


def test_the_units_to_nudge_are_cut_per_list_and_counted_whole(table):
    world = grow(5, "a", table)  # units 0 and 1 signed; unit 4's registration unsent; sheets of 2, 3, 4 unsent
    returned = AwardRegistration.objects.filter(unit__in=world.units[:3])
    returned.update(status=AwardRegistration.Status.RETURNED, return_reason="Bổ sung báo cáo thành tích.")
    region = world.campaign.region
    scope = Scope(YEAR, (region.pk,))
    names = [unit.name for unit in world.units]

    cut = dashboard(scope, nudge_limit=2).nudges
    assert cut.counts == {"unsigned": 3, "returned": 3, "draft_registration": 1, "sheet_not_sent": 3}
    assert [each.unit_name for each in cut.lists["returned"]] == names[:2]  # by name, the first two
    assert [each.unit_name for each in cut.lists["draft_registration"]] == names[4:]
    assert [each.unit_name for each in cut.lists["sheet_not_sent"]] == names[2:4]
    assert len(cut.lists["unsigned"]) == 2
    assert {each.region_name for each in cut.lists["unsigned"]} == {region_name_on(region, scope.day)}

    whole = dashboard(scope, nudge_limit=None).nudges
    assert [len(whole.lists[reason]) for reason in whole.counts] == list(whole.counts.values())


def _page_numbers(html: str) -> dict[str, list[tuple[int, ...]]]:
    tables = re.findall(r'<table[^>]*data-figure="([a-z_]+)"[^>]*>(.*?)</table>', html, re.S)
    found = {}
    for code, body in tables:
        rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
        found[code] = [tuple(int(cell) for cell in re.findall(r"<td[^>]*data-cell>(-?\d+)</td>", row)) for row in rows]
    return found


def test_the_xlsx_holds_the_numbers_of_the_page(client, table, ministry_user):
    world = grow(5, "a", table)
    grow(3, "b", table)
    client = _client(client, ministry_user)
    for page, xlsx in (
        (reverse("reports:country_dashboard", args=[YEAR]), reverse("reports:country_xlsx", args=[YEAR])),
        (
            reverse("reports:region_dashboard", args=[YEAR, world.campaign.region.slug]),
            reverse("reports:region_xlsx", args=[YEAR, world.campaign.region.slug]),
        ),
    ):
        shown = _page_numbers(client.get(page).content.decode())
        response = client.get(xlsx)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        board = dashboard(Scope(YEAR) if "region" not in page else Scope(YEAR, (world.campaign.region.pk,)))
        for figure in figures(board, with_charts=False):
            sheet = book[sheet_title(str(figure.caption))]
            rows = list(sheet.iter_rows(min_row=3, values_only=True))
            in_book = [tuple(cell for cell in row[1:] if isinstance(cell, int)) for row in rows]
            assert in_book == shown[figure.code], figure.code
            assert in_book == figure.numbers, figure.code
        assert shown["signing"][0] == (board.signing.signed,)


def test_one_figure_alone_and_an_unknown_one(client, table, ministry_user):
    grow(3, "a", table)
    client = _client(client, ministry_user)
    url = reverse("reports:country_xlsx", args=[YEAR])
    book = load_workbook(io.BytesIO(b"".join(client.get(url + "?figure=registrations").streaming_content)))
    assert len(book.sheetnames) == 1
    assert client.get(url + "?figure=nothing").status_code == 404


def _sheets_of(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_past_the_bound_the_workbook_is_built_by_a_worker_for_the_one_who_asked(
    client, table, ministry_user, settings, django_capture_on_commit_callbacks
):
    from core.models import ExportJob

    world = grow(6, "a", table)
    client = _client(client, ministry_user)
    region_xlsx = reverse("reports:region_xlsx", args=[YEAR, world.campaign.region.slug])
    inline = _sheets_of(b"".join(client.get(region_xlsx).streaming_content))
    nudged = dashboard(Scope(YEAR, (world.campaign.region.pk,)), nudge_limit=None).nudges
    assert sum(nudged.counts.values()) == 3 + 1 + 3  # unsigned, a registration unsent, sheets not sent

    settings.EXPORT_INLINE_ROWS = 6
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(region_xlsx)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:export_job", args=[job.pk])
    assert job.kind == "reports.figures" and job.rows == 7 and job.requested_by == ministry_user
    assert job.params["region"] == [world.campaign.region.slug] and job.params["year"] == [str(YEAR)]
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.filename == f"so-lieu-{YEAR}-{world.campaign.region.slug}.xlsx"
    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert _sheets_of(b"".join(download.streaming_content)) == inline
    # The address names the scope: a region or a unit slipped into the query changes nothing.
    other = grow(3, "b", table)
    country = client.get(reverse("reports:country_xlsx", args=[YEAR]), {"region": other.campaign.region.slug})
    assert country.status_code == 302 and ExportJob.objects.latest("pk").params == {"year": [str(YEAR)]}
    unit_asked = {"unit": other.units[0].pk, "figure": "registrations"}
    assert client.get(region_xlsx, unit_asked)["Content-Disposition"].endswith(
        f'so-lieu-{YEAR}-{world.campaign.region.slug}-registrations.xlsx"'
    )
    # One figure alone is a table of a few rows: always in the request; so is a unit's workbook, its few rows.
    assert client.get(region_xlsx, {"figure": "registrations"}).status_code == 200
    assert client.get(reverse("reports:unit_xlsx", args=[YEAR, world.units[0].pk])).status_code == 200
    assert ExportJob.objects.count() == 2


def test_a_workbook_job_is_refused_to_one_who_may_no_longer_see_the_dashboard(
    client, table, settings, django_capture_on_commit_callbacks
):
    from core.models import ExportJob

    world = grow(6, "a", table)
    officer = world.officer
    settings.EXPORT_INLINE_ROWS = 1
    client = _client(client, officer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.get(reverse("reports:region_xlsx", args=[YEAR, world.campaign.region.slug]))
    assert response.status_code == 302 and len(queued) == 1
    officer.groups.clear()  # no longer an officer of the region before the worker builds it
    settings.EXPORT_MAX_ATTEMPTS = 1
    queued[0]()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED and "PermissionDenied" in job.last_error and not job.file


def test_who_sees_which_dashboard(client, table):
    mine = grow(3, "a", table)
    other = grow(3, "b", table)
    officer, leader = mine.officer, mine.leaders[1]
    client = _client(client, officer)
    assert client.get(reverse("reports:dashboard")).url == reverse(
        "reports:region_dashboard", args=[YEAR, mine.campaign.region.slug]
    )
    assert client.get(reverse("reports:region_dashboard", args=[YEAR, mine.campaign.region.slug])).status_code == 200
    assert client.get(reverse("reports:region_dashboard", args=[YEAR, other.campaign.region.slug])).status_code == 403
    assert client.get(reverse("reports:country_dashboard", args=[YEAR])).status_code == 403
    assert client.get(reverse("reports:country_xlsx", args=[YEAR])).status_code == 403

    client = _client(client, leader)
    own = reverse("reports:unit_dashboard", args=[YEAR, mine.units[1].pk])
    assert client.get(reverse("reports:dashboard")).url == own
    assert client.get(own).status_code == 200
    assert client.get(reverse("reports:unit_dashboard", args=[YEAR, mine.units[2].pk])).status_code == 403
    assert client.get(reverse("reports:region_dashboard", args=[YEAR, mine.campaign.region.slug])).status_code == 403
    assert client.get(reverse("reports:report_list")).status_code == 403

    client = _client(client, UserFactory(username="khongvaitro", roles=[]))
    assert client.get(reverse("reports:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("reports:country_dashboard", args=[YEAR])).status_code == 302


def test_a_year_out_of_range_or_a_bad_choice(client, ministry_user):
    client = _client(client, ministry_user)
    assert client.get(reverse("reports:country_dashboard", args=[1900])).status_code == 404
    response = client.get(reverse("reports:dashboard") + "?year=abc&region=")
    assert response.status_code == 400
    assert "Enter a year as four digits" in response.content.decode()
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR}&region=no-such-region")
    assert response.status_code == 400


def test_the_page_shows_the_charts_with_their_tables_and_the_units_to_nudge(client, table, ministry_user):
    world = grow(4, "a", table)
    html = _client(client, ministry_user).get(reverse("reports:country_dashboard", args=[YEAR])).content.decode()
    assert html.count("<svg") >= 4
    assert html.count("<figure") == html.count("<figcaption")
    assert 'role="img"' in html and "style=" not in html.split("<main", 1)[-1].split("<svg", 1)[1]
    assert world.pact.signatories.get(unit=world.units[3]).unit_name in html  # not signed: to nudge
    assert 'data-nudge="unsigned"' in html and 'data-nudge="draft_registration"' in html


def test_a_chart_escapes_its_labels_and_uses_no_style():
    svg = charts.bars("c", "A <title>", ['<script>alert("x")</script>', "B & C"], [3, 0])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "B &amp; C" in svg
    assert "style" not in svg
    assert 'aria-labelledby="c-title"' in svg


def test_a_leader_sees_the_units_own_year(client, table):
    world = grow(4, "a", table)
    client = _client(client, world.leaders[3])
    html = client.get(reverse("reports:unit_dashboard", args=[YEAR, world.units[3].pk])).content.decode()
    numbers = _page_numbers(html)
    assert numbers["signing"][:3] == [(0,), (1,), (1,)]  # not signed, one slot
    assert AwardRegistration.objects.filter(unit=world.units[3], status="draft").exists()
    assert "Registration not sent" in html


def test_an_officer_without_a_region_is_told_why(client):
    officer = UserFactory(username="canbo-le", roles=[Role.REGION])
    response = _client(client, officer).get(reverse("reports:dashboard"), follow=True)
    assert "no dashboard to show yet" in response.content.decode()
