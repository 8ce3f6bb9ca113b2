"""The year-end (tổng kết) and mid-year (sơ kết) reports of a region, or the ministry's national roll-up, drafted
from the data by a worker: a job row written when someone asks, queued by task name after commit, claimed with a
compare-and-set, retried, swept (reports/jobs.py, as pacts/pdf_jobs.py does for the pact's PDF). "Generate again"
adds a new version; earlier versions keep their files and hashes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class ReportKind(models.TextChoices):
    YEAR_END = "year_end", _("Year-end report (tổng kết)")
    MID_YEAR = "mid_year", _("Mid-year report (sơ kết)")


def report_upload_path(job: "ReportJob", filename: str) -> str:
    scope = job.region.slug if job.region_id else "toan-quoc"
    extension = filename.rsplit(".", 1)[-1]
    return f"reports/{job.year}/{scope}-{job.kind}-v{job.version}.{extension}"


class ReportJob(models.Model):
    Kind = ReportKind

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RENDERING = "rendering", _("Being drafted")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
        help_text=_("Empty for the national roll-up of every region."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices, default=ReportKind.YEAR_END)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    docx = models.FileField(_("Word document"), upload_to=report_upload_path, blank=True)
    docx_sha256 = models.CharField(_("SHA-256 of the Word document"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_upload_path, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "kind", "version"],
                condition=Q(region__isnull=False),
                name="reportjob_version_unique",
            ),
            models.UniqueConstraint(
                fields=["year", "kind", "version"],
                condition=Q(region__isnull=True),
                name="reportjob_national_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "rendering", "ready", "failed"]), name="reportjob_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=["year_end", "mid_year"]), name="reportjob_kind_valid"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(docx_sha256="") & ~Q(pdf_sha256="")),
                name="reportjob_ready_has_hashes",
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        scope = self.region.name if self.region_id else _("Whole country")
        return f"{self.get_kind_display()} · {scope} · {self.year} · v{self.version}"
