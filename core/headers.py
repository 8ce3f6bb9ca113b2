"""Security headers on every response: the Content-Security-Policy (django-csp) and a Permissions-Policy."""

from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase

# Browser features the portal never uses, switched off for it and anything it might embed. Only features
# Chromium and Firefox recognise: an unknown one is a console error on every page.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header denying DENIED_FEATURES, unless a view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class DocumentCSPMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) on every response but a PDF's.

    A browser shows a PDF in a viewer page of its own making, with inline styles and an embedded plugin that
    the portal's policy (style-src 'self', object-src 'none') would refuse, leaving a blank or cut-off page;
    no script of the portal runs in a PDF, so the policy protects nothing there.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_exempt = True
        return super().process_response(request, response)
