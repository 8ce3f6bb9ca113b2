"""{% pagination page %} writes the markup core/_pagination.html wrote (kept as tests/core/
fixtures_pagination_before.html), for every kind of list: empty, one page, the first, a middle and the last
of many (with the elided numbers), a second list's parameter, a query string to keep, both languages."""

from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory
from django.test.html import parse_html
from django.utils import translation

from core.pages import _with_links

BEFORE = (Path(__file__).parent / "fixtures_pagination_before.html").read_text(encoding="utf-8")
TAG = "{% load core_pages %}{% pagination page %}"


def _both(count: int, number: int, *, query: dict, param: str = "page", language: str = "vi") -> tuple[str, str]:
    request = RequestFactory().get("/danh-sach/", query)
    page = _with_links(Paginator(range(count), 50).get_page(number), param)
    with translation.override(language):
        before = engines["django"].from_string(BEFORE).render({"page": page}, request)
        now = engines["django"].from_string(TAG).render({"page": page}, request)
    return before, now


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("count", "number"),
    [(0, 1), (7, 1), (50, 1), (51, 2), (672, 1), (672, 2), (672, 7), (672, 14), (5000, 50), (123_456, 1234)],
)
@pytest.mark.parametrize("param", ["page", "signed_page"])
def test_the_tag_writes_what_the_template_wrote(count, number, param, language):
    query = {"q": "Quảng & <Trị>", "kind": ["so_tu_phap", "cuc_thads"], param: str(number)}
    before, now = _both(count, number, query=query, param=param, language=language)
    assert parse_html(now) == parse_html(before)
    if count > 50:
        assert "&amp;" in now and 'rel="next"' in now or number * 50 >= count
        assert f"{param}=" in now and "Qu%E1%BA%A3ng" in now


def test_an_empty_list_writes_nothing():
    assert _both(0, 1, query={})[1].strip() == ""
