"""The registration report page and its .xlsx export: who may see which region, the figures, the filters."""

import io
from datetime import date
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.excel import SHEET_LIST, SHEET_REGIONS, SHEET_SUMMARY
from awards.models import AwardRegistration
from regions import services as region_services
from tests.awards.factories import CSTD, EXCELLENT, FLAG, make_awards_world
from tests.awards.test_reports import YEAR, add_thads, fill, register

pytestmark = pytest.mark.django_db

REPORT = reverse("awards:report")
EXPORT = reverse("awards:report_xlsx")
Status = AwardRegistration.Status


class _Cells(HTMLParser):
    """The report's count cells: (region id or None, title code or "total", group) → count."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple, int] = {}
        self._key: tuple | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "td" and "data-title" in attributes and "data-group" in attributes:
            self._key = (attributes.get("data-region"), attributes["data-title"], attributes["data-group"])
            self._text = []

    def handle_data(self, data) -> None:
        if self._key is not None:
            self._text.append(data)

    def handle_endtag(self, tag) -> None:
        if tag == "td" and self._key is not None:
            self.cells[self._key] = int("".join(self._text).strip())
            self._key = None


def cells(response) -> dict[tuple, int]:
    parser = _Cells()
    parser.feed(response.content.decode())
    return parser.cells


def summary_cells(response) -> dict[tuple[str, str], int]:
    return {(title, group): count for (region, title, group), count in cells(response).items() if region is None}


def _as(client, user):
    client.force_login(user)
    return client


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


@pytest.fixture
def world():
    world = make_awards_world(3, year=YEAR)
    world.thads = fill(world)
    return world


@pytest.fixture
def other_world():
    other = make_awards_world(2, year=YEAR, prefix="khac")
    for unit in other.units:
        register(other, unit, FLAG)
    return other


# --- access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", [REPORT, EXPORT])
def test_visitors_are_sent_to_log_in(client, address):
    response = client.get(address)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("address", [REPORT, EXPORT])
def test_ministry_staff_and_administrators_see_the_report(client, world, ministry_user, admin_user, address):
    assert _as(client, ministry_user).get(address).status_code == 200
    assert _as(client, admin_user).get(address).status_code == 200


@pytest.mark.parametrize("address", [REPORT, EXPORT])
def test_leaders_and_accounts_without_a_role_are_refused(client, world, no_role_user, address):
    assert _as(client, world.leaders[1]).get(address).status_code == 403
    assert _as(client, no_role_user).get(address).status_code == 403


@pytest.mark.parametrize("address", [REPORT, EXPORT])
def test_a_region_officer_sees_their_own_region(client, world, address):
    response = _as(client, world.officer).get(address, {"region": world.campaign.region_id})
    assert response.status_code == 200


@pytest.mark.parametrize("address", [REPORT, EXPORT])
def test_a_region_officer_is_refused_another_region(client, world, other_world, address):
    response = _as(client, world.officer).get(address, {"region": other_world.campaign.region_id})
    assert response.status_code == 403


def test_a_region_officer_without_a_region_filter_gets_only_their_regions(client, world, other_world, ministry_user):
    mine = summary_cells(_as(client, world.officer).get(REPORT))
    assert mine[(FLAG, "stp")] == 3  # not the other region's two
    every = _as(client, ministry_user).get(REPORT)
    assert summary_cells(every)[(FLAG, "stp")] == 5
    regions = {region for region, _title, _group in cells(every) if region is not None}
    assert regions == {str(world.campaign.region_id), str(other_world.campaign.region_id)}


def test_the_region_choices_of_an_officer_are_their_regions(client, world, other_world):
    form = _as(client, world.officer).get(REPORT).context["form"]
    assert [pk for pk, _label in form.fields["region"].choices if pk] == [world.campaign.region_id]


# --- the figures --------------------------------------------------------------------------------------


def test_the_summary_counts_each_kind_group(client, world, ministry_user):
    response = _as(client, ministry_user).get(REPORT, {"year": YEAR})
    assert response.status_code == 200
    assert summary_cells(response) == {
        (FLAG, "stp"): 3,
        (FLAG, "thads"): 3,
        (FLAG, "total"): 6,
        (EXCELLENT, "stp"): 0,
        (EXCELLENT, "thads"): 2,
        (EXCELLENT, "total"): 2,
        (CSTD, "stp"): 1,
        (CSTD, "thads"): 0,
        (CSTD, "total"): 1,
        ("total", "stp"): 4,
        ("total", "thads"): 5,
        ("total", "total"): 9,
    }
    region = str(world.campaign.region_id)
    assert cells(response)[(region, "total", "total")] == 9


def test_the_year_defaults_to_the_latest_with_registrations(client, world, ministry_user):
    earlier = make_awards_world(2, year=YEAR - 1, prefix="truoc")
    register(earlier, earlier.units[0], FLAG)
    response = _as(client, ministry_user).get(REPORT)
    assert response.context["asked"].year == YEAR
    assert summary_cells(response)[("total", "total")] == 9
    assert summary_cells(_as(client, ministry_user).get(REPORT, {"year": YEAR - 1})) == {
        (FLAG, "stp"): 1,
        (FLAG, "total"): 1,
        ("total", "stp"): 1,
        ("total", "total"): 1,
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, {(EXCELLENT, "thads"): 1}),
        (Status.WITHDRAWN, {(CSTD, "stp"): 1}),
        (Status.RETURNED, {(FLAG, "stp"): 1}),
    ],
)
def test_a_single_status_can_be_chosen(client, world, ministry_user, status, expected):
    found = summary_cells(_as(client, ministry_user).get(REPORT, {"year": YEAR, "status": status}))
    assert {key: count for key, count in found.items() if key[0] != "total" and key[1] != "total"} == expected


def test_title_and_kind_filters_narrow_the_figures(client, world, ministry_user):
    client = _as(client, ministry_user)
    flag = summary_cells(client.get(REPORT, {"year": YEAR, "title": world.titles[FLAG].pk}))
    assert {title for title, _group in flag} == {FLAG, "total"}
    chi_cuc = summary_cells(client.get(REPORT, {"year": YEAR, "kind": "chi_cuc_thads"}))
    assert chi_cuc[("total", "thads")] == 3
    assert ("total", "stp") not in chi_cuc


def test_the_list_shows_each_registration_with_the_year_names(client, world, ministry_user):
    old_name = world.units[1].name
    region_services.unit_rename(unit=world.units[1], name="Sở Tư pháp tỉnh Sáp Nhập", effective=date(YEAR + 1, 7, 1))
    response = _as(client, ministry_user).get(REPORT, {"year": YEAR})
    page = response.context["page"]
    assert page.paginator.count == 9
    assert page.paginator.per_page == 50
    body = response.content.decode()
    assert old_name in body
    assert "Sở Tư pháp tỉnh Sáp Nhập" not in body
    assert "Nguyễn Thị Lan" in body  # the person registered for an individual title
    shown = {registration.pk for registration in page.object_list}
    detail = reverse("awards:registration_detail", args=[min(shown)])
    assert f'href="{detail}"' in body


def test_the_page_states_its_filters_and_prints(client, world, ministry_user):
    response = _as(client, ministry_user).get(REPORT, {"year": YEAR, "region": world.campaign.region_id})
    body = response.content.decode()
    applied = dict(response.context["asked"].applied)
    assert world.campaign.region.name in applied.values()
    assert str(YEAR) in applied.values()
    assert 'id="report-applied"' in body
    assert "data-print-button" in body
    assert "js/print-button.js" in body
    assert 'id="report-by-region"' not in body  # one region: the summary is its table


def test_no_registration_gives_an_empty_report(client, world, ministry_user):
    response = _as(client, ministry_user).get(REPORT, {"year": YEAR + 1})
    assert response.status_code == 200
    assert response.context["summary"].is_empty
    assert 'id="report-empty"' in response.content.decode()


# --- bad filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("year", "abc"),
        ("year", "1999"),
        ("region", "abc"),
        ("region", "999999"),
        ("title", "999999"),
        ("kind", "bo_tu_phap"),
        ("status", "registered-or-not"),
    ],
)
def test_bad_filters_are_refused_beside_their_field(client, world, ministry_user, field, value):
    response = _as(client, ministry_user).get(REPORT, {field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["summary"] is None
    body = response.content.decode()
    assert 'id="report-invalid"' in body
    assert 'id="report-summary"' not in body
    assert 'id="report-export"' not in body


def test_the_export_with_bad_filters_goes_back_to_the_page(client, world, ministry_user):
    response = _as(client, ministry_user).get(EXPORT, {"year": "abc"})
    assert response.status_code == 302
    assert response.url == f"{REPORT}?year=abc"


# --- the .xlsx export -----------------------------------------------------------------------------------


def test_the_workbook_holds_the_figures_of_the_page(client, world, other_world, ministry_user):
    client = _as(client, ministry_user)
    page = client.get(REPORT, {"year": YEAR})
    response = client.get(EXPORT, {"year": YEAR})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"dang-ky-thi-dua-{YEAR}.xlsx" in response["Content-Disposition"]
    workbook = _workbook(response)
    assert workbook.sheetnames == [SHEET_SUMMARY, SHEET_REGIONS, SHEET_LIST]

    rows = [row for row in workbook[SHEET_SUMMARY].iter_rows(values_only=True)]
    header = rows[3]
    assert all(header) and len(header) == 4  # title, the two groups with registrations, total
    names = {title.name: code for code, title in world.titles.items()}
    figures = {names.get(row[0], "total"): row[1:] for row in rows[4:]}
    shown = summary_cells(page)
    groups = ["stp", "thads", "total"]
    assert figures == {
        code: tuple(shown[(code, group)] for group in groups) for code in (FLAG, EXCELLENT, CSTD, "total")
    }
    assert figures["total"] == (6, 5, 11)

    by_region = [row for row in workbook[SHEET_REGIONS].iter_rows(values_only=True)][4:]
    assert by_region[-1][2:] == (6, 5, 11)
    region_totals = [row for row in by_region[:-1] if row[1] and row[1] not in names]
    assert sorted(row[2:] for row in region_totals) == [(2, 0, 2), (4, 5, 9)]

    listing = [row for row in workbook[SHEET_LIST].iter_rows(values_only=True)]
    assert all(listing[0]) and len(listing[0]) == 7
    assert [row[0] for row in listing[1:]] == list(range(1, 12))
    assert {row[2] for row in listing[1:]} == {unit.name for unit in (*world.units, *world.thads, *other_world.units)}
    assert [row[6] for row in listing[1:] if row[6]] == ["Nguyễn Thị Lan (Phó Giám đốc)"]


def test_the_workbook_follows_the_filters(client, world, ministry_user):
    response = _as(client, ministry_user).get(EXPORT, {"year": YEAR, "status": Status.DRAFT})
    listing = [row for row in _workbook(response)[SHEET_LIST].iter_rows(values_only=True)]
    assert len(listing) == 2
    assert listing[1][2] == world.thads[2].name


# --- queries -----------------------------------------------------------------------------------------


def _queries(client, address: str, data: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, data)
        assert response.status_code == 200
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return len(queries)


def _grow(prefix: str) -> None:
    """Twenty more Sở in a second region and four THADS units, each with registrations (more than a page)."""
    big = make_awards_world(20, year=YEAR, prefix=prefix)
    for unit in big.units:
        register(big, unit, FLAG)
        register(big, unit, CSTD, people=[("Lê Văn An", "Chuyên viên"), ("Đỗ Thị Bình", "Kế toán")])
    for unit in add_thads(big, 3, prefix=prefix):
        register(big, unit, EXCELLENT)


@pytest.mark.parametrize(
    ("who", "address", "data"),
    [
        ("ministry", REPORT, {}),
        ("ministry", REPORT, {"year": YEAR, "title": "flag"}),
        ("officer", REPORT, {}),
        ("ministry", EXPORT, {}),
    ],
)
def test_the_queries_do_not_grow_with_the_units(client, ministry_user, who, address, data):
    small = make_awards_world(2, year=YEAR, prefix="nho")
    for unit in small.units:
        register(small, unit, FLAG)
    if data.get("title") == "flag":
        data = data | {"title": small.titles[FLAG].pk}
    user = ministry_user if who == "ministry" else small.officer
    client = _as(client, user)
    client.get(REPORT)  # the session and the roles, read once
    few = _queries(client, address, data)
    _grow("lon")
    if who == "officer":  # the officer's own region grows too
        for unit in add_thads(small, 19, prefix="nho"):
            register(small, unit, FLAG)
    many = _queries(client, address, data)
    assert many == few


def test_the_whole_list_prints_on_one_page(client, world, ministry_user, monkeypatch):
    from awards.views import reports as report_views

    monkeypatch.setattr(report_views, "REPORT_PAGE_SIZE", 4)
    client = _as(client, ministry_user)
    paged = client.get(REPORT, {"year": YEAR})
    assert len(paged.context["page"].object_list) == 4
    link = f'href="{REPORT}?year={YEAR}&amp;status=registered&amp;print=all"'
    assert 'id="report-whole-list"' in paged.content.decode() and link in paged.content.decode()
    whole = client.get(REPORT, {"year": YEAR, "print": "all"})
    assert whole.context["page"].paginator.num_pages == 1
    assert len(whole.context["page"].object_list) == paged.context["page"].paginator.count > 4


# --- the acceptance check of the demo -----------------------------------------------------------------


def test_the_demo_2018_report_of_the_south_east_shows_the_article_figures(client, ministry_user):
    from django.core.management import call_command

    from regions.models import Region

    call_command("seed_demo", stdout=io.StringIO())
    region = Region.objects.get(slug="mien-dong-nam-bo")
    response = _as(client, ministry_user).get(REPORT, {"year": 2018, "region": region.pk})
    assert response.status_code == 200
    found = summary_cells(response)
    assert found[(FLAG, "stp")] == 12
    assert found[(FLAG, "thads")] == 40
    assert (
        "Khu vực thi đua Khối cơ quan Tư pháp các tỉnh miền Đông Nam bộ"
        in dict(response.context["asked"].applied).values()
    )
    # The export opens with the same figures, under Vietnamese headings.
    workbook = _workbook(_as(client, ministry_user).get(EXPORT, {"year": 2018, "region": region.pk}))
    rows = list(workbook[SHEET_SUMMARY].iter_rows(values_only=True))
    assert rows[3] == ("Danh hiệu", "Sở Tư pháp", "Cục và Chi cục THADS", "Tổng cộng")
    assert ("Cờ thi đua ngành Tư pháp", 12, 40, 52) in rows


# --- a large export is built by a worker ----------------------------------------------------------------


def test_past_the_bound_the_export_is_a_job_built_for_the_one_who_asked(
    client, world, ministry_user, settings, django_capture_on_commit_callbacks
):
    from core.models import ExportJob

    settings.EXPORT_INLINE_ROWS = 2
    client = _as(client, ministry_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("awards:report_xlsx"), {"year": YEAR})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:export_job", args=[job.pk])
    assert job.kind == "awards.report" and job.rows > 2 and job.params["year"] == [str(YEAR)]
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.filename == f"dang-ky-thi-dua-{YEAR}.xlsx"
    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == 200
    inline = client.get(reverse("awards:report_xlsx"), {"year": YEAR, "status": "registered"})
    assert inline.status_code == 302  # the same size: a job again, never built in the request
    settings.EXPORT_INLINE_ROWS = 10_000
    assert client.get(reverse("awards:report_xlsx"), {"year": YEAR}).status_code == 200
