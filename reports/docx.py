"""The report as a Word document (python-docx) in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins
20 / 15 / 25 / 30 mm (top, right, bottom, left), Times New Roman 13–14 pt; the issuing body and the national motto
side by side, the number under the body, the place and date under the motto, the title centred, the parts with
their tables, the fields the officer writes shaded and in square brackets, "Nơi nhận" and the signature block.

It holds no clock and no random identifier beyond what the content says: the core properties' dates are the
report's day, so the same figures make the same document."""

import io
from datetime import datetime, time
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .content import Paragraph, ReportDocument, Table

FONT = "Times New Roman"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _run(paragraph, text: str, *, bold=False, italic=False, size=13, underline=False):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _centre(cell_or_doc, text: str, **style):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, **style)
    return paragraph


def _no_borders(table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def report_docx_bytes(doc: ReportDocument, *, moment: datetime) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Mm(20),
        Mm(15),
        Mm(25),
        Mm(30),
    )
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    masthead = document.add_table(rows=2, cols=2)
    _no_borders(masthead)
    masthead.autofit = False
    for row in masthead.rows:
        row.cells[0].width, row.cells[1].width = Mm(62), Mm(103)
    issuer, motto = masthead.rows[0].cells
    issuer.paragraphs[0].text = ""
    if doc.parent_body:
        issuer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(issuer.paragraphs[0], doc.parent_body.upper(), size=12)
        _centre(issuer, doc.issuing_body.upper(), bold=True, size=12)
    else:
        issuer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(issuer.paragraphs[0], doc.issuing_body.upper(), bold=True, size=12)
    _centre(issuer, "———", size=10)
    motto.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(motto.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _centre(motto, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, underline=True)
    number, place = masthead.rows[1].cells
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number.paragraphs[0], doc.number, size=13)
    place.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(place.paragraphs[0], doc.date_line, italic=True, size=13)

    heading = _centre(document, doc.kind_word, bold=True, size=14)
    heading.paragraph_format.space_before = Pt(18)
    _centre(document, doc.title, bold=True, size=14)
    _centre(document, doc.subject, bold=True, size=14)
    _centre(document, "———", size=10).paragraph_format.space_after = Pt(12)

    for part in doc.sections:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.keep_with_next = True
        _run(paragraph, part.heading, bold=True)
        for block in part.blocks:
            if isinstance(block, Paragraph):
                paragraph = document.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                paragraph.paragraph_format.first_line_indent = Mm(10)
                paragraph.paragraph_format.space_after = Pt(6)
                run = _run(paragraph, block.text, italic=block.field)
                if block.field:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            else:
                _table(document, block)

    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    recipients, signer = closing.rows[0].cells
    recipients.paragraphs[0].text = ""
    _run(recipients.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for line in doc.recipients:
        paragraph = recipients.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, line, size=11)
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(signer.paragraphs[0], doc.signer_title[0], bold=True)
    for line in doc.signer_title[1:]:
        _centre(signer, line, bold=True)
    _centre(signer, "(Ký, ghi rõ họ tên và đóng dấu)", italic=True, size=12)
    _centre(signer, "[Họ và tên người ký]", italic=True).paragraph_format.space_before = Pt(48)

    properties = document.core_properties
    properties.title = f"{doc.kind_word} {doc.title}"
    properties.author = doc.issuing_body
    properties.created = properties.modified = moment
    properties.last_modified_by = doc.issuing_body
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, block: Table) -> None:
    caption = document.add_paragraph()
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    _run(caption, block.caption, bold=True, italic=True, size=12)
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, heading in enumerate(block.headings):
        cell = table.rows[0].cells[index]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], heading, bold=True, size=11)
    for row_index, row in enumerate(block.rows, start=1):
        for index, value in enumerate(row):
            paragraph = table.rows[row_index].cells[index].paragraphs[0]
            if index >= block.numeric_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(
                paragraph,
                value,
                size=11,
                bold=value == "Tổng cộng" or (row_index == len(block.rows) and row[0] == "Tổng cộng"),
            )
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def docx_text(data: bytes) -> str:
    """Every paragraph's text, the tables' cells included (what the tests read back)."""
    document = Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def report_moment(day) -> datetime:
    """08:00 in Vietnam on the report's day: the documents' dates (their properties, the PDF's font subsets)."""
    return datetime.combine(day, time(8, 0), tzinfo=VIETNAM)
