"""What the portal records of a client: its address (for the lockout, signatures, audit events and throttles
alike) and the username it typed, as django-axes keeps it.

Behind ``AXES_IPWARE_PROXY_COUNT`` reverse proxies, each of which appends the address it received the request
from to ``X-Forwarded-For``, the client is the N-th address from the right: everything left of it was written
by the client and is not believed. With no proxy (0), the address is the socket's peer (``REMOTE_ADDR``).
"""

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare

# django-axes' AccessAttempt, AccessLog and AccessFailureLog keep the username in a CharField(max_length=255).
AXES_USERNAME_LENGTH = 255

# At most one address per header is needed and only the last few are read; a longer header is cut from the
# left (the part the client wrote), so that a hostile one costs nothing to parse.
_HEADER_LENGTH = 1000


def _forwarding_headers() -> tuple[str, ...]:
    return tuple(name for name in settings.AXES_IPWARE_META_PRECEDENCE_ORDER if name != "REMOTE_ADDR")


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client behind the configured proxies, or the socket's peer when the request did
    not come through them (a health check from inside the container). Also django-axes' AXES_CLIENT_IP_CALLABLE."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    peer = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return peer
    meta = {name: request.META[name][-_HEADER_LENGTH:] for name in _forwarding_headers() if name in request.META}
    # python-ipware counts the proxies whose addresses are in the header (the last one's is the socket's peer),
    # and not strict: addresses the client put on the left neither count nor hide the one the proxy appended.
    reader = IpWare(precedence=tuple(meta), leftmost=True, proxy_count=proxies - 1)
    address, _trusted_route = reader.get_client_ip(meta, strict=False)
    return str(address) if address is not None else peer


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username a log-in attempt names, as django-axes keeps it (AXES_USERNAME_CALLABLE): cut to axes'
    column, so that no username typed at any log-in form makes axes' record fail with a 500."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:AXES_USERNAME_LENGTH] if isinstance(username, str) else username
