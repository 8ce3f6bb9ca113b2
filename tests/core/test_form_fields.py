"""``bootstrap_field`` writes a field as crispy-forms' ``as_crispy_field`` does (the same HTML), for every kind
of field, with and without errors, and for every field of the portal's forms that can be made without
arguments; the fields crispy writes another way are crispy's."""

import importlib
import inspect
import pkgutil
from datetime import date
from pathlib import Path

import crispy_bootstrap5
import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Engine
from django.template.loader import get_template
from django.test.html import parse_html
from django.utils import translation
from django.utils.safestring import mark_safe

from core.forms import SearchInput
from core.templatetags.core_forms import bootstrap_field

PORTAL_APPS = ("accounts", "legal", "regions", "people", "pacts", "awards", "reports", "core")


class EveryKind(forms.Form):
    text = forms.CharField(label="Tên đơn vị", max_length=10, help_text="Tên <b>đầy đủ</b>")
    search = forms.CharField(label="Tìm", required=False, widget=SearchInput(attrs={"placeholder": "Tên cũ"}))
    number = forms.IntegerField(label="Năm", min_value=2000, required=False)
    email = forms.EmailField(label='Thư "điện tử"', required=False)
    day = forms.DateField(label="Ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    choice = forms.ChoiceField(label="Loại", choices=[("", "— Tất cả —"), ("a", "Sở Tư pháp"), ("b", "<Cục>")])
    many = forms.MultipleChoiceField(label="Nhiều", choices=[("1", "Một"), ("2", "Hai")], required=False)
    styled = forms.CharField(
        label="", required=False, widget=forms.TextInput(attrs={"class": "form-control-sm textinput-x", "id": "x"})
    )
    agree = forms.BooleanField(label="Đồng ý", help_text="Bắt buộc")
    optional_box = forms.BooleanField(label="Tùy chọn", required=False)
    disabled = forms.CharField(label="Khóa", required=False, disabled=True, initial="giữ nguyên")
    maybe = forms.NullBooleanField(label="Có hay không", required=False)
    safe_label = forms.CharField(label=mark_safe("<i>nghiêng</i>"), required=False)


class Styled(EveryKind):
    error_css_class = "has-error"
    required_css_class = "required"


class LeftToCrispy(forms.Form):
    hidden = forms.CharField(widget=forms.HiddenInput, initial="1")
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    upload = forms.FileField(required=False)
    split = forms.SplitDateTimeField(required=False)


BAD = {"text": "x" * 11, "number": "abc", "email": "không phải", "day": "31/02/2025", "choice": "z", "many": ["9"]}
GOOD = {"text": "Sở Tư pháp", "number": "2025", "day": "2025-03-16", "choice": "b", "agree": "on", "maybe": "true"}


def same_as_crispy(make_form) -> None:
    """Every field of the form, each side on a form of its own (crispy adds its classes to the widget)."""
    for name in make_form().fields:
        ours, theirs = bootstrap_field(make_form()[name]), as_crispy_field(make_form()[name])
        assert parse_html(ours) == parse_html(theirs), (name, ours, theirs)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("data", [None, {}, GOOD, BAD])
@pytest.mark.parametrize("form_class", [EveryKind, Styled])
def test_every_kind_of_field_is_written_as_crispy_writes_it(form_class, data, language):
    with translation.override(language):
        same_as_crispy(lambda: form_class(data, initial={"number": 2024, "day": date(2025, 1, 2)}))
        if data:
            bad = form_class(data)
            assert bad.is_valid() is (data is GOOD)
            if data is BAD:
                written = bootstrap_field(bad["number"])
                assert 'class="numberinput form-control is-invalid"' in written
                assert 'aria-invalid="true"' in written and "invalid-feedback" in written


def test_the_fields_crispy_writes_another_way_are_left_to_it():
    form = LeftToCrispy({"radio": "c"})
    for name in form.fields:
        assert bootstrap_field(form[name]) == as_crispy_field(LeftToCrispy({"radio": "c"})[name])

    def helped() -> EveryKind:
        form = EveryKind()
        form.helper = FormHelper()
        form.helper.form_class = "form-horizontal"
        return form

    written = bootstrap_field(helped()["text"])
    assert written == as_crispy_field(helped()["text"]) and "mb-3 row" in written  # the helper's layout


def portal_forms() -> list[type[forms.Form]]:
    found = []
    for app in PORTAL_APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "forms" not in module_info.name.rsplit(".", 1)[-1]:
                continue
            module = importlib.import_module(module_info.name)
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__ and value.base_fields:
                    found.append(value)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"year": "x", "q": "quang", "kind": "?", "status": "?", "name": ""}])
def test_the_portal_forms_are_written_as_crispy_writes_them(data):
    checked = 0
    for form_class in portal_forms():
        try:
            form_class(data)
        except TypeError:
            continue  # a form that needs its object or its user
        same_as_crispy(lambda form_class=form_class: form_class(data))
        checked += 1
    assert checked >= 30


class Lists(forms.Form):
    radio = forms.ChoiceField(
        label="Vai trò", choices=[("head", "Trưởng <cụm>"), ("member", "Thành viên")], widget=forms.RadioSelect
    )
    boxes = forms.TypedMultipleChoiceField(
        label="Đơn vị ký",
        coerce=int,
        choices=[("Khối Sở Tư pháp", [(1, "Sở Tư pháp tỉnh Quảng Trị"), (2, "Sở Tư pháp thành phố Huế")]), (3, "Ba")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Chọn <b>ít nhất</b> một đơn vị.",
    )
    safe = forms.ChoiceField(
        label="An toàn", required=False, choices=[("x", mark_safe("<i>nghiêng</i>"))], widget=forms.RadioSelect
    )
    locked = forms.MultipleChoiceField(
        label="Khóa", required=False, disabled=True, choices=[("1", "Một")], widget=forms.CheckboxSelectMultiple
    )


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "data", [None, {}, {"radio": "head", "boxes": ["1", "3"], "safe": "x"}, {"radio": "chief", "boxes": ["9"]}]
)
@pytest.mark.parametrize("inline_class", ["", "form-check-inline"])
def test_radio_buttons_and_check_boxes_are_written_as_crispys_template_writes_them(data, inline_class, language):
    """The portal's radio_checkbox_select.html (its options written by ``choice_options``) against crispy's own."""
    crispys = Engine(
        dirs=[str(Path(crispy_bootstrap5.__file__).parent / "templates")],
        libraries={
            "crispy_forms_filters": "crispy_forms.templatetags.crispy_forms_filters",
            "l10n": "django.templatetags.l10n",
        },
    ).get_template("bootstrap5/layout/radio_checkbox_select.html")
    ours = get_template("bootstrap5/layout/radio_checkbox_select.html")
    assert ours.origin.name != crispys.origin.name
    with translation.override(language):
        form = Lists(data, initial={"radio": "member", "boxes": [2]})
        if data:
            assert form.is_valid() is ("head" in data.values())
        for name in form.fields:
            context = {"field": form[name], "inline_class": inline_class, "form_show_errors": True}
            written = ours.render(context)
            assert parse_html(written) == parse_html(crispys.render(Context(context))), (name, written)
    if data and not form.is_valid():
        assert 'class="form-check-input is-invalid"' in ours.render({"field": form["radio"], "form_show_errors": True})
