"""core.html writes what Django's format_html and format_html_join write, for every kind of argument."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.html import escaped, html_format, html_join

ARGUMENTS = [
    "Sở Tư pháp <tỉnh> & \"Quảng\" 'Trị'",
    mark_safe("<b>đã ký</b>"),
    html_format("<i>{}</i>", "<x>"),
    gettext_lazy("Not active"),
    gettext_lazy("Sign"),
    mark_safe(gettext_lazy("Previous")),  # noqa: S308 (a lazy safe string, as Django's own)
    42,
    Decimal("45.50"),
    date(2025, 7, 1),
    None,
    "",
    "{braces} %s",
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", ARGUMENTS, ids=range(len(ARGUMENTS)))
def test_each_argument_is_escaped_as_django_escapes_it(language, value):
    with translation.override(language):
        assert html_format('<td title="{}">{}</td>', value, value) == format_html(
            '<td title="{}">{}</td>', value, value
        )
        assert escaped(value) == str(format_html("{}", value))


def test_rows_are_joined_as_format_html_join_joins_them():
    rows = [(n, value, mark_safe("<br>")) for n, value in enumerate(ARGUMENTS)]
    template = "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n"
    assert html_join(template, rows) == format_html_join("", template, rows)
    assert html_join(template, []) == format_html_join("", template, []) == ""


def test_the_result_is_safe_and_not_escaped_again():
    written = html_format("<a>{}</a>", "<b>")
    assert written == "<a>&lt;b&gt;</a>"
    assert html_format("{}", written) == written
    assert html_join("{}", [(written,)]).__html__() == written
