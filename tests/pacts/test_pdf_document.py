"""The signed pact's PDF as a document: Vietnamese administrative layout, text quality, verification marks."""

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from pacts import services
from pacts.audit import RequestInfo
from pacts.errors import PactError
from pacts.models import Pact, PactSignatory
from pacts.pdf import (
    date_line,
    render_pact_pdf_bytes,
    signature_title_lines,
    signed_line,
    title_lines,
    verification_url,
)
from regions import services as region_services
from regions.models import Unit, UnitName
from tests.conftest import require
from tests.pacts.factories import deputy_of, make_world


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (unit name, its head, the head's position); the third head's name is typed decomposed (NFD).
UNITS = [
    ("Cục Thi hành án dân sự tỉnh Đắk Lắk", "Nguyễn Thị Hồng Nhung", "Cục trưởng"),
    ("Sở Tư pháp tỉnh Thừa Thiên Huế", "Trần Quốc Vượng", "Giám đốc"),
    ("Sở Tư pháp tỉnh Quảng Bình", "Lê Thị Diệu Hương", "Giám đốc"),
]
REGION_ON_THE_DAY = "Khu vực thi đua các tỉnh Tây Nguyên và Bắc Trung Bộ"
REGION_LATER = "Khu vực thi đua số 5"
PACT_DAY = date(2018, 3, 9)
MM = 72 / 25.4  # PDF points per millimetre


@dataclass
class Rendered:
    final: bytes
    draft: bytes
    code: str
    url: str
    content_text: str
    content_hash: str
    signers: list[str]
    units: list[str]
    signed_lines: list[str]
    signed_at: list[datetime]
    ips: list[str]
    executed_at: datetime


def _sign(pact: Pact, unit, user, n: int) -> None:
    pact = Pact.objects.get(pk=pact.pk)
    services.pact_sign(
        pact=pact,
        unit=unit,
        user=user,
        consent=True,
        content_hash=pact.content_hash,
        info=RequestInfo(ip_address=f"203.0.113.{10 + n}", user_agent="pytest"),
    )


def _build_and_render() -> Rendered:
    """A pact of 09/03/2018 signed through the services by three units, one by a deputy, rendered twice."""
    world = make_world(3, open_pact=False, prefix="pdfdoc")
    region = world.campaign.region
    region_services.region_rename(region=region, name=REGION_ON_THE_DAY, effective=date(2015, 1, 1))
    region_services.region_rename(region=region, name=REGION_LATER, effective=date(2020, 1, 1))
    for unit, leader, (unit_name, head, position) in zip(world.units, world.leaders, UNITS, strict=True):
        region_services.unit_rename(unit=unit, name=unit_name, effective=date(2010, 1, 1))
        region_services.appointment_start(
            unit=unit,
            full_name=nfd(head) if "Diệu" in head else head,
            position=position,
            start=date(2017, 1, 1),
            user=leader,
        )
    deputy = deputy_of(world.units[1], "pdfdoc.pho")
    services.pact_update_draft(
        pact=world.pact,
        actor=world.officer,
        number="05/GƯ-KVTĐ",
        signed_on=PACT_DAY,
        parties="Các đơn vị thành viên của Khu vực thi đua cùng ký kết giao ước thi đua năm 2018 gồm:",
        targets="100% đơn vị hoàn thành các chỉ tiêu được giao.\nKhông có cán bộ, công chức vi phạm pháp luật.",
        implementation="Sơ kết 6 tháng, tổng kết năm; chấm điểm và bình xét theo Quy chế của Khu vực.",
    )
    # A unit name recorded before names were normalised (in its history and on the unit, which holds the
    # latest) reaches the slot decomposed when the pact opens (slots are fixed from then on): the document
    # must still print it composed.
    UnitName.objects.filter(unit=world.units[2], valid_from=date(2010, 1, 1)).update(name=nfd(UNITS[2][0]))
    Unit.objects.filter(pk=world.units[2].pk).update(name=nfd(UNITS[2][0]))
    pact = services.pact_open(pact=world.pact, deadline=timezone.now() + timedelta(days=7), actor=world.officer)
    assert PactSignatory.objects.get(pact=pact, unit=world.units[2]).unit_name == nfd(UNITS[2][0])
    _sign(pact, world.units[0], world.leaders[0], 0)
    draft = render_pact_pdf_bytes(Pact.objects.get(pk=pact.pk), draft=True)
    _sign(pact, world.units[1], deputy, 1)
    _sign(pact, world.units[2], world.leaders[2], 2)
    pact = Pact.objects.get(pk=pact.pk)
    signatures = list(pact.signatures.order_by("signed_at"))
    return Rendered(
        final=render_pact_pdf_bytes(pact),
        draft=draft,
        code=pact.verification_code,
        url=verification_url(pact),
        content_text=pact.content_text,
        content_hash=pact.content_hash,
        signers=[UNITS[0][1], deputy.full_name, UNITS[2][1]],
        units=[name for name, _, _ in UNITS],
        signed_lines=[signed_line(s.signed_at) for s in signatures],
        signed_at=[s.signed_at for s in signatures],
        ips=[s.ip_address for s in signatures],
        executed_at=pact.executed_at,
    )


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> Rendered:
    """Built and rendered once for the module, then rolled back (signatures cannot be deleted)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_and_render()
        transaction.set_rollback(True)


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _tool(name: str) -> str:
    require(shutil.which(name) is not None, f"{name} (poppler-utils / qpdf) is not installed")
    return name


def _words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """The words of a page with their boxes in millimetres from the top left: (text, x0, y0, x1, y1)."""
    xml = subprocess.run(
        [_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        (text, float(x0) / MM, float(y0) / MM, float(x1) / MM, float(y1) / MM)
        for x0, y0, x1, y1, text in re.findall(pattern, xml)
    ]


def _word(words, text: str):
    found = [w for w in words if w[0] == text]
    assert found, f"{text!r} is not on the page"
    return found[0]


# ---------------------------------------------------------------------------------------------
# Text quality
# ---------------------------------------------------------------------------------------------


def test_the_signed_pdf_passes_qpdf_check(rendered, tmp_path):
    for name, data in (("final.pdf", rendered.final), ("draft.pdf", rendered.draft)):
        path = tmp_path / name
        path.write_bytes(data)
        result = subprocess.run([_tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_every_font_is_embedded_and_the_serif_is_liberation_serif_or_tinos(rendered, tmp_path):
    path = tmp_path / "final.pdf"
    path.write_bytes(rendered.final)
    output = subprocess.run([_tool("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    fonts = output.splitlines()[2:]
    assert fonts
    for line in fonts:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", line
        assert re.match(r"^[A-Z]{6}\+(Liberation-?Serif|Tinos)", name), line


def test_the_text_holds_every_signer_and_unit_name_exactly_in_nfc(rendered):
    text = "\n".join(_pages(rendered.final))
    assert text == unicodedata.normalize("NFC", text)
    for name in [*rendered.signers, *rendered.units]:
        assert name in text
    assert nfd("Lê Thị Diệu Hương") not in text
    assert nfd("Sở Tư pháp tỉnh Quảng Bình") not in text


def test_the_document_prints_the_signed_text(rendered):
    printed = _squeeze(" ".join(_pages(rendered.final)))
    for line in rendered.content_text.splitlines():
        if line.strip():
            assert _squeeze(line) in printed, line


def test_the_same_pact_renders_to_the_same_bytes(rendered, django_db_blocker):
    with django_db_blocker.unblock():
        pact = Pact.objects.get(verification_code=rendered.code)
        assert render_pact_pdf_bytes(pact) == rendered.final


# ---------------------------------------------------------------------------------------------
# Layout (Nghị định 30/2020/NĐ-CP)
# ---------------------------------------------------------------------------------------------


def test_page_one_has_the_motto_top_right_and_blank_margins(rendered, tmp_path):
    pdf = tmp_path / "final.pdf"
    pdf.write_bytes(rendered.final)
    subprocess.run(
        [_tool("pdftoppm"), "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(tmp_path / "p1")],
        check=True,
    )
    image = Image.open(tmp_path / "p1.png").convert("L")
    width, height = image.size
    px = width / 210  # pixels per millimetre

    def dark(x0: float, y0: float, x1: float, y1: float) -> int:
        box = image.crop((int(x0 * px), int(y0 * px), int(x1 * px), int(y1 * px)))
        return sum(box.histogram()[:128])

    assert dark(0, 0, 28, 297) == 0  # left margin (30 mm)
    assert dark(197, 0, 210, 297) == 0  # right margin (15 mm)
    assert dark(0, 0, 210, 18) == 0  # top margin (20 mm), no page number on page 1
    assert dark(110, 18, 195, 40) > 50  # the motto block, top right
    assert dark(30, 18, 100, 40) > 20  # the issuing body, top left

    words = _words(pdf, 1)
    nation, slogan, title = _word(words, "CỘNG"), _word(words, "Độc"), _word(words, "BẢN")
    middle = (30 + 195) / 2  # of the text area
    assert nation[1] > 90 and nation[2] < 35
    assert slogan[1] > middle and nation[4] <= slogan[2]
    assert title[2] > slogan[4]
    issuer = _word(words, REGION_ON_THE_DAY.split()[0].upper())
    assert issuer[1] >= 30 and issuer[3] < middle and issuer[2] < 40
    day = _word(words, "Đồng")
    assert day[1] > middle - 10 and slogan[4] <= day[2] < title[2]


def test_the_header_names_the_region_as_of_the_pact_date_with_the_date_line_in_full(rendered):
    first = _squeeze(_pages(rendered.final)[0])
    assert REGION_ON_THE_DAY.upper() in first
    assert REGION_LATER not in first and REGION_LATER.upper() not in first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Đồng Hới, ngày 09 tháng 3 năm 2018" in first  # Decree 30: a zero for days 1–9 only, not March
    assert "Số: 05/GƯ-KVTĐ" in first


def test_pages_are_numbered_at_the_top_centre_from_page_two(rendered, tmp_path):
    pdf = tmp_path / "final.pdf"
    pdf.write_bytes(rendered.final)
    pages = len(PdfReader(BytesIO(rendered.final)).pages)
    assert not [w for w in _words(pdf, 1) if w[4] < 20]
    for page in range(2, pages + 1):
        top = [w for w in _words(pdf, page) if w[4] < 20]
        assert [w[0] for w in top] == [str(page)]
        assert abs((top[0][1] + top[0][3]) / 2 - (30 + 195) / 2) < 3


def test_every_page_carries_the_verification_code_and_page_one_its_qr_code(rendered):
    reader = PdfReader(BytesIO(rendered.final))
    for page in reader.pages:
        assert f"Mã xác thực: {rendered.code}" in _squeeze(page.extract_text())
    # The footer may wrap the address (at a hyphen of the random code): read it without whitespace.
    assert rendered.url in re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert rendered.url.endswith(f"/verify/{rendered.code}/")
    assert len(reader.pages[0].images) == 1


def test_the_signature_grid_shows_each_unit_its_signer_authority_and_time(rendered):
    text = _squeeze(" ".join(_pages(rendered.final)[:-1]))
    for unit in rendered.units:
        assert unit.upper() in text
    assert "CỤC TRƯỞNG Đã ký lúc" in text
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text
    for line in rendered.signed_lines:
        assert line in text
    assert "Chưa ký" not in text


def test_the_last_page_certifies_the_completion_with_each_signature_as_evidence(rendered):
    pages = _pages(rendered.final)
    assert len(pages) == 3
    last = _squeeze(pages[-1])
    assert "CHỨNG NHẬN HOÀN TẤT KÝ KẾT" in last
    assert rendered.content_hash in last.replace(" ", "")
    assert timezone.localtime(rendered.executed_at).strftime("%d/%m/%Y %H:%M:%S +07:00") in last
    for signer, unit, at, ip in zip(rendered.signers, rendered.units, rendered.signed_at, rendered.ips, strict=True):
        assert signer in last and unit in last and ip in last
        assert timezone.localtime(at).strftime("%d/%m/%Y %H:%M:%S +07:00") in last
    assert "Trần Phó Giám Đốc, Phó Giám đốc · Thẩm quyền: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" in last
    assert "CHỨNG NHẬN" not in " ".join(pages[:-1])


# ---------------------------------------------------------------------------------------------
# The draft preview
# ---------------------------------------------------------------------------------------------


def test_a_draft_is_marked_on_every_page_and_has_no_completion_page(rendered):
    pages = _pages(rendered.draft)
    assert len(pages) == 2
    for page in pages:
        assert page.count("DỰ THẢO") >= 2  # the watermark and the page header
    text = _squeeze(" ".join(pages))
    assert "CHỨNG NHẬN HOÀN TẤT KÝ KẾT" not in text
    assert rendered.signers[0] in text and rendered.signed_lines[0] in text
    assert text.count("Chưa ký") == 2
    assert rendered.code not in text
    assert not PdfReader(BytesIO(rendered.draft)).pages[0].images


@pytest.mark.django_db
def test_a_draft_pact_can_be_previewed_but_has_no_signed_pdf():
    world = make_world(2, open_pact=False, prefix="pdfdraft")
    assert _pages(render_pact_pdf_bytes(world.pact, draft=True))[0].count("DỰ THẢO") >= 2
    with pytest.raises(PactError, match="Chỉ giao ước đã ký kết"):
        render_pact_pdf_bytes(world.pact)


@pytest.mark.django_db
def test_an_open_pact_has_no_signed_pdf_yet():
    world = make_world(2, prefix="pdfopen")
    with pytest.raises(PactError):
        render_pact_pdf_bytes(world.pact)


@pytest.mark.django_db
def test_a_preview_asked_for_before_the_last_signature_still_renders_after_it():
    world = make_world(1, prefix="pdflate")
    _sign(world.pact, world.units[0], world.leaders[0], 0)
    pages = _pages(render_pact_pdf_bytes(Pact.objects.get(pk=world.pact.pk), draft=True))
    assert all("DỰ THẢO" in page for page in pages)
    assert "CHỨNG NHẬN HOÀN TẤT KÝ KẾT" not in " ".join(pages)


@pytest.mark.django_db
def test_an_executed_pact_whose_records_no_longer_match_the_signed_text_is_not_printed():
    world = make_world(1, prefix="pdfedit")
    _sign(world.pact, world.units[0], world.leaders[0], 0)
    # The pact's own fields are frozen (on PostgreSQL by a trigger); a region renamed with a date before
    # the pact's changes the name its header would print.
    region_services.region_rename(region=world.campaign.region, name="Khu vực đổi tên", effective=world.pact.signed_on)
    with pytest.raises(PactError, match="không còn khớp"):
        render_pact_pdf_bytes(world.pact)


# ---------------------------------------------------------------------------------------------
# The rules of the printed words
# ---------------------------------------------------------------------------------------------


def test_the_date_line_has_the_leading_zeros_of_decree_30():
    assert date_line("Quảng Bình", date(2018, 3, 19)) == "Quảng Bình, ngày 19 tháng 3 năm 2018"
    assert date_line("Đắk Lắk", date(2025, 2, 5)) == "Đắk Lắk, ngày 05 tháng 02 năm 2025"
    assert date_line("Huế", date(2026, 12, 31), Pact.TextFormat.DECREE_30) == "Huế, ngày 31 tháng 12 năm 2026"


def test_a_pact_of_the_original_format_keeps_its_date_line():
    original = Pact.TextFormat.ORIGINAL
    assert date_line("Đồng Hới", date(2018, 3, 19), original) == "Đồng Hới, ngày 19 tháng 03 năm 2018"
    assert date_line("Buôn Ma Thuột", date(2025, 2, 5), original) == "Buôn Ma Thuột, ngày 05 tháng 02 năm 2025"


def test_the_signing_time_is_shown_in_vietnam_with_its_offset():
    moment = datetime(2018, 3, 19, 2, 30, 17, tzinfo=UTC)
    assert signed_line(moment) == "Đã ký lúc 09:30:17 ngày 19/03/2018 (+07:00)"


@pytest.mark.parametrize(
    ("authority", "position", "lines"),
    [
        ("", "Giám đốc", ("GIÁM ĐỐC",)),
        ("", "Cục trưởng", ("CỤC TRƯỞNG",)),
        ("KT.", "Phó Giám đốc", ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        ("KT.", "Phó Chi cục trưởng", ("KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG")),
        ("KT.", "Trưởng phòng phụ trách", ("KT. THỦ TRƯỞNG ĐƠN VỊ", "TRƯỞNG PHÒNG PHỤ TRÁCH")),
        ("Q.", "Giám đốc", ("Q. GIÁM ĐỐC",)),
        ("Q.", "Quyền Cục trưởng", ("Q. CỤC TRƯỞNG",)),
        ("", nfd("Giám đốc"), ("GIÁM ĐỐC",)),
    ],
)
def test_the_original_format_prints_the_authority_and_position_in_capitals(authority, position, lines):
    assert signature_title_lines(authority, position) == lines
    assert title_lines(Pact.TextFormat.ORIGINAL, authority, position) == lines


@pytest.mark.parametrize(
    ("authority", "position", "original", "decree_30"),
    [
        ("Q.", "Phó Cục trưởng phụ trách", ("Q. PHÓ CỤC TRƯỞNG PHỤ TRÁCH",), ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG")),
        (
            "KT.",
            "Trưởng phòng phụ trách",
            ("KT. THỦ TRƯỞNG ĐƠN VỊ", "TRƯỞNG PHÒNG PHỤ TRÁCH"),
            ("KT. THỦ TRƯỞNG ĐƠN VỊ", "TRƯỞNG PHÒNG"),
        ),
        ("", "Giám đốc Sở Tư pháp", ("GIÁM ĐỐC SỞ TƯ PHÁP",), ("GIÁM ĐỐC",)),
    ],
)
def test_the_original_keeps_its_print_where_the_table_corrects_it(authority, position, original, decree_30):
    assert title_lines(Pact.TextFormat.ORIGINAL, authority, position) == original
    assert title_lines(Pact.TextFormat.DECREE_30, authority, position) == decree_30
