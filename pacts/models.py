"""The yearly cycle of a region: its campaign (phong trào thi đua), and the emulation pacts
(giao ước thi đua) that every member unit's leader signs online, with an append-only audit trail.

A pact's text is frozen when it opens for signing: normalised to NFC, kept in ``content_text``
with its SHA-256, and never edited again; signatures and audit events are never updated or
deleted (the model refuses it, and on PostgreSQL a trigger does too).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from legal.models import LegalDocument
from regions.models import Region, Unit


class Movement(models.Model):
    """A named emulation movement (phong trào thi đua), shared by every campaign that joins it."""

    name = models.TextField(_("name"), unique=True)
    short_name = models.CharField(_("short name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Campaign(ChoiceLabels, models.Model):
    """A region's emulation campaign for one year: plan, movements, phases, targets and launch conference."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LAUNCHED = "launched", _("Launched")
        CLOSED = "closed", _("Closed")

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="campaigns")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    theme = models.TextField(_("theme"), blank=True)
    movements = models.ManyToManyField(Movement, verbose_name=_("movements"), blank=True, related_name="campaigns")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    conference_date = models.DateField(_("conference date"), null=True, blank=True)
    conference_place = models.CharField(_("conference place"), max_length=255, blank=True)
    conference_host = models.ForeignKey(
        Unit,
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_campaigns",
    )
    conference_guests = models.TextField(_("guests"), blank=True)
    registration_deadline = models.DateField(
        _("award registration deadline"),
        null=True,
        blank=True,
        help_text=_("The last day on which member units may register award titles for the year."),
    )
    titles = models.TextField(
        _("titles aimed for"),
        blank=True,
        help_text=_(
            "The emulation titles and forms of commendation the units register for, one per line, "
            "e.g. Cờ thi đua ngành Tư pháp; a new draft pact lists them."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "region__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="campaign_one_per_region_year"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "launched", "closed"]), name="campaign_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    """An emulation phase (đợt thi đua); ``unit_kinds`` empty means it applies to every unit."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    unit_kinds = models.JSONField(_("kinds of unit"), default=list, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="phase_number_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="phase_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A target (chỉ tiêu); ``unit_kind`` empty means every unit of the region."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("target"))
    unit_kind = models.CharField(_("kind of unit"), max_length=32, choices=Unit.Kind.choices, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["campaign", "number"]

    def __str__(self) -> str:
        return self.text[:80]


def new_verification_code() -> str:
    return secrets.token_urlsafe(12)


class TextFormat(models.IntegerChoices):
    """How the canonical text and the printed document write a pact: a pact keeps the format it was opened
    under, so that its stored text, hash and PDF stay exactly as they were signed (see pacts/canonical.py)."""

    ORIGINAL = 1, _("Original format (before Decree 30 dates)")
    DECREE_30 = 2, _("Decree 30/2020 format")


class Pact(ChoiceLabels, models.Model):
    """An emulation pact of a campaign, for the whole region or for one block of it."""

    TextFormat = TextFormat

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for signing")
        EXECUTED = "executed", _("Executed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="pacts")
    block = models.CharField(
        _("block"), max_length=150, blank=True, help_text=_("e.g. Khối Sở Tư pháp; empty for the whole region")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous version"), on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The document's parts, in the structure the sector's pacts follow (no legal template exists).
    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    place = models.CharField(
        _("place"), max_length=100, help_text=_("As in the date line: the issuing body's province, e.g. Quảng Bình")
    )
    signed_on = models.DateField(_("date of the pact"))
    bases = models.TextField(_("bases"), blank=True, help_text=_("One legal basis (căn cứ) per line."))
    # The catalogue's documents the bases cite, in their order; the text above is what is signed.
    legal_documents = models.ManyToManyField(
        LegalDocument,
        verbose_name=_("legal documents cited"),
        through="PactBasis",
        blank=True,
        related_name="citing_pacts",
    )
    parties = models.TextField(_("parties"), blank=True)
    targets = models.TextField(_("targets"), blank=True)
    implementation = models.TextField(_("implementation"), blank=True)
    deadline = models.DateTimeField(_("signing deadline"), null=True, blank=True)
    # Fixed when the pact opens; never changed afterwards.
    content_text = models.TextField(_("frozen text"), blank=True)
    content_hash = models.CharField(_("SHA-256 of the text"), max_length=64, blank=True)
    text_format = models.PositiveSmallIntegerField(
        _("text format"), choices=TextFormat.choices, default=TextFormat.DECREE_30
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=new_verification_code
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("pact")
        verbose_name_plural = _("pacts")
        ordering = ["campaign", "block", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "block", "version"], name="pact_version_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "executed", "withdrawn"]), name="pact_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(content_hash="") & Q(opened_at__isnull=False)),
                name="pact_frozen_when_not_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.block})" if self.block else self.title


class PactClause(models.Model):
    """One numbered commitment (nội dung giao ước) of a pact."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="clauses")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("commitment"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["pact", "number"]
        constraints = [models.UniqueConstraint(fields=["pact", "number"], name="pact_clause_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class PactBasis(models.Model):
    """A document of the catalogue that a pact's bases cite, in the order of the bases."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="basis_links")
    document = models.ForeignKey(
        LegalDocument, verbose_name=_("legal document"), on_delete=models.PROTECT, related_name="pact_links"
    )
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("basis of a pact")
        verbose_name_plural = _("bases of pacts")
        ordering = ["pact", "order"]
        constraints = [models.UniqueConstraint(fields=["pact", "document"], name="pact_basis_unique")]

    def __str__(self) -> str:
        return self.document.number


class PactRevision(models.Model):
    """Every saved edit of a draft pact, kept whole."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    content = models.JSONField(_("content"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["pact", "-number"]
        constraints = [models.UniqueConstraint(fields=["pact", "number"], name="pact_revision_unique")]

    def __str__(self) -> str:
        return f"{self.pact} #{self.number}"


class PactComment(models.Model):
    """A member unit's comment on a draft."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["pact", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class PactSignatory(models.Model):
    """A signature slot: one per signatory unit, with the unit's name as of the pact's date."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="signatories")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="pact_slots")
    unit_name = models.CharField(_("unit name"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("signatory unit")
        verbose_name_plural = _("signatory units")
        ordering = ["pact", "order"]
        constraints = [models.UniqueConstraint(fields=["pact", "unit"], name="pact_signatory_unique")]
        # The progress page walks a pact's units in its order until a page of pending ones is found.
        indexes = [models.Index(fields=["pact", "order"], name="pact_signatory_order")]

    def __str__(self) -> str:
        return self.unit_name


class AppendOnlyModel(models.Model):
    """Rows written once, as evidence: never updated or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("This record is evidence and cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("This record is evidence and cannot be deleted."))


class PactSignature(AppendOnlyModel):
    class Authority(models.TextChoices):
        HEAD = "", _("As head")
        DEPUTY = "KT.", _("KT. (deputy signing for the head)")
        ACTING = "Q.", _("Q. (acting head)")

    pact = models.ForeignKey(Pact, verbose_name=_("pact"), on_delete=models.PROTECT, related_name="signatures")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="pact_signatures")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signer"), on_delete=models.PROTECT, related_name="pact_signatures"
    )
    signer_name = models.CharField(_("signer's name"), max_length=150)
    signer_position = models.CharField(_("signer's position"), max_length=150)
    unit_name = models.CharField(_("unit name"), max_length=255)
    authority = models.CharField(_("authority"), max_length=4, choices=Authority.choices, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    content_hash = models.CharField(_("SHA-256 signed"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["pact", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["pact", "unit"], name="pact_signature_one_per_unit"),
            models.CheckConstraint(condition=Q(authority__in=["", "KT.", "Q."]), name="pact_signature_authority_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name}: {self.signer_name}"


AUDIT_ACTIONS = [
    "created",
    "edited",
    "commented",
    "opened",
    "emailed",
    "viewed",
    "signed",
    "refused",
    "reminded",
    "withdrawn",
    "executed",
    "board",
    "board_off",
    "ceremony",
]


class AuditEvent(AppendOnlyModel):
    """One line of the audit trail: who did what to which pact, when, from where."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        COMMENTED = "commented", _("Commented")
        OPENED = "opened", _("Opened for signing")
        EMAILED = "emailed", _("E-mailed")
        VIEWED = "viewed", _("Viewed")
        SIGNED = "signed", _("Signed")
        REFUSED = "refused", _("Refused")
        REMINDED = "reminded", _("Reminded")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXECUTED = "executed", _("Executed")
        BOARD = "board", _("Board link created")
        BOARD_OFF = "board_off", _("Board link revoked")
        CEREMONY = "ceremony", _("Ceremony order changed")

    pact = models.ForeignKey(Pact, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit_name = models.CharField(_("unit"), max_length=255, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=AUDIT_ACTIONS), name="audit_action_valid"),
        ]
        indexes = [models.Index(fields=["pact", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.actor_name}"


def pdf_upload_path(job: "PdfJob", filename: str) -> str:
    return f"pacts/{job.pact.campaign.year}/{job.pact.verification_code}-v{job.version}.pdf"


class PdfJob(models.Model):
    """The rendering of a pact's signed PDF: an outbox row written with the execution, claimed by a
    worker with a compare-and-set, retried, and swept if it waits too long. "Render again" adds a new
    version; earlier versions stay on record with their hash.

    ``version`` numbers all of a pact's jobs in one sequence (previews and signed documents alike): it names
    the stored file and the download address. ``number`` is what a person reads: a signed document's version
    counts only the signed documents (the first is 1, whatever previews came before), a preview's number only
    the previews. Jobs written before it was kept have none and show their ``version``, as they always did."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    pact = models.ForeignKey(Pact, verbose_name=_("pact"), on_delete=models.PROTECT, related_name="pdf_jobs")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    draft = models.BooleanField(_("draft preview"), default=False)
    number = models.PositiveSmallIntegerField(
        _("number shown"),
        null=True,
        blank=True,
        help_text=_("The signed document's version among the pact's signed documents, or the preview's number."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=pdf_upload_path, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    sealed = models.BooleanField(_("sealed"), default=False)
    # The portal's address printed on the document (its verification link and QR code), kept so that a lost
    # file renders again to the same bytes after the portal has moved to another address.
    site_url = models.CharField(_("site address printed"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF job")
        verbose_name_plural = _("PDF jobs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["pact", "version"], name="pdfjob_version_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "rendering", "ready", "failed"]), name="pdfjob_status_valid"
            ),
            models.CheckConstraint(condition=~Q(status="ready") | ~Q(pdf_sha256=""), name="pdfjob_ready_has_hash"),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.pact} · PDF v{self.shown_number}"

    @property
    def shown_number(self) -> int:
        """The number a person reads: the document's version, or the preview's number (see the class)."""
        return self.number or self.version


# --- conference day (issue 17): the live board and the order of the ceremony ---------------------------------


def new_board_token() -> str:
    return secrets.token_urlsafe(24)


class BoardLink(models.Model):
    """A read-only, time-limited link to a pact's live board, for the projector of the conference hall: whoever
    has it sees what the board shows (the signatory units, who signed and when) and nothing else, without
    logging in, until it expires or is revoked. Created and revoked by those who manage the pact."""

    pact = models.ForeignKey(Pact, verbose_name=_("pact"), on_delete=models.PROTECT, related_name="board_links")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_board_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("board link")
        verbose_name_plural = _("board links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pact} · {self.expires_at:%d/%m/%Y %H:%M}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def is_live(self, now) -> bool:
        return not self.revoked and now < self.expires_at


class CeremonyStep(models.Model):
    """A signatory unit's place in the order the conference calls the units up to sign. Ceremony data: the
    pact's signature slots keep their own order, frozen with the text. ``after_conference`` marks a unit whose
    leader is absent ("ký sau hội nghị"): the board passes it over, and it can still sign later."""

    pact = models.ForeignKey(Pact, verbose_name=_("pact"), on_delete=models.CASCADE, related_name="ceremony_steps")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    after_conference = models.BooleanField(_("to sign after the conference"), default=False)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("place in the ceremony")
        verbose_name_plural = _("order of the ceremony")
        ordering = ["pact", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["pact", "unit"], name="ceremony_step_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.position}. {self.unit_id}"
