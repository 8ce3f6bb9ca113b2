"""The score sheet pages: the unit's self-scores and evidence, sending, the review, sending back, my scores."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from awards.forms.scoring_sheets import MAX_EVIDENCE_BYTES
from awards.models import Criterion, ScoreEntry, ScoreSheet
from awards.selectors.scoring import sheet_with_totals
from awards.services import scoring as scoring_services
from tests.awards.factories import make_awards_world, make_table
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def table(world):
    return make_table(world.campaign.year)


@pytest.fixture
def criteria(table) -> dict[str, Criterion]:
    return {c.code: c for c in Criterion.objects.filter(group__table=table)}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member_officer(world):
    """A region officer whose unit is a member, not the head, of the region."""
    return UserFactory(username="canbo.thanhvien", unit=world.units[2], roles=[Role.REGION])


def sheet_url(table, unit) -> str:
    return reverse("awards:sheet", args=[table.pk, unit.pk])


def sheet_of(table, unit) -> ScoreSheet:
    return ScoreSheet.objects.get(table=table, unit=unit)


def scored(table, unit, leader, points: dict[str, str], *, submit: bool = False) -> ScoreSheet:
    """A sheet with these self-scores by criterion code, sent for review if asked."""
    sheet = scoring_services.sheet_open(table=table, unit=unit)
    by_code = {entry.criterion.code: entry.criterion_id for entry in sheet.entries.select_related("criterion")}
    scores = {by_code[code]: scoring_services.SelfScore(Decimal(value)) for code, value in points.items()}
    scoring_services.sheet_save_self_scores(sheet=sheet, actor=leader, scores=scores)
    if submit:
        sheet = scoring_services.sheet_submit(sheet=sheet, actor=leader)
    return sheet


FULL = {"1.1": "18", "1.2": "9", "2.1": "15", "3.1": "2", "3.2": "1"}


def self_form(criteria, **values) -> dict:
    """A posted sheet: every criterion empty but those given as code=points ("1_1" for 1.1)."""
    data = {}
    for code, criterion in criteria.items():
        data[f"points_{criterion.pk}"] = values.get(code.replace(".", "_"), "")
        data[f"note_{criterion.pk}"] = ""
        data[f"link_{criterion.pk}"] = ""
    return data


def entry_points(table, unit) -> dict[str, Decimal | None]:
    entries = ScoreEntry.objects.filter(sheet__table=table, sheet__unit=unit).select_related("criterion")
    return {entry.criterion.code: entry.self_points for entry in entries}


# --- access ---------------------------------------------------------------------------------------


def test_every_page_sends_visitors_to_log_in(client, world, table):
    sheet = scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    entry = sheet.entries.first()
    addresses = [
        reverse("awards:my_scores"),
        sheet_url(table, world.units[1]),
        reverse("awards:sheet_review", args=[sheet.pk]),
        reverse("awards:evidence", args=[entry.pk]),
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    for name in ("sheet_submit", "sheet_return"):
        response = client.post(reverse(f"awards:{name}", args=[sheet.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.SUBMITTED


def test_the_leader_opens_the_sheet_of_the_unit_with_every_criterion(client, world, table, criteria):
    client.force_login(world.leaders[1])
    response = client.get(sheet_url(table, world.units[1]))
    assert response.status_code == 200
    sheet = sheet_of(table, world.units[1])
    assert sheet.entries.count() == 5
    for criterion in criteria.values():
        assert f'name="points_{criterion.pk}"' in response.content.decode()
    assert [block.numeral for block in response.context["groups"]] == ["I", "II", "III"]
    assert response.context["groups"][0].maximum == Decimal("30")


def test_a_leader_of_another_unit_is_refused_and_nothing_is_made(client, world, table, criteria):
    client.force_login(world.leaders[2])
    assert client.get(sheet_url(table, world.units[1])).status_code == 403
    assert client.post(sheet_url(table, world.units[1]), self_form(criteria, **{"1_1": "5"})).status_code == 403
    assert not ScoreSheet.objects.filter(unit=world.units[1]).exists()
    scored(table, world.units[1], world.leaders[1], FULL)
    assert client.get(sheet_url(table, world.units[1])).status_code == 403


def test_the_head_units_officer_reads_an_existing_sheet_but_cannot_start_or_change_one(client, world, table, criteria):
    client.force_login(world.officer)
    assert client.get(sheet_url(table, world.units[1])).status_code == 403
    assert not ScoreSheet.objects.filter(unit=world.units[1]).exists()
    scored(table, world.units[1], world.leaders[1], {"1.1": "10"})
    response = client.get(sheet_url(table, world.units[1]))
    assert response.status_code == 200
    assert 'name="points_' not in response.content.decode()
    assert client.post(sheet_url(table, world.units[1]), self_form(criteria, **{"1_1": "2"})).status_code == 403
    assert entry_points(table, world.units[1])["1.1"] == Decimal("10")


def test_an_account_without_a_role_is_refused(client, world, table, no_role_user):
    client.force_login(no_role_user)
    assert client.get(reverse("awards:my_scores")).status_code == 403
    assert client.get(sheet_url(table, world.units[1])).status_code == 403


def test_unknown_table_or_unit_is_not_found(client, world, table):
    client.force_login(world.leaders[1])
    assert client.get(reverse("awards:sheet", args=[table.pk + 999, world.units[1].pk])).status_code == 404
    assert client.get(reverse("awards:sheet", args=[table.pk, 987654])).status_code == 404
    assert client.get(reverse("awards:sheet_review", args=[987654])).status_code == 404
    assert client.get(reverse("awards:evidence", args=[987654])).status_code == 404


def test_a_table_for_another_kind_of_unit_is_explained_not_opened(client, world):
    other = make_table(world.campaign.year, kinds=("cuc_thads",), name="Bảng THADS")
    client.force_login(world.leaders[1])
    response = client.get(sheet_url(other, world.units[1]), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("awards:my_scores"))
    assert not ScoreSheet.objects.exists()


# --- self-scores ----------------------------------------------------------------------------------


def test_the_leader_saves_points_notes_and_links(client, world, table, criteria):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    data = self_form(criteria, **{"1_1": "18", "1_2": "7,5", "2_1": "20", "3_2": "2"})
    data[f"note_{criteria['1.1'].pk}"] = "Báo cáo gửi đúng hạn"
    data[f"link_{criteria['2.1'].pk}"] = "https://stp.example.gov.vn/ky-so.pdf"
    response = client.post(sheet_url(table, world.units[1]), data)
    assert response.status_code == 302
    assert entry_points(table, world.units[1]) == {
        "1.1": Decimal("18"),
        "1.2": Decimal("7.5"),
        "2.1": Decimal("20"),
        "3.1": None,
        "3.2": Decimal("2"),
    }
    entry = ScoreEntry.objects.get(sheet__unit=world.units[1], criterion=criteria["2.1"])
    assert entry.evidence_link == "https://stp.example.gov.vn/ky-so.pdf"
    assert ScoreEntry.objects.get(sheet__unit=world.units[1], criterion=criteria["1.1"]).note == "Báo cáo gửi đúng hạn"
    totals = sheet_with_totals(sheet_of(table, world.units[1]))
    assert totals.self_total == Decimal("43.5")


@pytest.mark.parametrize("bad", ["25", "20.01", "-1", "mười", "1.234"])
def test_bad_points_are_refused_beside_the_criterion_and_nothing_is_saved(client, world, table, criteria, bad):
    scored(table, world.units[1], world.leaders[1], {"1.2": "5"})
    client.force_login(world.leaders[1])
    data = self_form(criteria, **{"1_1": bad, "1_2": "9", "2_1": "10"})
    response = client.post(sheet_url(table, world.units[1]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [f"points_{criteria['1.1'].pk}"]
    assert response.context["refused_codes"] == ["1.1"]
    assert 'id="id_points_{}_error"'.format(criteria["1.1"].pk) in response.content.decode()
    assert entry_points(table, world.units[1]) == {
        "1.1": None,
        "1.2": Decimal("5"),
        "2.1": None,
        "3.1": None,
        "3.2": None,
    }


def test_a_deduction_above_its_maximum_is_refused(client, world, table, criteria):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    response = client.post(sheet_url(table, world.units[1]), self_form(criteria, **{"3_2": "11", "1_1": "5"}))
    assert response.status_code == 200
    assert f"points_{criteria['3.2'].pk}" in response.context["form"].errors
    assert set(entry_points(table, world.units[1]).values()) == {None}


def test_a_bad_link_is_refused(client, world, table, criteria):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    data = self_form(criteria, **{"1_1": "5"})
    data[f"link_{criteria['1.1'].pk}"] = "javascript:alert(1)"
    response = client.post(sheet_url(table, world.units[1]), data)
    assert response.status_code == 200
    assert f"link_{criteria['1.1'].pk}" in response.context["form"].errors
    assert entry_points(table, world.units[1])["1.1"] is None


def _upload(client, table, unit, criteria, name: str, content: bytes, **values):
    data = self_form(criteria, **({"1_1": "12"} | values))
    data[f"file_{criteria['1.1'].pk}"] = SimpleUploadedFile(name, content)
    return client.post(sheet_url(table, unit), data)


@pytest.mark.parametrize(
    "name,content",
    [
        ("chuong-trinh.exe", b"MZ\x90\x00" + b"\x00" * 64),
        ("bao-cao.html", b"<html><script>alert(1)</script></html>"),
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf at all"),  # renamed
        ("anh.png", PDF),
        ("trong.pdf", b""),
    ],
)
def test_a_wrong_evidence_file_is_refused_and_nothing_is_saved(client, world, table, criteria, media, name, content):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    response = _upload(client, table, world.units[1], criteria, name, content)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"file_{criteria['1.1'].pk}"]
    assert entry_points(table, world.units[1])["1.1"] is None
    assert not ScoreEntry.objects.exclude(evidence_file="").exists()
    assert not list(media.rglob("*.*"))


def test_an_evidence_file_above_10_mb_is_refused(client, world, table, criteria, media):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    response = _upload(client, table, world.units[1], criteria, "lon.pdf", PDF + b"0" * MAX_EVIDENCE_BYTES)
    assert response.status_code == 200
    assert f"file_{criteria['1.1'].pk}" in response.context["form"].errors
    assert not ScoreEntry.objects.exclude(evidence_file="").exists()


def test_evidence_is_stored_and_downloaded_only_by_those_who_may_see_the_sheet(
    client, world, table, criteria, media, ministry_user, member_officer
):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    assert _upload(client, table, world.units[1], criteria, "Báo cáo.pdf", PDF).status_code == 302
    entry = ScoreEntry.objects.get(sheet__unit=world.units[1], criterion=criteria["1.1"])
    assert entry.self_points == Decimal("12")
    assert (media / entry.evidence_file.name).read_bytes() == PDF
    address = reverse("awards:evidence", args=[entry.pk])
    page = client.get(sheet_url(table, world.units[1])).content.decode()
    assert address in page
    assert "/media/" not in page

    for user in (world.leaders[1], world.officer, ministry_user):
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
    for user in (world.leaders[2], member_officer):
        client.force_login(user)
        assert client.get(address).status_code == 403
    client.logout()
    assert client.get(address).status_code == 302


def test_an_entry_without_a_file_has_nothing_to_download(client, world, table):
    sheet = scored(table, world.units[1], world.leaders[1], {"1.1": "3"})
    client.force_login(world.leaders[1])
    assert client.get(reverse("awards:evidence", args=[sheet.entries.first().pk])).status_code == 404


def test_the_leader_removes_a_file(client, world, table, criteria, media):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    _upload(client, table, world.units[1], criteria, "anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    stored = ScoreEntry.objects.get(sheet__unit=world.units[1], criterion=criteria["1.1"]).evidence_file.name
    assert stored.endswith(".png")
    data = self_form(criteria, **{"1_1": "12"})
    data[f"clear_{criteria['1.1'].pk}"] = "on"
    assert client.post(sheet_url(table, world.units[1]), data).status_code == 302
    assert not ScoreEntry.objects.get(sheet__unit=world.units[1], criterion=criteria["1.1"]).evidence_file
    assert not (media / stored).exists()


# --- sending --------------------------------------------------------------------------------------


def test_sending_is_refused_while_criteria_are_empty(client, world, table):
    sheet = scored(table, world.units[1], world.leaders[1], {"1.1": "10", "1.2": "5"})
    client.force_login(world.leaders[1])
    response = client.post(reverse("awards:sheet_submit", args=[sheet.pk]))
    assert response.status_code == 302
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.DRAFT


def test_a_sent_sheet_is_read_only_for_the_unit(client, world, table, criteria):
    sheet = scored(table, world.units[1], world.leaders[1], FULL)
    client.force_login(world.leaders[2])
    assert client.post(reverse("awards:sheet_submit", args=[sheet.pk])).status_code == 403
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.DRAFT
    client.force_login(world.leaders[1])
    assert client.get(reverse("awards:sheet_submit", args=[sheet.pk])).status_code == 405
    assert client.post(reverse("awards:sheet_submit", args=[sheet.pk])).status_code == 302
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.SUBMITTED
    page = client.get(sheet_url(table, world.units[1])).content.decode()
    assert 'name="points_' not in page
    assert reverse("awards:sheet_submit", args=[sheet.pk]) not in page
    response = client.post(sheet_url(table, world.units[1]), self_form(criteria, **{"1_1": "1"}))
    assert response.status_code == 302
    assert entry_points(table, world.units[1])["1.1"] == Decimal("18")


def test_send_on_the_sheet_saves_what_was_typed_and_sends_a_complete_sheet(client, world, table, criteria):
    """The leader types every score and presses "Send for review" without "Save" first: nothing is lost."""
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    data = self_form(criteria, **{code.replace(".", "_"): points for code, points in FULL.items()})
    data[f"note_{criteria['1.1'].pk}"] = "Đủ 12 báo cáo tháng."
    response = client.post(sheet_url(table, world.units[1]), data | {"action": "submit"})
    assert response.status_code == 302
    sheet = sheet_of(table, world.units[1])
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert sheet.submitted_by == world.leaders[1]
    assert entry_points(table, world.units[1]) == {code: Decimal(points) for code, points in FULL.items()}
    assert sheet.entries.get(criterion=criteria["1.1"]).note == "Đủ 12 báo cáo tháng."


def test_the_save_button_saves_without_sending(client, world, table, criteria):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    data = self_form(criteria, **{code.replace(".", "_"): points for code, points in FULL.items()})
    assert client.post(sheet_url(table, world.units[1]), data | {"action": "save"}).status_code == 302
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.DRAFT
    assert entry_points(table, world.units[1])["2.1"] == Decimal("15")


def _fifteen_criteria_table(year: int):
    """A table of 15 criteria (1.1 … 5.3), as the Ministry's: the message must name every empty one."""
    from awards.services.scoring import (
        CriterionSpec,
        GroupSpec,
        table_create,
        table_publish,
        table_set_content,
        table_set_thresholds,
    )

    table = table_create(year=year, unit_kinds=["so_tu_phap"], name=f"Bảng 15 tiêu chí năm {year}")
    groups = [
        GroupSpec(
            f"Nhóm {group}", [CriterionSpec(f"{group}.{n}", f"Tiêu chí {group}.{n}", Decimal("6")) for n in (1, 2, 3)]
        )
        for group in range(1, 6)
    ]
    table_set_content(table=table, groups=groups)
    table_set_thresholds(table=table, thresholds=[("Xuất sắc", Decimal("80")), ("Tốt", Decimal("60"))])
    return table_publish(table=table)


def test_send_with_empty_criteria_keeps_the_typed_scores_and_names_every_empty_criterion(client, world, settings):
    table = _fifteen_criteria_table(world.campaign.year)
    criteria = {c.code: c for c in Criterion.objects.filter(group__table=table)}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    data = self_form(criteria, **{"1_1": "5", "4_2": "3,5"})
    response = client.post(sheet_url(table, world.units[1]), data | {"action": "submit"}, follow=True)
    sheet = sheet_of(table, world.units[1])
    assert sheet.status == ScoreSheet.Status.DRAFT
    points = entry_points(table, world.units[1])
    assert points["1.1"] == Decimal("5")
    assert points["4.2"] == Decimal("3.5")
    empty = [code for code in criteria if code not in ("1.1", "4.2")]
    assert len(empty) == 13
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "The self-scores have been saved, but the sheet was not sent. Score every criterion before sending: "
        f"13 criteria are still empty: {', '.join(empty)}."
    ]
    # The page lists them too, each a link to its line; the typed points are back in their boxes.
    page = response.content.decode()
    listed = page.split('id="sheet-unscored"', 1)[1].split("</div>", 1)[0]
    for code in empty:
        assert f'href="#criterion-{criteria[code].pk}">{code}</a>' in listed
    assert f'href="#criterion-{criteria["1.1"].pk}"' not in listed
    assert f'name="points_{criteria["4.2"].pk}" value="3.5"' in page


def test_send_with_a_refused_box_saves_and_sends_nothing_and_shows_what_was_typed(client, world, table, criteria):
    client.force_login(world.leaders[1])
    client.get(sheet_url(table, world.units[1]))
    data = self_form(criteria, **{"1_1": "21", "1_2": "8,5", "2_1": "15"})
    data[f"note_{criteria['1.2'].pk}"] = "Ghi chú đã gõ"
    response = client.post(sheet_url(table, world.units[1]), data | {"action": "submit"})
    assert response.status_code == 200
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.DRAFT
    assert set(entry_points(table, world.units[1]).values()) == {None}
    page = response.content.decode()
    assert 'id="sheet-errors"' in page
    assert f'name="points_{criteria["1.2"].pk}" value="8,5"' in page
    assert "Ghi chú đã gõ</textarea>" in page
    assert 'id="sheet-unscored"' not in page


def test_the_sheet_page_has_one_form_with_both_buttons(client, world, table):
    client.force_login(world.leaders[1])
    page = client.get(sheet_url(table, world.units[1])).content.decode()
    form = page.split('id="sheet-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="action" value="save"' in form
    assert 'name="action" value="submit"' in form
    # No second form sends the saved sheet apart from what is typed in the boxes.
    assert reverse("awards:sheet_submit", args=[sheet_of(table, world.units[1]).pk]) not in page


# --- the review -----------------------------------------------------------------------------------


def review_url(sheet) -> str:
    return reverse("awards:sheet_review", args=[sheet.pk])


def review_form(criteria, action: str = "save", **values) -> dict:
    """Reviewed points and reasons by code ("1_1" for 1.1; "why_1_1" for its reason)."""
    data = {"action": action}
    for code, criterion in criteria.items():
        key = code.replace(".", "_")
        data[f"reviewed_{criterion.pk}"] = values.get(key, "")
        data[f"reason_{criterion.pk}"] = values.get(f"why_{key}", "")
    return data


def test_reviewers_are_the_head_units_officers_and_ministry_staff(
    client, world, table, ministry_user, member_officer, admin_user
):
    sheet = scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    for user in (world.officer, ministry_user):
        client.force_login(user)
        response = client.get(review_url(sheet))
        assert response.status_code == 200
        assert response.context["reviewing"]
    for user in (member_officer, world.leaders[1], world.leaders[0], admin_user):
        client.force_login(user)
        assert client.get(review_url(sheet)).status_code == 403
        assert client.post(review_url(sheet), {"action": "finish"}).status_code == 403
        assert client.post(reverse("awards:sheet_return", args=[sheet.pk])).status_code == 403
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.SUBMITTED


def test_points_that_differ_need_a_reason_and_nothing_is_saved_without_it(client, world, table, criteria):
    sheet = scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    client.force_login(world.officer)
    response = client.post(review_url(sheet), review_form(criteria, **{"1_2": "9", "2_1": "10"}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"reason_{criteria['2.1'].pk}"]
    assert not ScoreEntry.objects.filter(sheet=sheet, reviewed_points__isnull=False).exists()
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.SUBMITTED


def test_reviewed_points_above_the_maximum_are_refused(client, world, table, criteria):
    sheet = scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    client.force_login(world.officer)
    response = client.post(review_url(sheet), review_form(criteria, **{"1_1": "21", "why_1_1": "Quá điểm"}))
    assert response.status_code == 200
    assert f"reviewed_{criteria['1.1'].pk}" in response.context["form"].errors
    assert not ScoreEntry.objects.filter(sheet=sheet, reviewed_points__isnull=False).exists()


def test_the_final_total_takes_the_reviewed_points_where_given(client, world, table, criteria):
    sheet = scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    client.force_login(world.officer)
    data = review_form(criteria, **{"2_1": "10", "why_2_1": "Tỷ lệ ký số dưới 75%"})
    assert client.post(review_url(sheet), data).status_code == 302
    totals = sheet_with_totals(sheet)
    assert totals.self_total == Decimal("43")  # 18 + 9 + 15 + 2 − 1
    assert totals.final_total == Decimal("38")  # 2.1 reviewed to 10; the rest keeps the unit's points
    assert totals.status == ScoreSheet.Status.SUBMITTED
    response = client.get(review_url(sheet))
    assert response.context["grade"] == "Tốt"
    data["action"] = "finish"
    assert client.post(review_url(sheet), data).status_code == 302
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.REVIEWED
    client.force_login(world.leaders[1])
    page = client.get(sheet_url(table, world.units[1]))
    assert 'id="final-total">38<' in page.content.decode()
    assert "Tỷ lệ ký số dưới 75%" in page.content.decode()


def test_a_closed_review_cannot_change(client, world, table, criteria):
    sheet = scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    scoring_services.sheet_review(sheet=sheet, actor=world.officer, reviews={}, finish=True)
    client.force_login(world.officer)
    response = client.post(review_url(sheet), review_form(criteria, **{"1_1": "1", "why_1_1": "Sai"}))
    assert response.status_code == 302
    assert not ScoreEntry.objects.filter(sheet=sheet, reviewed_points__isnull=False).exists()
    assert 'name="reviewed_' not in client.get(review_url(sheet)).content.decode()


def test_the_reviewer_sends_the_sheet_back_to_the_unit(client, world, table):
    sheet = scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    client.force_login(world.officer)
    assert client.get(reverse("awards:sheet_return", args=[sheet.pk])).status_code == 405
    assert client.post(reverse("awards:sheet_return", args=[sheet.pk]), {"reason": " "}).status_code == 302
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.SUBMITTED  # no reason: refused
    reason = "Thiếu minh chứng tiêu chí 2.1."
    assert client.post(reverse("awards:sheet_return", args=[sheet.pk]), {"reason": reason}).status_code == 302
    assert sheet_of(table, world.units[1]).status == ScoreSheet.Status.DRAFT
    client.force_login(world.leaders[1])
    page = client.get(sheet_url(table, world.units[1])).content.decode()
    assert 'name="points_' in page and reason in page


# --- my scores ------------------------------------------------------------------------------------


def test_my_scores_lists_the_leaders_units_with_a_link_to_their_sheet(client, world, table):
    client.force_login(world.leaders[1])
    response = client.get(reverse("awards:my_scores"))
    assert response.status_code == 200
    [row] = response.context["units"]
    assert row.unit == world.units[1]
    assert row.table == table
    assert row.sheet is None
    assert sheet_url(table, world.units[1]) in response.content.decode()
    scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    [row] = client.get(reverse("awards:my_scores")).context["units"]
    assert row.sheet.status == ScoreSheet.Status.SUBMITTED
    assert row.sheet.self_total == Decimal("43")
    assert row.grade == "Tốt"


def test_my_scores_of_another_year_has_no_table(client, world, table):
    client.force_login(world.leaders[1])
    response = client.get(reverse("awards:my_scores"), {"year": world.campaign.year - 1})
    assert [row.table for row in response.context["units"]] == [None]
    assert response.context["rankings"] == []
    response = client.get(reverse("awards:my_scores"), {"year": "năm ngoái"})
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert response.context["year"] == world.campaign.year


def test_officers_and_ministry_see_the_rankings_they_may_see(client, world, table, ministry_user):
    scored(table, world.units[1], world.leaders[1], FULL, submit=True)
    other = make_awards_world(2, prefix="khac")
    region = world.campaign.region
    ranking = reverse("awards:ranking", args=[table.pk, region.pk])
    client.force_login(world.officer)
    response = client.get(reverse("awards:my_scores"))
    assert response.context["units"] == []
    [link] = response.context["rankings"]
    assert (link.region, link.units, link.awaiting, link.reviewed) == (region, 3, 1, 0)
    assert ranking in response.content.decode()
    client.force_login(ministry_user)
    regions = {link.region for link in client.get(reverse("awards:my_scores")).context["rankings"]}
    assert regions == {region, other.campaign.region}
