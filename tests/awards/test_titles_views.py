"""The title catalogue pages: the list for every role, and ministry staff adding and editing titles."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardTitle, AwardTitleBasis
from awards.services import titles as title_services
from tests.awards.factories import FLAG, GOVERNMENT_FLAG, titles

pytestmark = pytest.mark.django_db

LIST = reverse("awards:title_list")
CREATE = reverse("awards:title_create")


def edit_url(title: AwardTitle) -> str:
    return reverse("awards:title_edit", args=[title.pk])


@pytest.fixture
def catalogue() -> dict[str, AwardTitle]:
    return titles()


def _as(client, user):
    client.force_login(user)
    return client


def _bases(rows: list[tuple[str, str, str, str]], *, initial: int = 0, extra: int = 1) -> dict:
    """The formset's fields for rows of (document, article, from, until), with empty extra rows after them."""
    data = {
        "bases-TOTAL_FORMS": str(len(rows) + extra),
        "bases-INITIAL_FORMS": str(initial),
        "bases-MIN_NUM_FORMS": "0",
        "bases-MAX_NUM_FORMS": "1000",
    }
    for n, (document, article, valid_from, valid_to) in enumerate(rows):
        data |= {
            f"bases-{n}-document": document,
            f"bases-{n}-article": article,
            f"bases-{n}-valid_from": valid_from,
            f"bases-{n}-valid_to": valid_to,
        }
    for n in range(len(rows), len(rows) + extra):
        data |= {f"bases-{n}-{name}": "" for name in ("document", "article", "valid_from", "valid_to")}
    return data


LAW_2022 = ("Luật Thi đua, khen thưởng số 06/2022/QH15", "Điều 74", "01/01/2024", "")


def _title_data(bases=(LAW_2022,), **overrides) -> dict:
    data = {
        "code": "giay-khen-cuc-truong",
        "name": "Giấy khen của Cục trưởng",
        "kind": "form",
        "subject": "collective",
        "level": "grassroots",
        "granting_authority": "Cục trưởng Cục Quản lý THADS",
        "unit_kinds": ["chi_cuc_thads", "phong_thads_khu_vuc"],
        "excludes": [],
        "conditions": "Hoàn thành tốt nhiệm vụ.\nNội bộ đoàn kết.",
        "position": "200",
        "is_active": "on",
    }
    return data | _bases(list(bases)) | overrides


def _snapshot() -> tuple:
    titles_state = list(AwardTitle.objects.order_by("pk").values_list("pk", "code", "name", "unit_kinds"))
    bases_state = list(AwardTitleBasis.objects.order_by("pk").values_list("pk", "title_id", "document", "valid_to"))
    return titles_state, bases_state


# --- access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "create", "edit"])
def test_every_title_page_sends_visitors_to_log_in(client, catalogue, name):
    address = {"list": LIST, "create": CREATE}.get(name) or edit_url(catalogue[FLAG])
    response = client.get(address)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_every_role_reads_the_catalogue(client, catalogue, any_role_user):
    assert _as(client, any_role_user).get(LIST).status_code == 200


def test_an_account_without_a_role_is_refused_the_catalogue(client, catalogue, no_role_user):
    assert _as(client, no_role_user).get(LIST).status_code == 403


@pytest.mark.parametrize("role", ["region_user", "leader_user", "admin_user", "no_role_user"])
def test_only_ministry_staff_add_or_edit_titles(client, catalogue, role, request):
    user = request.getfixturevalue(role)
    _as(client, user)
    assert client.get(CREATE).status_code == 403
    assert client.get(edit_url(catalogue[FLAG])).status_code == 403
    assert client.post(CREATE, _title_data()).status_code == 403
    assert not AwardTitle.objects.filter(code="giay-khen-cuc-truong").exists()


def test_ministry_staff_open_the_forms(client, catalogue, ministry_user):
    _as(client, ministry_user)
    assert client.get(CREATE).status_code == 200
    response = client.get(edit_url(catalogue[FLAG]))
    assert response.status_code == 200
    assert response.context["formset"].initial_form_count() == catalogue[FLAG].bases.count()


def test_an_unknown_title_is_not_found(client, ministry_user):
    assert _as(client, ministry_user).get(reverse("awards:title_edit", args=[999999])).status_code == 404


# --- list -------------------------------------------------------------------------------------------


def test_the_list_shows_each_title_with_its_bases_and_their_dates(client, catalogue, leader_user):
    body = _as(client, leader_user).get(LIST).content.decode()
    for title in catalogue.values():
        assert title.name in body
    assert "Thông tư 05/2018/TT-BTP" in body
    assert "22/07/2018" in body and "31/12/2023" in body  # in force from … until …
    assert "Điều 26" in body
    assert CREATE not in body
    assert edit_url(catalogue[FLAG]) not in body


def test_ministry_staff_see_the_add_and_edit_links(client, catalogue, ministry_user):
    body = _as(client, ministry_user).get(LIST).content.decode()
    assert CREATE in body
    assert edit_url(catalogue[GOVERNMENT_FLAG]) in body


def test_the_list_takes_the_same_number_of_queries_for_more_titles(client, catalogue, ministry_user):
    _as(client, ministry_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for n in range(3):
        title_services.title_create(
            code=f"giay-khen-{n}",
            name=f"Giấy khen số {n}",
            kind="form",
            subject="collective",
            level="grassroots",
            unit_kinds=["cuc_thads"],
            bases=[title_services.BasisSpec("Thông tư 11/2023/TT-BTP", date(2024, 1, 1))],
            excludes=[catalogue[FLAG]],
        )
    with CaptureQueriesContext(connection) as more:
        assert client.get(LIST).status_code == 200
    assert len(more) == len(few)


# --- create -----------------------------------------------------------------------------------------


def test_ministry_staff_add_a_title_with_its_bases_and_exclusions(client, catalogue, ministry_user):
    data = _title_data(
        bases=[LAW_2022, ("Thông tư 05/2018/TT-BTP", "", "22/07/2018", "31/12/2023")],
        excludes=[str(catalogue[FLAG].pk)],
        requires_vote="on",
    )
    response = _as(client, ministry_user).post(CREATE, data)
    assert response.status_code == 302
    assert response.url == LIST
    title = AwardTitle.objects.get(code="giay-khen-cuc-truong")
    assert title.name == "Giấy khen của Cục trưởng"
    assert title.unit_kinds == ["chi_cuc_thads", "phong_thads_khu_vuc"]
    assert title.requires_vote and title.is_active and title.position == 200
    assert list(title.excludes.all()) == [catalogue[FLAG]]
    bases = list(title.bases.order_by("valid_from").values_list("document", "article", "valid_from", "valid_to"))
    assert bases == [
        ("Thông tư 05/2018/TT-BTP", "", date(2018, 7, 22), date(2023, 12, 31)),
        ("Luật Thi đua, khen thưởng số 06/2022/QH15", "Điều 74", date(2024, 1, 1), None),
    ]


def test_a_title_without_a_kind_of_unit_is_refused(client, catalogue, ministry_user):
    before = _snapshot()
    response = _as(client, ministry_user).post(CREATE, _title_data(unit_kinds=[]))
    assert response.status_code == 200
    assert response.context["form"].errors["unit_kinds"]
    assert _snapshot() == before


def test_a_basis_ending_before_it_starts_is_refused(client, catalogue, ministry_user):
    before = _snapshot()
    data = _title_data(bases=[("Thông tư 11/2023/TT-BTP", "", "01/01/2024", "31/12/2023")])
    response = _as(client, ministry_user).post(CREATE, data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["valid_to"]
    assert _snapshot() == before


def test_a_duplicate_code_is_refused_beside_the_code(client, catalogue, ministry_user):
    before = _snapshot()
    response = _as(client, ministry_user).post(CREATE, _title_data(code=FLAG))
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert _snapshot() == before


def test_a_duplicate_name_is_refused_beside_the_name(client, catalogue, ministry_user):
    before = _snapshot()
    response = _as(client, ministry_user).post(CREATE, _title_data(name=catalogue[FLAG].name))
    assert response.context["form"].errors["name"]
    assert _snapshot() == before


@pytest.mark.parametrize("code", ["Cờ thi đua", "co thi dua", ""])
def test_a_code_that_is_not_a_slug_is_refused(client, catalogue, ministry_user, code):
    before = _snapshot()
    response = _as(client, ministry_user).post(CREATE, _title_data(code=code))
    assert response.context["form"].errors["code"]
    assert _snapshot() == before


def test_a_title_without_any_legal_basis_is_refused_above_the_bases(client, catalogue, ministry_user):
    before = _snapshot()
    response = _as(client, ministry_user).post(CREATE, _title_data(bases=[]))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert _snapshot() == before


def test_bad_choices_and_order_are_refused(client, catalogue, ministry_user):
    before = _snapshot()
    data = _title_data(kind="medal", level="province", unit_kinds=["tòa_án"], position="-1", excludes=["999999"])
    errors = _as(client, ministry_user).post(CREATE, data).context["form"].errors
    assert {"kind", "level", "unit_kinds", "position", "excludes"} <= set(errors)
    assert _snapshot() == before


# --- edit -------------------------------------------------------------------------------------------


def _edit_data(title: AwardTitle, **overrides) -> dict:
    from awards.forms.titles import TitleForm, basis_initial

    initial = TitleForm.initial_for(title)
    rows = [
        (
            row["document"],
            row["article"],
            row["valid_from"].strftime("%d/%m/%Y"),
            row["valid_to"].strftime("%d/%m/%Y") if row["valid_to"] else "",
        )
        for row in basis_initial(title)
    ]
    data = {
        **{key: value for key, value in initial.items() if key not in {"requires_vote", "is_active"}},
        "excludes": [str(pk) for pk in initial["excludes"]],
        **({"requires_vote": "on"} if title.requires_vote else {}),
        **({"is_active": "on"} if title.is_active else {}),
    }
    return data | _bases(rows, initial=len(rows)) | overrides


def test_ministry_staff_edit_a_title_and_replace_a_basis(client, catalogue, ministry_user):
    flag = catalogue[FLAG]
    data = _edit_data(flag, name="Cờ thi đua ngành Tư pháp (sửa)", conditions="")
    data["bases-3-DELETE"] = "on"  # the last circular is taken out
    response = _as(client, ministry_user).post(edit_url(flag), data)
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.name == "Cờ thi đua ngành Tư pháp (sửa)"
    assert flag.conditions == ""
    assert flag.requires_vote
    assert flag.bases.count() == 3
    assert not flag.excludes.exists()  # the catalogue sets no exclusion (the Government flag is chosen from it)
    assert flag.legal_basis.startswith("Điều 26 Luật Thi đua, khen thưởng số 06/2022/QH15")  # kept by the edit


def test_an_edit_that_breaks_a_rule_changes_nothing(client, catalogue, ministry_user):
    flag = catalogue[FLAG]
    before = _snapshot()
    data = _edit_data(flag, name="Tên mới")
    for n in range(4):
        data[f"bases-{n}-DELETE"] = "on"  # every basis taken out: the service refuses
    response = _as(client, ministry_user).post(edit_url(flag), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert _snapshot() == before
    assert flag.name.encode() in response.content  # the heading keeps the saved name
