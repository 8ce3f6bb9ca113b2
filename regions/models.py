"""Member units of the Justice sector's emulation regions.

The foundation holds only what accounts need (a user belongs to a unit); name history, provinces,
regions and rosters come with the regions feature.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    SO_TU_PHAP = "so_tu_phap", _("Department of Justice (Sở Tư pháp)")
    CUC_THADS = "cuc_thads", _("Civil Judgment Enforcement Department (Cục THADS)")
    CHI_CUC_THADS = "chi_cuc_thads", _("District Civil Judgment Enforcement Office (Chi cục THADS)")
    THADS_TINH = "thads_tinh", _("Provincial Civil Judgment Enforcement (THADS tỉnh)")
    PHONG_THADS_KHU_VUC = "phong_thads_khu_vuc", _("Regional Civil Judgment Enforcement Office")
    OTHER = "other", _("Other")


class Unit(models.Model):
    Kind = UnitKind

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=UnitKind.values), name="unit_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name
