"""The portal's form renderer (settings.FORM_RENDERER): Django's, except that a <select> and an <input> are
written here instead of by their templates. Django's select.html renders every option through two template
includes: the 88 provinces of a list page's filter cost more than the rest of its form, on every request;
an input costs two template renders for one line. The HTML is the same, byte for byte, as Django's templates
give (django/forms/widgets/select.html, select_option.html, input.html and attrs.html:
tests/core/test_form_renderer.py compares them); a widget with other templates is left to them."""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from .html import escaped, html_format

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# The widgets whose template includes input.html and nothing else (text, search, number, e-mail, url, phone,
# password, hidden, date, time and colour inputs).
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "search",
        "number",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
    )
)


def widget_attrs(attrs: dict) -> SafeString:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(html_format(" {}", name))
        elif value is not False:
            parts.append(html_format(' {}="{}"', name, value))
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped)


def _option(option: dict) -> str:
    """One option: a select of the 88 provinces writes it a hundred times a page, so the common attributes
    (none, or selected alone) skip the general writer."""
    value = escaped(option["value"])
    label = escaped(localize(option["label"]))  # as {{ widget.label }} shows it
    attrs = option["attrs"]
    if not attrs:
        written = ""
    elif len(attrs) == 1 and attrs.get("selected") is True:
        written = " selected"
    else:
        written = widget_attrs(attrs)
    return f'<option value="{value}"{written}>{label}</option>\n'


def render_select(widget: dict) -> str:
    parts = [html_format('<select name="{}"{}>', widget["name"], widget_attrs(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(html_format('\n  <optgroup label="{}">', localize(group_name)))
        parts.extend("\n  " + _option(option) for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts).strip())  # noqa: S308 (every piece is escaped or a constant)


def render_input(widget: dict) -> str:
    value = widget["value"]
    value_attr = html_format(' value="{}"', value) if value is not None else ""
    return html_format(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value_attr, widget_attrs(widget["attrs"])
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUTS and "widget" in context:
            return render_input(context["widget"])
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(
            option["template_name"] == OPTION for _name, options, _index in widget["optgroups"] for option in options
        ):
            return render_select(widget)
        return super().render(template_name, context, request)
