"""Zip archives uploaded as .xlsx or .docx, checked before anything parses them: entries and unpacked bytes bounded.

The size limit of an upload applies to the compressed file, and a zip entry of a few hundred kilobytes
can unpack to hundreds of megabytes (a "zip bomb"). So the archive is read first as a stream: the
entries are counted, their declared sizes summed, then every entry is unpacked chunk by chunk and
counted again (a header can lie), and the reading stops at the first byte past a limit. A caller may
look into chosen entries as they stream by (``inspectors``), e.g. to count a workbook's shared strings.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Protocol

from django.utils.translation import gettext as _

CHUNK = 64 * 1024
MB = 1024 * 1024


class ArchiveRefused(Exception):
    """The archive is past a limit or holds what no workbook or document holds; ``message`` says so."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EntryInspector(Protocol):
    """Sees an entry's unpacked bytes as they stream by; raises ``ArchiveRefused`` to stop the reading."""

    def feed(self, chunk: bytes) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 1000
    max_total_bytes: int = 64 * MB
    max_entry_bytes: int = 32 * MB


def _too_large(limits: ArchiveLimits) -> ArchiveRefused:
    return ArchiveRefused(
        _("The file unpacks to more than %(size)s MB, which no real file of this kind does; it was not read.")
        % {"size": limits.max_total_bytes // MB}
    )


def check_archive(
    source: IO[bytes],
    limits: ArchiveLimits,
    *,
    entry_limit: Callable[[str], int] | None = None,
    inspectors: dict[str, Callable[[], EntryInspector]] | None = None,
) -> None:
    """Raises ``ArchiveRefused`` past a limit, ``zipfile.BadZipFile`` (or another error of zipfile) when the
    file is not a sound zip archive; leaves ``source`` at its start. ``entry_limit(name)`` may lower
    the limit of some entries; ``inspectors`` maps an entry's name to a factory of its inspector."""
    entry_limit = entry_limit or (lambda _name: limits.max_entry_bytes)
    inspectors = inspectors or {}
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_entries:
                raise ArchiveRefused(
                    _("The file holds more than %(count)s parts, which no real file of this kind has; it was not read.")
                    % {"count": limits.max_entries}
                )
            # The declared sizes first: an honest bomb is refused without unpacking a byte.
            if sum(entry.file_size for entry in entries) > limits.max_total_bytes or any(
                entry.file_size > entry_limit(entry.filename) for entry in entries
            ):
                raise _too_large(limits)
            total = 0
            for entry in entries:
                cap, seen = entry_limit(entry.filename), 0
                inspector = inspectors[entry.filename]() if entry.filename in inspectors else None
                with archive.open(entry) as stream:
                    while chunk := stream.read(CHUNK):
                        seen += len(chunk)
                        total += len(chunk)
                        if seen > cap or total > limits.max_total_bytes:
                            raise _too_large(limits)
                        if inspector is not None:
                            inspector.feed(chunk)
                if inspector is not None:
                    inspector.close()
    finally:
        source.seek(0)
