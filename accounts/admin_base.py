"""Read-only pages of the Django admin, shown only to the roles a predicate of accounts.permissions names.

Evidence and workflow state change only through each app's services, which check their rules and write
their audit events; the admin lets support staff look, never change (``core.admin``). Apps above accounts
import these.
"""

from collections.abc import Callable

from core.admin import ReadOnlyModelAdmin

from .permissions import nobody


class RoleVisibleMixin:
    """Shows the model (on the index and at its URLs) only to users for whom ``visible_to(user)`` holds."""

    # Assigned with staticmethod(), so that the predicate is not bound to the admin instance.
    visible_to: Callable[..., bool] = staticmethod(nobody)

    def has_module_permission(self, request) -> bool:
        return self.visible_to(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.visible_to(request.user)


class ReadOnlyAdmin(RoleVisibleMixin, ReadOnlyModelAdmin):
    """Lists and detail pages with no way to add, change or delete, shown only to the roles ``visible_to`` names."""
