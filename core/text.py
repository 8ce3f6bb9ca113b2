"""Text normalisation: Vietnamese typed on some keyboards arrives decomposed (NFD)."""

import unicodedata
from typing import Any


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


class NFCFormMixin:
    """Normalises every string a form cleans to NFC, before it is stored, hashed or printed.

    Put it before the form class: ``class MyForm(NFCFormMixin, forms.ModelForm)``.
    """

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
