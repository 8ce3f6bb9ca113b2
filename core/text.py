"""Text normalisation: Vietnamese typed on some keyboards arrives decomposed (NFD)."""

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


# NUL, which PostgreSQL refuses in text, and the bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069), which show a stored name to its reader in another order than it was typed.
HIDDEN_CONTROLS = frozenset(["\x00", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))])


def refuse_hidden_controls(value: Any) -> None:
    """A validator of text fields: refuses NUL and the text-direction controls, in the reader's language."""
    if isinstance(value, str) and not HIDDEN_CONTROLS.isdisjoint(value):
        raise ValidationError(
            _("Remove the hidden control characters (NUL or text-direction marks) from this text."),
            code="hidden_controls",
        )


def guard_hidden_controls(field: forms.Field) -> None:
    """Gives a form's text field the refusal of HIDDEN_CONTROLS in place of Django's English NUL message."""
    # Each form holds copies of its fields (and of their validator lists): the class is untouched.
    kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    field.validators = [*kept, refuse_hidden_controls]


class NFCFormMixin:
    """Normalises every string a form cleans to NFC, before it is stored, hashed or printed, and refuses in
    every text field the hidden characters of HIDDEN_CONTROLS (in place of Django's English NUL message).

    Put it before the form class: ``class MyForm(NFCFormMixin, forms.ModelForm)``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):
                guard_hidden_controls(field)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        return {key: nfc(value) if isinstance(value, str) else value for key, value in cleaned.items()}


def fold(value: str) -> str:
    """Vietnamese without its marks, for searching: "Quảng Bình" and "quang binh" meet as "quang binh".

    The same folding as PostgreSQL's ``unaccent`` for Vietnamese (SQLite gets it as a function, see
    ``core.apps``), so a search may be typed with or without diacritics.
    """
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def ascii_slug(value: str) -> str:
    """A URL slug of Vietnamese text: "Đà Nẵng" gives "da-nang" (slugify alone drops the đ)."""
    from django.utils.text import slugify

    return slugify(nfc(value).replace("đ", "d").replace("Đ", "D"))
