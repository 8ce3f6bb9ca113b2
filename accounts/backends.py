"""Grants model permissions in the Django admin from the portal's roles (see permissions.py)."""

from django.contrib.auth.backends import BaseBackend

from .permissions import admin_site_apps


class RolePermissionBackend(BaseBackend):
    """Authenticates nobody; answers permission questions from the user's roles."""

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        return perm.split(".", 1)[0] in admin_site_apps(user_obj)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return app_label in admin_site_apps(user_obj)
