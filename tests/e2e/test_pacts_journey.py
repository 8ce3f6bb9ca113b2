"""Issue 4's journey in a real browser, in Vietnamese: a region officer edits a draft pact and opens it for
signing, the leaders of two units sign it (password confirmation, consent box), ministry staff follow the
progress, and the last signature executes the pact, which the audit trail records."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from pacts.models import Pact, PactSignature
from tests.e2e.steps import label as _label
from tests.e2e.steps import log_in as _log_in
from tests.e2e.steps import success as _success
from tests.factories import PASSWORD, UserFactory
from tests.pacts.factories import PactWorld, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_CLAUSE = "Thi đua thực hiện tốt công tác cải cách hành chính, xây dựng Chính phủ điện tử."
EVIDENCE_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \+07:00$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
MINISTRY_NAME = "Trần Thị Minh Hằng"


@pytest.fixture
def world(transactional_db) -> PactWorld:
    """Two member units, each with its leader, a region officer of the head unit, and a draft pact."""
    return make_world(2, open_pact=False)


def _menu(page: Page, label: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=label, exact=True).click()


def _officer_edits_and_opens_the_draft(page: Page, world: PactWorld, assert_accessible) -> str:
    """Returns the SHA-256 the opening page announced."""
    year = world.campaign.year
    _log_in(page, world.officer.username, assert_accessible)

    _menu(page, "Kế hoạch thi đua")
    expect(page.get_by_role("heading", name="Kế hoạch thi đua", level=1)).to_be_visible()
    row = page.locator("#campaigns").get_by_role("row").filter(has_text=world.campaign.title)
    expect(row).to_contain_text("Dự thảo")
    assert_accessible(page)

    row.get_by_role("link", name=world.campaign.title).click()
    expect(page.get_by_role("heading", name=world.campaign.title, level=1)).to_be_visible()
    pacts = page.locator("#pacts")
    expect(pacts.get_by_role("row").filter(has_text="Toàn khu vực")).to_contain_text("Dự thảo")
    assert_accessible(page)

    pacts.get_by_role("link", name="Toàn khu vực").click()
    expect(page.get_by_role("heading", name=f"BẢN GIAO ƯỚC THI ĐUA NĂM {year}", level=1)).to_be_visible()
    expect(page.locator("#document-clauses").get_by_role("listitem")).to_have_count(2)
    expect(page.locator("#document-units")).to_contain_text(world.units[1].name)
    assert_accessible(page)

    page.get_by_role("link", name="Sửa dự thảo").click()
    expect(page.get_by_role("heading", name="Sửa dự thảo", level=1)).to_be_visible()
    assert_accessible(page)
    clauses = page.get_by_label(_label("Nội dung giao ước"))
    clauses.fill(f"{clauses.input_value().rstrip()}\n\n{NEW_CLAUSE}")
    page.get_by_role("button", name="Lưu dự thảo").click()
    _success(page, "Đã lưu dự thảo")
    document_clauses = page.locator("#document-clauses").get_by_role("listitem")
    expect(document_clauses).to_have_count(3)
    expect(document_clauses.nth(2)).to_have_text(NEW_CLAUSE)

    page.get_by_role("link", name="Mở ký giao ước").click()
    expect(page.get_by_role("heading", name="Mở ký giao ước", level=1)).to_be_visible()
    expect(page.locator("#content-text")).to_contain_text(NEW_CLAUSE)
    expect(page.locator("#content-hash")).to_have_text(SHA256_HEX)
    announced_hash = page.locator("#content-hash").inner_text()
    assert_accessible(page)

    deadline = (timezone.localtime() + timedelta(days=7)).strftime("%d/%m/%Y") + " 17:00"
    page.get_by_label(_label("Hạn ký")).fill(deadline)
    page.get_by_role("button", name="Chốt văn bản và mở ký").click()
    _success(page, f"Đã mở ký giao ước đến {deadline}")
    _success(page, "Thư thông báo đã được đưa vào hàng đợi và sẽ được gửi đến lãnh đạo các đơn vị")
    expect(page.locator(".badge").filter(has_text="Đang mở ký").first).to_be_visible()
    expect(page.get_by_role("heading", name="Văn bản đã chốt")).to_be_visible()
    expect(page.locator("#content-text")).to_contain_text(NEW_CLAUSE)
    expect(page.locator("#content-hash")).to_have_text(announced_hash)
    expect(page.locator("#deadline")).to_have_text(deadline)
    expect(page.locator("#signature-count")).to_have_text("0/2 đơn vị")
    # The officer leads no unit: no signing button for them.
    expect(page.get_by_role("link", name="Ký giao ước")).to_have_count(0)
    assert_accessible(page)

    pact = Pact.objects.get(pk=world.pact.pk)
    assert pact.status == Pact.Status.OPEN
    assert pact.content_hash == announced_hash == hashlib.sha256(pact.content_text.encode()).hexdigest()
    return announced_hash


def _confirm_password(page: Page, assert_accessible=None, *, wrong_first: bool = False) -> None:
    expect(page.get_by_role("heading", name="Xác nhận mật khẩu", level=1)).to_be_visible()
    if assert_accessible:
        assert_accessible(page)
    if wrong_first:
        page.get_by_label(_label("Mật khẩu")).fill("mat-khau-sai")
        page.get_by_role("button", name="Xác nhận").click()
        expect(page.get_by_role("heading", name="Xác nhận mật khẩu", level=1)).to_be_visible()
        expect(page.get_by_text("Mật khẩu không đúng.")).to_be_visible()
    page.get_by_label(_label("Mật khẩu")).fill(PASSWORD)
    page.get_by_role("button", name="Xác nhận").click()


def _leader_signs(page: Page, world: PactWorld, n: int, content_hash: str, assert_accessible) -> None:
    """The leader of unit ``n`` signs; the accessibility of each page is checked for the first signer only."""
    check = assert_accessible if n == 0 else None
    unit_name = world.units[n].name
    _log_in(page, world.leaders[n].username)

    _menu(page, "Giao ước cần ký")
    expect(page.get_by_role("heading", name="Giao ước cần ký", level=1)).to_be_visible()
    row = page.locator("#to-sign").get_by_role("row").filter(has_text=unit_name)
    expect(row).to_contain_text("GIÁM ĐỐC")  # as the PDF prints it (pacts/titles.py)
    if check:
        check(page)

    row.get_by_role("link", name=f"Ký {unit_name}").click()
    _confirm_password(page, check, wrong_first=n == 1)

    expect(page.get_by_role("heading", name="Ký giao ước", level=1)).to_be_visible()
    expect(page.locator("#signer-unit")).to_have_text(unit_name)
    expect(page.locator("#signer-name")).to_have_text(world.leaders[n].full_name)
    expect(page.locator("#pact-text")).to_contain_text(NEW_CLAUSE)
    expect(page.locator("#pact-hash")).to_have_text(content_hash)
    consent = page.get_by_label(re.compile(r"Tôi đã đọc toàn bộ nội dung giao ước trên và đồng ý ký kết"))
    expect(consent).not_to_be_checked()
    if check:
        check(page)

    if n == 0:
        page.get_by_role("button", name="Ký", exact=True).click()
        expect(page.get_by_role("heading", name="Ký giao ước", level=1)).to_be_visible()
        # The message is tied to the box, so a screen reader reads it with the box.
        expect(consent).to_have_attribute("aria-invalid", "true")
        expect(consent).to_have_accessible_description(
            "Hãy đánh dấu vào ô để xác nhận đã đọc và đồng ý với nội dung giao ước."
        )
        expect(consent).not_to_be_checked()
        assert not PactSignature.objects.filter(pact=world.pact, unit=world.units[0]).exists()
        check(page)

    consent.check()
    page.get_by_role("button", name="Ký", exact=True).click()
    expect(page.get_by_role("heading", name="Đã ghi nhận chữ ký", level=1)).to_be_visible()
    _success(page, f"{unit_name} đã ký giao ước.")
    record = page.locator(f"#signature-{world.units[n].pk}")
    expect(record).to_contain_text(world.leaders[n].full_name)
    expect(record).to_contain_text(content_hash)
    expect(record.locator(".signed-at")).to_have_text(EVIDENCE_TIME)
    executed = page.locator("#pact-executed")
    if n == len(world.units) - 1:
        expect(executed).to_have_text("Tất cả đơn vị đã ký: giao ước đã hoàn tất ký kết.")
    else:
        expect(executed).to_have_count(0)
    if check:
        check(page)


def _ministry_sees_the_progress(page: Page, world: PactWorld, *, signed: int, assert_accessible=None) -> None:
    year = world.campaign.year
    _menu(page, "Tiến độ ký")
    expect(page.get_by_role("heading", name=f"Giao ước thi đua năm {year} trên toàn quốc", level=1)).to_be_visible()
    row = page.locator("#pact-progress-list").get_by_role("row").filter(has_text="Toàn khu vực")
    expect(row).to_contain_text(f"{signed}/2")
    expect(row).to_contain_text("Đã ký kết" if signed == 2 else "Đang mở ký")
    if assert_accessible:
        assert_accessible(page)

    row.get_by_role("link", name="Toàn khu vực").click()
    expect(page.get_by_role("heading", name="Tiến độ ký", level=1)).to_be_visible()
    expect(page.locator("#signed-count")).to_contain_text(f"{signed}/2 đơn vị")
    signed_rows = page.locator("#signed-units tbody").get_by_role("row")
    expect(signed_rows).to_have_count(signed)
    expect(signed_rows.first).to_contain_text(world.units[0].name)
    expect(signed_rows.first).to_contain_text(world.leaders[0].full_name)
    expect(signed_rows.first.get_by_role("cell").filter(has_text=EVIDENCE_TIME)).to_have_count(1)
    if signed == 1:
        pending = page.locator("#pending-units tbody").get_by_role("row")
        expect(pending).to_have_count(1)
        expect(pending).to_contain_text(world.units[1].name)
        expect(pending).to_contain_text(world.leaders[1].full_name)
    else:
        expect(signed_rows.nth(1)).to_contain_text(world.units[1].name)
        expect(page.locator("#pending-units")).to_have_count(0)
        expect(page.get_by_text("Tất cả đơn vị đã ký.")).to_be_visible()
    if assert_accessible:
        assert_accessible(page)


def _ministry_reads_the_audit_trail(page: Page, world: PactWorld, assert_accessible) -> None:
    page.get_by_role("link", name="Nhật ký", exact=True).click()
    expect(page.get_by_role("heading", name="Nhật ký", level=1)).to_be_visible()
    events = page.locator("#audit-events")
    for action, count in (("created", 1), ("opened", 1), ("signed", 2), ("executed", 1)):
        expect(events.locator(f"[data-action={action}]")).to_have_count(count)
    # Leader A's attempt without consent and leader B's wrong password were refused, and recorded.
    refused = events.get_by_role("row").filter(has=page.locator("[data-action=refused]"))
    expect(refused).to_have_count(2)
    expect(refused.filter(has_text=world.units[0].name)).to_contain_text("Hãy đánh dấu vào ô để xác nhận")
    expect(refused.filter(has_text=world.units[1].name)).to_contain_text(
        "Nhập sai mật khẩu ở bước xác nhận trước khi ký."
    )
    expect(events.locator("[data-action=signed]").first).to_have_text("Đã ký")
    executed = events.get_by_role("row").filter(has=page.locator("[data-action=executed]"))
    expect(executed.get_by_role("cell").first).to_have_text(EVIDENCE_TIME)
    assert_accessible(page)

    page.get_by_label(_label("Thao tác")).select_option(label="Đã ký kết")
    page.get_by_role("button", name="Lọc").click()
    expect(events.get_by_role("row")).to_have_count(2)  # the header and the one execution
    expect(events.locator("[data-action=executed]")).to_have_text("Đã ký kết")


def test_an_officer_opens_a_pact_two_leaders_sign_it_and_ministry_staff_follow_it_to_execution(
    world, open_page, assert_accessible
):
    UserFactory(username="bo.thidua", full_name=MINISTRY_NAME, roles=[Role.MINISTRY])

    content_hash = _officer_edits_and_opens_the_draft(open_page(), world, assert_accessible)

    _leader_signs(open_page(), world, 0, content_hash, assert_accessible)

    ministry = open_page()
    _log_in(ministry, "bo.thidua")
    _ministry_sees_the_progress(ministry, world, signed=1, assert_accessible=assert_accessible)

    _leader_signs(open_page(), world, 1, content_hash, assert_accessible)
    pact = Pact.objects.get(pk=world.pact.pk)
    assert pact.status == Pact.Status.EXECUTED
    assert pact.signatures.count() == 2

    ministry.reload()
    expect(ministry.locator("#signed-count")).to_contain_text("2/2 đơn vị")
    expect(ministry.locator(".badge").filter(has_text="Đã ký kết").first).to_be_visible()
    _ministry_sees_the_progress(ministry, world, signed=2)
    _ministry_reads_the_audit_trail(ministry, world, assert_accessible)
