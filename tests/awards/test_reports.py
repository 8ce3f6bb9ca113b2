"""The report's queries: counts by title and kind group, by region, the list with the year's names, who sees what."""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from awards.models import AwardRegistration, RegisteredPerson
from awards.selectors import reports
from awards.services.registrations import registration_create
from regions import services as region_services
from regions.models import Unit
from tests.awards.factories import CSTD, EXCELLENT, FLAG, make_awards_world
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db

YEAR = 2024
Status = AwardRegistration.Status


def add_thads(world, chi_cuc: int, *, prefix: str = "") -> list[Unit]:
    """A Cục THADS and its Chi cục, members of the world's region in its year."""
    region, year = world.campaign.region, world.campaign.year
    cuc = make_unit(f"Cục Thi hành án dân sự tỉnh Thử {prefix}", kind=Unit.Kind.CUC_THADS, active_from=date(2000, 1, 1))
    units = [cuc]
    for n in range(chi_cuc):
        units.append(
            make_unit(
                f"Chi cục Thi hành án dân sự huyện Thử {prefix}{n}",
                kind=Unit.Kind.CHI_CUC_THADS,
                parent=cuc,
                active_from=date(2000, 1, 1),
            )
        )
    for unit in units:
        region_services.membership_add(region=region, unit=unit, year=year)
    return units


def register(world, unit: Unit, code: str, status: str = Status.SUBMITTED, people=()) -> AwardRegistration:
    """A registration in a given status, written directly (the services' paths are tested with the services)."""
    registration = AwardRegistration.objects.create(
        campaign=world.campaign,
        unit=unit,
        title=world.titles[code],
        status=status,
        return_reason="Thiếu báo cáo thành tích" if status == Status.RETURNED else "",
    )
    RegisteredPerson.objects.bulk_create(
        RegisteredPerson(registration=registration, full_name=name, position=position) for name, position in people
    )
    return registration


def fill(world) -> list[Unit]:
    """Three Sở, a Cục and two Chi cục: 9 registrations that count, one draft and one withdrawn that do not."""
    so = world.units
    thads = add_thads(world, 2)
    for unit, status in zip(so, (Status.SUBMITTED, Status.APPROVED, Status.RETURNED), strict=True):
        register(world, unit, FLAG, status)
    for unit, status in zip(thads, (Status.APPROVED, Status.PROPOSED, Status.AWARDED), strict=True):
        register(world, unit, FLAG, status)
    register(world, thads[0], EXCELLENT, Status.NOT_AWARDED)
    register(world, thads[1], EXCELLENT, Status.SUBMITTED)
    register(world, thads[2], EXCELLENT, Status.DRAFT)
    register(world, so[0], CSTD, Status.SUBMITTED, people=[("Nguyễn Thị Lan", "Phó Giám đốc")])
    register(world, so[2], CSTD, Status.WITHDRAWN, people=[("Trần Văn Hải", "Chuyên viên")])
    return thads


@pytest.fixture
def world():
    world = make_awards_world(3, year=YEAR)
    world.thads = fill(world)
    return world


def counts(row: reports.CountRow) -> dict[str, int]:
    return {cell.group: cell.count for cell in row.cells}


def by_code(summary: reports.Summary) -> dict[str, dict[str, int]]:
    return {row.code: counts(row) for row in summary.rows}


def test_registrations_are_counted_by_title_and_kind_group(world):
    summary = reports.summary(reports.ReportFilter(year=YEAR))
    assert [group.code for group in summary.groups] == ["stp", "thads"]  # only the groups with registrations
    assert by_code(summary) == {
        FLAG: {"stp": 3, "thads": 3, "total": 6},
        EXCELLENT: {"stp": 0, "thads": 2, "total": 2},
        CSTD: {"stp": 1, "thads": 0, "total": 1},
    }
    assert counts(summary.total) == {"stp": 4, "thads": 5, "total": 9}


def test_rows_follow_the_catalogue_order(world):
    summary = reports.summary(reports.ReportFilter(year=YEAR))
    positions = [row.title.position for row in summary.rows]
    assert positions == sorted(positions)


def test_drafts_and_withdrawn_registrations_count_only_when_asked_for(world):
    drafts = reports.summary(reports.ReportFilter(year=YEAR, statuses=(Status.DRAFT,)))
    assert by_code(drafts) == {EXCELLENT: {"thads": 1, "total": 1}}
    withdrawn = reports.summary(reports.ReportFilter(year=YEAR, statuses=(Status.WITHDRAWN,)))
    assert by_code(withdrawn) == {CSTD: {"stp": 1, "total": 1}}


def test_the_new_thads_bodies_and_other_units_have_columns_of_their_own(world):
    region = world.campaign.region
    for name, kind in (("Thi hành án dân sự tỉnh Thử", "thads_tinh"), ("Trung tâm Thử", "other")):
        unit = make_unit(name, kind=kind, active_from=date(2000, 1, 1))
        region_services.membership_add(region=region, unit=unit, year=YEAR)
        register(world, unit, FLAG)
    summary = reports.summary(reports.ReportFilter(year=YEAR))
    assert [group.code for group in summary.groups] == ["stp", "thads", "thads_tinh", "other"]
    assert by_code(summary)[FLAG] == {"stp": 3, "thads": 3, "thads_tinh": 1, "other": 1, "total": 8}


def test_title_kind_and_region_filters_narrow_the_counts(world):
    other = make_awards_world(2, year=YEAR, prefix="khac")
    for unit in other.units:
        register(other, unit, FLAG)
    every = reports.summary(reports.ReportFilter(year=YEAR))
    assert counts(every.total)["total"] == 11
    names = [region.name for region in every.regions]
    assert names == sorted([world.campaign.region.name, other.campaign.region.name])
    one = reports.summary(reports.ReportFilter(year=YEAR, region_ids=(other.campaign.region_id,)))
    assert by_code(one) == {FLAG: {"stp": 2, "total": 2}}
    flag = reports.summary(reports.ReportFilter(year=YEAR, title_id=world.titles[FLAG].pk))
    assert by_code(flag) == {FLAG: {"stp": 5, "thads": 3, "total": 8}}
    chi_cuc = reports.summary(reports.ReportFilter(year=YEAR, kind=Unit.Kind.CHI_CUC_THADS))
    assert by_code(chi_cuc) == {FLAG: {"thads": 2, "total": 2}, EXCELLENT: {"thads": 1, "total": 1}}


def test_the_counts_by_region_add_up_to_the_summary(world):
    other = make_awards_world(2, year=YEAR, prefix="khac")
    register(other, other.units[0], FLAG)
    summary = reports.summary(reports.ReportFilter(year=YEAR))
    regions = {region.region_id: region for region in summary.regions}
    assert counts(regions[other.campaign.region_id].total) == {"stp": 1, "thads": 0, "total": 1}
    assert counts(regions[world.campaign.region_id].total) == {"stp": 4, "thads": 5, "total": 9}
    flag_rows = [row for region in summary.regions for row in region.rows if row.code == FLAG]
    assert sum(counts(row)["total"] for row in flag_rows) == by_code(summary)[FLAG]["total"]


def test_another_year_is_not_counted(world):
    assert reports.summary(reports.ReportFilter(year=YEAR + 1)).is_empty


def test_the_counts_take_the_same_queries_for_two_or_twenty_units():
    small = make_awards_world(2, year=YEAR, prefix="nho")
    for unit in small.units:
        register(small, unit, FLAG)
    with CaptureQueriesContext(connection) as few:
        reports.summary(reports.ReportFilter(year=YEAR))
    big = make_awards_world(20, year=YEAR, prefix="lon")
    for unit in big.units:
        register(big, unit, FLAG)
        register(big, unit, CSTD, people=[("Lê Văn A", "Chuyên viên")])
    for unit in add_thads(big, 3, prefix="lon"):
        register(big, unit, EXCELLENT)
    with CaptureQueriesContext(connection) as many:
        summary = reports.summary(reports.ReportFilter(year=YEAR))
    assert counts(summary.total)["total"] == 2 + 40 + 4
    assert len(many) == len(few)


def test_the_list_names_units_and_regions_as_that_year(world):
    unit = world.units[1]
    old_name = unit.name
    region_services.unit_rename(unit=unit, name="Sở Tư pháp tỉnh Sáp Nhập", effective=date(YEAR + 1, 7, 1))
    rows = list(reports.registration_list(reports.ReportFilter(year=YEAR, title_id=world.titles[FLAG].pk)))
    names = {row.unit_id: row.name_on_day for row in rows}
    assert names[unit.pk] == old_name
    assert {row.region_name_on_day for row in rows} == {world.campaign.region.name}
    assert len(rows) == 6


def test_the_people_of_individual_titles_come_in_one_query(world):
    report = reports.ReportFilter(year=YEAR)
    with CaptureQueriesContext(connection) as queries:
        people = reports.people_by_registration(report)
    assert len(queries) == 1
    assert list(people.values()) == [["Nguyễn Thị Lan (Phó Giám đốc)"]]  # the withdrawn one is not in the report


def test_a_registration_sent_through_the_services_is_counted(world):
    unit = world.units[1]
    registration_create(
        campaign=world.campaign,
        unit=unit,
        title=world.titles[CSTD],
        actor=world.leaders[1],
        people=[("Phạm Thu Hà", "Trưởng phòng")],
        submit=True,
    )
    summary = reports.summary(reports.ReportFilter(year=YEAR))
    assert by_code(summary)[CSTD] == {"stp": 2, "thads": 0, "total": 2}


def test_region_officers_see_the_regions_of_their_units_that_year(world, ministry_user, admin_user):
    other = make_awards_world(2, year=YEAR, prefix="khac")
    assert reports.visible_region_ids(ministry_user, YEAR) is None
    assert reports.visible_region_ids(admin_user, YEAR) is None
    assert reports.visible_region_ids(world.officer, YEAR) == {world.campaign.region_id}
    assert reports.visible_region_ids(other.officer, YEAR) == {other.campaign.region_id}
    assert reports.visible_region_ids(world.officer, YEAR + 1) == set()


def test_the_default_year_is_the_latest_with_registrations(world, ministry_user):
    later = make_awards_world(2, year=YEAR + 1, prefix="sau")
    register(later, later.units[0], FLAG, Status.DRAFT)  # a draft is not a registration yet
    assert reports.default_year(ministry_user) == YEAR
    register(later, later.units[1], FLAG, Status.SUBMITTED)
    assert reports.default_year(ministry_user) == YEAR + 1
    assert reports.default_year(world.officer) == YEAR  # the later region is not the officer's


# The rows as awards/report.html wrote them with template tags, before awards.templatetags.awards_rows.
TEMPLATE_ROWS = (Path(__file__).parent / "fixtures" / "report_rows_before.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_written_in_python_are_the_markup_the_template_wrote(client, world, ministry_user, language):
    from django.template import engines
    from django.test.html import parse_html
    from django.urls import reverse

    register(world, world.units[1], CSTD, Status.APPROVED, people=[("Đỗ <b>Minh</b>", ""), ("Vũ Hà", "Chuyên viên")])
    client.force_login(ministry_user)
    client.cookies["thidua_language"] = language
    response = client.get(reverse("awards:report"), {"year": YEAR})
    page = response.content.decode()
    start = page.index("<tbody>", page.index('id="report-registrations"')) + len("<tbody>")
    written = page[start : page.index("</tbody>", start)]
    # The template wrote the registrations themselves, read whole in the list's order.
    shown = [row.pk for row in response.context["page"].object_list]
    models = {
        registration.pk: registration for registration in reports.registration_list(response.context["asked"].filter)
    }
    with translation.override(language):
        expected = (
            engines["django"].from_string(TEMPLATE_ROWS).render({"page": {"object_list": [models[pk] for pk in shown]}})
        )
    assert parse_html(written) == parse_html(expected)
    assert written.count("<tr ") == 10 and "Đỗ &lt;b&gt;Minh&lt;/b&gt;; Vũ Hà (Chuyên viên)" in written


@pytest.mark.parametrize("same_name", [False, True])
def test_a_page_sorts_only_its_regions_and_reads_the_rows_of_the_whole_list(world, same_name):
    other = make_awards_world(3, year=YEAR, prefix="khac")
    for unit in other.units:
        register(other, unit, FLAG, Status.SUBMITTED)
    if same_name:  # two regions of one name: their registrations interleave, the whole year is sorted
        region = other.campaign.region
        region.name = world.campaign.region.name
        region.save()
    report = reports.ReportFilter(year=YEAR)
    summary = reports.summary(report)
    whole = list(reports.registration_list(report, with_people=False).values_list("pk", flat=True))
    assert len(whole) == summary.total.total == 12
    for size in (1, 2, 5, 12):
        for start in range(0, 14, size):
            page = reports.registration_page(report, summary, start, start + size)
            assert [registration.pk for registration in page] == whole[start : start + size]
