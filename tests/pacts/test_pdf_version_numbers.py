"""Version numbers that mean one thing: a signed document's version counts only the signed documents (the
first signed PDF is version 1 even after draft previews), previews are numbered apart ("bản xem trước"), and
jobs made before keep the numbers they showed, their stored file names and download addresses."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from pacts import pdf_jobs, services
from pacts.models import Pact, PdfJob
from pacts.tasks import render_pact_pdf
from pacts.views.documents import pdf_filename
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db

TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def renderer(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    calls = []

    def render(pact, *, draft=False, site_url=""):
        calls.append(draft)
        return TINY_PDF + f"% {len(calls)}\n".encode()

    monkeypatch.setattr("pacts.pdf.render_pact_pdf_bytes", render)
    return calls


def sign_all(world) -> Pact:
    for unit, leader in zip(world.units, world.leaders, strict=True):
        pact = Pact.objects.get(pk=world.pact.pk)
        services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)
    return Pact.objects.get(pk=world.pact.pk)


def run(job: PdfJob) -> PdfJob:
    render_pact_pdf.apply(args=[job.pk])
    return PdfJob.objects.get(pk=job.pk)


@pytest.fixture
def previewed():
    """An open pact previewed twice, then signed by every unit: its signed document is rendered."""
    world = make_world(2, prefix="so")
    for _ in range(2):
        run(pdf_jobs.pdf_job_create(pact=world.pact, requested_by=world.officer, draft=True))
    world.pact = sign_all(world)
    final = PdfJob.objects.get(pact=world.pact, draft=False)
    run(final)
    return world


def test_the_first_signed_pdf_is_version_1_after_two_previews(previewed):
    previews = list(PdfJob.objects.filter(pact=previewed.pact, draft=True).order_by("version"))
    final = PdfJob.objects.get(pact=previewed.pact, draft=False)
    assert [job.shown_number for job in previews] == [1, 2]
    assert final.shown_number == 1
    assert final.version == 3  # the sequence of all the pact's jobs: its file and download address
    assert final.pdf.name.endswith(f"{previewed.pact.verification_code}-v3.pdf")
    assert pdf_filename(previewed.pact, final).endswith("-v1.pdf")
    assert pdf_filename(previewed.pact, previews[1]).endswith("-du-thao-2.pdf")


def test_render_again_is_version_2_and_a_new_preview_is_numbered_among_previews(previewed, admin_user):
    again = pdf_jobs.pdf_job_rerender(pact=previewed.pact, requested_by=admin_user)
    assert (again.version, again.shown_number, again.draft) == (4, 2, False)


def test_the_pages_call_the_document_version_1_and_the_pact_pact_version_1(client, previewed):
    final = PdfJob.objects.get(pact=previewed.pact, draft=False)
    client.force_login(previewed.leaders[0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("pacts:pact_detail", args=[previewed.pact.pk])).content.decode()
    assert "pact version 1" in page
    assert 'PDF version <span data-pdf-field="ready_version">1</span>' in page
    # The download address keeps the job's sequence; what it serves is named by the document's version.
    download = reverse("pacts:pdf_download", args=[previewed.pact.pk, final.version])
    assert download in page
    response = client.get(download + "?download=1")
    assert response.status_code == 200 and "-v1.pdf" in response["Content-Disposition"]
    state = client.get(reverse("pacts:pdf_status", args=[previewed.pact.pk])).json()
    assert state["version"] == 1
    verify = client.get(reverse("pacts:verify", args=[previewed.pact.verification_code])).content.decode()
    assert '<th scope="row" class="fw-normal">1</th>' in verify
    assert '<th scope="row" class="fw-normal">3</th>' not in verify


def test_the_job_list_numbers_previews_apart(client, previewed, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("pacts:pdf_jobs")).content.decode()
    assert "preview 1" in page and "preview 2" in page
    assert "PDF version 1" in page  # the download button's label of the signed document


def test_jobs_made_before_keep_their_numbers_and_the_next_goes_on_from_them(admin_user):
    """A pact whose preview took version 1 and whose signed document is version 2, written before the numbers
    were kept apart: they still show 1 and 2 (a ready job is frozen), and rendering again makes version 3."""
    world = make_world(2, prefix="cu")
    PdfJob.objects.create(pact=world.pact, version=1, draft=True, queued_at=timezone.now())
    pact = sign_all(world)
    final = PdfJob.objects.get(pact=pact, draft=False)
    # As the old numbering wrote it: no number, the shared sequence.
    assert final.version == 2
    PdfJob.objects.filter(pk=final.pk).update(number=None)
    final = run(PdfJob.objects.get(pk=final.pk))
    assert (final.number, final.shown_number) == (None, 2)
    assert final.pdf.name.endswith("-v2.pdf")
    again = pdf_jobs.pdf_job_rerender(pact=pact, requested_by=admin_user)
    assert (again.version, again.shown_number) == (3, 3)
    preview_world = make_world(1, prefix="cu2")
    PdfJob.objects.create(pact=preview_world.pact, version=1, draft=True, queued_at=timezone.now())
    preview = pdf_jobs.pdf_job_create(pact=preview_world.pact, draft=True)
    assert (preview.version, preview.shown_number) == (2, 2)


def test_a_missing_file_replaced_names_the_replacements_document_version(previewed):
    final = PdfJob.objects.get(pact=previewed.pact, draft=False)
    replacement = pdf_jobs.pdf_job_create(pact=previewed.pact)
    PdfJob.objects.filter(pk=final.pk).update(
        last_error=pdf_jobs.FILE_REPLACED.format(why=pdf_jobs.SEALED_DIFFERS, version=replacement.version)
    )
    final.refresh_from_db()
    with translation.override("en"):
        reason = pdf_jobs.pdf_job_reason(final)
    assert f"version {replacement.shown_number} replaces it" in reason
    assert replacement.shown_number == 2 and replacement.version == 4
