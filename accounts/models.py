"""The portal's user: a civil servant with a full name, a position and, usually, a unit."""

from datetime import datetime, timedelta

from django.conf import settings
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


class Invitation(models.Model):
    """The invitation of an account to set its own password: one per account, renewed on each resend.

    The link it mails is signed over the account's password, last log-in, e-mail and ``sent_at``
    (accounts.invitations): setting a password, logging in, a new e-mail address or a resend kills it.
    """

    user = models.OneToOneField(User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="invitation")
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(accepted_at__gte=models.F("sent_at")),
                name="invitation_accepted_after_sent",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def expires_at(self) -> datetime:
        return self.sent_at + timedelta(days=settings.INVITATION_DAYS)

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None


class AccountEvent(models.Model):
    """What was done to an account, by whom, when, from where and why: appended, never changed."""

    class Action(models.TextChoices):
        INVITED = "invited", _("Account created and invitation sent")
        INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted, password set")
        CHANGED = "changed", _("Account changed")
        DEACTIVATED = "deactivated", _("Account deactivated")
        REACTIVATED = "reactivated", _("Account reactivated")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Two-step sign-in turned on")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-step sign-in turned off")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("New recovery codes made, the old ones cancelled")
        RECOVERY_CODE_USED = "recovery_code_used", _("Logged in with a recovery code")
        TWO_FACTOR_RESET = "two_factor_reset", _("Two-step sign-in reset by staff")

    user = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        User, verbose_name=_("done by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    # What changed, as {field: [before, after]} (roles as their codes): shown in the reader's language.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    action__in=[
                        "invited",
                        "invitation_resent",
                        "invitation_accepted",
                        "changed",
                        "deactivated",
                        "reactivated",
                        "two_factor_enrolled",
                        "two_factor_disabled",
                        "recovery_codes_renewed",
                        "recovery_code_used",
                        "two_factor_reset",
                    ]
                ),
                name="account_event_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.action}"


class TwoFactorPolicy(models.Model):
    """Whether the holders of a role must sign in with two factors (a password and an OTP code): one row per
    role, set by ministry staff and administrators (accounts.two_factor.policy_set). A role with no row does
    not require it."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, unique=True)
    required = models.BooleanField(_("two-step sign-in required"), default=False)
    changed_by = models.ForeignKey(
        User, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("two-step sign-in policy")
        verbose_name_plural = _("two-step sign-in policies")
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["ministry", "region", "leader", "admin"]), name="two_factor_policy_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.required}"
