"""The outbox in the Django admin, read-only: support staff see what was sent, what waits and why."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyModelAdmin

from .models import Email


@admin.register(Email)
class EmailAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "to",
        "subject",
        "shown_body",
        "kind",
        "reference",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "due_at",
        "started_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("body"))
    def shown_body(self, email: Email) -> str:
        # A password reset link would let whoever reads it take over the account.
        return _("(hidden: it holds a one-time link)") if email.secret else email.body
