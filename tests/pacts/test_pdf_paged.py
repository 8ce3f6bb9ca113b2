"""The paged renderer (pacts/pdf_pages.py): the PDF made from pages kept by an open pact's pre-render is the
PDF a render from scratch makes, byte for byte, and prints what the whole-document render prints on every
page; the kept pages are reused, restore writes the issued bytes back; the pre-render is queued once per
burst of signatures; the pdf worker's children warm up when they start."""

import hashlib
import shutil
import subprocess
from datetime import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from pacts import pdf, pdf_jobs, pdf_pages, services
from pacts.models import Pact, PdfJob
from tests.pacts.factories import make_world
from thidua import celery as thidua_celery
from thidua.celery import app

pytestmark = pytest.mark.django_db

UNITS = 13  # an odd number: the last row of the signature grid holds one block


def _pages_text(data: bytes) -> list[str]:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S607
    return result.stdout.decode().split("\f")[:-1]


def _fonts(data: bytes) -> list[str]:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    result = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)  # noqa: S607
    return [line.split()[0] for line in result.stdout.decode().splitlines()[2:]]


def _whole_render(pact: Pact) -> bytes:
    """The document laid out whole by WeasyPrint, as every signed PDF was before the paged renderer."""
    document = pdf.pact_pdf_document(pact)
    with pdf._fonts_dated(datetime.fromisoformat(document.created)):
        html = render_to_string(pdf.TEMPLATE, {"doc": document})
        return pdf.HTML(string=html, url_fetcher=pdf.NO_FETCHING).write_pdf()


def _sign(world, pairs) -> None:
    for unit, leader in pairs:
        pact = Pact.objects.get(pk=world.pact.pk)
        services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=pact.content_hash)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_SIGNING_P12 = ""
    world = make_world(UNITS, prefix="paged-")
    assert world.pact.text_format == Pact.TextFormat.DECREE_30
    return world


def test_the_last_signature_reuses_the_prerendered_pages_and_makes_the_same_file(world):
    pairs = list(zip(world.units, world.leaders, strict=True))
    # The last to sign is in the middle: its row and its certificate entry are inside the document.
    last = pairs.pop(6)
    _sign(world, pairs[:3])
    pdf.prerender_pact_pages(world.pact)
    _sign(world, pairs[3:])
    pdf.prerender_pact_pages(world.pact)
    again = pdf.prerender_pact_pages(world.pact)
    assert again["reused"] > 0  # nothing signed since: only page 1 (its QR image is never kept) is laid out
    _sign(world, [last])
    pact = Pact.objects.get(pk=world.pact.pk)
    assert pact.status == Pact.Status.EXECUTED
    assert pdf.prerender_pact_pages(pact) is None  # nothing to pre-render once executed

    document = pdf.pact_pdf_document(pact)
    cached = pdf_pages.cache_load(pact.pk, pdf_pages.context_digest(document))
    assert cached, "the pre-render kept the pages"
    with pdf._fonts_dated(datetime.fromisoformat(document.created)):
        incremental, _runs, stats = pdf_pages.render(document, cached=cached, fetcher=pdf.NO_FETCHING)
    assert stats["reused"] > 0 and stats["laid_out"] < stats["reused"] + stats["laid_out"]

    from_scratch = pdf.render_pact_pdf_bytes(pact, cached=False)
    assert incremental == from_scratch  # the same bytes, however the pages were laid out
    assert pdf.render_pact_pdf_bytes(pact) == from_scratch

    whole = _whole_render(pact)
    pages, whole_pages = _pages_text(incremental), _pages_text(whole)
    assert len(pages) == len(whole_pages) > 3
    assert pages == whole_pages  # the same text on every page: page numbers, footer, blocks, entries
    for number, text in enumerate(pages, start=1):
        assert f"Mã xác thực: {pact.verification_code}" in text
        if number > 1:
            assert text.lstrip().startswith(str(number))  # the page number at the top
    assert pact.signatures.get(unit=last[0]).signer_name in "".join(pages)
    fonts = _fonts(incremental)
    assert len(fonts) == len(set(fonts)) == len(_fonts(whole))  # each font embedded once


def test_a_stand_in_that_changes_the_pagination_is_laid_out_again(world, monkeypatch):
    """The stand-in for an unsigned slot is one title line; a signature whose block is taller moves the rows
    after it: the pages after it are laid out again and the file is still the render from scratch."""
    pairs = list(zip(world.units, world.leaders, strict=True))
    last = pairs.pop(1)
    _sign(world, pairs)
    monkeypatch.setattr(pdf, "STAND_IN", "")  # a stand-in of no height: every page after it moves
    pdf.prerender_pact_pages(world.pact)
    _sign(world, [last])
    pact = Pact.objects.get(pk=world.pact.pk)
    assert pdf.render_pact_pdf_bytes(pact) == pdf.render_pact_pdf_bytes(pact, cached=False)
    assert _pages_text(pdf.render_pact_pdf_bytes(pact)) == _pages_text(_whole_render(pact))


def test_the_job_deletes_the_kept_pages_and_a_lost_file_is_restored_identical(
    world, django_capture_on_commit_callbacks
):
    pairs = list(zip(world.units, world.leaders, strict=True))
    _sign(world, pairs[:-1])
    pdf.prerender_pact_pages(world.pact)
    name = pdf_pages.cache_name(world.pact.pk)
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        _sign(world, pairs[-1:])
    job = PdfJob.objects.get(pact=world.pact, draft=False)
    assert job.status == PdfJob.Status.READY
    assert not default_storage.exists(name)  # no longer needed once the document is stored
    issued = job.pdf.read()
    job.pdf.close()
    assert hashlib.sha256(issued).hexdigest() == job.pdf_sha256

    default_storage.delete(job.pdf.name)
    assert pdf_jobs.pdf_job_restore(job.pk) == "restored"  # rendered from scratch, the same bytes
    with default_storage.open(job.pdf.name, "rb") as file:
        assert file.read() == issued


def test_a_draft_preview_is_still_laid_out_whole(world):
    _sign(world, list(zip(world.units, world.leaders, strict=True))[:2])
    with mock.patch.object(pdf_pages, "render") as paged:
        data = pdf.render_pact_pdf_bytes(world.pact, draft=True)
    paged.assert_not_called()
    assert data.startswith(b"%PDF")


def test_a_broken_cache_file_is_ignored(world):
    _sign(world, list(zip(world.units, world.leaders, strict=True))[:2])
    default_storage.save(pdf_pages.cache_name(world.pact.pk), ContentFile(b"not gzip"))
    assert pdf_pages.cache_load(world.pact.pk, "any") == []


# ---------------------------------------------------------------------------------------------
# Queueing the pre-render
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def broker_workers():
    """Tasks sent to a broker, as in production, instead of run in-process."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def test_a_burst_of_signatures_queues_one_prerender(world, monkeypatch, broker_workers):
    mark = pdf_jobs.PRERENDER_QUEUED.format(world.pact.pk)
    cache.delete(mark)
    task = mock.Mock()
    monkeypatch.setitem(app.tasks, pdf_jobs.PRERENDER_TASK, task)
    try:
        assert pdf_jobs.queue_prerender(world.pact.pk) is True
        assert pdf_jobs.queue_prerender(world.pact.pk) is False  # one is waiting already
        task.apply_async.assert_called_once_with(args=[world.pact.pk], queue=pdf_jobs.PDF_QUEUE)
        assert pdf_jobs.pdf_pages_prerender(world.pact.pk) == "done"  # the worker starts it: the mark goes
        assert cache.get(mark) is None
        assert pdf_jobs.queue_prerender(world.pact.pk) is True
    finally:
        cache.delete(mark)


def test_no_prerender_when_tasks_run_in_process(world):
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        assert pdf_jobs.queue_prerender(world.pact.pk) is False  # the signer would wait for it
    finally:
        app.conf.task_always_eager = previous


def test_a_signature_queues_the_prerender_after_commit(world, django_capture_on_commit_callbacks):
    pairs = list(zip(world.units, world.leaders, strict=True))
    with mock.patch.object(pdf_jobs, "queue_prerender") as queue, django_capture_on_commit_callbacks(execute=True):
        _sign(world, pairs[:1])
    queue.assert_called_once_with(world.pact.pk)


def test_a_broker_down_loses_only_the_head_start(world, monkeypatch, broker_workers):
    mark = pdf_jobs.PRERENDER_QUEUED.format(world.pact.pk)
    cache.delete(mark)
    task = mock.Mock()
    task.apply_async.side_effect = OSError("broker down")
    monkeypatch.setitem(app.tasks, pdf_jobs.PRERENDER_TASK, task)
    assert pdf_jobs.queue_prerender(world.pact.pk) is False
    assert cache.get(mark) is None  # the next signature tries again


# ---------------------------------------------------------------------------------------------
# Warming the pdf worker's children
# ---------------------------------------------------------------------------------------------


def test_only_a_pdf_worker_warms_its_children(monkeypatch):
    def worker_of(*queues):
        instance = mock.Mock()
        instance.app.amqp.queues.consume_from = {name: mock.Mock() for name in queues}
        return instance

    warm = mock.Mock(return_value=0.1)
    monkeypatch.setattr(thidua_celery, "warm_pdf_child", warm)
    monkeypatch.setattr(thidua_celery, "_warm_children", False)
    thidua_celery._note_pdf_worker(sender="default@host", instance=worker_of("default"))
    thidua_celery._warm_pdf_child()
    warm.assert_not_called()
    thidua_celery._note_pdf_worker(sender="pdf@host", instance=worker_of("pdf"))
    thidua_celery._warm_pdf_child()
    warm.assert_called_once_with()


def test_the_warm_up_renders_with_the_documents_fonts():
    assert thidua_celery.warm_pdf_child() is not None


def test_a_failing_warm_up_does_not_stop_the_child(monkeypatch):
    monkeypatch.setattr(pdf, "warm_up", mock.Mock(side_effect=OSError("no fonts")))
    assert thidua_celery.warm_pdf_child() is None
