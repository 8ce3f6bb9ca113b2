"""The pact as a printed Vietnamese administrative document (Nghị định 30/2020/NĐ-CP), rendered with WeasyPrint.

The document's fixed words are Vietnamese whatever the reader's language: it is a Vietnamese administrative
document, like the canonical text it prints (canonical.pact_canonical_text). Every string is normalised to NFC
before it reaches the layout, so the PDF's text layer matches the signed text code point for code point.

What it prints follows the pact's text format (``Pact.text_format``, see canonical.py), so that a pact's PDF
renders again to the very bytes it was issued as: a pact opened under the original format keeps its date line
("ngày 19 tháng 03 năm 2018") and its signature titles as they were first printed (``signature_title_lines``,
which wrote a deputy in charge recorded as acting "Q. PHÓ CỤC TRƯỞNG PHỤ TRÁCH"); a pact opened under the
Decree 30 format prints the date as the decree writes it ("ngày 19 tháng 3 năm 2018", core.dates) and the
signing titles of pacts/titles.py ("KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG").
"""

import base64
import io
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from qrcode.image.pil import PilImage
from weasyprint import HTML, URLFetcher

from core.text import nfc
from regions.selectors import region_name_on

from . import canonical, pdf_pages, titles
from .canonical import pact_canonical_text
from .errors import PactError
from .models import Pact, PactSignatory, PactSignature
from .templatetags.pacts_tags import evidence_time

logger = logging.getLogger(__name__)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# What a pre-render prints where a signature is still to come (never in a document anyone sees: a page holding
# it is laid out again once the signature is there).
STAND_IN = "\u2014"
TEMPLATE = "pacts/pdf/pact.html"
DEPUTY_PREFIX = "phó "
ACTING_PREFIXES = ("quyền ", "q. ")
# The original format's signature titles and authorities (kept for the pacts opened under it).
# A deputy whose position does not name the head's title ("Phó Giám đốc" does) signs for the head in general.
HEAD_IN_GENERAL = "THỦ TRƯỞNG ĐƠN VỊ"
AUTHORITY_WORDS = {
    PactSignature.Authority.HEAD: "Thủ trưởng đơn vị",
    PactSignature.Authority.DEPUTY: "KT. (cấp phó ký thay thủ trưởng)",
    PactSignature.Authority.ACTING: "Q. (quyền thủ trưởng)",
}
# WeasyPrint may read nothing but the data: URIs the template embeds (the QR code): no network, no disk.
NO_FETCHING = URLFetcher(allowed_protocols={"data"})


@dataclass(frozen=True)
class SignatureBlock:
    """One unit's place in the signature grid."""

    unit_name: str
    title_lines: tuple[str, ...]  # authority prefix and position, in capitals (ô 7a/7b)
    signer_name: str
    signed_line: str  # "Đã ký lúc … (+07:00)" or "Chưa ký"
    signed: bool


@dataclass(frozen=True)
class CertificateRow:
    """One signature as evidence on the completion page."""

    number: int
    unit_name: str
    signer_name: str
    position: str
    authority: str
    signed_at: str
    ip_address: str
    content_hash: str  # only when it differs from the pact's (never, unless the records were tampered with)


@dataclass(frozen=True)
class PactPdf:
    """Everything the template prints, already normalised to NFC."""

    draft: bool
    parent_body: str  # the region when the pact is a block's (cơ quan chủ quản), else empty
    issuing_body: str
    number: str
    date_line: str
    title: str
    subject: str
    bases: list[str]
    parties: list[str]
    units: list[str]
    clauses: list[tuple[int, list[str]]]
    targets: list[str]
    implementation: list[str]
    signature_rows: list[tuple[SignatureBlock, ...]]
    certificate: list[CertificateRow]
    content_hash: str
    opened_at: str
    executed_at: str
    verification_code: str
    verification_url: str
    qr_data_uri: str
    footer_css: SafeString
    created: str


def verification_url(pact: Pact, site_url: str = "") -> str:
    """The public page that confirms the pact and its PDF; the QR code of page 1 points to it. ``site_url``
    is the portal's address the job recorded (the current one when empty)."""
    return (site_url or settings.SITE_URL) + reverse("pacts:verify", args=[pact.verification_code])


def render_pact_pdf_bytes(pact: Pact, *, draft: bool = False, site_url: str = "", cached: bool = True) -> bytes:
    """The pact as a PDF: the signed document with its completion page, or a "DỰ THẢO" preview when ``draft``.

    The same executed pact renders to the same bytes with the same fonts and libraries (no clock, no random
    identifier): a file lost from the disk is rendered again identical to the one issued, with its SHA-256.
    """
    document = pact_pdf_document(pact, draft=draft, site_url=site_url)
    with _fonts_dated(datetime.fromisoformat(document.created)):
        if draft or pact.text_format == Pact.TextFormat.ORIGINAL:
            # Previews, and the original format's pacts (their issued bytes), are laid out whole, as before.
            return HTML(string=render_to_string(TEMPLATE, {"doc": document}), url_fetcher=NO_FETCHING).write_pdf()
        return render_paged(pact, document, cached=cached)


def render_paged(pact: Pact, document: "PactPdf", *, cached: bool = True) -> bytes:
    """The signed document laid out by pacts/pdf_pages.py: the pages its open pact's pre-renders kept are
    reused where nothing they depend on changed (``cached``), the others laid out; the same bytes either way,
    and as WeasyPrint writes the whole document (tests/pacts/test_pdf_paged.py)."""
    context = pdf_pages.context_digest(document)
    runs = pdf_pages.cache_load(pact.pk, context) if cached else []
    start, start_cpu = time.perf_counter(), time.process_time()
    data, _runs, stats = pdf_pages.render(document, cached=runs, fetcher=NO_FETCHING)
    logger.info(
        "PDF of pact %s: %s pages laid out, %s reused, %s parts, %.2f s (CPU %.2f s)",
        pact.pk,
        stats["laid_out"],
        stats["reused"],
        stats["parts"],
        time.perf_counter() - start,
        time.process_time() - start_cpu,
    )
    return data


def prerender_pact_pages(pact: Pact, *, site_url: str = "") -> dict | None:
    """Lays out, in the background, the open pact's document as it will be once signed (stand-ins of a
    signature's shape for the slots still unsigned) and keeps its painted pages for the final render. Only
    the pages whose items changed since the last pre-render are laid out. None when there is nothing to do
    (the pact is not open, or is of the original format)."""
    pact = Pact.objects.select_related("campaign__region").get(pk=pact.pk)
    if pact.status != Pact.Status.OPEN or pact.text_format == Pact.TextFormat.ORIGINAL:
        return None
    document = _prerender_document(pact, site_url)
    context = pdf_pages.context_digest(document)
    items = pdf_pages.document_items(document)
    runs, stats, _first = pdf_pages.lay_out(document, items, pdf_pages.cache_load(pact.pk, context), NO_FETCHING)
    pdf_pages.cache_save(pact.pk, context, runs)
    return stats


def _prerender_document(pact: Pact, site_url: str) -> "PactPdf":
    """The document of the open pact as if it were executed now: its signatures, and for each slot still
    unsigned a block and a certificate entry of the shape of a signed one (one title line, a time, a name)."""
    now = timezone.now()
    slots = list(pact.signatories.order_by("order"))
    signatures = {s.unit_id: s for s in pact.signatures.all()}
    blocks, rows = [], []
    for number, slot in enumerate(slots, start=1):
        signature = signatures.get(slot.unit_id)
        if signature is not None:
            blocks.append(_signature_block(pact, slot, signature))
            rows.append(_certificate_row(pact, number, signature))
            continue
        blocks.append(
            SignatureBlock(
                unit_name=nfc(slot.unit_name),
                title_lines=(STAND_IN,),
                signer_name=STAND_IN,
                signed_line=signed_line(now),
                signed=True,
            )
        )
        rows.append(
            CertificateRow(
                number=number,
                unit_name=nfc(slot.unit_name),
                signer_name=STAND_IN,
                position=STAND_IN,
                authority=STAND_IN,
                signed_at=evidence_time(now),
                ip_address=STAND_IN,
                content_hash="",
            )
        )
    document = _document(pact, slots, signature_rows=_pairs(blocks), certificate=rows, site_url=site_url)
    return replace(document, executed_at=evidence_time(now), created=now.isoformat(timespec="seconds"))


@contextmanager
def _fonts_dated(moment: datetime) -> Iterator[None]:
    """Dates the embedded font subsets ``moment`` (the pact's execution) instead of now.

    fontTools writes the time a font subset is made into the font's "head" table unless SOURCE_DATE_EPOCH
    is set (the reproducible-builds convention): without it, two renders a second apart differ. The variable
    is the process's, so it is set only around one render; a worker renders one PDF at a time per process.
    """
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def pact_pdf_document(pact: Pact, *, draft: bool = False, site_url: str = "") -> PactPdf:
    """What the PDF prints, checked against the rules: only an executed pact has a final document."""
    pact = Pact.objects.select_related("campaign__region").get(pk=pact.pk)
    _check_printable(pact, draft=draft)
    slots = list(pact.signatories.order_by("order"))
    signatures = {s.unit_id: s for s in pact.signatures.all()}
    return _document(
        pact,
        slots,
        signature_rows=_pairs([_signature_block(pact, s, signatures.get(s.unit_id)) for s in slots]),
        certificate=[] if draft else _certificate(pact, slots, signatures),
        site_url=site_url,
        draft=draft,
    )


def _document(
    pact: Pact,
    slots: list[PactSignatory],
    *,
    signature_rows: list[tuple[SignatureBlock, ...]],
    certificate: list[CertificateRow],
    site_url: str,
    draft: bool = False,
) -> PactPdf:
    region = nfc(region_name_on(pact.campaign.region, pact.signed_on))
    block = nfc(pact.block)
    heading = f"{region} - {block}" if block else region
    url = "" if draft else verification_url(pact, site_url)
    return PactPdf(
        draft=draft,
        parent_body=region if block else "",
        issuing_body=block or region,
        number=_number(pact.number),
        date_line=date_line(nfc(pact.place), pact.signed_on, pact.text_format),
        title=nfc(pact.title),
        subject=heading,
        bases=_body_lines(pact.bases, pact.text_format),
        parties=_body_lines(pact.parties, pact.text_format),
        units=[nfc(slot.unit_name) for slot in slots],
        clauses=[
            (clause.number, _body_lines(clause.text, pact.text_format)) for clause in pact.clauses.order_by("number")
        ],
        targets=_body_lines(pact.targets, pact.text_format),
        implementation=_body_lines(pact.implementation, pact.text_format),
        signature_rows=signature_rows,
        certificate=certificate,
        content_hash=pact.content_hash,
        opened_at=evidence_time(pact.opened_at),
        executed_at=evidence_time(pact.executed_at),
        verification_code=pact.verification_code,
        verification_url=url,
        qr_data_uri="" if draft else qr_data_uri(url),
        footer_css=css_string(_footer(pact, url, draft=draft)),
        created=(pact.executed_at or pact.updated_at).isoformat(timespec="seconds"),
    )


def _check_printable(pact: Pact, *, draft: bool) -> None:
    # A preview is marked "DỰ THẢO" on every page, whatever the status: a preview queued while the pact was
    # open may reach the worker after the last signature, and must not fail for that.
    if draft:
        return
    if pact.status != Pact.Status.EXECUTED:
        raise PactError(_("Only an executed pact has a signed PDF; preview it as a draft instead."))
    # The document must be the text that was signed: refuse to print anything else.
    if pact_canonical_text(pact) != pact.content_text:
        raise PactError(_("The pact's records no longer match the text that was signed; the PDF is not made."))


def date_line(place: str, day: date, text_format: int = Pact.TextFormat.DECREE_30) -> str:
    """The place-and-date line in the pact's format, as the canonical text writes it: "Quảng Bình, ngày 19
    tháng 3 năm 2018" (Decree 30: a leading zero only for days 1–9 and months 1–2, "ngày 05 tháng 01 năm
    2026"); the original format wrote "ngày 19 tháng 03 năm 2018"."""
    return canonical.date_line(place, day, text_format)


def signed_line(moment: datetime) -> str:
    """When a unit signed, in Vietnam's time with its offset: "Đã ký lúc 09:30:17 ngày 19/03/2018 (+07:00)"."""
    local = moment.astimezone(VIETNAM)
    offset = local.strftime("%z")
    return f"Đã ký lúc {local:%H:%M:%S} ngày {local:%d/%m/%Y} ({offset[:3]}:{offset[3:]})"


def title_lines(text_format: int, authority: str, position: str) -> tuple[str, ...]:
    """The signature block's title lines in the pact's format: pacts/titles.py's table (Decree 30 format), or
    the original print (``signature_title_lines``) for a pact opened before it."""
    if text_format == Pact.TextFormat.ORIGINAL:
        return signature_title_lines(authority, position)
    return titles.signing_title(authority, position).lines


def signature_title_lines(authority: str, position: str) -> tuple[str, ...]:
    """The ORIGINAL format's title lines (keep them unchanged: the PDFs issued with them render again byte for
    byte). The authority prefix and the position in capitals, as ô 7a/7b of the decree print them.

    A head prints their position ("GIÁM ĐỐC"); an acting head "Q." and the head's title ("Q. GIÁM ĐỐC", from
    "Quyền Giám đốc" or "Giám đốc"); a deputy two lines, "KT." and the head's title, then their own position
    ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"). The head's title is the deputy's position without its leading "Phó";
    when the position does not start with "Phó", the first line is "KT. THỦ TRƯỞNG ĐƠN VỊ". It printed a
    deputy in charge recorded as acting "Q. PHÓ CỤC TRƯỞNG PHỤ TRÁCH": new pacts use pacts/titles.py.
    """
    position = nfc(position).strip()
    if authority == PactSignature.Authority.ACTING:
        for prefix in ACTING_PREFIXES:
            if position.lower().startswith(prefix):
                position = position[len(prefix) :].strip()
        return (f"Q. {position.upper()}",)
    if authority == PactSignature.Authority.DEPUTY:
        if position.lower().startswith(DEPUTY_PREFIX):
            head_title = position[len(DEPUTY_PREFIX) :].strip().upper()
        else:
            head_title = HEAD_IN_GENERAL
        return (f"KT. {head_title}", position.upper())
    return (position.upper(),)


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG data URI (8 pixels a module: sharp at 20 mm, on screen and on paper)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def css_string(text: str) -> SafeString:
    """``text`` as a quoted CSS string, safe inside a <style> element (for the page-margin boxes)."""
    escaped = "".join(char if char.isalnum() or char in " .,:;/-_·()+" else f"\\{ord(char):x} " for char in text)
    return mark_safe(f'"{escaped}"')  # noqa: S308 (every character but a safe few is escaped above)


def _footer(pact: Pact, url: str, *, draft: bool) -> str:
    if draft:
        return "DỰ THẢO · Bản xem trước, không có giá trị xác thực"
    return f"Mã xác thực: {pact.verification_code} · {url}"


def _number(number: str) -> str:
    number = nfc(number).strip()
    if not number or number.lower().startswith("số"):
        return number
    return f"Số: {number}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in nfc(text or "").splitlines() if line.strip()]


# A document's number and symbol ("47/2005/QH11") or a date ("30/06/2018"): any word with a slash in it.
SLASHED_WORD = re.compile(r"\S*/\S*")


def _body_lines(text: str, text_format: int) -> list[str]:
    """The lines of a part of the body. In the Decree 30 format a number and symbol is never split at its slash
    across two lines ("số 47/2005/" above "QH11"): each word with a slash is kept whole (the .nobr span).
    A pact of the original format prints as it was signed."""
    lines = _lines(text)
    if text_format == Pact.TextFormat.ORIGINAL:
        return lines
    return [_keep_slashed_words_whole(line) for line in lines]


def _keep_slashed_words_whole(line: str) -> SafeString:
    parts, end = [], 0
    for match in SLASHED_WORD.finditer(line):
        parts += [escape(line[end : match.start()]), f'<span class="nobr">{escape(match.group())}</span>']
        end = match.end()
    parts.append(escape(line[end:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of the line is escaped above)


def _pairs(blocks: list[SignatureBlock]) -> list[tuple[SignatureBlock, ...]]:
    return [tuple(blocks[n : n + 2]) for n in range(0, len(blocks), 2)]


def _signature_block(pact: Pact, slot: PactSignatory, signature: PactSignature | None) -> SignatureBlock:
    if signature is None:
        return SignatureBlock(
            unit_name=nfc(slot.unit_name), title_lines=(), signer_name="", signed_line="Chưa ký", signed=False
        )
    return SignatureBlock(
        unit_name=nfc(slot.unit_name),
        title_lines=title_lines(pact.text_format, signature.authority, signature.signer_position),
        signer_name=nfc(signature.signer_name),
        signed_line=signed_line(signature.signed_at),
        signed=True,
    )


def _certificate(pact: Pact, slots: list[PactSignatory], signatures: dict[int, PactSignature]) -> list[CertificateRow]:
    return [_certificate_row(pact, number, signatures[slot.unit_id]) for number, slot in enumerate(slots, start=1)]


def _certificate_row(pact: Pact, number: int, signature: PactSignature) -> CertificateRow:
    return CertificateRow(
        number=number,
        unit_name=nfc(signature.unit_name),
        signer_name=nfc(signature.signer_name),
        position=nfc(signature.signer_position),
        authority=_authority(pact.text_format, signature),
        signed_at=evidence_time(signature.signed_at),
        ip_address=signature.ip_address or "—",
        content_hash="" if signature.content_hash == pact.content_hash else signature.content_hash,
    )


def _authority(text_format: int, signature: PactSignature) -> str:
    """The certificate's "Thẩm quyền": the original words, or the signing title of pacts/titles.py."""
    if text_format == Pact.TextFormat.ORIGINAL:
        return AUTHORITY_WORDS.get(signature.authority, signature.authority)
    return str(titles.signing_title(signature.authority, signature.signer_position))


def warm_up() -> float:
    """Loads what a pdf worker child's first render would otherwise pay for (2.2–2.6 s measured, issue 16):
    WeasyPrint's modules, fontconfig's font list, the document's fonts (Liberation Serif, bold and italic) in
    HarfBuzz and the subsetter, and the seal's modules. Called by thidua/celery.py when a child of a worker
    consuming the pdf queue starts. Returns the seconds it took."""
    start = time.perf_counter()
    from . import seal  # noqa: F401 - pyHanko's import, paid once here

    html = (
        "<html lang=\"vi\" style=\"font-family: 'Liberation Serif', 'Tinos', 'Times New Roman', serif;"
        ' font-size: 13pt"><body><p>Giao ước <b>thi đua</b> <i>năm 2026</i></p></body></html>'
    )
    HTML(string=html, url_fetcher=NO_FETCHING).write_pdf()
    render_to_string(pdf_pages.ITEMS_TEMPLATE, {"doc": None})  # compiled once (the cached template loader)
    return time.perf_counter() - start
