"""Conference day (issue 17): the live board for the hall's projector, its links, the order of the ceremony, and
the address its QR code opens on a leader's phone.

The board and its state are read with a board link's token, without logging in; every other page here is for
those who manage the pact (ministry staff, the region officers of the head unit), except the phone's entry,
which is for the leaders who sign.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import require, show_error

from .. import board, permissions, selectors
from ..audit import RequestInfo
from ..board_forms import BoardLinkForm, CeremonyOrderForm, CeremonyStepForm
from ..errors import PactError
from ..models import BoardLink, Pact
from ..pdf import qr_data_uri
from .access import pact_for_user

# What a board answers on every response: never stored by a cache or a proxy, never indexed, its address
# (which carries the token) never sent on as a referrer.
BOARD_HEADERS = {
    "Cache-Control": "no-cache, no-store, must-revalidate, private",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def _board_response(response: HttpResponse) -> HttpResponse:
    for name, value in BOARD_HEADERS.items():
        response[name] = value
    return response


def _live_link(token: str) -> tuple[BoardLink | None, str]:
    """The link of ``token`` and "" if it shows its board now; else the link (or None: unknown) and why not."""
    link = board.board_link_with_version(token)
    if link is None:
        return None, "unknown"
    if link.revoked:
        return link, "revoked"
    if timezone.now() >= link.expires_at:
        return link, "expired"
    return link, ""


def _board_url(request: HttpRequest, link: BoardLink) -> str:
    return request.build_absolute_uri(reverse("pacts:board", args=[link.token]))


# ---------------------------------------------------------------------------------------------
# The board, without log-in
# ---------------------------------------------------------------------------------------------


@require_GET
def board_page(request: HttpRequest, token: str) -> HttpResponse:
    link, gone = _live_link(token)
    if link is None:
        raise Http404
    if gone:
        response = render(request, "pacts/board_gone.html", {"reason": gone}, status=410)
        return _board_response(response)
    state = board.board_state(link)
    context = {
        "state": state,
        "state_url": reverse("pacts:board_state", args=[link.token]),
        "sign_url": board.sign_start_url(link.pact),
        "sign_qr": qr_data_uri(board.sign_start_url(link.pact)),
        "size": "s" if state["total"] > 36 else "m" if state["total"] > 16 else "l",
    }
    return _board_response(render(request, "pacts/board.html", context))


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    # A proxy that compresses the body may weaken the tag (W/"…"): the version is the same.
    return any(tag.strip().removeprefix("W/") == etag for tag in sent.split(",")) if sent else False


@require_GET
def board_state(request: HttpRequest, token: str) -> HttpResponse:
    """The board's state as JSON, with its version as ETag: 304 (one query, no body) when it has not changed
    since the version the board holds; 410 with the reason once the link has expired or been revoked."""
    link, gone = _live_link(token)
    if link is None:
        return _board_response(JsonResponse({"gone": "unknown"}, status=404))
    if gone:
        return _board_response(JsonResponse({"gone": gone}, status=410))
    etag = f'"{board.board_version(link)}"'
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(board.board_state(link), json_dumps_params={"ensure_ascii": False})
    response["ETag"] = etag
    return _board_response(response)


# ---------------------------------------------------------------------------------------------
# Board links, for those who manage the pact
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def board_links(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=permissions.can_manage_pact)
    form = BoardLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = board.board_link_create(
                pact=pact, hours=form.cleaned_data["hours"], actor=request.user, info=RequestInfo.from_request(request)
            )
        except PactError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("The board link is ready: open it on the hall's computer. It works until %(moment)s.")
                % {"moment": f"{timezone.localtime(link.expires_at):%d/%m/%Y %H:%M}"},
            )
            return redirect("pacts:board_links", pk=pact.pk)
    now = timezone.now()
    links = [(link, link.is_live(now), _board_url(request, link)) for link in board.board_links_of(pact)]
    context = {
        "pact": pact,
        "form": form,
        "links": links,
        "can_create": pact.status in board.BOARD_STATUSES,
        "can_order": pact.status in board.CEREMONY_STATUSES,
    }
    return render(request, "pacts/board_links.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def board_link_revoke(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=permissions.can_manage_pact)
    link = get_object_or_404(BoardLink, pk=link_pk, pact=pact)
    try:
        board.board_link_revoke(link=link, actor=request.user, info=RequestInfo.from_request(request))
    except PactError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The board link is revoked: the board showing it stops at once."))
    return redirect("pacts:board_links", pk=pact.pk)


# ---------------------------------------------------------------------------------------------
# The order of the ceremony
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def ceremony(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=permissions.can_manage_pact)
    editable = pact.status in board.CEREMONY_STATUSES
    order = board.ceremony_order(pact)
    form = CeremonyOrderForm(request.POST or None, order=order)
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            try:
                board.ceremony_set_order(
                    pact=pact,
                    positions=form.positions(),
                    after_conference=form.after_conference(),
                    actor=request.user,
                    info=RequestInfo.from_request(request),
                )
            except PactError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The order of the ceremony is saved."))
                return redirect("pacts:ceremony", pk=pact.pk)
    signed = set(pact.signatures.values_list("unit_id", flat=True))
    context = {"pact": pact, "form": form, "editable": editable, "signed": signed, "count": len(order)}
    return render(request, "pacts/board_ceremony.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def ceremony_step(request: HttpRequest, pk: int) -> HttpResponse:
    """One row's button on the ceremony page: up, down, "ký sau hội nghị" or back in the order."""
    pact = pact_for_user(request, pk, need=permissions.can_manage_pact)
    form = CeremonyStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit and what to do with it."))
        return redirect("pacts:ceremony", pk=pact.pk)
    action, unit_id = form.cleaned_data["move"]
    info = RequestInfo.from_request(request)
    try:
        if action in ("up", "down"):
            board.ceremony_move(pact=pact, unit_id=unit_id, up=action == "up", actor=request.user, info=info)
        else:
            board.ceremony_mark_after_conference(
                pact=pact, unit_id=unit_id, after=action == "later", actor=request.user, info=info
            )
    except PactError as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('pacts:ceremony', args=[pact.pk])}#unit-{unit_id}")


# ---------------------------------------------------------------------------------------------
# The phone's entry: the address of the board's QR code
# ---------------------------------------------------------------------------------------------


@require_GET
@login_required
def board_sign_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Leads a leader who scanned the board's QR code to the signing page of the unit they sign for (the
    signing page then asks for the password and the two-step code where required); a person who leads several
    of the pact's units chooses one; anyone who cannot sign is told why and whom to ask."""
    pact = get_object_or_404(Pact.objects.select_related("campaign__region"), pk=pk)
    day = timezone.localdate()
    appointments = selectors.signer_appointments_on(request.user, day)
    pending = [slot for slot in selectors.pending_slots_of_user(request.user, pact) if slot.unit_id in appointments]
    obstacle = selectors.signing_obstacle(request.user, pact, day)
    if obstacle is None and len(pending) == 1:
        return redirect("pacts:pact_sign", pk=pact.pk, unit_id=pending[0].unit_id)
    require(permissions.can_view_pact(request.user, pact))
    context = {"pact": pact, "slots": pending if obstacle is None else [], "obstacle": obstacle}
    return render(request, "pacts/board_sign_start.html", context)


urlpatterns = [
    path("board/<str:token>/", board_page, name="board"),
    path("board/<str:token>/state/", board_state, name="board_state"),
    path("pacts/<int:pk>/board/", board_links, name="board_links"),
    path("pacts/<int:pk>/board/<int:link_pk>/revoke/", board_link_revoke, name="board_link_revoke"),
    path("pacts/<int:pk>/ceremony/", ceremony, name="ceremony"),
    path("pacts/<int:pk>/ceremony/step/", ceremony_step, name="ceremony_step"),
    path("pacts/<int:pk>/sign/", board_sign_start, name="board_sign_start"),
]
