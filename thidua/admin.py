"""The Django admin site, opened to roles through accounts.permissions rather than is_staff."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_use_admin_site


class PortalAutocompleteView(AutocompleteJsonView):
    """Search results labelled by the searched model's admin when it says how (``autocomplete_label``): units
    with their province and dates, so that two namesakes never look alike."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class PortalAdminSite(admin.AdminSite):
    site_header = _("Emulation portal of the Justice sector: administration")
    site_title = _("Emulation portal administration")
    index_title = _("Data administration")

    def has_permission(self, request) -> bool:
        return request.user.is_active and can_use_admin_site(request.user)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Logged in without a role that uses the admin: a refusal, not a loop back through the log-in page.
            raise PermissionDenied
        # One log-in page for the whole portal, with its lockout protection.
        next_url = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")

    def autocomplete_view(self, request):
        return PortalAutocompleteView.as_view(admin_site=self)(request)
