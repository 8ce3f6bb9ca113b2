"""The portal's user: a civil servant with a full name, a position and, usually, a unit."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The four roles of the design, stored as auth groups named by these codes."""

    MINISTRY = "ministry", _("Ministry staff")
    REGION = "region", _("Region officer")
    LEADER = "leader", _("Unit leader")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    # Vietnamese names are written whole ("Mai Công Danh"), never split into first and last.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(
        _("position"), max_length=150, blank=True, help_text=_("e.g. Director, Deputy Director")
    )
    unit = models.ForeignKey(
        "regions.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username


def role_groups() -> dict[str, Group]:
    """The auth group of every role, created if missing."""
    return {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
