"""The dashboards issue's journey in a real browser, in Vietnamese, on the demo: ministry staff open the dashboard
of the current year, see its charts (each with its table) and the units to nudge, then draft the south-east
region's year-end report of 2018 and download it; the .docx says what the 2018 article says: 12 Sở Tư pháp and
40 Cục, Chi cục THADS registered for "Cờ thi đua ngành Tư pháp". With SCREENSHOTS=1, the dashboard and page 1 of
the report are saved under docs/ (docs/dashboard-ministry.png, docs/report-page.png)."""

import os
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from reports.docx import docx_text
from reports.models import ReportJob

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs"
SOUTH_EAST = "Khu vực thi đua Khối cơ quan Tư pháp các tỉnh miền Đông Nam bộ"


def _log_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def test_ministry_staff_follow_the_year_and_draft_the_south_easts_2018_report(
    page, assert_accessible, settings, tmp_path, reference_data
):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    year = timezone.localdate().year
    _log_in(page, "bo.thidua")

    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(rf"/dashboard/{year}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    assert_accessible(page)
    # The charts, each an image with a title, inside a figure with its caption and its table.
    charts = page.locator("figure svg[role=img]")
    assert charts.count() >= 3  # signing, signatures month by month, the last five years
    expect(page.locator("#figure-signing_months figcaption")).to_be_visible()
    expect(page.locator("table[data-figure=registrations], table[data-figure=signing]").first).to_be_visible()
    # The units to nudge: the demo's central region has three units that have not signed its 2026 pact yet.
    unsigned = page.locator("[data-nudge=unsigned] li")
    expect(unsigned).to_have_count(3)
    if os.environ.get("SCREENSHOTS") == "1":
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(DOCS / "dashboard-ministry.png"), full_page=False)

    page.locator("#dashboard-reports").click()
    page.locator("#id_region").select_option("mien-dong-nam-bo")
    page.locator("#id_year").fill("2018")
    page.locator("#id_kind").select_option("year_end")
    assert_accessible(page)
    page.locator("#report-request button[type=submit]").click()
    expect(page.locator("#report-docx")).to_be_visible(timeout=60_000)
    assert_accessible(page)

    with page.expect_download() as download:
        page.locator("#report-docx").click()
    path = tmp_path / "bao-cao.docx"
    download.value.save_as(path)
    text = docx_text(path.read_bytes())
    assert "Tổng kết công tác thi đua, khen thưởng năm 2018" in text
    assert SOUTH_EAST.upper() in text and "SỞ TƯ PHÁP TỈNH LÂM ĐỒNG" in text  # region and its 2018 head
    assert "Lâm Đồng, ngày 31 tháng 12 năm 2018" in text
    # The article: 12 Sở Tư pháp and 40 Cục and Chi cục THADS registered for the flag.
    assert "Danh hiệu “Cờ thi đua ngành Tư pháp”: 52 đơn vị đăng ký (12 Sở Tư pháp, 40 Cục, Chi cục THADS)." in text
    assert "Cờ thi đua ngành Tư pháp | 12 | 40 | 52" in text

    job = ReportJob.objects.get(region__slug="mien-dong-nam-bo", year=2018)
    if os.environ.get("SCREENSHOTS") == "1" and shutil.which("pdftoppm"):
        pdf = tmp_path / "bao-cao.pdf"
        pdf.write_bytes(job.pdf.open("rb").read())
        subprocess.run(  # noqa: S603 - a fixed program on a file this test wrote
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(DOCS / "report-page")],
            check=True,
        )
