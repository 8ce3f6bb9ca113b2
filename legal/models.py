"""The catalogue of legal documents that ministry staff keep: the laws, decrees, circulars, decisions and plans
a pact cites in its bases (căn cứ), each with its number and symbol, date, issuer, subject and the days it is
in force.

A document cited by a pact that has been opened for signing keeps its fields (legal.services refuses the
change): the signed text quoted it as it was.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import long_date


class DocumentKind(models.TextChoices):
    """In the order of their legal force, the order in which bases are cited."""

    LAW = "luat", "Luật"
    RESOLUTION = "nghi_quyet", "Nghị quyết"
    DECREE = "nghi_dinh", "Nghị định"
    CIRCULAR = "thong_tu", "Thông tư"
    DECISION = "quyet_dinh", "Quyết định"
    DIRECTIVE = "chi_thi", "Chỉ thị"
    PLAN = "ke_hoach", "Kế hoạch"
    GUIDANCE = "huong_dan", "Hướng dẫn"
    OFFICIAL_LETTER = "cong_van", "Công văn"


KIND_ORDER = {kind: n for n, kind in enumerate(DocumentKind.values)}
# A law, or a resolution of the National Assembly, is cited by its name: "Luật Thi đua, khen thưởng số …".
NAMED_KINDS = frozenset({DocumentKind.LAW})


class LegalDocument(models.Model):
    Kind = DocumentKind

    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(
        _("number and symbol"), max_length=60, help_text=_("As printed after “Số:”, e.g. 06/2022/QH15.")
    )
    issuer = models.CharField(_("issuer"), max_length=150, help_text=_("e.g. Quốc hội, Chính phủ, Bộ Tư pháp"))
    signed_on = models.DateField(_("date of issue"))
    title = models.TextField(
        _("subject line"),
        help_text=_(
            "For a law, its name after the word Luật (Thi đua, khen thưởng); otherwise the subject line "
            "(trích yếu) as printed, e.g. quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng."
        ),
    )
    in_force_from = models.DateField(
        _("in force from"), null=True, blank=True, help_text=_("Empty when not recorded: then from its date of issue.")
    )
    in_force_to = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("The last day in force; empty while in force.")
    )
    suggested = models.BooleanField(
        _("suggested for new pacts"),
        default=False,
        help_text=_("Ticked in advance among the bases of a new draft pact dated while it is in force."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("e.g. where the text was checked, what replaced it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["-signed_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "number"], name="legal_document_number_unique"),
            models.CheckConstraint(
                condition=Q(in_force_to__isnull=True)
                | Q(in_force_from__isnull=True)
                | Q(in_force_to__gte=models.F("in_force_from")),
                name="legal_document_in_force_ordered",
            ),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="legal_document_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def starts(self) -> date:
        """The first day in force: the recorded one, else the date of issue."""
        return self.in_force_from or self.signed_on

    def is_in_force_on(self, day: date) -> bool:
        return self.starts <= day and (self.in_force_to is None or day <= self.in_force_to)

    @property
    def citation(self) -> str:
        """As a basis cites it (dates per Decree 30/2020):
        "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022",
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết …"."""
        kind = self.get_kind_display()
        if self.kind in NAMED_KINDS:
            return f"{kind} {self.title} số {self.number} {long_date(self.signed_on)}"
        return f"{kind} số {self.number} {long_date(self.signed_on)} của {self.issuer} {self.title}".rstrip()

    @property
    def basis_line(self) -> str:
        """ "Căn cứ <citation>;" """
        return f"Căn cứ {self.citation};"

    def clean(self) -> None:
        if self.in_force_from and self.in_force_to and self.in_force_to < self.in_force_from:
            raise ValidationError({"in_force_to": _("The last day in force cannot be before the first.")})
