"""Large exports built by a worker: past settings.EXPORT_INLINE_ROWS rows the .xlsx of the unit list and of
the registration report is a job (its page, its status as JSON, its download when ready); below the bound
the workbook comes with the response. Only the person who asked sees the job."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import exports
from core.models import ExportJob
from regions.models import Unit

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_EXPORT = reverse("regions:unit_export")


def _units(n: int) -> list[Unit]:
    return Unit.objects.bulk_create(
        Unit(name=f"Đơn vị xuất thử {i:03}", kind=Unit.Kind.SO_TU_PHAP, active_from=date(2010, 1, 1)) for i in range(n)
    )


def _sheet_names(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheet = workbook.worksheets[0]
    return [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]


def test_below_the_bound_the_workbook_comes_with_the_response(client, ministry_user, settings):
    settings.EXPORT_INLINE_ROWS = 10
    _units(5)
    client.force_login(ministry_user)
    response = client.get(UNIT_EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert not ExportJob.objects.exists()


def test_past_the_bound_a_job_is_built_and_downloaded_by_the_one_who_asked(
    client, ministry_user, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_ROWS = 3
    _units(5)
    client.force_login(ministry_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(UNIT_EXPORT, {"q": "xuất thử", "page": "2"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:export_job", args=[job.pk])
    assert job.kind == "regions.unit_list" and job.params == {"q": ["xuất thử"]} and job.rows == 5
    assert job.requested_by == ministry_user
    # the eager worker built it on commit
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.attempts == 1
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "The list has 5 rows" in body and reverse("core:export_download", args=[job.pk]) in body
    state = client.get(reverse("core:export_status", args=[job.pk])).json()
    assert state["status"] == "ready" and state["download_url"] == reverse("core:export_download", args=[job.pk])
    download = client.get(state["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    names = _sheet_names(b"".join(download.streaming_content))
    assert sum(1 for name in names if name.startswith("Đơn vị xuất thử")) == 5


def test_a_job_waiting_for_a_worker_shows_its_status_and_no_download(client, ministry_user, settings, monkeypatch):
    settings.EXPORT_INLINE_ROWS = 1
    monkeypatch.setattr(exports, "queue_build", lambda job_id: False)  # the broker is down
    _units(3)
    client.force_login(ministry_user)
    client.get(UNIT_EXPORT, {"q": "Đơn vị xuất thử"})
    job = ExportJob.objects.get()
    state = client.get(reverse("core:export_status", args=[job.pk])).json()
    assert state == {
        "status": "pending",
        "status_label": state["status_label"],
        "rows": 3,
        "attempts": 0,
        "download_url": "",
    }
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_a_job_still_waiting_after_a_minute_is_queued_again_once(
    client, ministry_user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_ROWS = 1
    sent = []
    monkeypatch.setattr(exports, "queue_build", lambda job_id: sent.append(job_id) or False)
    _units(3)
    client.force_login(ministry_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(UNIT_EXPORT)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(queued_at=job.queued_at - exports.REQUEUE_AFTER)
    status = reverse("core:export_status", args=[job.pk])
    client.get(status)
    client.get(status)
    assert sent == [job.pk, job.pk]  # on creation, then once on the status asked a minute later


@pytest.mark.parametrize("who", ["another", "anonymous"])
def test_nobody_else_sees_the_job(client, ministry_user, settings, django_capture_on_commit_callbacks, who):
    from accounts.models import Role
    from tests.factories import UserFactory

    settings.EXPORT_INLINE_ROWS = 1
    _units(3)
    client.force_login(ministry_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(UNIT_EXPORT)
    job = ExportJob.objects.get()
    client.logout()
    if who == "another":
        client.force_login(UserFactory(username="bo.khac", roles=[Role.MINISTRY]))
    for name in ("core:export_job", "core:export_status", "core:export_download"):
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == (404 if who == "another" else 302)


def test_people_who_may_not_see_the_units_get_no_job(client, leader_user, settings):
    settings.EXPORT_INLINE_ROWS = 1
    _units(3)
    client.force_login(leader_user)
    assert client.get(UNIT_EXPORT).status_code == 403
    assert not ExportJob.objects.exists()


def test_a_builder_that_fails_is_tried_again_then_marked_failed(ministry_user, settings, monkeypatch):
    settings.EXPORT_MAX_ATTEMPTS = 2
    monkeypatch.setattr(exports, "queue_build", lambda job_id: False)

    def broken(query, user):
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports._BUILDERS, "regions.broken", broken)
    job = ExportJob.objects.create(kind="regions.broken", requested_by=ministry_user, rows=9)
    first = exports.export_job_build(exports.export_job_claim(job.pk))
    assert first.status == ExportJob.Status.PENDING and "disk full" in first.last_error
    second = exports.export_job_build(exports.export_job_claim(job.pk))
    assert second.status == ExportJob.Status.FAILED and second.finished_at is not None
    assert exports.export_job_claim(job.pk) is None  # a failed job is not claimed again


def test_the_builder_checks_the_askers_right_again(leader_user):
    from django.core.exceptions import PermissionDenied
    from django.http import QueryDict

    with pytest.raises(PermissionDenied):
        exports.builder_of("regions.unit_list")(QueryDict(), leader_user)
