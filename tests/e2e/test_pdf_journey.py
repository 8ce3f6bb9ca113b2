"""Issue 5's journey in a real browser, in Vietnamese: the last leader signs, a real Celery worker renders the
PDF while an administrator watches the pact page turn ready without reloading it, the administrator downloads
a document laid out as a Vietnamese administrative document, and its QR code leads anyone, without logging
in, to the public verification page, which confirms the downloaded file and rejects a copy one byte off."""

import hashlib
import os
import re
import subprocess
import uuid
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest
import qrcode
import redis
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import Role
from pacts import pdf_jobs, services
from pacts.models import Pact, PdfJob
from pacts.pdf import verification_url
from tests.conftest import require
from tests.e2e.steps import menu_link
from tests.factories import PASSWORD, UserFactory
from tests.pacts.factories import PactWorld, make_world
from tests.workers import database_url, stop, worker_command
from thidua.celery import app

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MM = 72 / 25.4  # PDF points per millimetre
READY_TIMEOUT_MS = 60_000
QR_LEVELS = (
    qrcode.constants.ERROR_CORRECT_L,
    qrcode.constants.ERROR_CORRECT_M,
    qrcode.constants.ERROR_CORRECT_Q,
    qrcode.constants.ERROR_CORRECT_H,
)


# ---------------------------------------------------------------------------------------------
# The worker: started when the test says so, so the administrator can watch the job wait, then finish
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def start_pdf_worker(settings, live_server, tmp_path, monkeypatch) -> Iterator[Callable[[], None]]:
    """Prepares a pdf worker on a queue of its own (test database, temporary MEDIA_ROOT, the live server
    as SITE_URL so the QR code points to it) and returns the function that starts it."""
    require(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "the worker process must share the test database: PostgreSQL only",
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    settings.PDF_SIGNING_P12 = ""
    queue = f"pdf-e2e-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(pdf_jobs, "PDF_QUEUE", queue)
    log = tmp_path / "worker.log"
    processes: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SITE_URL": live_server.url,
        "PDF_SIGNING_P12": "",
        "LOG_LEVEL": "WARNING",
    }
    command = worker_command(queue)

    def start() -> None:
        with log.open("w") as output:
            processes.append(
                subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
            )

    yield start
    for process in processes:
        stop(process)
    # The queue was the test's alone: leave nothing of it on the shared Redis.
    broker = redis.Redis.from_url(settings.REDIS_URL)
    for key in broker.scan_iter(match=f"*{queue}*"):
        broker.delete(key)
    if log.exists():
        print(log.read_text())


@pytest.fixture
def anonymous_page(browser, live_server) -> Iterator[Page]:
    """A visitor's browser of their own: no session, no log-in."""
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# ---------------------------------------------------------------------------------------------
# Reading the downloaded document
# ---------------------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _words(pdf: Path) -> list[tuple[str, float, float]]:
    """Page 1's words with the millimetres of their top-left corner from the page's top left."""
    xml = _pdftotext(pdf, "-bbox", "-f", "1", "-l", "1")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'
    return [(text, float(x0) / MM, float(y0) / MM) for x0, y0, text in re.findall(pattern, xml)]


def _assert_page_one_is_laid_out_as_an_administrative_document(pdf: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(tmp_path / "p1")],
        check=True,
    )
    image = Image.open(tmp_path / "p1.png").convert("L")
    px = image.size[0] / 210  # pixels per millimetre of an A4 page

    def dark(x0: float, y0: float, x1: float, y1: float) -> int:
        box = image.crop((int(x0 * px), int(y0 * px), int(x1 * px), int(y1 * px)))
        return sum(box.histogram()[:128])

    assert abs(image.size[1] / image.size[0] - 297 / 210) < 0.01  # A4 portrait
    assert dark(0, 0, 28, 297) == 0  # the left margin (30 mm) is blank
    assert dark(197, 0, 210, 297) == 0  # so is the right margin (15 mm)
    assert dark(0, 0, 210, 18) == 0  # and the top margin (20 mm): no page number on page 1
    assert dark(110, 18, 195, 40) > 50  # the motto block, top right
    assert dark(30, 18, 100, 40) > 20  # the issuing body, top left

    words = _words(pdf)
    nation = next(w for w in words if w[0] == "CỘNG")
    slogan = next(w for w in words if w[0] == "Độc")
    assert nation[1] > 90 and nation[2] < 35  # in the right half, at the top
    assert slogan[1] > (30 + 195) / 2 and slogan[2] > nation[2]


def _qr_modules(image: Image.Image) -> list[list[bool]]:
    """The dark modules of the QR code picture, read at the centre of each module as a scanner samples them."""
    gray = image.convert("L")
    left, top, right, bottom = gray.point(lambda v: 255 if v < 128 else 0).getbbox()
    # The top-left finder pattern is seven modules wide: its first row of dark pixels gives the module size.
    finder = next(x for x in range(left, right) if gray.getpixel((x, top)) >= 128) - left
    module = finder / 7
    size = round((right - left) / module)
    return [
        [gray.getpixel((int(left + (c + 0.5) * module), int(top + (r + 0.5) * module))) < 128 for c in range(size)]
        for r in range(size)
    ]


def _encodes(modules: list[list[bool]], text: str) -> bool:
    """Whether the modules are those of ``text`` encoded as a QR code (at any error-correction level)."""
    for level in QR_LEVELS:
        code = qrcode.QRCode(error_correction=level, border=0)
        code.add_data(text)
        code.make(fit=True)
        if code.get_matrix() == modules:
            return True
    return False


def _scan_page_one(data: bytes) -> str:
    """What a phone scanning page 1 finds: the verification address printed beside the QR code, checked
    against the picture itself (no QR decoder is installed: the picture must hold exactly that address)."""
    first = PdfReader(BytesIO(data)).pages[0]
    # Whitespace removed: the footer line may wrap the address (a code can break at "-" or "_").
    printed = re.findall(r"https?://[^/]+/verify/[^/]+/", re.sub(r"\s+", "", first.extract_text()))
    assert printed, "no verification address on page 1"
    (picture,) = first.images
    assert _encodes(_qr_modules(picture.image), printed[0]), "the QR code does not encode the printed address"
    return printed[0]


# ---------------------------------------------------------------------------------------------
# The journey
# ---------------------------------------------------------------------------------------------


def _sign(world: PactWorld, n: int) -> Pact:
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[n], user=world.leaders[n], consent=True, content_hash=pact.content_hash
    )
    return Pact.objects.get(pk=pact.pk)


def _log_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def _admin_opens_the_waiting_job(page: Page, pact: Pact, assert_accessible) -> None:
    menu_link(page, "Tác vụ tạo PDF")
    expect(page.get_by_role("heading", name="Tác vụ tạo PDF", level=1)).to_be_visible()
    row = page.locator("#pdf-jobs").get_by_role("row").filter(has_text=pact.title)
    expect(row).to_contain_text("Đang chờ")
    row.get_by_role("link", name=pact.title).click()
    expect(page.get_by_role("heading", name=pact.title, level=1)).to_be_visible()
    panel = page.locator("#pdf-final")
    expect(panel).to_have_attribute("data-state", "pending")
    expect(panel.locator("[data-pdf-field=status_label]")).to_have_text("Đang chờ")
    expect(panel.get_by_role("link", name="Tải bản PDF")).to_be_hidden()
    assert_accessible(page)


def _admin_downloads_the_pdf(page: Page, tmp_path: Path) -> Path:
    panel = page.locator("#pdf-final")
    link = panel.get_by_role("link", name="Tải bản PDF")
    expect(link).to_have_attribute("href", re.compile(r"/pdf/1/download/\?download=1$"))
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(r"giao-uoc-.+-v1\.pdf", download.value.suggested_filename)
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _visitor_checks(page: Page, path: Path, assert_accessible) -> None:
    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    assert_accessible(page)


def test_an_administrator_watches_the_pdf_become_ready_downloads_it_and_its_qr_code_verifies_it(
    page, anonymous_page, start_pdf_worker, live_server, assert_accessible, tmp_path
):
    world = make_world(2, prefix="pdfe2e")
    admin = UserFactory(username="quantri.pdf", full_name="Phạm Quốc Bảo", roles=[Role.ADMIN])
    _sign(world, 0)

    # The last signature: the PDF job goes to Redis, where it waits for a worker.
    app.conf.task_always_eager = False  # restored by the autouse fixture in tests/conftest.py
    pact = _sign(world, 1)
    assert pact.status == Pact.Status.EXECUTED
    job = PdfJob.objects.get(pact=pact)
    assert job.status == PdfJob.Status.PENDING

    _log_in(page, admin.username)
    _admin_opens_the_waiting_job(page, pact, assert_accessible)

    # The worker comes up and renders; the page the administrator has open follows it by itself.
    start_pdf_worker()
    panel = page.locator("#pdf-final")
    expect(panel).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT_MS)
    expect(panel.locator("[data-pdf-field=status_label]")).to_have_text("Đã xong")
    expect(panel.get_by_role("link", name="Tải bản PDF")).to_be_visible()
    assert_accessible(page)

    path = _admin_downloads_the_pdf(page, tmp_path)
    data = path.read_bytes()
    job = PdfJob.objects.get(pk=job.pk)
    assert job.status == PdfJob.Status.READY and job.attempts == 1
    assert hashlib.sha256(data).hexdigest() == job.pdf_sha256

    _assert_page_one_is_laid_out_as_an_administrative_document(path, tmp_path)
    first = _squeeze(_pdftotext(path, "-f", "1", "-l", "1"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    document = _squeeze(_pdftotext(path))
    for leader in world.leaders:
        assert leader.full_name in document

    url = _scan_page_one(data)
    assert url == verification_url(pact) == f"{live_server.url}/verify/{pact.verification_code}/"

    visitor = anonymous_page
    visitor.goto(url)
    expect(visitor.get_by_role("heading", name="Xác minh giao ước thi đua", level=1)).to_be_visible()
    expect(visitor.locator("#verification-code")).to_have_text(pact.verification_code)
    expect(visitor.locator("#pact-title")).to_have_text(pact.title)
    expect(visitor.locator("#pact-status")).to_contain_text("Đã ký kết")
    signatories = visitor.locator("#signatories tbody").get_by_role("row")
    expect(signatories).to_have_count(2)
    for n, row in enumerate((signatories.nth(0), signatories.nth(1))):
        expect(row).to_contain_text(world.units[n].name)
        expect(row).to_contain_text(world.leaders[n].full_name)
        expect(row).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \+07:00"))
    expect(visitor.locator("#issued-versions")).to_contain_text(job.pdf_sha256)
    expect(visitor.locator("#user-menu")).to_have_count(0)  # nobody is logged in here
    assert_accessible(visitor)

    _visitor_checks(visitor, path, assert_accessible)
    result = visitor.locator("#verify-result")
    expect(result).to_have_attribute("data-match", "1")
    expect(result.get_by_role("heading")).to_have_text("Tệp khớp với văn bản đã phát hành")
    expect(result).to_contain_text("khớp hoàn toàn với văn bản đã phát hành, phiên bản 1")
    expect(result).to_contain_text(job.pdf_sha256)

    altered = bytearray(data)
    altered[len(altered) // 2] ^= 0x01
    forged = tmp_path / "ban-da-sua.pdf"
    forged.write_bytes(altered)
    _visitor_checks(visitor, forged, assert_accessible)
    expect(result).to_have_attribute("data-match", "")
    expect(result.get_by_role("heading")).to_have_text("Tệp không khớp")
    expect(result).to_contain_text("không khớp với bất kỳ văn bản nào đã phát hành")
    expect(result).to_contain_text(hashlib.sha256(altered).hexdigest())
