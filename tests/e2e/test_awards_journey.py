"""The awards issue's journey in a real browser, in Vietnamese: a leader registers titles and scores the unit;
the region officer returns one registration, approves the others, reviews the score sheet, sees the ranking
and records the suy tôn vote; ministry staff record the decision and find it in the unit's award history."""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from awards.models import Award, AwardDecision, AwardRegistration, ScoreEntry, ScoreSheet, ScoringTable
from awards.services.registrations import registration_create
from tests.awards.factories import AwardsWorld, make_awards_world, make_table
from tests.e2e.steps import label as _label
from tests.e2e.steps import log_in as _log_in
from tests.e2e.steps import success as _success
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FLAG = "Cờ thi đua ngành Tư pháp"
COMMENDATION = "Bằng khen của Bộ trưởng Bộ Tư pháp"
RETURN_REASON = "Bổ sung báo cáo thành tích năm có xác nhận của Thủ trưởng đơn vị."
EVIDENCE_LINK = "https://stp.example.gov.vn/bao-cao-thang.pdf"
# Self-scores typed as a person would (a comma for decimals): 18 + 8.5 + 20, a bonus of 2.5, a deduction of 1.
SELF_SCORES = {"1.1": "18", "1.2": "8,5", "2.1": "20", "3.1": "2,5", "3.2": "1"}
SELF_TOTAL = "48"
REVIEWED_CODE, REVIEWED_POINTS, REVIEW_REASON = "2.1", "17", "Còn 3 văn bản đi chưa được ký số."
FINAL_TOTAL = "45"  # 48 - 3: the lowest points of "Xuất sắc" on the table
DECISION_NUMBER = "25/QĐ-BTP"
MINISTRY_NAME = "Trần Thị Minh Hằng"


@dataclass
class Journey:
    world: AwardsWorld
    table: ScoringTable

    @property
    def year(self) -> int:
        return self.world.campaign.year

    def unit_name(self, n: int) -> str:
        return self.world.units[n].name

    def registration(self, n: int, title_name: str) -> AwardRegistration:
        return AwardRegistration.objects.get(
            campaign=self.world.campaign, unit=self.world.units[n], title__name=title_name
        )


@pytest.fixture
def journey(transactional_db) -> Journey:
    """Three Sở Tư pháp units of a region with their leaders, the region officer, this year's campaign,
    the title catalogue and a published scoring table (transactional tests flush the DB: built here)."""
    world = make_awards_world(3)
    return Journey(world, make_table(world.campaign.year))


# --- helpers ---------------------------------------------------------------------------------------


def _awards_menu(page: Page, label: str) -> None:
    """Opens an entry of the "Khen thưởng" drop-down of the menu bar."""
    header = page.locator("header")
    header.get_by_role("button", name="Khen thưởng", exact=True).click()
    header.get_by_role("link", name=label, exact=True).click()


def _heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, level=1, exact=True)).to_be_visible()


def _breadcrumb(page: Page):
    return page.get_by_role("navigation", name="Đường dẫn trang")


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


# --- 2. the leader registers -------------------------------------------------------------------------


def _leader_registers(page: Page, journey: Journey, assert_accessible) -> None:
    unit = journey.world.units[0]
    _log_in(page, journey.world.leaders[0].username, assert_accessible)
    _awards_menu(page, "Đăng ký danh hiệu")
    _heading(page, f"Đăng ký danh hiệu năm {journey.year}")
    card = page.locator(f"#unit-{unit.pk}")
    expect(card).to_contain_text(journey.unit_name(0))
    expect(card).to_contain_text("Chưa đăng ký danh hiệu nào.")
    assert_accessible(page)

    # The flag: registered and sent at once.
    card.get_by_role("link", name="Thêm đăng ký danh hiệu").click()
    _heading(page, "Thêm đăng ký danh hiệu")
    expect(page.locator("#registration-unit")).to_have_text(journey.unit_name(0))
    assert_accessible(page)
    page.get_by_label(_label("Danh hiệu")).select_option(label=FLAG)
    page.get_by_label(_label("Ghi chú")).fill("Dẫn đầu khu vực thi đua về tỷ lệ hồ sơ giải quyết đúng hạn.")
    page.get_by_role("button", name="Gửi khu vực thi đua").click()
    _success(page, f"Đã đăng ký “{FLAG}” và gửi khu vực thi đua.")
    _heading(page, FLAG)
    expect(page.locator("#registration-status")).to_have_text("Chờ duyệt")
    # The flag goes to the unit the region votes up: the page says so.
    expect(page.locator("#warnings")).to_contain_text("được khu vực thi đua suy tôn tại hội nghị tổng kết năm")
    assert_accessible(page)

    # The commendation: saved as a draft first, then sent from its page.
    _breadcrumb(page).get_by_role("link", name="Đăng ký danh hiệu").click()
    page.locator(f"#unit-{unit.pk}").get_by_role("link", name="Thêm đăng ký danh hiệu").click()
    # A title already registered is no longer offered.
    expect(page.get_by_label(_label("Danh hiệu")).locator("option", has_text=FLAG)).to_have_count(0)
    page.get_by_label(_label("Danh hiệu")).select_option(label=COMMENDATION)
    page.get_by_role("button", name="Lưu dự thảo").click()
    _success(page, f"Đã lưu dự thảo đăng ký “{COMMENDATION}”")
    expect(page.locator("#registration-status")).to_have_text("Chưa gửi")
    page.locator("#actions").get_by_role("button", name="Gửi khu vực thi đua").click()
    _success(page, "Đã gửi đăng ký danh hiệu cho khu vực thi đua.")
    expect(page.locator("#registration-status")).to_have_text("Chờ duyệt")

    for title in (FLAG, COMMENDATION):
        registration = journey.registration(0, title)
        assert registration.status == AwardRegistration.Status.SUBMITTED
        assert registration.submitted_at is not None
        assert registration.created_by == journey.world.leaders[0]


def _second_leader_registers_the_flag(journey: Journey) -> None:
    registration_create(
        campaign=journey.world.campaign,
        unit=journey.world.units[1],
        title=journey.world.titles["co-thi-dua-nganh-tu-phap"],
        actor=journey.world.leaders[1],
        submit=True,
    )


# --- 3. the leader scores the unit -----------------------------------------------------------------


def _points(page: Page, code: str):
    return page.get_by_label(f"Điểm tự chấm tiêu chí {code}", exact=True)


def _leader_scores_and_sends(page: Page, journey: Journey, assert_accessible) -> None:
    _awards_menu(page, "Chấm điểm, xếp hạng")
    _heading(page, f"Chấm điểm, xếp hạng năm {journey.year}")
    row = page.locator("#my-units").get_by_role("row").filter(has_text=journey.unit_name(0))
    expect(row).to_contain_text(journey.table.name)
    expect(row).to_contain_text("Chưa chấm")
    assert_accessible(page)

    row.get_by_role("link", name=re.compile("Tự chấm điểm")).click()
    _heading(page, f"Phiếu chấm điểm: {journey.unit_name(0)}")
    assert_accessible(page)

    # One point above the criterion's maximum first: refused beside the box, nothing saved.
    for code, points in SELF_SCORES.items():
        _points(page, code).fill(points)
    _points(page, "1.1").fill("21")
    page.get_by_label("Ghi chú tiêu chí 1.1", exact=True).fill("Gửi đủ 12 báo cáo tháng đúng hạn.")
    page.get_by_label("Đường dẫn minh chứng tiêu chí 1.1", exact=True).fill(EVIDENCE_LINK)
    page.locator("#sheet-form").get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#sheet-errors")).to_contain_text(
        "Chưa lưu nội dung nào: hãy sửa các tiêu chí được đánh dấu dưới đây (1.1)."
    )
    expect(_points(page, "1.1")).to_have_accessible_description("Tối đa 20 điểm, bằng điểm chuẩn của tiêu chí.")
    assert_accessible(page)
    sheet = ScoreSheet.objects.get(table=journey.table, unit=journey.world.units[0])
    assert not sheet.entries.exclude(self_points=None).exists()
    assert not sheet.entries.exclude(note="").exists()

    # The typed values came back: only the refused box needs correcting.
    expect(_points(page, "1.2")).to_have_value("8,5")
    _points(page, "1.1").fill(SELF_SCORES["1.1"])
    page.locator("#sheet-form").get_by_role("button", name="Lưu", exact=True).click()
    _success(page, "Đã lưu điểm tự chấm.")
    expect(page.locator("#self-total")).to_have_text(SELF_TOTAL)
    expect(page.locator("#grade")).to_have_text("Xuất sắc")
    entries = {entry.criterion.code: entry for entry in sheet.entries.select_related("criterion")}
    assert {code: entry.self_points for code, entry in entries.items()} == {
        "1.1": Decimal("18"),
        "1.2": Decimal("8.5"),
        "2.1": Decimal("20"),
        "3.1": Decimal("2.5"),
        "3.2": Decimal("1"),
    }
    assert entries["1.1"].note == "Gửi đủ 12 báo cáo tháng đúng hạn."
    assert entries["1.1"].evidence_link == EVIDENCE_LINK

    page.get_by_role("button", name="Gửi thẩm định").click()
    _success(page, "Đã gửi phiếu chấm điểm cho bộ phận thẩm định của khu vực thi đua.")
    expect(page.locator(".lead .badge")).to_have_text("Đã gửi thẩm định")
    # Sent: the boxes are gone, the evidence is a link.
    expect(_points(page, "1.1")).to_have_count(0)
    expect(page.get_by_role("link", name="Đường dẫn (1.1)")).to_have_attribute("href", EVIDENCE_LINK)
    assert_accessible(page)
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert sheet.submitted_by == journey.world.leaders[0]


# --- 4. the officer reviews registrations and the sheet ---------------------------------------------


def _officer_returns_one_and_approves_the_rest(page: Page, journey: Journey, assert_accessible) -> None:
    _log_in(page, journey.world.officer.username)
    _awards_menu(page, "Đăng ký danh hiệu")
    _heading(page, f"Đăng ký danh hiệu năm {journey.year}")
    campaign_row = page.locator(f"#campaign-{journey.world.campaign.pk}")
    expect(campaign_row.get_by_role("cell").nth(2)).to_have_text("3")  # awaiting approval
    assert_accessible(page)

    campaign_row.get_by_role("link").first.click()
    _heading(page, "Đăng ký danh hiệu")
    registrations = page.locator("#registrations tbody").get_by_role("row")
    expect(registrations).to_have_count(3)
    expect(page.locator("#status-counts [data-status=submitted]")).to_contain_text("Chờ duyệt: 3")
    assert_accessible(page)

    commendation = registrations.filter(has_text=COMMENDATION)
    commendation.get_by_role("link", name=journey.unit_name(0)).click()
    _heading(page, COMMENDATION)
    assert_accessible(page)
    page.get_by_label(_label("Lý do trả lại")).fill(RETURN_REASON)
    page.get_by_role("button", name="Trả lại đơn vị").click()
    _success(page, "Đã trả lại đăng ký danh hiệu cho đơn vị.")
    expect(page.locator("#registration-status")).to_have_text("Đã trả lại")
    expect(page.locator("#return-reason")).to_contain_text(RETURN_REASON)

    _breadcrumb(page).get_by_role("link", name=re.compile(rf"· {journey.year}$")).click()
    _heading(page, "Đăng ký danh hiệu")
    for n in (0, 1):
        page.get_by_label(f"Duyệt đăng ký {FLAG} của {journey.unit_name(n)}").check()
    page.get_by_role("button", name="Duyệt các đăng ký đã đánh dấu").click()
    # The message itself is not asserted: its plural msgid is not translated yet (see the report).
    expect(page.locator(".alert-success")).to_be_visible()
    flags = registrations.filter(has_text=FLAG)
    expect(flags).to_have_count(2)
    for n in (0, 1):
        expect(flags.filter(has_text=journey.unit_name(n)).locator(".badge")).to_have_text("Đã duyệt")
    expect(registrations.filter(has_text=COMMENDATION).locator(".badge")).to_have_text("Đã trả lại")

    commendation = journey.registration(0, COMMENDATION)
    assert commendation.status == AwardRegistration.Status.RETURNED
    assert commendation.return_reason == RETURN_REASON
    assert commendation.decided_by == journey.world.officer
    for n in (0, 1):
        assert journey.registration(n, FLAG).status == AwardRegistration.Status.APPROVED


def _leader_sees_the_return(page: Page, journey: Journey) -> None:
    _awards_menu(page, "Đăng ký danh hiệu")
    row = page.locator(f"#registration-{journey.registration(0, COMMENDATION).pk}")
    expect(row.locator(".badge")).to_have_text("Đã trả lại")
    expect(row).to_contain_text(RETURN_REASON)
    expect(page.locator(f"#registration-{journey.registration(0, FLAG).pk} .badge")).to_have_text("Đã duyệt")


def _reviewed(page: Page, code: str):
    return page.get_by_label(f"Điểm thẩm định tiêu chí {code}", exact=True)


def _officer_reviews_the_sheet(page: Page, journey: Journey, assert_accessible) -> None:
    _awards_menu(page, "Chấm điểm, xếp hạng")
    region_name = journey.world.campaign.region.name
    rankings = page.locator("#rankings").get_by_role("row").filter(has_text=region_name)
    expect(rankings.get_by_role("cell").nth(2)).to_have_text("1")  # one sheet awaiting review
    assert_accessible(page)

    rankings.get_by_role("link", name=region_name).click()
    _heading(page, f"Xếp hạng {region_name} năm {journey.year}")
    assert_accessible(page)
    page.locator("#ranking").get_by_role("link", name=journey.unit_name(0)).click()
    _heading(page, f"Thẩm định phiếu chấm điểm: {journey.unit_name(0)}")
    assert_accessible(page)

    # Lower one criterion: without a reason first, refused beside the reason's box.
    _reviewed(page, REVIEWED_CODE).fill(REVIEWED_POINTS)
    page.get_by_role("button", name="Lưu kết quả thẩm định").click()
    reason = page.get_by_label(f"Lý do cho điểm thẩm định tiêu chí {REVIEWED_CODE}", exact=True)
    expect(reason).to_have_accessible_description(
        f"Tiêu chí {REVIEWED_CODE}: nêu lý do khi điểm thẩm định khác điểm tự chấm."
    )
    sheet = ScoreSheet.objects.get(table=journey.table, unit=journey.world.units[0])
    assert not sheet.entries.exclude(reviewed_points=None).exists()

    reason.fill(REVIEW_REASON)
    page.get_by_role("button", name="Kết thúc thẩm định (chính thức)").click()
    _success(page, "Đã kết thúc thẩm định: điểm cuối cùng là kết quả chính thức.")
    expect(page.locator("#sheet-state")).to_contain_text(f"Đã thẩm định ngày {_today()}")
    expect(page.locator("#self-total")).to_have_text(SELF_TOTAL)
    expect(page.locator("#final-total")).to_have_text(FINAL_TOTAL)
    row = page.locator("tr").filter(has=page.get_by_role("rowheader", name=REVIEWED_CODE, exact=True))
    expect(row).to_contain_text(REVIEW_REASON)
    assert_accessible(page)

    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.REVIEWED
    assert sheet.reviewed_by == journey.world.officer
    entry = ScoreEntry.objects.get(sheet=sheet, criterion__code=REVIEWED_CODE)
    assert (entry.self_points, entry.reviewed_points, entry.review_reason) == (
        Decimal("20"),
        Decimal("17"),
        REVIEW_REASON,
    )

    _breadcrumb(page).get_by_role("link", name="Xếp hạng", exact=True).click()
    ranked = page.locator(f"#ranking tr[data-unit='{journey.world.units[0].pk}']")
    expect(ranked).to_have_attribute("data-rank", "1")
    expect(ranked.get_by_role("cell").first).to_have_text("1")
    expect(ranked.locator(".badge")).to_have_text("Đã thẩm định")
    expect(ranked.locator("td.fw-bold")).to_have_text(FINAL_TOTAL)
    expect(ranked).to_contain_text("Xuất sắc")
    # The two units that sent nothing are listed after it, without a rank.
    expect(page.locator("#ranking tr[data-rank='']")).to_have_count(2)


# --- 5. the suy tôn vote ---------------------------------------------------------------------------


def _officer_records_the_vote(page: Page, journey: Journey, assert_accessible) -> None:
    flag = journey.world.titles["co-thi-dua-nganh-tu-phap"]
    page.goto(f"/campaigns/{journey.world.campaign.pk}/registrations/")
    page.get_by_role("link", name="Suy tôn", exact=True).click()
    _heading(page, "Suy tôn")
    expect(page.locator(f"#not-recorded-{flag.pk}")).to_be_visible()
    assert_accessible(page)

    page.locator(f"#record-{flag.pk}").click()
    _heading(page, f"Ghi nhận kết quả suy tôn: {FLAG}")
    assert_accessible(page)
    page.get_by_label(_label("Ngày suy tôn")).fill(_today())
    page.get_by_label(_label("Số phiếu thu về")).fill("3")
    page.get_by_label(_label(f"Số phiếu bầu cho {journey.unit_name(0)}")).fill("2")
    page.get_by_label(_label(f"Số phiếu bầu cho {journey.unit_name(1)}")).fill("1")
    page.get_by_role("button", name="Ghi nhận kết quả suy tôn").click()

    _success(page, f"Đã ghi nhận kết quả suy tôn: {journey.unit_name(0)} được đề nghị tặng “{FLAG}”.")
    _heading(page, "Suy tôn")
    expect(page.locator(f"#proposed-{flag.pk}")).to_have_text(journey.unit_name(0))
    counts = page.locator(f"#counts-{flag.pk} tbody").get_by_role("row")
    expect(counts.first).to_contain_text(journey.unit_name(0))
    expect(counts.first).to_contain_text("2/3")
    expect(counts.nth(1)).to_contain_text("1/3")
    assert_accessible(page)

    assert journey.registration(0, FLAG).status == AwardRegistration.Status.PROPOSED
    assert journey.registration(1, FLAG).status == AwardRegistration.Status.APPROVED


# --- 6. the decision -------------------------------------------------------------------------------


def _ministry_records_the_decision(page: Page, journey: Journey, assert_accessible) -> None:
    _awards_menu(page, "Quyết định khen thưởng")
    _heading(page, "Quyết định khen thưởng")
    assert_accessible(page)

    page.get_by_role("link", name="Nhập quyết định khen thưởng").click()
    _heading(page, "Nhập quyết định khen thưởng")
    assert_accessible(page)
    page.get_by_label(_label("Năm thành tích")).fill(str(journey.year))
    page.get_by_label(_label("Danh hiệu")).select_option(label=FLAG)
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.locator("#decision-title")).to_have_text(FLAG)
    proposed = page.get_by_label(journey.unit_name(0), exact=True)
    not_proposed = page.get_by_label(journey.unit_name(1), exact=True)
    expect(proposed).to_be_enabled()
    # The unit the vote did not propose cannot be awarded the flag, and the page says why.
    expect(not_proposed).to_be_disabled()
    expect(not_proposed).to_have_accessible_description("Không được khu vực suy tôn")
    expect(page.get_by_label(_label("Cơ quan, người ban hành"))).to_have_value("Bộ trưởng Bộ Tư pháp")
    assert_accessible(page)

    proposed.check()
    page.get_by_label(_label("Số, ký hiệu")).fill(DECISION_NUMBER)
    page.get_by_label(_label("Ngày quyết định")).fill(_today())
    page.get_by_label(_label("Trích yếu")).fill(f"Tặng {FLAG} năm {journey.year}")
    page.get_by_role("button", name="Lưu quyết định").click()

    _heading(page, f"Quyết định số {DECISION_NUMBER}")
    expect(page.locator(".alert-success")).to_contain_text(DECISION_NUMBER)
    expect(page.locator("#decision-date")).to_have_text(_today())
    expect(page.locator("#decision-issuer")).to_have_text("Bộ trưởng Bộ Tư pháp")
    awards = page.locator("#awards tbody").get_by_role("row")
    expect(awards).to_have_count(1)
    expect(awards).to_contain_text(FLAG)
    expect(awards).to_contain_text(journey.unit_name(0))
    assert_accessible(page)

    decision = AwardDecision.objects.get(number=DECISION_NUMBER)
    award = Award.objects.get(decision=decision)
    assert (award.unit, award.title.name, award.year) == (journey.world.units[0], FLAG, journey.year)
    assert award.recipient_name == journey.unit_name(0)
    assert award.registration == journey.registration(0, FLAG)
    assert journey.registration(0, FLAG).status == AwardRegistration.Status.AWARDED


def _ministry_reads_the_award_history(page: Page, journey: Journey, assert_accessible) -> None:
    page.locator("#awards").get_by_role("link", name=journey.unit_name(0)).click()
    expect(page).to_have_url(re.compile(rf"/units/{journey.world.units[0].pk}/awards/$"))
    _heading(page, f"Quá trình khen thưởng: {journey.unit_name(0)}")
    award = page.locator("#awards tbody").get_by_role("row")
    expect(award).to_have_count(1)
    expect(award.get_by_role("rowheader")).to_have_text(FLAG)
    expect(award).to_contain_text(DECISION_NUMBER)
    expect(award).to_contain_text(journey.unit_name(0))
    expect(award).to_contain_text(str(journey.year))
    registrations = page.locator("#registrations tbody").get_by_role("row")
    expect(registrations.filter(has_text=FLAG).locator(".badge")).to_have_text("Được khen thưởng")
    expect(registrations.filter(has_text=COMMENDATION).locator(".badge")).to_have_text("Đã trả lại")
    assert_accessible(page)

    # The unit's own page links to the same history.
    _breadcrumb(page).get_by_role("link", name=journey.unit_name(0)).click()
    page.get_by_role("link", name="Quá trình khen thưởng").click()
    _heading(page, f"Quá trình khen thưởng: {journey.unit_name(0)}")


def test_a_unit_registers_is_scored_voted_up_and_awarded_the_flag(journey, open_page, assert_accessible):
    UserFactory(username="bo.thidua", full_name=MINISTRY_NAME, roles=[Role.MINISTRY])

    leader = open_page()
    _leader_registers(leader, journey, assert_accessible)
    _second_leader_registers_the_flag(journey)
    _leader_scores_and_sends(leader, journey, assert_accessible)

    officer = open_page()
    _officer_returns_one_and_approves_the_rest(officer, journey, assert_accessible)
    _leader_sees_the_return(leader, journey)
    _officer_reviews_the_sheet(officer, journey, assert_accessible)
    _officer_records_the_vote(officer, journey, assert_accessible)

    ministry = open_page()
    _log_in(ministry, "bo.thidua")
    _ministry_records_the_decision(ministry, journey, assert_accessible)
    _ministry_reads_the_award_history(ministry, journey, assert_accessible)
