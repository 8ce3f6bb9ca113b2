"""A pact signed under the original text format still verifies byte for byte: its canonical text, its SHA-256
and its PDF as the code before the Decree 30 dates made them (tests/pacts/fixtures/, recorded at commit 67a1922
with tests/pacts/original_format.py)."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pacts import pdf_jobs
from pacts.canonical import pact_canonical_text, sha256_hex
from pacts.models import Pact, PdfJob
from tests.pacts.original_format import (
    HASH_FILE,
    PDF_FILE,
    PDF_HASH_FILE,
    SITE_URL,
    TEXT_FILE,
    build_original_pact,
    render_pdf,
)
from thidua.record import record_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def pact(settings, tmp_path) -> Pact:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    settings.SITE_URL = SITE_URL
    return build_original_pact()


def test_the_fixture_is_what_the_old_code_made():
    text = TEXT_FILE.read_text(encoding="utf-8")
    assert "Đồng Hới, ngày 19 tháng 03 năm 2018" in text  # the original format's date line
    assert sha256_hex(text) == HASH_FILE.read_text().strip()
    assert hashlib.sha256(PDF_FILE.read_bytes()).hexdigest() == PDF_HASH_FILE.read_text().strip()


def test_the_original_pact_keeps_its_text_and_hash(pact):
    assert pact.text_format == Pact.TextFormat.ORIGINAL
    assert pact.content_text == TEXT_FILE.read_text(encoding="utf-8")
    assert pact.content_hash == HASH_FILE.read_text().strip()
    assert pact_canonical_text(pact) == pact.content_text
    assert sha256_hex(pact_canonical_text(pact)) == pact.content_hash


def test_the_original_pact_renders_its_pdf_again_byte_for_byte(pact):
    data = render_pdf(pact)
    assert hashlib.sha256(data).hexdigest() == PDF_HASH_FILE.read_text().strip()
    assert data == PDF_FILE.read_bytes()


def test_the_record_and_the_verification_page_verify_it(pact, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = pdf_jobs.pdf_job_create(pact=pact)
    job.refresh_from_db()
    assert job.status == PdfJob.Status.READY
    assert job.pdf_sha256 == PDF_HASH_FILE.read_text().strip()

    check = record_verify()
    assert check.problems == []
    assert (check.executed_pacts, check.signatures, check.pdfs) == (1, 4, 1)

    response = client.post(
        reverse("pacts:verify", args=[pact.verification_code]),
        {"document": SimpleUploadedFile("giao-uoc-2018.pdf", PDF_FILE.read_bytes())},
    )
    assert response.status_code == 200
    assert 'data-match="1"' in response.content.decode()
