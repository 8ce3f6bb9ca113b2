"""The report as a PDF in the layout of Nghị định 30/2020/NĐ-CP (the pact's PDF layout, pacts/pdf.py), rendered
with WeasyPrint from the same content as the Word document; nothing is fetched (no network, no disk)."""

import os
from datetime import datetime

from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from .content import ReportDocument

TEMPLATE = "reports/pdf/report.html"
NO_FETCHING = URLFetcher(allowed_protocols={"data"})


def report_pdf_bytes(doc: ReportDocument, *, moment: datetime) -> bytes:
    html = render_to_string(TEMPLATE, {"doc": doc})
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    # The font subsets are dated the report's day, not now: the same figures make the same bytes.
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        return HTML(string=html, url_fetcher=NO_FETCHING).write_pdf()
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
