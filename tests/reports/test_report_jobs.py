"""The year-end and mid-year reports: asked for, drafted by the worker's task (eager here) as .docx and PDF,
downloaded, generated again as a new version; who may ask for which; bad input refused and nothing written."""

import io
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports.content import place_name, report_day, report_document
from reports.docx import docx_text
from reports.jobs import report_job_claim, report_job_fail, report_jobs_sweep
from reports.models import ReportJob
from tests.awards.factories import make_table
from tests.reports.test_dashboard import grow

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def table():
    return make_table(YEAR)


@pytest.fixture
def world(table):
    return grow(4, "a", table)


def _client(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _ask(client, region: str, kind: str = "year_end", year: int = YEAR):
    return client.post(reverse("reports:report_list"), {"region": region, "year": str(year), "kind": kind})


def test_an_officer_drafts_the_regions_report_and_downloads_it(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = _client(client, world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, world.campaign.region.slug)
    job = ReportJob.objects.get()
    assert response.url == reverse("reports:report_detail", args=[job.pk])
    assert (job.status, job.version, job.attempts) == (ReportJob.Status.READY, 1, 1)
    assert len(job.docx_sha256) == 64 and len(job.pdf_sha256) == 64

    docx = client.get(reverse("reports:report_download", args=[job.pk, "docx"]))
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    text = docx_text(b"".join(docx.streaming_content))
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: ……/BC-KVTĐ",
        f"Tổng kết công tác thi đua, khen thưởng năm {YEAR}",
        "I. TÌNH HÌNH TRIỂN KHAI",
        "II. KẾT QUẢ KÝ KẾT GIAO ƯỚC THI ĐUA",
        "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "IV. ĐĂNG KÝ VÀ BÌNH XÉT DANH HIỆU THI ĐUA",
        "V. KẾT QUẢ CHẤM ĐIỂM VÀ SUY TÔN",
        "VI. PHƯƠNG HƯỚNG, ĐỀ XUẤT, KIẾN NGHỊ",
        "[Đơn vị viết nội dung:",
        "Danh hiệu “Cờ thi đua ngành Tư pháp”: 3 đơn vị đăng ký (3 Sở Tư pháp).",
        "2/4 lượt đơn vị đã ký (50%), 2 lượt chưa ký",
        "Nơi nhận:",
    ):
        assert words in text, words
    assert world.units[0].name.upper() in text  # the head unit issues it

    pdf = client.get(reverse("reports:report_download", args=[job.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    first_page = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    assert "BÁO CÁO" in first_page and "Độc lập - Tự do - Hạnh phúc" in first_page

    state = client.get(reverse("reports:report_status", args=[job.pk])).json()
    assert state["status"] == "ready" and "last_error" not in state  # the technical error is for IT only

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("reports:report_regenerate", args=[job.pk]))
    second = ReportJob.objects.exclude(pk=job.pk).get()
    assert again.url == reverse("reports:report_detail", args=[second.pk]) and second.version == 2
    assert ReportJob.objects.get(pk=job.pk).docx_sha256 == job.docx_sha256  # the first version stays


def test_who_may_ask_for_which_report(client, world, table, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    other = grow(3, "b", table)
    client = _client(client, world.officer)
    assert _ask(client, "national").status_code == 400  # not a choice for a region officer
    assert _ask(client, other.campaign.region.slug).status_code == 400
    assert not ReportJob.objects.exists()

    mine = ReportJob.objects.create(region=other.campaign.region, year=YEAR, kind="year_end")
    assert client.get(reverse("reports:report_detail", args=[mine.pk])).status_code == 403
    assert client.get(reverse("reports:report_status", args=[mine.pk])).status_code == 403
    assert client.post(reverse("reports:report_regenerate", args=[mine.pk])).status_code == 403

    client = _client(client, world.leaders[1])
    assert _ask(client, world.campaign.region.slug).status_code == 403


def test_the_ministry_drafts_the_national_roll_up(
    client, world, table, ministry_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    grow(3, "b", table)
    client = _client(client, ministry_user)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "national", kind="mid_year")
    job = ReportJob.objects.get()
    assert job.region is None and job.status == ReportJob.Status.READY
    text = docx_text(job.docx.open("rb").read())
    assert "BỘ TƯ PHÁP" in text and f"Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm {YEAR}" in text
    assert "Tổng cộng | 7 | 3/7 |" in text  # the regions' figures merged: 7 units, 3 of 7 signed
    assert "Danh hiệu “Cờ thi đua ngành Tư pháp”: 5 đơn vị đăng ký (5 Sở Tư pháp)." in text


def test_bad_input_is_refused_and_nothing_is_written(client, world, ministry_user):
    client = _client(client, ministry_user)
    for data, message in (
        ({"region": world.campaign.region.slug, "year": "20x6", "kind": "year_end"}, "Enter a year as four digits"),
        ({"region": world.campaign.region.slug, "year": str(YEAR), "kind": "weekly"}, "Select a valid choice"),
        ({"region": "nowhere", "year": str(YEAR), "kind": "year_end"}, "Select a valid choice"),
        ({"region": "national", "year": "2005", "kind": "year_end"}, "nothing to report"),
    ):
        response = client.post(reverse("reports:report_list"), data)
        assert response.status_code == 400 and message in response.content.decode(), data
    assert not ReportJob.objects.exists()


def test_a_failed_attempt_waits_for_a_retry_and_the_sweep_sends_it_again(world, settings):
    job = ReportJob.objects.create(region=world.campaign.region, year=YEAR, kind="year_end", queued_at=timezone.now())
    claimed = report_job_claim(job.pk)
    assert report_job_claim(job.pk) is None  # claimed once
    failed, countdown = report_job_fail(claimed, OSError("disk full"))
    assert failed.status == ReportJob.Status.PENDING and countdown == 20 and "OSError" in failed.last_error
    ReportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - timezone.timedelta(hours=1))
    settings.MEDIA_ROOT = "/tmp/reports-sweep-test"
    assert report_jobs_sweep()["requeued"] == 1
    assert ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.READY


def test_the_place_and_the_day_of_the_report():
    assert place_name("tỉnh Lâm Đồng") == "Lâm Đồng"
    assert place_name("thành phố Hồ Chí Minh") == "Thành phố Hồ Chí Minh"
    assert place_name("thành phố Huế") == "Huế"
    assert report_day(2018, "year_end", date(2026, 3, 1)) == date(2018, 12, 31)
    assert report_day(2026, "mid_year", date(2026, 3, 1)) == date(2026, 3, 1)


def test_the_document_text_lists_every_part(world):
    text = report_document(world.campaign.region, YEAR, "year_end").text()
    assert text.index("I. TÌNH HÌNH") < text.index("IV. ĐĂNG KÝ") < text.index("VI. PHƯƠNG HƯỚNG")
