"""The shared form pieces: a date is bounded to a sane span, text refuses NUL and text-direction controls."""

from datetime import date

import pytest
from django import forms
from django.utils import translation

from core.forms import date_field
from core.text import NFCFormMixin


class Dated(forms.Form):
    day = date_field("Day")
    founded = date_field("Founded", required=False, earliest=date(1945, 8, 28), latest=date(2030, 12, 31))


class Named(NFCFormMixin, forms.Form):
    name = forms.CharField(max_length=255)
    note = forms.CharField(required=False, widget=forms.Textarea)


def _errors(form_class, **data) -> dict:
    with translation.override("en"):
        form = form_class(data=data)
        form.is_valid()
        # Read while English is on: the messages are lazy and would be read later in the default language.
        return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "31/12/1999", "01/01/2101"])
def test_a_date_outside_the_years_kept_is_refused_with_the_span(typed):
    assert _errors(Dated, day=typed)["day"] == ["Enter a date from 01/01/2000 to 31/12/2100."]


@pytest.mark.parametrize("typed", ["01/01/2000", "29/02/2024", "31/12/2100"])
def test_a_date_inside_the_years_kept_is_accepted(typed):
    assert "day" not in _errors(Dated, day=typed)


def test_a_use_sets_its_own_span():
    assert "founded" not in _errors(Dated, day="01/01/2025", founded="02/09/1945")
    assert _errors(Dated, day="01/01/2025", founded="27/08/1945")["founded"] == [
        "Enter a date from 28/08/1945 to 31/12/2030."
    ]
    assert "founded" in _errors(Dated, day="01/01/2025", founded="01/01/2031")


@pytest.mark.parametrize(
    "value", ["quản\x00trị", "\u202egnp.exe", "Sở \u202aTư\u202c pháp", "\u2066Sở\u2069", "a\u2067b", "x\u202d"]
)
def test_text_with_nul_or_a_direction_control_is_refused_in_the_reader_s_language(value):
    expected = ["Remove the hidden control characters (NUL or text-direction marks) from this text."]
    assert _errors(Named, name=value)["name"] == expected
    assert _errors(Named, name="Sở Tư pháp", note=f"dòng 1\n{value}")["note"] == expected


def test_ordinary_vietnamese_text_with_line_breaks_passes_and_is_nfc():
    form = Named(data={"name": "Sở Tư pha\u0301p", "note": "dòng 1\r\ndòng 2\ttab"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Sở Tư pháp"


def test_the_check_leaves_the_form_class_s_own_fields_untouched():
    Named(data={"name": "x"})
    assert Named.base_fields["name"].validators[-1].__class__.__name__ == "ProhibitNullCharactersValidator"
