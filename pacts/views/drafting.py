"""Pact pages up to signing: create, read (draft or frozen), comment, revisions, edit, open, withdraw.

Those who manage the campaign draft, open and withdraw; every member unit reads the pact and
comments on the draft. Signing and progress have their own pages (signing.py, progress.py).
"""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import posted, show_error
from legal.models import LegalDocument
from legal.selectors import in_force_on, with_start

from .. import selectors, services
from ..audit import RequestInfo
from ..canonical import pact_canonical_text, sha256_hex
from ..errors import PactError
from ..forms import CommentForm, PactCreateForm, PactDraftForm, PactOpenForm, PactWithdrawForm
from ..models import Campaign, Pact
from ..permissions import (
    can_comment,
    can_edit_pact,
    can_manage_campaign,
    can_manage_pact,
    can_sign_pacts,
    can_view_audit,
)
from .access import campaign_for_user, pact_for_user

DEFAULT_SIGNING_DAYS = 14
DEADLINE_TIME = time(17, 0)


def _signatory_choices(campaign: Campaign, slots=()) -> tuple[list[tuple[int, str]], list]:
    """The region's members that year (names of that year), then any current signatory no longer in the roster."""
    members = selectors.member_units(campaign.region, campaign.year)
    choices = [(m.unit_id, m.name_on_day) for m in members]
    known = {pk for pk, _label in choices}
    choices += [(slot.unit_id, slot.unit_name) for slot in slots if slot.unit_id not in known]
    return choices, members


def _refuse_unless(request: HttpRequest, pact: Pact, status: str, message: str) -> HttpResponse | None:
    """Sends the user back to the pact with ``message`` when the pact is not in ``status``."""
    if pact.status == status:
        return None
    messages.error(request, message)
    return redirect("pacts:pact_detail", pk=pact.pk)


def _not_a_draft(pact: Pact) -> str:
    return _("Only a draft can be changed: this pact is %(status)s.") % {"status": pact.get_status_display()}


# --- create -------------------------------------------------------------------------------------

QUICK_CHOICES = {
    "so_tu_phap": ("Khối Sở Tư pháp", frozenset({"so_tu_phap"})),
    "thads": ("Khối Thi hành án dân sự", selectors.THADS_KINDS),
}


@login_required
def pact_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_user(request, pk, need=can_manage_campaign)
    choices, members = _signatory_choices(campaign)
    block, kinds = QUICK_CHOICES.get(request.GET.get("only", ""), ("", None))
    ticked = [m.unit_id for m in members if kinds is None or m.kind in kinds]
    initial = {"block": block, "title": f"BẢN GIAO ƯỚC THI ĐUA NĂM {campaign.year}", "units": ticked}
    form = PactCreateForm(posted(request), unit_choices=choices, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            pact = services.pact_create(
                campaign=campaign, actor=request.user, info=RequestInfo.from_request(request), **form.cleaned_data
            )
        except PactError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The draft pact has been created: write its commitments now."))
            return redirect("pacts:pact_edit", pk=pact.pk)
    context = {"form": form, "campaign": campaign, "only": request.GET.get("only", "")}
    return render(request, "pacts/pact_create.html", context)


# --- read, comment, revisions -------------------------------------------------------------------


def _signable_slots(request: HttpRequest, pact: Pact) -> list:
    """The pending slots this person may sign now: the units they lead today (head, acting head or deputy)."""
    if pact.status != Pact.Status.OPEN or (pact.deadline and timezone.now() > pact.deadline):
        return []
    today = timezone.localdate()
    return [
        slot
        for slot in selectors.pending_slots_of_user(request.user, pact)
        if selectors.signing_appointment(user=request.user, unit=slot.unit, day=today) is not None
    ]


def _render_pact(request: HttpRequest, pact: Pact, comment_form: CommentForm | None = None) -> HttpResponse:
    user = request.user
    context = {
        "pact": pact,
        "campaign": pact.campaign,
        "previous_version": pact.previous,
        "next_version": getattr(pact, "next", None),
        "can_manage": can_manage_campaign(user, pact.campaign),
        "can_view_audit": can_view_audit(user, pact),
        "can_edit": can_edit_pact(user, pact),
    }
    # The draft's comments stay on the page once it opens: read-only, as the history of its discussion.
    context["comments"] = list(selectors.pact_comments(pact))
    if pact.status == Pact.Status.DRAFT:
        context |= {
            "document": selectors.document_of_pact(pact),
            "revisions": list(selectors.pact_revisions(pact)),
            "can_comment": can_comment(user, pact),
            "comment_form": comment_form or CommentForm(),
        }
    else:
        signed, total = selectors.signature_counts(pact)
        context |= {"signed_count": signed, "slot_count": total, "signable_slots": _signable_slots(request, pact)}
    context["obstacle"] = _obstacle(user, pact, context.get("signable_slots"))
    return render(request, "pacts/pact_detail.html", context)


def _obstacle(user, pact: Pact, signable_slots) -> selectors.Obstacle | None:
    """Why this leader cannot sign the pact, or this region officer draft and open it (and whom to ask)."""
    if signable_slots:
        return None
    if can_sign_pacts(user):
        found = selectors.signing_obstacle(user, pact, timezone.localdate())
        if found is not None:
            return found
    if can_manage_campaign(user, pact.campaign):
        return None
    return selectors.drafting_obstacle(user, campaign=pact.campaign)


@login_required
def pact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk)
    if pact.status == Pact.Status.OPEN:
        unit = selectors.signatory_unit_led_by(request.user, pact)
        if unit is not None:
            services.pact_record_view(pact=pact, user=request.user, unit=unit, info=RequestInfo.from_request(request))
    return _render_pact(request, pact)


@login_required
@require_POST
def pact_comment(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk)  # may read it, so may comment while it is a draft: the service says when not
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.pact_comment(
                pact=pact,
                author=request.user,
                unit=selectors.comment_unit(request.user, pact),
                text=form.cleaned_data["text"],
                info=RequestInfo.from_request(request),
            )
        except PactError as error:
            if error.field != "text":
                messages.error(request, error.message)
                return redirect("pacts:pact_detail", pk=pact.pk)
            show_error(form, error)
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect(reverse("pacts:pact_detail", args=[pact.pk]) + "#comments")
    return _render_pact(request, pact, comment_form=form)


@login_required
def pact_revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    pact = pact_for_user(request, pk)
    revision = get_object_or_404(pact.revisions.select_related("author"), number=number)
    numbers = list(pact.revisions.order_by("-number").values_list("number", flat=True))
    compare_to = request.GET.get("compare", "")
    base_number = int(compare_to) if compare_to.isdigit() else number - 1
    base = pact.revisions.filter(number=base_number).first() if base_number != number else None
    document = selectors.document_of_revision(pact, revision)
    diff = selectors.document_diff(selectors.document_of_revision(pact, base), document) if base else None
    context = {
        "pact": pact,
        "campaign": pact.campaign,
        "revision": revision,
        "document": document,
        "numbers": numbers,
        "base": base,
        "diff": diff,
    }
    return render(request, "pacts/pact_revision.html", context)


# --- edit, open, withdraw -----------------------------------------------------------------------


def _draft_initial(pact: Pact) -> dict:
    return {
        "title": pact.title,
        "number": pact.number,
        "place": pact.place,
        "signed_on": pact.signed_on,
        "bases": pact.bases,
        "parties": pact.parties,
        "clauses": "\n\n".join(pact.clauses.order_by("number").values_list("text", flat=True)),
        "targets": pact.targets,
        "implementation": pact.implementation,
        "units": list(pact.signatories.order_by("order").values_list("unit_id", flat=True)),
        "legal_documents": list(pact.basis_links.order_by("order").values_list("document_id", flat=True)),
    }


def _document_choices(pact: Pact):
    """The catalogue's documents in force on the pact's date, and those it cites already (shown to be unticked)."""
    chosen = pact.basis_links.values("document_id")
    documents = with_start(LegalDocument.objects.all()).filter(in_force_on(pact.signed_on) | Q(pk__in=chosen))
    return documents.order_by("kind", "signed_on", "number")


@login_required
def pact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=can_manage_pact)
    if refused := _refuse_unless(request, pact, Pact.Status.DRAFT, _not_a_draft(pact)):
        return refused
    slots = list(pact.signatories.order_by("order"))
    choices, _members = _signatory_choices(pact.campaign, slots)
    form = PactDraftForm(
        posted(request), unit_choices=choices, documents=_document_choices(pact), initial=_draft_initial(pact)
    )
    if form.is_bound and form.is_valid():
        fields = dict(form.cleaned_data)
        clauses, units = fields.pop("clauses"), fields.pop("units")
        fields["legal_documents"] = list(fields["legal_documents"])
        try:
            services.pact_update_draft(
                pact=pact,
                actor=request.user,
                info=RequestInfo.from_request(request),
                clauses=clauses,
                units=units,
                **fields,
            )
        except PactError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The draft has been saved; the previous text is kept as a revision."))
            return redirect("pacts:pact_detail", pk=pact.pk)
    return render(request, "pacts/pact_edit.html", {"form": form, "pact": pact, "campaign": pact.campaign})


def _default_deadline() -> datetime:
    day = timezone.localdate() + timedelta(days=DEFAULT_SIGNING_DAYS)
    return timezone.make_aware(datetime.combine(day, DEADLINE_TIME))


@login_required
def pact_open(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=can_manage_pact)
    if refused := _refuse_unless(request, pact, Pact.Status.DRAFT, _not_a_draft(pact)):
        return refused
    form = PactOpenForm(posted(request), initial={"deadline": timezone.localtime(_default_deadline())})
    if form.is_bound and form.is_valid():
        try:
            pact = services.pact_open(
                pact=pact,
                deadline=form.cleaned_data["deadline"],
                actor=request.user,
                info=RequestInfo.from_request(request),
            )
        except PactError as error:
            show_error(form, error)
        else:
            deadline = date_format(timezone.localtime(pact.deadline), "d/m/Y H:i")
            messages.success(
                request,
                _(
                    "The pact is open for signing until %(deadline)s. The e-mails to the units' leaders are "
                    "queued and will be sent shortly."
                )
                % {"deadline": deadline},
            )
            return redirect("pacts:pact_detail", pk=pact.pk)
    text = pact_canonical_text(pact)
    context = {"form": form, "pact": pact, "campaign": pact.campaign, "text": text, "hash": sha256_hex(text)}
    return render(request, "pacts/pact_open.html", context)


@login_required
def pact_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pact = pact_for_user(request, pk, need=can_manage_pact)
    if refused := _refuse_unless(request, pact, Pact.Status.OPEN, _("Only a pact open for signing can be withdrawn.")):
        return refused
    form = PactWithdrawForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            draft = services.pact_withdraw(
                pact=pact,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                info=RequestInfo.from_request(request),
            )
        except PactError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("The pact has been withdrawn. Version %(version)s is a new draft: correct it and open it again.")
                % {"version": draft.version},
            )
            return redirect("pacts:pact_detail", pk=draft.pk)
    signed, total = selectors.signature_counts(pact)
    context = {"form": form, "pact": pact, "campaign": pact.campaign, "signed_count": signed, "slot_count": total}
    return render(request, "pacts/pact_withdraw.html", context)


urlpatterns = [
    path("campaigns/<int:pk>/pacts/new/", pact_create, name="pact_create"),
    path("pacts/<int:pk>/", pact_detail, name="pact_detail"),
    path("pacts/<int:pk>/comments/", pact_comment, name="pact_comment"),
    path("pacts/<int:pk>/revisions/<int:number>/", pact_revision, name="pact_revision"),
    path("pacts/<int:pk>/edit/", pact_edit, name="pact_edit"),
    path("pacts/<int:pk>/open/", pact_open, name="pact_open"),
    path("pacts/<int:pk>/withdraw/", pact_withdraw, name="pact_withdraw"),
]
