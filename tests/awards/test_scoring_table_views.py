"""The scoring-table pages: list, detail, create and edit, the criteria editor, grades, publishing, the .xlsx import."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from awards.models import Criterion, GradeThreshold, ScoringGroup, ScoringTable
from awards.services import scoring as scoring_services
from awards.views.scoring_tables import SESSION_KEY
from tests.awards.factories import make_awards_world, make_table

pytestmark = pytest.mark.django_db

LIST = reverse("awards:table_list")
CREATE = reverse("awards:table_create")
TEMPLATE = reverse("awards:table_template")
HEADINGS = ["Nhóm", "Tên nhóm", "Mã tiêu chí", "Nội dung tiêu chí", "Điểm chuẩn", "Loại"]


def url(name: str, table: ScoringTable) -> str:
    return reverse(f"awards:table_{name}", args=[table.pk])


def _as(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def year(world) -> int:
    return world.campaign.year


@pytest.fixture
def table(year) -> ScoringTable:
    """The year's table in use for Sở Tư pháp: 30 + 20 points, a bonus of 5, a deduction of 10."""
    return make_table(year)


@pytest.fixture
def draft(year) -> ScoringTable:
    """A draft table for Cục THADS, the same year, with criteria and grades."""
    return make_table(year, kinds=("cuc_thads",), publish=False, name="Bảng chấm điểm Cục THADS")


@pytest.fixture
def empty_draft(year) -> ScoringTable:
    return scoring_services.table_create(year=year, unit_kinds=["chi_cuc_thads"], name="Bảng chấm điểm Chi cục THADS")


def content_of(table: ScoringTable) -> list[tuple]:
    """Everything the criteria editor may change, to compare before and after."""
    return list(
        Criterion.objects.filter(group__table=table)
        .order_by("group__number", "position")
        .values_list("group__number", "group__title", "code", "text", "max_points", "kind", "position")
    )


def grades_of(table: ScoringTable) -> list[tuple]:
    return list(table.thresholds.order_by("-min_points").values_list("label", "min_points"))


# --- who may see what ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, table):
    for target in (LIST, url("detail", table), CREATE, url("edit", table), url("content", table), TEMPLATE):
        response = client.get(target)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    response = client.post(url("publish", table))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_account_without_a_role_is_refused(client, no_role_user, table):
    _as(client, no_role_user)
    assert client.get(LIST).status_code == 403
    assert client.get(url("detail", table)).status_code == 403


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_region_officers_and_leaders_read_the_tables_in_use(client, world, table, draft, who):
    user = world.officer if who == "officer" else world.leaders[1]
    _as(client, user)
    response = client.get(LIST)
    assert response.status_code == 200
    shown = [row.pk for row in response.context["page"].object_list]
    assert shown == [table.pk]  # a draft is not issued yet
    assert b'id="new-table"' not in response.content
    detail = client.get(url("detail", table))
    assert detail.status_code == 200
    assert b'id="table-actions"' not in detail.content
    assert client.get(url("detail", draft)).status_code == 404


def _change_requests(table: ScoringTable) -> list[tuple[str, str]]:
    return [
        ("get", CREATE),
        ("post", CREATE),
        ("get", TEMPLATE),
        ("get", url("edit", table)),
        ("post", url("edit", table)),
        ("get", url("content", table)),
        ("post", url("content", table)),
        ("get", url("thresholds", table)),
        ("post", url("thresholds", table)),
        ("post", url("publish", table)),
        ("get", url("import", table)),
        ("post", url("import", table)),
        ("get", url("import_preview", table)),
        ("post", url("import_confirm", table)),
    ]


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_region_officers_and_leaders_change_nothing(client, world, draft, who):
    _as(client, world.officer if who == "officer" else world.leaders[0])
    before = (content_of(draft), grades_of(draft), ScoringTable.objects.count())
    for method, target in _change_requests(draft):
        response = getattr(client, method)(target)
        assert response.status_code == 403, (method, target)
    draft.refresh_from_db()
    assert draft.status == ScoringTable.Status.DRAFT
    assert (content_of(draft), grades_of(draft), ScoringTable.objects.count()) == before


def test_unknown_tables_are_not_found(client, ministry_user):
    _as(client, ministry_user)
    missing = ScoringTable(pk=987654)
    for name in ("detail", "edit", "content", "thresholds", "import"):
        assert client.get(url(name, missing)).status_code == 404
    assert client.post(url("publish", missing)).status_code == 404


def test_publishing_is_a_post(client, ministry_user, draft):
    _as(client, ministry_user)
    assert client.get(url("publish", draft)).status_code == 405
    draft.refresh_from_db()
    assert draft.status == ScoringTable.Status.DRAFT


# --- the list ------------------------------------------------------------------------------------------


def test_the_ministry_lists_every_table_with_its_maximum_and_status(client, ministry_user, table, draft, empty_draft):
    response = _as(client, ministry_user).get(LIST)
    assert response.status_code == 200
    assert b'id="new-table"' in response.content
    rows = {row.pk: row for row in response.context["page"].object_list}
    assert set(rows) == {table.pk, draft.pk, empty_draft.pk}
    assert rows[table.pk].maximum == Decimal("50")
    assert rows[empty_draft.pk].criteria_count == 0
    assert reverse("awards:table_detail", args=[table.pk]).encode() in response.content
    assert b"536/Q\xc4\x90-BTP" in response.content  # the decision number, from the data


def test_the_list_filters_by_year(client, ministry_user, table, year):
    other = make_table(year - 1, name="Bảng năm trước")
    _as(client, ministry_user)
    response = client.get(LIST, {"year": year - 1})
    assert [row.pk for row in response.context["page"].object_list] == [other.pk]
    assert response.context["years"] == [year, year - 1]
    response = client.get(LIST, {"year": "năm ngoái"})  # a bad filter is left out, not a crash
    assert response.status_code == 200
    assert {row.pk for row in response.context["page"].object_list} == {table.pk, other.pk}


def test_the_list_makes_the_same_queries_for_few_and_many_tables(client, ministry_user, year):
    _as(client, ministry_user)
    make_table(year)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(1, 6):
        make_table(year - n)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many.captured_queries) == len(few.captured_queries)


# --- create and edit -------------------------------------------------------------------------------------


def _table_data(table_year: int, **overrides) -> dict:
    data = {
        "year": str(table_year),
        "name": "Bảng tiêu chí đánh giá, chấm điểm, xếp hạng thi đua đối với Cục THADS",
        "unit_kinds": ["cuc_thads"],
        "decision_number": "1027/QĐ-BTP",
        "decision_date": "26/04/2019",
        "issuer": "Bộ trưởng Bộ Tư pháp",
    }
    return data | overrides


def test_the_ministry_creates_a_table(client, ministry_user, year):
    response = _as(client, ministry_user).post(CREATE, _table_data(year))
    created = ScoringTable.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", created)
    assert (created.year, created.unit_kinds, created.status) == (year, ["cuc_thads"], ScoringTable.Status.DRAFT)
    assert created.decision_date == date(2019, 4, 26)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unit_kinds", []),
        ("unit_kinds", ["khong_co"]),
        ("name", "  "),
        ("year", "1999"),
        ("year", "năm nay"),
        ("decision_date", "31/02/2024"),
    ],
)
def test_a_bad_table_is_refused(client, ministry_user, year, field, value):
    response = _as(client, ministry_user).post(CREATE, _table_data(year, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ScoringTable.objects.exists()


def test_kinds_already_scored_that_year_are_refused(client, ministry_user, table, year):
    data = _table_data(year, unit_kinds=["cuc_thads", "so_tu_phap"])
    response = _as(client, ministry_user).post(CREATE, data)
    assert response.status_code == 200
    assert table.name in response.context["form"].errors["unit_kinds"][0]
    assert ScoringTable.objects.count() == 1
    # Another year is free.
    assert client.post(CREATE, _table_data(year + 1, unit_kinds=["so_tu_phap"])).status_code == 302


def test_the_ministry_edits_a_table_but_not_its_year(client, ministry_user, draft, year):
    _as(client, ministry_user)
    assert client.get(url("edit", draft)).context["form"]["year"].value() == year
    data = _table_data(year + 3, name="Bảng đã sửa", unit_kinds=["cuc_thads", "thads_tinh"])
    response = client.post(url("edit", draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.year, draft.unit_kinds) == ("Bảng đã sửa", year, ["cuc_thads", "thads_tinh"])


def test_an_edit_onto_another_tables_kinds_is_refused(client, ministry_user, table, draft, year):
    response = _as(client, ministry_user).post(
        url("edit", draft), _table_data(year, name="Bảng đã sửa", unit_kinds=["so_tu_phap"])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit_kinds"]
    draft.refresh_from_db()
    assert (draft.name, draft.unit_kinds) == ("Bảng chấm điểm Cục THADS", ["cuc_thads"])


# --- the table as units read it -------------------------------------------------------------------------


def test_the_detail_numbers_groups_in_roman_numerals_with_maxima_and_grades(client, world, table):
    response = _as(client, world.leaders[2]).get(url("detail", table))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(group.roman, group.maximum) for group in groups] == [
        ("I", Decimal("30")),
        ("II", Decimal("20")),
        ("III", Decimal("0")),
    ]
    assert response.context["maximum"] == Decimal("50")
    assert (response.context["bonus_maximum"], response.context["deduction_maximum"]) == (Decimal("5"), Decimal("10"))
    html = response.content.decode()
    assert '<th scope="rowgroup" class="text-nowrap">III</th>' in html
    assert "Báo cáo đúng hạn" in html and "Mô hình hay, cách làm mới" in html
    assert [t.label for t in response.context["thresholds"]] == ["Xuất sắc", "Tốt", "Khá"]
    assert 'id="table-maximum">50<' in html


def test_the_ministry_sees_the_editing_buttons_of_a_draft(client, ministry_user, draft, table):
    _as(client, ministry_user)
    html = client.get(url("detail", draft)).content.decode()
    for name in ("edit", "content", "import", "thresholds", "publish"):
        assert url(name, draft) in html, name
    html = client.get(url("detail", table)).content.decode()
    assert url("publish", table) not in html and url("content", table) not in html
    assert url("thresholds", table) in html


def test_the_detail_links_to_the_ranking_of_each_region_of_the_tables_kinds(client, ministry_user, world, table):
    other = make_awards_world(2, prefix="khac")  # another region of Sở Tư pháp, the same year
    response = _as(client, ministry_user).get(url("detail", table))
    regions = response.context["regions"]
    assert {region.pk for region in regions} == {world.campaign.region_id, other.campaign.region_id}
    html = response.content.decode()
    for region in regions:
        assert reverse("awards:ranking", args=[table.pk, region.pk]) in html


def test_a_leader_gets_the_ranking_link_of_their_own_region_only(client, world, table):
    other = make_awards_world(2, prefix="khac")
    response = _as(client, world.leaders[1]).get(url("detail", table))
    assert [region.pk for region in response.context["regions"]] == [world.campaign.region_id]
    assert reverse("awards:ranking", args=[table.pk, other.campaign.region_id]) not in response.content.decode()


def _table_with_criteria(year: int, count: int, kind: str) -> ScoringTable:
    created = scoring_services.table_create(year=year, unit_kinds=[kind], name=f"Bảng {count} tiêu chí")
    C = scoring_services.CriterionSpec
    per_group = count // 5
    scoring_services.table_set_content(
        table=created,
        groups=[
            scoring_services.GroupSpec(
                f"Nhóm {g}", [C(f"{g}.{n}", f"Tiêu chí {g}.{n}", Decimal("2")) for n in range(per_group)]
            )
            for g in range(1, 6)
        ],
    )
    scoring_services.table_set_thresholds(table=created, thresholds=[("Tốt", Decimal("10"))])
    return scoring_services.table_publish(table=created)


def test_the_detail_makes_the_same_queries_for_10_and_40_criteria(client, world, year):
    small = _table_with_criteria(year, 10, "cuc_thads")
    big = _table_with_criteria(year, 40, "chi_cuc_thads")
    _as(client, world.officer)
    client.get(url("detail", small))
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url("detail", small)).status_code == 200
    with CaptureQueriesContext(connection) as forty:
        assert client.get(url("detail", big)).status_code == 200
    assert len(forty.captured_queries) == len(ten.captured_queries)


# --- publishing -------------------------------------------------------------------------------------------


def test_the_ministry_puts_a_table_in_use(client, ministry_user, draft):
    response = _as(client, ministry_user).post(url("publish", draft))
    assert response.status_code == 302 and response["Location"] == url("detail", draft)
    draft.refresh_from_db()
    assert draft.status == ScoringTable.Status.PUBLISHED


def test_a_table_without_grades_cannot_be_put_in_use(client, ministry_user, draft):
    GradeThreshold.objects.filter(table=draft).delete()
    response = _as(client, ministry_user).post(url("publish", draft), follow=True)
    assert any(message.level_tag == "error" for message in response.context["messages"])
    draft.refresh_from_db()
    assert draft.status == ScoringTable.Status.DRAFT


def test_a_table_without_criteria_cannot_be_put_in_use(client, ministry_user, empty_draft):
    scoring_services.table_set_thresholds(table=empty_draft, thresholds=[("Tốt", Decimal("80"))])
    _as(client, ministry_user).post(url("publish", empty_draft))
    empty_draft.refresh_from_db()
    assert empty_draft.status == ScoringTable.Status.DRAFT


# --- the criteria editor ------------------------------------------------------------------------------------

ROW_FIELDS = ("group", "group_title", "code", "text", "max_points", "kind")


def _rows(rows: list[tuple], *, extra: int = 2, deleted: tuple[int, ...] = ()) -> dict:
    """The editor's fields for rows of (group, title, code, text, points, kind), with empty rows after them."""
    data = {
        "criteria-TOTAL_FORMS": str(len(rows) + extra),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data |= {f"criteria-{n}-{name}": value for name, value in zip(ROW_FIELDS, row, strict=True)}
        if n in deleted:
            data[f"criteria-{n}-DELETE"] = "on"
    for n in range(len(rows), len(rows) + extra):
        data |= {f"criteria-{n}-{name}": "" for name in ROW_FIELDS} | {f"criteria-{n}-kind": "standard"}
    return data


GOOD_ROWS = [
    ("2", "Ứng dụng công nghệ thông tin", "2.1", "Tỷ lệ văn bản ký số", "1,5", "standard"),
    ("1", "Thực hiện chế độ báo cáo", "1.1", "Báo cáo đúng hạn", "2", "standard"),
    ("II", "", "2.2", "Cổng thông tin điện tử", "10.25", "standard"),
    ("1", "Thực hiện chế độ báo cáo", "1.2", "Báo cáo đầy đủ", "3", "standard"),
    ("3", "Điểm cộng, điểm trừ", "3.1", "Mô hình hay", "5", "bonus"),
    ("3", "", "3.2", "Bị phê bình", "4", "deduction"),
]


def test_the_editor_shows_the_criteria_with_five_empty_rows(client, ministry_user, draft):
    response = _as(client, ministry_user).get(url("content", draft))
    formset = response.context["formset"]
    assert formset.total_form_count() == 5 + 5
    first, second = formset.forms[0].initial, formset.forms[1].initial
    assert (first["group"], first["group_title"], first["code"], first["max_points"]) == (
        "1",
        "Thực hiện chế độ báo cáo",
        "1.1",
        "20",
    )
    assert second["group_title"] == ""  # a group's title is written on its first row
    assert client.get(url("content", draft), {"extra": "12"}).context["formset"].total_form_count() == 5 + 12
    assert client.get(url("content", draft), {"extra": "nhiều"}).context["formset"].total_form_count() == 5 + 5


def test_the_editor_saves_rows_grouped_and_sorted_by_group_number(client, ministry_user, draft):
    response = _as(client, ministry_user).post(url("content", draft), _rows(GOOD_ROWS))
    assert response.status_code == 302
    assert response["Location"] == url("detail", draft)
    assert content_of(draft) == [
        (1, "Thực hiện chế độ báo cáo", "1.1", "Báo cáo đúng hạn", Decimal("2"), "standard", 1),
        (1, "Thực hiện chế độ báo cáo", "1.2", "Báo cáo đầy đủ", Decimal("3"), "standard", 2),
        (2, "Ứng dụng công nghệ thông tin", "2.1", "Tỷ lệ văn bản ký số", Decimal("1.5"), "standard", 1),
        (2, "Ứng dụng công nghệ thông tin", "2.2", "Cổng thông tin điện tử", Decimal("10.25"), "standard", 2),
        (3, "Điểm cộng, điểm trừ", "3.1", "Mô hình hay", Decimal("5"), "bonus", 1),
        (3, "Điểm cộng, điểm trừ", "3.2", "Bị phê bình", Decimal("4"), "deduction", 2),
    ]


def test_the_editor_leaves_out_deleted_and_emptied_rows(client, ministry_user, draft):
    rows = [*GOOD_ROWS, ("", "", "", "", "", "standard")]
    _as(client, ministry_user).post(url("content", draft), _rows(rows, deleted=(3,)))
    assert [row[2] for row in content_of(draft)] == ["1.1", "2.1", "2.2", "3.1", "3.2"]


@pytest.mark.parametrize(
    ("row", "value", "field"),
    [
        (1, {"max_points": "hai"}, "max_points"),
        (1, {"max_points": "0"}, "max_points"),
        (1, {"max_points": "-2"}, "max_points"),
        (1, {"max_points": "1.234"}, "max_points"),
        (1, {"max_points": ""}, "max_points"),
        (1, {"code": ""}, "code"),
        (1, {"text": ""}, "text"),
        (1, {"group": "không"}, "group"),
        (1, {"group": ""}, "group"),
        (3, {"code": "1.1"}, "code"),
        (3, {"group_title": "Tên khác"}, "group_title"),
        (2, {"group": "7"}, "group_title"),  # a group of its own without a title
        (4, {"kind": "khac"}, "kind"),
    ],
)
def test_a_bad_cell_is_refused_on_its_row_and_nothing_changes(client, ministry_user, draft, row, value, field):
    before = content_of(draft)
    rows = [list(r) for r in GOOD_ROWS]
    for name, text in value.items():
        rows[row][ROW_FIELDS.index(name)] = text
    response = _as(client, ministry_user).post(url("content", draft), _rows([tuple(r) for r in rows]))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[row].errors[field]
    assert [n for n, form in enumerate(formset.forms) if form.errors] == [row]
    assert f'id="row-{row + 1}" class="table-danger"' in response.content.decode()
    assert content_of(draft) == before


def test_deleting_every_row_is_refused(client, ministry_user, draft):
    before = content_of(draft)
    response = _as(client, ministry_user).post(url("content", draft), _rows(GOOD_ROWS, deleted=tuple(range(6))))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert content_of(draft) == before


def test_more_rows_keeps_what_was_typed_and_saves_nothing(client, ministry_user, draft):
    before = content_of(draft)
    data = _rows(GOOD_ROWS[:2]) | {"more": "1"}
    response = _as(client, ministry_user).post(url("content", draft) + "?extra=10", data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert not formset.is_bound
    assert formset.total_form_count() == 2 + 10
    assert [form.initial["code"] for form in formset.forms[:2]] == ["2.1", "1.1"]
    assert b'formaction="?extra=15"' in response.content
    assert content_of(draft) == before


def test_the_criteria_of_a_table_in_use_cannot_change(client, ministry_user, table):
    before = content_of(table)
    _as(client, ministry_user)
    response = client.get(url("content", table))
    assert response.status_code == 200
    assert response.context["formset"] is None
    assert b'id="table-in-use"' in response.content
    response = client.post(url("content", table), _rows(GOOD_ROWS))
    assert response.status_code == 200
    assert content_of(table) == before


# --- grades -------------------------------------------------------------------------------------------------


def _grades(rows: list[tuple[str, str]], *, extra: int = 1) -> dict:
    data = {
        "grades-TOTAL_FORMS": str(len(rows) + extra),
        "grades-INITIAL_FORMS": "0",
        "grades-MIN_NUM_FORMS": "0",
        "grades-MAX_NUM_FORMS": "1000",
    }
    for n, (label, points) in enumerate([*rows, *[("", "")] * extra]):
        data |= {f"grades-{n}-label": label, f"grades-{n}-min_points": points}
    return data


TYPICAL_GRADES = [("Xuất sắc", "90"), ("Tốt", "80"), ("Khá", "70"), ("Trung bình", "50")]


def test_the_ministry_sets_the_grades(client, ministry_user, draft):
    _as(client, ministry_user)
    formset = client.get(url("thresholds", draft)).context["formset"]
    assert [form.initial["label"] for form in formset.forms[:3]] == ["Xuất sắc", "Tốt", "Khá"]
    response = client.post(url("thresholds", draft), _grades(TYPICAL_GRADES))
    assert response.status_code == 302
    assert grades_of(draft) == [
        ("Xuất sắc", Decimal("90")),
        ("Tốt", Decimal("80")),
        ("Khá", Decimal("70")),
        ("Trung bình", Decimal("50")),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        [("Xuất sắc", "90"), ("Xuất sắc", "80")],
        [("Xuất sắc", "90"), ("Tốt", "90")],
        [("Xuất sắc", "-1")],
        [("Xuất sắc", "chín mươi")],
        [("", "90")],
        [],
    ],
)
def test_bad_grades_are_refused_and_nothing_changes(client, ministry_user, draft, rows):
    before = grades_of(draft)
    response = _as(client, ministry_user).post(url("thresholds", draft), _grades(rows))
    assert response.status_code == 200
    assert not response.context["formset"].is_valid()
    assert grades_of(draft) == before


# --- import from Excel ----------------------------------------------------------------------------------------


def workbook_bytes(rows: list[list], headings: list[str] = HEADINGS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "bang-tieu-chi.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


SHEET_ROWS = [
    [1, "Thực hiện chế độ báo cáo", "1.1", "Báo cáo đúng hạn", 2, "Tiêu chí"],
    [1, None, "1.2", "Báo cáo đầy đủ", 2.5, None],
    ["II", "Điểm cộng", "2.1", "Mô hình hay", "5", "Điểm cộng"],
]


def test_the_template_has_the_headings_and_two_example_rows(client, ministry_user):
    response = _as(client, ministry_user).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["Tiêu chí"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    assert len(rows) == 3


def test_an_import_is_previewed_then_confirmed(client, ministry_user, draft):
    _as(client, ministry_user)
    response = client.post(url("import", draft), {"file": upload(workbook_bytes(SHEET_ROWS))})
    assert response.status_code == 302 and response["Location"] == url("import_preview", draft)
    preview = client.get(url("import_preview", draft))
    check = preview.context["check"]
    assert check.is_valid and [row.number for row in check.rows] == [2, 3, 4]
    assert preview.context["current_count"] == 5
    assert url("import_confirm", draft).encode() in preview.content
    assert content_of(draft)[0][2] == "1.1" and len(content_of(draft)) == 5  # nothing saved yet

    response = client.post(url("import_confirm", draft), {"token": preview.context["token"]})
    assert response.status_code == 302 and response["Location"] == url("detail", draft)
    assert content_of(draft) == [
        (1, "Thực hiện chế độ báo cáo", "1.1", "Báo cáo đúng hạn", Decimal("2"), "standard", 1),
        (1, "Thực hiện chế độ báo cáo", "1.2", "Báo cáo đầy đủ", Decimal("2.5"), "standard", 2),
        (2, "Điểm cộng", "2.1", "Mô hình hay", Decimal("5"), "bonus", 1),
    ]
    assert SESSION_KEY not in client.session
    # A second click finds nothing to import.
    client.post(url("import_confirm", draft), {"token": preview.context["token"]})
    assert len(content_of(draft)) == 3


def test_an_import_with_bad_rows_shows_each_with_its_reason_and_imports_nothing(client, ministry_user, draft):
    before = content_of(draft)
    rows = [
        *SHEET_ROWS,
        [None, None, None, None, None, None],  # an empty row is skipped, the numbers stay Excel's
        [1, None, "1.1", "Trùng mã", 1, None],
        [2, None, "2.2", "Điểm không phải số", "năm", None],
        [3, "Nhóm mới", "3.1", "Điểm bằng không", 0, "Điểm trừ"],
    ]
    _as(client, ministry_user)
    client.post(url("import", draft), {"file": upload(workbook_bytes(rows))})
    preview = client.get(url("import_preview", draft))
    check = preview.context["check"]
    assert not check.is_valid
    assert [(row.number, sorted(row.errors)) for row in check.bad_rows] == [
        (6, ["code"]),
        (7, ["max_points"]),
        (8, ["max_points"]),
    ]
    assert url("import_confirm", draft).encode() not in preview.content
    assert b'id="row-7" class="table-danger"' in preview.content
    response = client.post(url("import_confirm", draft), {"token": preview.context["token"]})
    assert response.status_code == 302
    assert content_of(draft) == before


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"Nhom;Ten nhom\n1;Bao cao\n", "bang.csv"),
        (b"not a workbook", "bang.xlsx"),
        (b"", "bang.xlsx"),
        (b"x" * (2 * 1024 * 1024 + 1), "bang.xlsx"),
    ],
)
def test_files_other_than_a_small_xlsx_workbook_are_refused(client, ministry_user, draft, content, name):
    before = content_of(draft)
    response = _as(client, ministry_user).post(url("import", draft), {"file": upload(content, name)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert SESSION_KEY not in client.session
    assert content_of(draft) == before


def test_a_workbook_without_the_headings_is_refused(client, ministry_user, draft):
    content = workbook_bytes(SHEET_ROWS, headings=["STT", "Nội dung", "Điểm"])
    response = _as(client, ministry_user).post(url("import", draft), {"file": upload(content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_confirmation_with_another_token_imports_nothing(client, ministry_user, draft):
    before = content_of(draft)
    _as(client, ministry_user)
    client.post(url("import", draft), {"file": upload(workbook_bytes(SHEET_ROWS))})
    response = client.post(url("import_confirm", draft), {"token": "doan-bua"})
    assert response.status_code == 302 and response["Location"] == url("import", draft)
    assert content_of(draft) == before


def test_an_upload_for_one_table_is_not_confirmed_on_another(client, ministry_user, draft, empty_draft):
    _as(client, ministry_user)
    client.post(url("import", draft), {"file": upload(workbook_bytes(SHEET_ROWS))})
    token = client.session[SESSION_KEY]["token"]
    assert client.get(url("import_preview", empty_draft)).status_code == 302
    client.post(url("import_confirm", empty_draft), {"token": token})
    assert content_of(empty_draft) == []


def test_criteria_cannot_be_imported_into_a_table_in_use(client, ministry_user, table):
    before = content_of(table)
    _as(client, ministry_user)
    response = client.post(url("import", table), {"file": upload(workbook_bytes(SHEET_ROWS))})
    assert response.status_code == 302 and response["Location"] == url("detail", table)
    assert SESSION_KEY not in client.session
    assert content_of(table) == before
    assert ScoringGroup.objects.filter(table=table).count() == 3
