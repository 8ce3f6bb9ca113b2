"""The signed pact's PDF laid out a few pages at a time, so that the last signature only lays out the pages
it changes (issue 16: a pact of 672 units took 12 s after its last signature, WeasyPrint 97% of it).

Why: WeasyPrint lays out the whole document on every render, 15–19 ms a unit, and a page laid out in one
process cannot be kept for another (its boxes hold Pango objects). What can be kept is a page *painted*: its
content stream (the PDF operators, glyph ids of the full font, as WeasyPrint subsets fonts keeping glyph
ids), the glyphs it used of each font with their widths and text, its bookmarks. This module keeps those
records for an open pact (``pdf_pages_prerender``, run by the pdf worker after each signature, in the
background), and the final render lays out only the pages whose items changed, then writes the PDF with
WeasyPrint's own writer (``generate_pdf``) from the records: fonts embedded once, subset to every glyph of
every page, as a whole render does.

How a page is known unchanged: the document is a list of items (a paragraph, a signature row, a
certificate entry: paged_items.html), each with the SHA-256 of its markup. A page is laid out from the
item at its top; its content depends on that item's position (the top of a page), its items and the next
two (which decide where the page breaks), and the page's number. So a run of pages (a page starting with
an item, and the pages continuing it when an item is split) is reused when it starts at the same item on
the same page number and its items and the next two are the same; otherwise the renderer lays out a few
pages from there (a "part": an HTML document of those items, page counter starting at that page), keeps
the pages that end where a new item starts, and goes on, reusing again from the first cached run that
starts where it arrived. An unsigned slot is pre-rendered with stand-ins of a signed block's shape (a title
line, a time, a name), so that its signature usually leaves the pagination alone: the last signature then
lays out the page of its row, the page before (its break), the certificate's first page (the time of
execution), the page of its entry, and page 1 (the QR image is not kept).

Every page is painted alone (fresh font objects): its operators do not depend on what was painted before
it, so the same page painted in any part is the same bytes, and a render from scratch (one part, all
items) writes the same file as an incremental one. The fonts' descriptors come from one fixed primer
render, not from whichever page used a font first.
"""

import base64
import gzip
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass, field, replace

import pydyf
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from weasyprint import DEFAULT_OPTIONS, HTML, VERSION
from weasyprint.document import Document
from weasyprint.pdf import generate_pdf
from weasyprint.pdf.stream import Stream

logger = logging.getLogger(__name__)

# Bump when the records, the items or the layout rules change: older caches are then ignored.
RENDERER = f"paged-1/weasyprint-{VERSION}"
ITEMS_TEMPLATE = "pacts/pdf/paged_items.html"
HEAD_TEMPLATE = "pacts/pdf/paged_head.html"
ITEM_MARK = re.compile(r"<!--item:([a-z]*)-->")
CONTAINERS = {
    "bases": ('<div class="bases{top}">', "</div>"),
    "signatures": ('<table class="signatures{top}">', "</table>"),
    "certificate": ('<section class="certificate{top}">', "</section>"),
}
LOOKAHEAD = 2  # items after a page whose markup its break depends on
SCALE = 0.75  # PDF points per CSS pixel, as WeasyPrint writes at zoom 1
PART_ITEMS = 24  # items laid out per part when no cached page tells how many a page holds
END = "end"


@dataclass(frozen=True)
class Item:
    container: str
    html: str
    digest: str


@dataclass
class PageRecord:
    """One painted page: everything the PDF writer needs from it, as plain data."""

    width: float
    height: float
    bleed: dict
    operators: bytes
    fonts: dict  # font hash -> {"family", "weight", "style", "widths": {gid: w}, "text": {gid: str}}
    alpha: dict  # ExtGState name -> {"ca" or "CA": value}
    bookmarks: list
    images: dict = field(default_factory=dict)  # only pages painted in this process (never stored)

    @property
    def storable(self) -> bool:
        return not self.images

    def to_json(self) -> dict:
        return {
            "width": self.width,
            "height": self.height,
            "bleed": self.bleed,
            "operators": base64.b64encode(self.operators).decode("ascii"),
            "fonts": {
                key: {**font, "widths": list(font["widths"].items()), "text": list(font["text"].items())}
                for key, font in self.fonts.items()
            },
            "alpha": self.alpha,
            "bookmarks": self.bookmarks,
        }

    @classmethod
    def from_json(cls, data: dict) -> "PageRecord":
        fonts = {
            key: {**font, "widths": dict(font["widths"]), "text": dict(font["text"])}
            for key, font in data["fonts"].items()
        }
        bookmarks = [(level, label, tuple(point), state) for level, label, point, state in data["bookmarks"]]
        return cls(
            width=data["width"],
            height=data["height"],
            bleed=data["bleed"],
            operators=base64.b64decode(data["operators"]),
            fonts=fonts,
            alpha=data["alpha"],
            bookmarks=bookmarks,
        )


@dataclass
class Run:
    """Pages laid out from the item at the top of the first (the next pages continue a split item)."""

    start: int  # index of the item at the top of the first page
    page_number: int  # the first page's number (1-based)
    digests: list[str]  # the digests of the run's items and the LOOKAHEAD after it (END at the end)
    pages: list[PageRecord]

    @property
    def storable(self) -> bool:
        return all(page.storable for page in self.pages)


# ---------------------------------------------------------------------------------------------
# The document as items
# ---------------------------------------------------------------------------------------------


def document_items(doc) -> list[Item]:
    """The pact's document (a pdf.PactPdf) as items, in order, each numbered in its data-i attributes."""
    text = render_to_string(ITEMS_TEMPLATE, {"doc": doc})
    pieces = ITEM_MARK.split(text)
    items = []
    for container, html in zip(pieces[1::2], pieces[2::2], strict=True):
        numbered = html.replace(" data-i>", f' data-i="{len(items)}">').strip()
        items.append(Item(container, numbered, hashlib.sha256(f"{container}\n{numbered}".encode()).hexdigest()))
    return items


def document_head(doc, *, first_page_number: int = 1) -> str:
    continued = first_page_number > 1
    return render_to_string(HEAD_TEMPLATE, {"doc": doc, "continued": continued, "first_page_number": first_page_number})


def context_digest(doc) -> str:
    """What every page shares (styles, page-margin boxes, metadata): a cache made under another is void."""
    # The creation time is metadata only (it lays out nothing): a pre-render made before the execution holds.
    head = document_head(replace(doc, created=""))
    return hashlib.sha256(f"{RENDERER}\n{head}\n{doc.qr_data_uri}".encode()).hexdigest()


def part_html(doc, items: list[Item], start: int, end: int, first_page_number: int) -> str:
    """An HTML document of items[start:end], its first page numbered ``first_page_number``."""
    body = [document_head(doc, first_page_number=first_page_number)]
    if start == 0 and doc.qr_data_uri:
        body.append(f'<div class="qr"><img src="{doc.qr_data_uri}" alt="{doc.verification_url}"></div>')
    current = ""
    for index in range(start, end):
        item = items[index]
        top = index == start and start > 0
        if item.container != current:
            if current:
                body.append(CONTAINERS[current][1])
            if item.container:
                body.append(CONTAINERS[item.container][0].format(top=" part-top" if top else ""))
            current = item.container
        html = item.html
        if top:  # the first element of the item starts the page
            html = html.replace(f'data-i="{index}"', f'data-i="{index}" data-top', 1)
            html = _add_class(html, "part-top")
        body.append(html)
    if current:
        body.append(CONTAINERS[current][1])
    body.append("</body></html>")
    return "\n".join(body)


def _add_class(html: str, name: str) -> str:
    """Adds a class to the item's first element (marked data-top)."""
    tag_end = html.index("data-top")
    opening = html[:tag_end]
    if ' class="' in opening:
        return opening.replace(' class="', f' class="{name} ', 1) + html[tag_end:]
    return opening + f'class="{name}" ' + html[tag_end:]


# ---------------------------------------------------------------------------------------------
# Laying out and painting parts
# ---------------------------------------------------------------------------------------------


def _page_items(page) -> set[int]:
    found = set()
    stack = [page._page_box]  # noqa: SLF001 - WeasyPrint keeps the laid-out page box there
    while stack:
        box = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and element.get("data-i") is not None:
            found.add(int(element.get("data-i")))
        stack.extend(getattr(box, "children", ()))
    return found


def paint(page, *, fetcher=None) -> PageRecord:
    """Paints one laid-out page alone (fresh font objects) and keeps what the writer needs."""
    fonts, images = {}, {}
    resources = pydyf.Dictionary(
        {
            "ExtGState": pydyf.Dictionary(),
            "XObject": pydyf.Dictionary(),
            "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(),
        }
    )
    stream = Stream(fonts, (0, 0, page.width, page.height), resources, images, None, {}, None, compress=True)
    page.paint(stream, SCALE)
    if (
        resources["Pattern"]
        or resources["Shading"]
        or any(not re.fullmatch(r"[aA][0-9.]+", key) for key in resources["ExtGState"])
    ):
        raise ValueError("the paged renderer does not keep patterns, shadings or blend modes")
    if any(font.missing for font in fonts.values()):
        raise ValueError("a glyph is missing from the fonts: the page cannot be painted alone")
    return PageRecord(
        width=page.width,
        height=page.height,
        bleed=dict(page.bleed),
        operators=b"\n".join(pydyf._to_bytes(item) for item in stream.stream),  # noqa: SLF001
        fonts={
            font.hash: {
                "family": font.family,
                "weight": int(font.weight),
                "style": int(font.style),
                "widths": dict(font.widths),
                "text": dict(font.to_unicode),
            }
            for font in fonts.values()
        },
        alpha={key: dict(value) for key, value in resources["ExtGState"].items()},
        bookmarks=[(level, label, tuple(point), state) for level, label, point, state in page.bookmarks],
        images={name: images[name] for name in resources["XObject"]},
    )


def _layout(doc, items: list[Item], start: int, end: int, page_number: int, fetcher):
    html = part_html(doc, items, start, end, page_number)
    return HTML(string=html, url_fetcher=fetcher).render()


def lay_out(doc, items: list[Item], cached: list[Run], fetcher):
    """The document's runs: cached ones reused where nothing they depend on changed, the rest laid out in
    parts. Returns the runs, counts (pages reused and laid out, parts rendered) and the first part laid out
    (its metadata is the document's)."""
    first_document = None
    by_start = {(run.start, run.page_number): run for run in cached}
    digests = [item.digest for item in items] + [END]
    runs: list[Run] = []
    stats = {"reused": 0, "laid_out": 0, "parts": 0}
    position, page_number = 0, 1
    hint = PART_ITEMS
    while position < len(items):
        run = by_start.get((position, page_number))
        if run is not None and position > 0 and run.digests == _digests(digests, position, run):
            runs.append(run)
            stats["reused"] += len(run.pages)
            position += len(run.digests) - LOOKAHEAD if run.digests[-1] != END else len(items) - position
            position = min(position, len(items))
            page_number += len(run.pages)
            continue
        if run is not None:
            hint = max(hint, 2 * (len(run.digests) - LOOKAHEAD) + LOOKAHEAD + 1)
        # Lay out a part from here: as many items as two pages hold, more if it ends inside the first run.
        size = hint if cached else len(items)
        while True:
            end = min(len(items), position + size)
            document = _layout(doc, items, position, end, page_number, fetcher)
            first_document = first_document or document
            stats["parts"] += 1
            new_runs = _runs(document, digests, position, end == len(items), page_number)
            if new_runs:
                break
            size *= 2
        for new_run in new_runs:
            runs.append(new_run)
            stats["laid_out"] += len(new_run.pages)
            page_number += len(new_run.pages)
        last = new_runs[-1]
        position = len(items) if last.digests[-1] == END else last.start + len(last.digests) - LOOKAHEAD
    return runs, stats, first_document


def _digests(digests: list[str], start: int, run: Run) -> list[str]:
    """The digests a run starting at ``start`` with as many items as ``run`` depends on, as they are now."""
    if run.digests[-1] == END:
        return digests[start:]
    return digests[start : start + len(run.digests)]


def _runs(document, digests: list[str], start: int, at_end: bool, page_number: int) -> list[Run]:
    """The runs of a laid-out part that are sure: all when the part reaches the document's end, else those
    followed, inside the part, by a page that starts with a new item (the part's last page may be cut)."""
    pages = document.pages
    on_page = [_page_items(page) for page in pages]
    # Page k starts a run when its first item was not on the page before.
    starts = [0] + [k for k in range(1, len(pages)) if on_page[k] and min(on_page[k]) not in on_page[k - 1]]
    first_items = {k: (start if k == 0 else min(on_page[k])) for k in starts}
    runs = []
    boundaries = starts + ([len(pages)] if at_end else [])
    for a, b in zip(boundaries, boundaries[1:], strict=False):
        first = first_items[a]
        if b == len(pages):
            run_digests = digests[first:]
        else:
            following = first_items[b]
            run_digests = digests[first : following + LOOKAHEAD]
        records = [paint(page) for page in pages[a:b]]
        runs.append(Run(start=first, page_number=page_number + a, digests=run_digests, pages=records))
    return runs


# ---------------------------------------------------------------------------------------------
# Writing the PDF from page records
# ---------------------------------------------------------------------------------------------


class _ReplayedPage:
    """A page for WeasyPrint's writer whose painting is the record's operators."""

    def __init__(self, record: PageRecord, fonts: dict) -> None:
        self.record = record
        self.width, self.height, self.bleed = record.width, record.height, record.bleed
        self.bookmarks = record.bookmarks
        self.links, self.anchors, self.forms = [], {}, {None: []}
        self._fonts = fonts

    def paint(self, stream, scale=1) -> None:
        stream.stream.append(self.record.operators)
        for key, value in self.record.alpha.items():
            stream._resources["ExtGState"].setdefault(key, pydyf.Dictionary(value))  # noqa: SLF001
        for name, image in self.record.images.items():
            stream._resources["XObject"][name] = None  # noqa: SLF001
            stream._images.setdefault(name, {**image, "x_object": None})  # noqa: SLF001


def write_pdf(doc, runs: list[Run], metadata_document, fetcher) -> bytes:
    """The PDF of the runs' pages, written by WeasyPrint with one font object per font for the file."""
    records = [page for run in runs for page in run.pages]
    fonts, primer = _primed_fonts(records, fetcher)
    for record in records:  # the first page to use a glyph gives its width, as in a whole render
        for key, used in record.fonts.items():
            font = fonts[key]
            for gid, width in used["widths"].items():
                font.widths.setdefault(int(gid), width)
            for gid, text in used["text"].items():
                font.to_unicode.setdefault(int(gid), text)
    pages = [_ReplayedPage(record, fonts) for record in records]
    document = Document(
        pages,
        metadata_document.metadata,
        metadata_document.url_fetcher,
        metadata_document.font_config,
        {},
        None,
    )
    document.fonts = fonts
    options = dict(DEFAULT_OPTIONS)
    pdf = generate_pdf(document, None, 1, **options)
    output = io.BytesIO()
    pdf.write(output, options["pdf_version"], options["pdf_identifier"], not options["uncompressed_pdf"])
    del primer  # its font configuration owns the fonts' faces: kept alive until the file is written
    return output.getvalue()


def _primed_fonts(records: list[PageRecord], fetcher):
    """Fresh font objects for every font the pages use, made by painting one fixed line in each (so their
    descriptors never depend on which page used a font first)."""
    wanted = {}
    for record in records:
        for key, used in record.fonts.items():
            wanted.setdefault(key, (used["family"], used["weight"], used["style"]))
    styles = {0: "normal", 1: "oblique", 2: "italic"}
    spans = "".join(
        f'<p style="font-family: &quot;{family}&quot;; font-weight: {weight}; '
        f'font-style: {styles.get(style, "normal")}; font-size: 13pt">Aa</p>'
        for family, weight, style in sorted(set(wanted.values()))
    )
    primer = HTML(string=f"<html><body>{spans}</body></html>", url_fetcher=fetcher).render()
    fonts: dict = {}
    for page in primer.pages:
        stream = Stream(
            fonts,
            (0, 0, page.width, page.height),
            pydyf.Dictionary(
                {
                    "ExtGState": pydyf.Dictionary(),
                    "XObject": pydyf.Dictionary(),
                    "Pattern": pydyf.Dictionary(),
                    "Shading": pydyf.Dictionary(),
                }
            ),
            {},
            None,
            {},
            None,
        )
        page.paint(stream, SCALE)
    by_hash = {font.hash: font for font in fonts.values()}
    missing = set(wanted) - set(by_hash)
    if missing:
        raise LookupError(f"fonts not found again for the page records: {sorted(missing)}")
    for font in by_hash.values():
        font.widths, font.to_unicode = {}, {}
    return {key: by_hash[key] for key in wanted}, primer


# ---------------------------------------------------------------------------------------------
# The cache of an open pact's pages, and a render
# ---------------------------------------------------------------------------------------------


def cache_name(pact_id: int) -> str:
    return f"pdf-pages/pact-{pact_id}.json.gz"


def cache_load(pact_id: int, context: str) -> list[Run]:
    """The runs kept for the pact under the same context, or none (missing, unreadable or of another)."""
    name = cache_name(pact_id)
    try:
        with default_storage.open(name, "rb") as file:
            data = json.loads(gzip.decompress(file.read()))
    except (OSError, ValueError) as error:
        if default_storage.exists(name):
            logger.warning("PDF pages of pact %s not read (%s): laid out again", pact_id, error)
        return []
    if data.get("context") != context:
        return []
    return [
        Run(
            start=run["start"],
            page_number=run["page_number"],
            digests=run["digests"],
            pages=[PageRecord.from_json(page) for page in run["pages"]],
        )
        for run in data["runs"]
    ]


def cache_save(pact_id: int, context: str, runs: list[Run]) -> None:
    data = {
        "context": context,
        "runs": [
            {
                "start": run.start,
                "page_number": run.page_number,
                "digests": run.digests,
                "pages": [page.to_json() for page in run.pages],
            }
            for run in runs
            if run.storable
        ],
    }
    name = cache_name(pact_id)
    default_storage.delete(name)
    default_storage.save(name, ContentFile(gzip.compress(json.dumps(data).encode(), compresslevel=3, mtime=0)))


def cache_delete(pact_id: int) -> None:
    default_storage.delete(cache_name(pact_id))


def render(doc, *, cached: list[Run] | None = None, fetcher=None) -> tuple[bytes, list[Run], dict]:
    """The PDF of ``doc`` (a pdf.PactPdf), reusing the ``cached`` runs that still hold; returns the bytes,
    the runs (to keep for the next render) and what was reused and laid out."""
    items = document_items(doc)
    runs, stats, first = lay_out(doc, items, cached or [], fetcher)
    return write_pdf(doc, runs, first, fetcher), runs, stats
