"""Uploaded workbooks and documents are bounded before anything parses them; formula cells are row errors."""

import io
import zipfile
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from awards.forms.scoring_sheets import validate_evidence
from core import xlsx
from core.uploads import ArchiveLimits, ArchiveRefused, check_archive
from regions.excel import UNIT_SHEET
from tests.core.bombs import shared_strings_bomb, workbook_bytes

TOO_MANY_TEXTS = "The workbook holds more than 200.000 different texts; split it into several files."


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return shared_strings_bomb()


def refusal(content: bytes) -> str:
    with translation.override("en"), pytest.raises(xlsx.UnreadableWorkbook) as raised:
        xlsx.check_workbook(io.BytesIO(content))
    return raised.value.message


def test_a_bomb_of_ten_million_shared_strings_is_refused_without_the_parser(bomb):
    assert len(bomb) < 500_000
    with (
        mock.patch("core.xlsx.load_workbook") as parser,
        translation.override("en"),
        pytest.raises(xlsx.WorkbookRefused) as raised,
    ):
        xlsx.read_rows(io.BytesIO(bomb), UNIT_SHEET)
    parser.assert_not_called()
    assert "unpacks to more than 64 MB" in raised.value.message


def test_shared_strings_are_counted_as_they_stream_whatever_the_header_declares():
    assert refusal(shared_strings_bomb(300_000, declared=1)) == TOO_MANY_TEXTS


def test_a_declared_count_past_the_limit_is_refused_at_once():
    assert refusal(shared_strings_bomb(10, declared=5_000_000)) == TOO_MANY_TEXTS


def test_a_dtd_in_the_shared_strings_is_refused():
    content = shared_strings_bomb(1)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE sst [<!ENTITY a "aaaa">]>', 1)
            target.writestr(info.filename, data)
    assert refusal(buffer.getvalue()) == str(xlsx.UnreadableWorkbook().message)


def test_an_archive_of_too_many_entries_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(11):
            archive.writestr(f"part{n}.xml", b"<a/>")
    with translation.override("en"), pytest.raises(ArchiveRefused, match="more than 10 parts"):
        check_archive(buffer, ArchiveLimits(max_entries=10))


def test_an_entry_past_its_own_limit_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/styles.xml", b" " * 2000)
    with pytest.raises(ArchiveRefused):
        check_archive(buffer, ArchiveLimits(), entry_limit=lambda name: 1000)


def test_a_real_workbook_passes_and_is_left_at_its_start():
    source = io.BytesIO(workbook_bytes([["Tên đơn vị", "Loại đơn vị"], ["Sở Tư pháp tỉnh Sơn La", "Sở Tư pháp"]]))
    xlsx.check_workbook(source)
    assert source.tell() == 0


def test_a_formula_cell_is_read_as_an_error_on_its_row_not_as_empty():
    heading = [column.heading for column in UNIT_SHEET.columns]
    content = workbook_bytes([heading, ['=HYPERLINK("http://evil.example/","x")', "", "Sở Tư pháp"]])
    rows = xlsx.read_rows(io.BytesIO(content), UNIT_SHEET)
    assert rows[0].formulas == {"name": "A2"}
    assert rows[0].get("name").startswith("=HYPERLINK")
    with translation.override("en"):
        assert rows[0].formula_errors() == {"name": "Cell A2 holds a formula; enter its value instead."}
    # The formula survives the wait in the session between the preview and the confirmation.
    assert type(rows[0]).from_json(rows[0].as_json()).formulas == {"name": "A2"}


def test_a_text_cell_that_begins_with_an_equals_sign_is_text():
    heading = [column.heading for column in UNIT_SHEET.columns]
    workbook = xlsx.new_workbook()
    workbook.active.append(heading)
    workbook.active.append(["=Sở Tư pháp", "", "Sở Tư pháp"])
    rows = xlsx.read_rows(io.BytesIO(xlsx.workbook_bytes(workbook)), UNIT_SHEET)
    assert rows[0].formulas == {}
    assert rows[0].get("name") == "=Sở Tư pháp"


def test_a_workbook_not_made_by_new_workbook_is_not_written():
    from openpyxl import Workbook

    with pytest.raises(TypeError):
        xlsx.workbook_bytes(Workbook(write_only=True))


def test_an_evidence_workbook_that_is_a_bomb_is_refused(bomb):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        validate_evidence(SimpleUploadedFile("minh-chung.xlsx", bomb))
    assert "unpacks to more than 64 MB" in str(raised.value.messages)


def test_a_damaged_evidence_document_is_refused():
    with translation.override("en"), pytest.raises(ValidationError, match="not a real DOCX file"):
        validate_evidence(SimpleUploadedFile("minh-chung.docx", b"PK\x03\x04 not really a zip"))


def test_a_real_evidence_workbook_is_accepted():
    validate_evidence(SimpleUploadedFile("minh-chung.xlsx", workbook_bytes([["Báo cáo"]])))
