"""Hostile workbooks built in memory: a zip bomb of shared strings, and a workbook with a formula cell."""

import io
import zipfile

from openpyxl import Workbook

SHARED_STRINGS = "xl/sharedStrings.xml"
HEAD = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shared_strings_bomb(count: int = 10_000_000, *, declared: int | None = None) -> bytes:
    """A real .xlsx whose sharedStrings.xml holds ``count`` strings (18 bytes each: 180 MB for 10 million)
    in a few hundred kilobytes; its ``uniqueCount`` says ``declared`` (``count`` unless given)."""
    plain = zipfile.ZipFile(io.BytesIO(workbook_bytes([["Tên đơn vị"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        # openpyxl writes inline strings: the shared strings are declared as Excel declares them.
        extra = {
            "[Content_Types].xml": b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            "xl/_rels/workbook.xml.rels": b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        }
        for info in plain.infolist():
            data = plain.read(info.filename)
            if info.filename in extra:
                closing = b"</" + extra[info.filename].rsplit(b"</", 1)[1]
                data = data.replace(closing, extra[info.filename])
            if info.filename != SHARED_STRINGS:
                bomb.writestr(info.filename, data)
        number = count if declared is None else declared
        with bomb.open(SHARED_STRINGS, "w", force_zip64=True) as part:
            part.write(HEAD + f' count="{number}" uniqueCount="{number}">'.encode())
            block = b"<si><t>x</t></si>" * 100_000
            for _ in range(count // 100_000):
                part.write(block)
            part.write(b"<si><t>x</t></si>" * (count % 100_000) + b"</sst>")
    return buffer.getvalue()
