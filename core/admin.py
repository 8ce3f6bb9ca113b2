"""Read-only pages of the Django admin: lists, detail pages and inline rows with no way to add, change or delete.

Records change only through each app's services, which check their rules (and write their audit events);
the admin lets support staff look, never change. Who may look is each admin's own business (see
``accounts.admin_base`` for the roles).
"""

from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Lists and detail pages with no way to add, change or delete."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyTabularInline(admin.TabularInline):
    """Rows shown under their parent, with no way to add, change or delete them there."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
