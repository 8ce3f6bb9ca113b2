"""Writes of the catalogue of legal documents: create and edit, with their checks.

A document a signed text cites keeps its fields: before a change, ``document_change_requested`` asks the
floors above (pacts answers for the pacts opened for signing) and any reason given refuses the change.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.text import nfc

from .errors import LegalError
from .models import LegalDocument
from .signals import document_change_requested

FIELDS = ("kind", "number", "issuer", "signed_on", "title", "in_force_from", "in_force_to", "suggested", "note")
# What a citation quotes, and the day it started to apply: fixed once a signed text cites the document. The
# last day in force (a later repeal), the suggestion for new pacts and the note may still be recorded.
CITED_FIELDS = ("kind", "number", "issuer", "signed_on", "title", "in_force_from")


def _clean(fields: dict) -> dict:
    cleaned = {name: nfc(value).strip() if isinstance(value, str) else value for name, value in fields.items()}
    # "Số: 06/2022/QH15" typed whole keeps the number only.
    if "number" in cleaned:
        cleaned["number"] = cleaned["number"].removeprefix("Số:").removeprefix("số").strip()
    return cleaned


def _check(document: LegalDocument) -> None:
    if not document.number:
        raise LegalError(_("Enter the document's number and symbol, e.g. 06/2022/QH15."), field="number")
    if not document.issuer:
        raise LegalError(_("Enter the body that issued the document, e.g. Chính phủ."), field="issuer")
    if not document.title:
        raise LegalError(_("Enter the document's subject (trích yếu)."), field="title")
    if document.in_force_from and document.in_force_to and document.in_force_to < document.in_force_from:
        raise LegalError(
            _("The last day in force (%(to)s) cannot be before the first (%(from)s).")
            % {"to": f"{document.in_force_to:%d/%m/%Y}", "from": f"{document.in_force_from:%d/%m/%Y}"},
            field="in_force_to",
        )
    if document.in_force_to and document.in_force_to < document.signed_on:
        raise LegalError(_("The last day in force cannot be before the date of issue."), field="in_force_to")
    duplicate = LegalDocument.objects.filter(issuer=document.issuer, kind=document.kind, number=document.number)
    if document.pk:
        duplicate = duplicate.exclude(pk=document.pk)
    if duplicate.exists():
        raise LegalError(
            _("The catalogue already has %(kind)s %(number)s of %(issuer)s.")
            % {"kind": document.get_kind_display(), "number": document.number, "issuer": document.issuer},
            field="number",
        )


def _save(document: LegalDocument) -> LegalDocument:
    _check(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:  # two people saving the same number at once
        raise LegalError(_("The catalogue already has a document with this number."), field="number") from error
    return document


@transaction.atomic
def legal_document_create(
    *,
    kind: str,
    number: str,
    issuer: str,
    signed_on: date,
    title: str,
    in_force_from: date | None = None,
    in_force_to: date | None = None,
    suggested: bool = False,
    note: str = "",
) -> LegalDocument:
    fields = _clean(locals())
    return _save(LegalDocument(**fields))


def change_refusal(document: LegalDocument) -> str:
    """Why the document cannot change (a signed text cites it), or ""."""
    reasons = [reason for _receiver, reason in document_change_requested.send(LegalDocument, document=document)]
    return next((str(reason) for reason in reasons if reason), "")


@transaction.atomic
def legal_document_update(*, document: LegalDocument, **fields) -> LegalDocument:
    """Changes a document; what a citation quotes is refused once a signed text cites it (enter a new document)."""
    document = LegalDocument.objects.select_for_update().get(pk=document.pk)
    for name in fields:
        if name not in FIELDS:
            raise TypeError(name)
    fields = _clean(fields)
    changed = {name for name, value in fields.items() if getattr(document, name) != value}
    if changed & set(CITED_FIELDS) and (reason := change_refusal(document)):
        raise LegalError(reason)
    for name, value in fields.items():
        setattr(document, name, value)
    return _save(document)
