"""The PDF pages: public verification, the job status, download, render again, draft preview, the job list
and the yearly archive. Jobs and files are written here directly, so no renderer is needed."""

import csv
import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from pacts import pdf_jobs, services
from pacts.audit import RequestInfo
from pacts.document_forms import MAX_UPLOAD_BYTES, PdfUploadForm
from pacts.models import Pact, PdfJob
from regions import services as region_services
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db

SIGNER_ADDRESS = "192.0.2.15"
PDF = (
    b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
PDF_V2 = PDF.replace(b"%%EOF", b"% rendered again\n%%EOF")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body(response) -> str:
    return response.content.decode()


def make_ready(job: PdfJob, data: bytes = PDF, *, sealed: bool = False) -> PdfJob:
    job.pdf.save(f"test-v{job.version}.pdf", ContentFile(data), save=False)
    job.status, job.pdf_sha256, job.sealed = PdfJob.Status.READY, sha(data), sealed
    job.attempts, job.started_at, job.finished_at = 1, timezone.now(), timezone.now()
    job.save()
    return job


def sign_all(world) -> Pact:
    for unit, leader in zip(world.units, world.leaders, strict=True):
        pact = Pact.objects.get(pk=world.pact.pk)
        services.pact_sign(
            pact=pact,
            unit=unit,
            user=leader,
            consent=True,
            content_hash=pact.content_hash,
            info=RequestInfo(ip_address=SIGNER_ADDRESS, user_agent="Firefox"),
        )
    world.pact = Pact.objects.select_related("campaign__region").get(pk=world.pact.pk)
    return world.pact


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world():
    """Two units have signed: the pact is executed and its first PDF (version 1) is ready."""
    world = make_world(2, prefix="pdf")
    sign_all(world)
    world.job = make_ready(PdfJob.objects.get(pact=world.pact, version=1))
    return world


@pytest.fixture
def stranger():
    """The leader of a unit of another region."""
    return make_world(1, prefix="khac", open_pact=False).leaders[0]


def url(name: str, world, *args) -> str:
    return reverse(f"pacts:{name}", args=[world.pact.pk, *args])


def verify_url(pact: Pact) -> str:
    return reverse("pacts:verify", args=[pact.verification_code])


def upload(client, pact: Pact, data: bytes, name: str = "giao-uoc.pdf", **extra):
    return client.post(verify_url(pact), {"document": SimpleUploadedFile(name, data)}, **extra)


# ---------------------------------------------------------------------------------------------
# Public verification
# ---------------------------------------------------------------------------------------------


def test_the_verification_page_is_public_and_shows_signatures_and_hashes_without_addresses(client, world):
    response = client.get(verify_url(world.pact))
    assert response.status_code == 200
    page = body(response)
    assert world.pact.title in page and world.pact.campaign.region.name in page
    assert "Đã ký kết" in page and "giao ước đã có hiệu lực" in page
    for signature in world.pact.signatures.all():
        assert signature.signer_name in page and signature.signer_position in page
        assert f"{timezone.localtime(signature.signed_at):%d/%m/%Y %H:%M:%S} +07:00" in page
    assert world.pact.content_hash in page
    assert world.job.pdf_sha256 in page
    assert SIGNER_ADDRESS not in page


def test_the_region_is_named_as_on_the_pacts_date(client, world):
    old_name = world.pact.campaign.region.name
    region_services.region_rename(
        region=world.pact.campaign.region, name="Khu vực đã đổi tên", effective=world.pact.signed_on + timedelta(days=1)
    )
    page = body(client.get(verify_url(world.pact)))
    assert old_name in page
    assert "Khu vực đã đổi tên" not in page


def test_an_unknown_code_gives_a_vietnamese_404(client, world):
    response = client.get(reverse("pacts:verify", args=["khong-co-ma-nay"]))
    assert response.status_code == 404
    assert "Mã xác thực không tồn tại" in body(response)


def test_the_exact_file_is_confirmed_with_its_version(client, world):
    response = upload(client, world.pact, PDF)
    assert response.status_code == 200
    page = body(response)
    assert 'id="verify-result" data-match="1"' in page
    assert "khớp" in page.lower() and "phiên bản 1" in page
    assert sha(PDF) in page


def test_a_file_with_one_byte_changed_does_not_match(client, world):
    tampered = bytearray(PDF)
    tampered[20] ^= 0x01
    page = body(upload(client, world.pact, bytes(tampered)))
    assert 'data-match=""' in page
    assert "không khớp" in page.lower()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>not a pdf</html>", "không phải là tệp PDF"),
        (b"", "Tệp không có nội dung"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_in_vietnamese(client, world, data, message):
    response = upload(client, world.pact, data, name="tep.pdf")
    assert response.status_code == 200
    page = body(response)
    assert message in page
    assert 'id="verify-result"' not in page


def test_posting_without_a_file_asks_for_one(client, world):
    page = body(client.post(verify_url(world.pact), {}))
    assert "Chọn tệp PDF cần kiểm tra" in page


def test_a_body_larger_than_20_mb_is_refused_before_it_is_read(client, world):
    response = upload(client, world.pact, PDF, CONTENT_LENGTH=str(MAX_UPLOAD_BYTES + 1024 * 1024))
    assert response.status_code == 200
    assert "lớn hơn 20 MB" in body(response)
    assert 'id="verify-result"' not in body(response)


def test_the_upload_form_refuses_a_file_over_20_mb():
    document = SimpleUploadedFile("lon.pdf", PDF)
    document.size = MAX_UPLOAD_BYTES + 1
    form = PdfUploadForm(data={}, files={"document": document})
    assert not form.is_valid()
    assert "20 MB" in form.errors["document"][0]


def test_a_draft_pacts_page_says_it_is_not_in_force(client):
    draft = make_world(2, prefix="nhap", open_pact=False).pact
    page = body(client.get(verify_url(draft)))
    assert "chưa có hiệu lực" in page
    assert 'id="no-issued"' in page


def test_a_draft_preview_is_not_an_issued_document(client, world):
    make_ready(PdfJob.objects.create(pact=world.pact, version=2, draft=True), PDF_V2)
    page = body(upload(client, world.pact, PDF_V2))
    assert 'data-match=""' in page
    assert sha(PDF_V2) not in page.split('id="issued-versions"')[1]


def test_a_visitor_without_a_csrf_cookie_can_check_a_file(world):
    from django.test import Client

    response = upload(Client(enforce_csrf_checks=True), world.pact, PDF)
    assert response.status_code == 200
    assert 'data-match="1"' in body(response)


def test_the_verification_page_issues_the_same_queries_for_5_units_as_for_2(client, world):
    with CaptureQueriesContext(connection) as few:
        client.get(verify_url(world.pact))
    larger = make_world(5, prefix="nam")
    sign_all(larger)
    make_ready(PdfJob.objects.get(pact=larger.pact, version=1))
    assert larger.pact.signatures.count() == 5
    with CaptureQueriesContext(connection) as many:
        client.get(verify_url(larger.pact))
    assert len(many) == len(few)


def test_the_verification_page_lists_the_signatory_units_a_page_at_a_time_numbered_on(client):
    larger = make_world(55, prefix="bac")
    last = larger.units[-1]
    pact = Pact.objects.get(pk=larger.pact.pk)
    services.pact_sign(
        pact=pact,
        unit=last,
        user=larger.leaders[-1],
        consent=True,
        content_hash=pact.content_hash,
        info=RequestInfo(ip_address=SIGNER_ADDRESS, user_agent="Firefox"),
    )
    first = client.get(verify_url(pact))
    assert [slot.unit_id for slot, _signature in first.context["signatories"]] == [u.pk for u in larger.units[:50]]
    assert first.context["page"].paginator.count == 55
    assert "<td>1</td>" in body(first) and "<td>50</td>" in body(first) and "<td>51</td>" not in body(first)
    second = client.get(verify_url(pact), {"page": 2})
    rows = second.context["signatories"]
    assert [slot.unit_id for slot, _signature in rows] == [u.pk for u in larger.units[50:]]
    assert rows[-1][1].signer_name == larger.leaders[-1].full_name and rows[0][1] is None
    assert "<td>55</td>" in body(second) and larger.leaders[-1].full_name in body(second)
    assert second.context["page"].number == client.get(verify_url(pact), {"page": 9}).context["page"].number


def test_the_verification_page_accepts_only_get_and_post(client, world):
    assert client.put(verify_url(world.pact)).status_code == 405
    assert client.delete(verify_url(world.pact)).status_code == 405


# ---------------------------------------------------------------------------------------------
# Job status (JSON)
# ---------------------------------------------------------------------------------------------


def test_the_status_gives_the_latest_job_with_its_error_to_administrators(client, admin_user, world):
    client.force_login(admin_user)
    response = client.get(url("pdf_status", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    state = response.json()
    assert set(state) == {
        "status",
        "status_label",
        "version",
        "draft",
        "attempts",
        "last_error",
        "reason",
        "download_url",
    }
    assert state["status"] == "ready" and state["version"] == 1 and state["draft"] is False
    assert state["status_label"] == "Đã xong"
    assert state["download_url"] == url("pdf_download", world, 1)


def test_a_failed_job_shows_its_reason_only_to_those_who_manage_jobs(client, ministry_user, world):
    PdfJob.objects.create(
        pact=world.pact, version=2, status=PdfJob.Status.FAILED, attempts=5, last_error="OSError: font missing"
    )
    client.force_login(ministry_user)
    state = client.get(url("pdf_status", world)).json()
    assert state["status"] == "failed" and state["download_url"] is None
    assert "attempts" not in state  # for administrators (IT) only
    assert state["last_error"] == "OSError: font missing"
    client.force_login(world.leaders[1])
    state = client.get(url("pdf_status", world)).json()
    assert state["status"] == "failed"
    assert "last_error" not in state


def test_the_status_of_the_preview_is_asked_with_draft(client):
    world = make_world(2, prefix="xem")
    preview = PdfJob.objects.create(pact=world.pact, version=1, draft=True)
    client.force_login(world.leaders[1])
    state = client.get(url("pdf_status", world) + "?draft=1").json()
    assert state["status"] == "pending" and state["draft"] is True and state["version"] == preview.version
    assert client.get(url("pdf_status", world)).json()["status"] == "none"


def test_the_status_is_for_those_who_may_read_the_pact(client, world, stranger, no_role_user):
    address = url("pdf_status", world)
    assert client.get(address).status_code == 302
    for user in (world.leaders[0], world.officer):
        client.force_login(user)
        assert client.get(address).status_code == 200
    for user in (stranger, no_role_user):
        client.force_login(user)
        assert client.get(address).status_code == 403
    client.force_login(world.officer)
    assert client.post(address).status_code == 405
    assert client.get(reverse("pacts:pdf_status", args=[999999])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Download
# ---------------------------------------------------------------------------------------------


def test_the_pdf_opens_inline_to_print_and_downloads_as_an_attachment(client, admin_user, world):
    client.force_login(admin_user)
    response = client.get(url("pdf_download", world, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = f"giao-uoc-{world.pact.campaign.region.slug}-{world.pact.campaign.year}-v1.pdf"
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    assert b"".join(response.streaming_content) == PDF
    response = client.get(url("pdf_download", world, 1) + "?download=1")
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


@pytest.mark.parametrize("who", ["ministry", "leader", "officer"])
def test_the_ministry_the_units_leaders_and_the_regions_officers_may_download(client, world, ministry_user, who):
    user = {"ministry": ministry_user, "leader": world.leaders[1], "officer": world.officer}[who]
    client.force_login(user)
    assert client.get(url("pdf_download", world, 1)).status_code == 200


def test_a_leader_of_another_region_may_not_download(client, world, stranger):
    assert client.get(url("pdf_download", world, 1)).status_code == 302
    client.force_login(stranger)
    assert client.get(url("pdf_download", world, 1)).status_code == 403


def test_a_version_that_is_not_ready_or_unknown_is_not_found(client, admin_user, world):
    PdfJob.objects.create(pact=world.pact, version=2)
    client.force_login(admin_user)
    assert client.get(url("pdf_download", world, 2)).status_code == 404
    assert client.get(url("pdf_download", world, 7)).status_code == 404
    assert client.get(reverse("pacts:pdf_download", args=[999999, 1])).status_code == 404
    assert client.post(url("pdf_download", world, 1)).status_code == 405


@pytest.fixture
def restores(monkeypatch) -> list[int]:
    """Records the jobs whose missing file is sent to the pdf worker."""
    sent: list[int] = []
    monkeypatch.setattr(pdf_jobs, "queue_restore", lambda job_id: sent.append(job_id) or True)
    return sent


def test_a_missing_file_is_queued_to_be_rendered_again_and_the_page_says_so(client, world, media, restores):
    (media / world.job.pdf.name).unlink()
    client.force_login(world.leaders[0])
    client.cookies["thidua_language"] = "en"
    response = client.get(url("pdf_download", world, 1))
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    page = body(response)
    assert 'id="pdf-missing" data-restoring="1"' in page
    assert "The PDF file is being rendered again; please try again in a few minutes." in page
    assert restores == [world.job.pk]
    job = PdfJob.objects.get(pk=world.job.pk)
    assert (job.status, job.pdf_sha256, job.pdf.name) == (PdfJob.Status.READY, world.job.pdf_sha256, world.job.pdf.name)


def test_a_missing_file_replaced_by_a_new_version_points_to_it(client, admin_user, world, media, restores):
    (media / world.job.pdf.name).unlink()
    second = make_ready(PdfJob.objects.create(pact=world.pact, version=2), PDF_V2)
    why = pdf_jobs.FILE_REPLACED.format(why=pdf_jobs.SEALED_DIFFERS, version=2)
    PdfJob.objects.filter(pk=world.job.pk).update(last_error=why)
    client.force_login(admin_user)
    client.cookies["thidua_language"] = "en"
    response = client.get(url("pdf_download", world, 1))
    assert response.status_code == 404
    page = body(response)
    assert "version 2 replaces it" in page
    assert f'href="{url("pdf_download", world, second.version)}?download=1"' in page
    assert restores == []  # known to be replaced: not rendered again


def test_a_missing_preview_file_asks_for_a_new_preview(client, restores):
    world = make_world(2, prefix="xt", open_pact=False)
    preview = make_ready(PdfJob.objects.create(pact=world.pact, version=1, draft=True), PDF_V2)
    preview.pdf.storage.delete(preview.pdf.name)
    client.force_login(world.leaders[0])
    client.cookies["thidua_language"] = "en"
    response = client.get(url("pdf_download", world, 1))
    assert response.status_code == 404
    assert "ask for a new preview" in body(response)
    assert restores == []


# ---------------------------------------------------------------------------------------------
# Render again
# ---------------------------------------------------------------------------------------------


def test_rendering_again_adds_version_2_and_both_hashes_are_verifiable(client, admin_user, world):
    client.force_login(admin_user)
    response = client.post(url("pdf_rerender", world), follow=True)
    assert response.redirect_chain[-1][0] == url("pact_detail", world) + "#pdf"
    assert "Phiên bản 2" in body(response)
    second = PdfJob.objects.get(pact=world.pact, version=2)
    assert second.status == PdfJob.Status.PENDING and not second.draft and second.requested_by == admin_user
    make_ready(second, PDF_V2)
    client.logout()
    page = body(client.get(verify_url(world.pact)))
    assert sha(PDF) in page and sha(PDF_V2) in page
    assert 'data-match="1"' in body(upload(client, world.pact, PDF))
    assert 'data-match="2"' in body(upload(client, world.pact, PDF_V2))


def test_rendering_again_goes_back_to_the_job_list_but_never_elsewhere(client, ministry_user, world):
    client.force_login(ministry_user)
    jobs = reverse("pacts:pdf_jobs") + "?status=failed"
    assert client.post(url("pdf_rerender", world), {"next": jobs}).url == jobs
    response = client.post(url("pdf_rerender", world), {"next": "https://example.com/"})
    assert response.url == url("pact_detail", world) + "#pdf"
    assert PdfJob.objects.filter(pact=world.pact).count() == 2  # the second asks while version 2 waits


def test_a_pact_not_executed_cannot_be_rendered_again(client, admin_user):
    world = make_world(2, prefix="mo")
    client.force_login(admin_user)
    response = client.post(url("pdf_rerender", world), follow=True)
    assert "Chỉ giao ước đã được tất cả các đơn vị ký mới có thể tạo lại" in body(response)
    assert not PdfJob.objects.filter(pact=world.pact).exists()


def test_rendering_again_is_for_administrators_and_ministry_staff_only(client, world, stranger):
    address = url("pdf_rerender", world)
    assert client.post(address).status_code == 302
    assert client.post(address).url.startswith(reverse("accounts:login"))
    for user in (world.officer, world.leaders[0], stranger):
        client.force_login(user)
        assert client.post(address).status_code == 403
    assert PdfJob.objects.filter(pact=world.pact).count() == 1
    assert client.get(address).status_code == 405
    assert client.post(reverse("pacts:pdf_rerender", args=[999999])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Draft preview and the pact page's panel
# ---------------------------------------------------------------------------------------------


def test_a_member_previews_a_draft_and_the_page_shows_the_preview(client):
    world = make_world(2, prefix="du", open_pact=False)
    client.force_login(world.leaders[1])
    page = body(client.get(url("pact_detail", world)))
    assert "Xem trước PDF (dự thảo)" in page
    response = client.post(url("pdf_preview", world), follow=True)
    assert response.redirect_chain[-1][0] == url("pact_detail", world) + "#pdf"
    preview = PdfJob.objects.get(pact=world.pact)
    assert preview.draft and preview.status == PdfJob.Status.PENDING and preview.requested_by == world.leaders[1]
    page = body(response)
    assert 'id="pdf-preview"' in page and 'data-state="pending"' in page
    assert "Tải lại trạng thái" in page and "js/pdf-status.js" in page
    make_ready(preview, PDF_V2)
    page = body(client.get(url("pact_detail", world)))
    assert "Bản xem trước (dự thảo)" in page
    assert url("pdf_download", world, preview.version) in page


def test_a_second_preview_request_while_one_waits_adds_nothing(client):
    world = make_world(2, prefix="hai")
    client.force_login(world.officer)
    client.post(url("pdf_preview", world))
    client.post(url("pdf_preview", world))
    assert PdfJob.objects.filter(pact=world.pact, draft=True).count() == 1


def test_an_executed_pact_is_not_previewed(client, world):
    client.force_login(world.officer)
    response = client.post(url("pdf_preview", world), follow=True)
    assert "Chỉ có thể xem trước" in body(response)
    assert not PdfJob.objects.filter(pact=world.pact, draft=True).exists()


def test_previewing_is_for_those_who_may_read_the_pact(client, stranger):
    world = make_world(2, prefix="ng", open_pact=False)
    address = url("pdf_preview", world)
    assert client.post(address).status_code == 302
    client.force_login(stranger)
    assert client.post(address).status_code == 403
    assert client.get(address).status_code == 405
    assert not PdfJob.objects.filter(pact=world.pact).exists()


def test_the_panel_of_an_executed_pact_offers_download_print_and_the_live_status(client, admin_user, world):
    PdfJob.objects.create(pact=world.pact, version=2, status=PdfJob.Status.RENDERING, attempts=1)
    client.force_login(admin_user)
    page = body(client.get(url("pact_detail", world)))
    assert 'id="pdf-final"' in page and 'data-state="rendering"' in page
    assert url("pdf_status", world) in page
    assert f'href="{url("pdf_download", world, 1)}?download=1"' in page  # version 1 stays available
    assert "Tạo lại" in page and reverse("pacts:verify", args=[world.pact.verification_code]) in page


def test_a_leader_sees_the_download_but_not_render_again(client, world):
    client.force_login(world.leaders[1])
    page = body(client.get(url("pact_detail", world)))
    assert url("pdf_download", world, 1) in page
    assert url("pdf_rerender", world) not in page


# ---------------------------------------------------------------------------------------------
# Job list
# ---------------------------------------------------------------------------------------------


def test_the_job_list_highlights_failures_with_their_reason_and_render_again(client, admin_user, world):
    failed = PdfJob.objects.create(
        pact=world.pact, version=2, status=PdfJob.Status.FAILED, attempts=5, last_error="MemoryError"
    )
    client.force_login(admin_user)
    response = client.get(reverse("pacts:pdf_jobs"))
    assert response.status_code == 200
    page = body(response)
    assert f'class="table-danger" data-job="{failed.pk}"' in page
    assert "MemoryError" in page and url("pdf_rerender", world) in page
    assert [job.pk for job in response.context["page"].object_list] == [failed.pk, world.job.pk]
    assert reverse("pacts:pdf_archive", args=[world.pact.campaign.year]) in page


def test_the_job_list_filters_by_status(client, ministry_user, world):
    PdfJob.objects.create(pact=world.pact, version=2, status=PdfJob.Status.FAILED)
    client.force_login(ministry_user)
    response = client.get(reverse("pacts:pdf_jobs"), {"status": "ready"})
    assert [job.pk for job in response.context["page"].object_list] == [world.job.pk]
    response = client.get(reverse("pacts:pdf_jobs"), {"status": "nonsense"})
    assert "Hãy chọn trạng thái trong danh sách." in body(response)
    assert len(response.context["page"].object_list) == 2


def test_the_job_list_is_for_administrators_and_ministry_staff(client, world, stranger):
    address = reverse("pacts:pdf_jobs")
    assert client.get(address).status_code == 302
    for user in (world.officer, world.leaders[0], stranger):
        client.force_login(user)
        assert client.get(address).status_code == 403
    assert client.post(address).status_code == 405


def test_the_job_list_issues_the_same_queries_for_30_jobs_as_for_1(client, admin_user, django_assert_num_queries):
    first = make_world(1, prefix="q0", open_pact=False)
    PdfJob.objects.create(pact=first.pact, version=1, draft=True, status=PdfJob.Status.FAILED)
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("pacts:pdf_jobs")).status_code == 200
    for n in range(1, 4):
        other = make_world(1, prefix=f"q{n}", open_pact=False)
        for version in range(1, 11):
            status = [PdfJob.Status.FAILED, PdfJob.Status.PENDING, PdfJob.Status.RENDERING][version % 3]
            PdfJob.objects.create(pact=other.pact, version=version, draft=version % 2 == 0, status=status)
    assert PdfJob.objects.count() == 31
    with django_assert_num_queries(len(few)):
        client.get(reverse("pacts:pdf_jobs"))


# ---------------------------------------------------------------------------------------------
# Yearly archive
# ---------------------------------------------------------------------------------------------


def _open_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_archive_holds_the_current_pdf_of_every_executed_pact_and_an_index(client, admin_user, world):
    make_ready(PdfJob.objects.create(pact=world.pact, version=2), PDF_V2)
    PdfJob.objects.create(pact=world.pact, version=3, draft=True)
    waiting = make_world(1, prefix="cho")
    sign_all(waiting)  # executed, its PDF still pending
    year = world.pact.campaign.year
    client.force_login(admin_user)
    response = client.get(reverse("pacts:pdf_archive", args=[year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="giao-uoc-thi-dua-{year}.zip"'
    archive = _open_zip(response)
    name = f"giao-uoc-{world.pact.campaign.region.slug}-{year}-v2.pdf"
    assert sorted(archive.namelist()) == sorted([name, f"muc-luc-{year}.csv"])
    assert archive.read(name) == PDF_V2
    index = list(csv.reader(io.StringIO(archive.read(f"muc-luc-{year}.csv").decode("utf-8-sig"))))
    assert index[0][0] == "Tệp"
    rows = {row[1]: row for row in index[1:]}
    assert rows[world.pact.campaign.region.name][0] == name
    assert rows[world.pact.campaign.region.name][6] == sha(PDF_V2)
    assert rows[waiting.pact.campaign.region.name][0] == ""
    assert "Chưa có bản PDF" in rows[waiting.pact.campaign.region.name][7]


def test_the_archive_of_a_year_without_executed_pacts_is_not_found(client, admin_user, world):
    client.force_login(admin_user)
    assert client.get(reverse("pacts:pdf_archive", args=[1999])).status_code == 404


def test_the_archive_is_for_administrators_and_ministry_staff(client, ministry_user, world):
    address = reverse("pacts:pdf_archive", args=[world.pact.campaign.year])
    assert client.get(address).status_code == 302
    for user in (world.officer, world.leaders[0]):
        client.force_login(user)
        assert client.get(address).status_code == 403
    client.force_login(ministry_user)
    assert client.get(address).status_code == 200
    assert client.post(address).status_code == 405


# ---------------------------------------------------------------------------------------------
# Stalled jobs and reasons an administrator can act on
# ---------------------------------------------------------------------------------------------


def stalled_job(world) -> PdfJob:
    """Version 2 of the world's pact, claimed by a worker that died past the stalled bound."""
    lost_for = pdf_jobs.pdf_stalled_after() + timedelta(seconds=5)
    return PdfJob.objects.create(
        pact=world.pact,
        version=2,
        status=PdfJob.Status.RENDERING,
        attempts=1,
        started_at=timezone.now() - lost_for,
        queued_at=timezone.now() - lost_for,
    )


@pytest.mark.parametrize(("limit", "margin"), [(90, 30), (20, 5)])
def test_a_render_shows_as_stalled_only_past_the_bound_from_the_settings(
    client, admin_user, world, settings, limit, margin
):
    settings.PDF_RENDER_TIME_LIMIT, settings.PDF_STALLED_MARGIN = limit, margin
    job = PdfJob.objects.create(pact=world.pact, version=2, status=PdfJob.Status.RENDERING, attempts=1)
    client.force_login(admin_user)
    client.cookies["thidua_language"] = "en"
    for seconds, expected in [(limit + margin - 3, "rendering"), (limit + margin + 3, "stalled")]:
        PdfJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(seconds=seconds))
        state = client.get(url("pdf_status", world)).json()
        assert state["status"] == expected
    assert state["status_label"] == "Stalled" and "render again to restart it now" in state["reason"]
    page = body(client.get(url("pact_detail", world)))
    assert 'data-state="stalled"' in page and "text-bg-warning" in page


def test_render_again_takes_a_stalled_job_over_at_once_and_says_so(
    client, admin_user, world, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(pdf_jobs, "queue_render", lambda job_id: sent.append(job_id) or True)
    job = stalled_job(world)
    client.force_login(admin_user)
    client.cookies["thidua_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("pdf_rerender", world), follow=True)
    assert "Version 2 had stopped rendering (its worker was lost): it is being rendered again now." in body(response)
    job.refresh_from_db()
    assert (job.status, job.last_error) == (PdfJob.Status.PENDING, pdf_jobs.WORKER_LOST)
    assert sent == [job.pk]
    assert PdfJob.objects.filter(pact=world.pact).count() == 2


def test_the_job_list_shows_a_stalled_job_with_its_reason_and_render_again(client, admin_user, world):
    job = stalled_job(world)
    client.force_login(admin_user)
    client.cookies["thidua_language"] = "en"
    response = client.get(reverse("pacts:pdf_jobs"))
    page = body(response)
    assert f'class="table-warning" data-job="{job.pk}" data-state="stalled"' in page
    assert "has probably stopped" in page and url("pdf_rerender", world) in page
    assert "is shown as stalled after 2 minutes" in page
    response = client.get(reverse("pacts:pdf_jobs"), {"status": "stalled"})
    assert [row.pk for row in response.context["page"].object_list] == [job.pk]


def test_the_job_list_gives_the_reason_of_a_failure_in_vietnamese_and_keeps_the_error_for_it(client, admin_user, world):
    failed = PdfJob.objects.create(
        pact=world.pact, version=2, status=PdfJob.Status.FAILED, attempts=5, last_error=pdf_jobs.WORKER_LOST
    )
    client.force_login(admin_user)
    page = body(client.get(reverse("pacts:pdf_jobs")))
    with translation.override("vi"):
        reason = pdf_jobs.pdf_job_reason(failed)
    assert f"Lý do: {reason}" in page
    assert f'<code class="text-break" data-error>{pdf_jobs.WORKER_LOST}</code>' in page
    client.cookies["thidua_language"] = "en"
    page = body(client.get(reverse("pacts:pdf_jobs")))
    assert "Reason: The worker stopped while rendering (it was killed, restarted or ran out of memory)." in page


def test_the_pact_page_gives_the_reason_of_a_failure_to_those_who_manage_jobs(client, admin_user, world):
    PdfJob.objects.create(pact=world.pact, version=2, status=PdfJob.Status.FAILED, attempts=1, last_error="MemoryError")
    client.force_login(admin_user)
    client.cookies["thidua_language"] = "en"
    page = body(client.get(url("pact_detail", world)))
    assert "The worker ran out of memory while rendering." in page and "MemoryError" in page
    client.force_login(world.leaders[0])
    page = body(client.get(url("pact_detail", world)))
    assert "ran out of memory" not in page and "MemoryError" not in page


# ---------------------------------------------------------------------------------------------
# "Số lần thử" (attempts) is for administrators (IT), not for ministry or region staff
# ---------------------------------------------------------------------------------------------


def test_the_attempts_are_shown_to_administrators_only(client, admin_user, ministry_user, world):
    PdfJob.objects.create(pact=world.pact, version=2, status=PdfJob.Status.FAILED, attempts=5, last_error="MemoryError")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for user, shown in ((admin_user, True), (ministry_user, False), (world.officer, False), (world.leaders[0], False)):
        client.force_login(user)
        pact_page = body(client.get(reverse("pacts:pact_detail", args=[world.pact.pk])))
        assert ('data-pdf-field="attempts"' in pact_page) is shown, user
        assert ("attempts" in client.get(url("pdf_status", world)).json()) is shown, user
    for user, shown in ((admin_user, True), (ministry_user, False)):
        client.force_login(user)
        job_list = body(client.get(reverse("pacts:pdf_jobs")))
        assert ('<th scope="col">Attempts</th>' in job_list) is shown, user
