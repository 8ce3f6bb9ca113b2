"""``{{ form.field|bootstrap_field }}``: a field in Bootstrap 5's markup, as crispy-forms' ``as_crispy_field``
writes it (crispy_bootstrap5's field.html, help_text_and_errors.html, field_errors_block.html, help_text.html),
but written here. crispy's filter renders those four templates for every field, which costs more than the
widget itself: a list page's filter of six fields spent 1.5 ms a request in them. The HTML is crispy's
(tests/core/test_form_fields.py compares both on every kind of field the portal uses, with and without
errors), and a field crispy writes another way (a form with a crispy helper, hidden, radio buttons, a list of
check boxes, a file, several widgets in one) is left to crispy's filter."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, optgroups
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.form_renderer import widget_attrs
from core.html import html_format

register = template.Library()

LEFT_TO_CRISPY = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput, forms.MultiWidget)


def _written_by_crispy(field: BoundField) -> bool:
    widget = field.field.widget
    return (
        getattr(field.form, "helper", None) is not None
        or field.is_hidden
        or field.use_fieldset
        or isinstance(widget, LEFT_TO_CRISPY)
        or hasattr(widget, "widget")  # a wrapper around another widget
    )


def _widget(field: BoundField, bootstrap_class: str) -> SafeString:
    """The widget with crispy's classes added to its own (crispy_forms_field.CrispyFieldNode): the widget's
    class name in lower case, then Bootstrap's, then is-invalid when the field has errors. Like crispy, on
    the widget itself."""
    widget = field.field.widget
    css_class = widget.attrs.get("class", "")
    name = widget.__class__.__name__.lower()
    if not css_class:
        css_class = name
    elif css_class.find(name) == -1:
        css_class += f" {name}"
    for token in (bootstrap_class, "is-invalid") if field.errors else (bootstrap_class,):
        if token not in css_class.split():
            css_class += f" {token}"
    widget.attrs["class"] = css_class
    return field.as_widget()


def _errors_block(field: BoundField) -> SafeString:
    """A field's errors as crispy_bootstrap5's field_errors_block.html writes them."""
    errors = format_html_join(
        "\n",
        '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">\n{}\n</div>', field.errors.field_id, errors)


def _help_and_errors(field: BoundField) -> SafeString:
    parts = []
    if field.errors:
        parts.append(_errors_block(field))
    if field.help_text:
        help_id = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
        parts.append(format_html('<div {}class="form-text">{}</div>', help_id, mark_safe(field.help_text)))  # noqa: S308 (crispy shows help text unescaped: it is the portal's own)
    return mark_safe("\n".join(parts))  # noqa: S308 (every piece is format_html's)


def _required(field: BoundField) -> tuple[str, SafeString]:
    if field.field.required:
        return " requiredField", mark_safe('<span class="asteriskField">*</span>')
    return "", mark_safe("")


@register.filter
def bootstrap_field(field: BoundField) -> SafeString:
    if _written_by_crispy(field):
        return as_crispy_field(field)
    required_class, asterisk = _required(field)
    extra_classes = f" {field.css_classes()}" if field.css_classes() else ""
    if isinstance(field.field.widget, forms.CheckboxInput):
        inner = format_html(
            '<div id="div_{}" class="form-check{}">\n{}\n'
            '<label for="{}" class="form-check-label{}">{}{}</label>\n{}\n</div>',
            field.auto_id,
            extra_classes,
            _widget(field, "form-check-input"),
            field.id_for_label,
            required_class,
            field.label,
            asterisk,
            _help_and_errors(field),
        )
        return format_html('<div class="mb-3">\n{}\n</div>', inner)
    label = ""
    if field.label:
        label_for = format_html('for="{}" ', field.id_for_label) if field.id_for_label else ""
        label = format_html(
            '<label {}class="form-label{}">{}{}</label>', label_for, required_class, field.label, asterisk
        )
    bootstrap_class = "form-select" if isinstance(field.field.widget, forms.Select) else "form-control"
    return format_html(
        '<div id="div_{}" class="mb-3{}">\n{}\n{}\n{}\n</div>',
        field.auto_id,
        extra_classes,
        label,
        _widget(field, bootstrap_class),
        _help_and_errors(field),
    )


@register.simple_tag(takes_context=True)
def choice_options(context, field: BoundField) -> SafeString:
    """The radio buttons or check boxes of a list, as crispy_bootstrap5's radio_checkbox_select.html writes
    them (the portal's copy of that template calls this in place of its loop): crispy renders each option
    through a dozen template lookups and an include, and a region's 672 units made a pact's form spend more
    than 100 ms there. tests/core/test_form_fields.py compares the two on grouped, inline, checked, disabled
    and refused lists."""
    inline = " form-check-inline" if context.get("inline_class") else ""
    invalid = " is-invalid" if field.errors else ""
    groups = list(optgroups(field))
    written = []
    for group_number, (group, options, _index) in enumerate(groups, 1):
        if group:
            written.append(html_format("<strong>{}</strong>", group))
        for option_number, option in enumerate(options, 1):
            errors = ""
            last = option_number == len(options) and group_number == len(groups)
            if field.errors and last and not inline and context.get("form_show_errors"):
                errors = _errors_block(field)
            written.append(
                html_format(
                    '<div class="form-check{}"><input type="{}" class="form-check-input{}" name="{}" value="{}"{}>'
                    '<label for="{}" class="form-check-label">{}</label>{}</div>',
                    inline,
                    option["type"],
                    invalid,
                    field.html_name,
                    str(option["value"]),  # unlocalize: as it is
                    widget_attrs(option["attrs"]),
                    option["attrs"].get("id", ""),
                    str(option["label"]),
                    errors,
                )
            )
    return mark_safe("\n".join(written))  # noqa: S308 (every piece is html_format's; inline options keep their gaps)
