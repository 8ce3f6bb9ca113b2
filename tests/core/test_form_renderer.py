"""The portal's form renderer writes a <select> and an <input> as Django's templates do, byte for byte."""

from datetime import date

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.form_renderer import FormRenderer
from regions.forms import UnitFilterForm


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "— Tất cả —"), ("a", "Sở Tư pháp"), ("b", 'Cục "THADS" <&>')])
    grouped = forms.ChoiceField(
        choices=[
            ("", _("All provinces")),
            (_("Current provinces"), [(1, "Huế"), (2, "Quảng Trị")]),
            ("Cũ", [(3, "x")]),
        ],
        widget=forms.Select(attrs={"class": "form-select", "aria-describedby": "help", "autofocus": True}),
    )
    many = forms.MultipleChoiceField(
        choices=[(2018, 2018), (2025, date(2025, 12, 31)), ("s", mark_safe("<b>đậm</b>"))],
        widget=forms.SelectMultiple(attrs={"disabled": False, "size": 3}),
    )
    year = forms.TypedChoiceField(choices=[(2024, 2024), (2025, 2025)], coerce=int, required=False)


class RadioChoices(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def both(form: forms.Form) -> list[tuple[str, str]]:
    """Each field's widget as the portal's renderer writes it, and as Django's templates do."""
    pairs = []
    for name in form.fields:
        form.renderer = FormRenderer()
        ours = form[name].as_widget()
        form.renderer = DjangoTemplates()
        pairs.append((ours, form[name].as_widget()))
    return pairs


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "data", [{}, {"plain": "b", "grouped": "2", "many": ["2018", "s"], "year": "2025"}, {"grouped": "<bad>"}]
)
def test_a_select_is_the_html_of_django_templates(language, data):
    with translation.override(language):
        form = Choices(data or None, renderer=FormRenderer())
        for ours, django_html in both(form):
            assert ours == django_html


@pytest.mark.django_db
def test_the_unit_filter_renders_as_with_django_templates():
    form = UnitFilterForm({"kind": "so_tu_phap", "active": "yes"}, renderer=FormRenderer())
    for ours, django_html in both(form):
        assert ours == django_html
    assert "selected>" in str(form["kind"])


def test_other_widget_templates_are_left_to_django():
    form = RadioChoices({"kind": "b"}, renderer=FormRenderer())
    ((ours, django_html),) = both(form)
    assert ours == django_html and 'type="radio"' in ours


class Inputs(forms.Form):
    text = forms.CharField(max_length=5, widget=forms.TextInput(attrs={"placeholder": 'Tên "cũ" <&>'}))
    number = forms.IntegerField(min_value=1, required=False)
    email = forms.EmailField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False, disabled=True)
    safe = forms.CharField(required=False, initial=mark_safe("<b>giữ</b>"))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "data", [None, {}, {"text": "Huế", "number": "3", "day": "2025-03-16", "secret": "a&b"}, {"text": "xxxxxx<"}]
)
def test_an_input_is_the_html_of_django_templates(language, data):
    with translation.override(language):
        form = Inputs(data, initial={"number": 2024, "day": date(2025, 1, 2)}, renderer=FormRenderer())
        for ours, django_html in both(form):
            assert ours == django_html
