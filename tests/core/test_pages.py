"""core.pages: a page number that cannot be read, below 1, or past any end shows the first or the last page,
never a server error (a number too big for the query's OFFSET once made PostgreSQL refuse it)."""

import pytest
from django.test import RequestFactory

from core.pages import (
    MAX_PAGE_NUMBER,
    page_bounds,
    page_of_count,
    page_read_with_count,
    paginate_counted,
    requested_page_number,
)
from regions.models import Province

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("asked", "number"),
    [("", 1), ("abc", 1), ("0", 1), ("-3", 1), ("2", 2), ("1e3", 1), ("9" * 30, MAX_PAGE_NUMBER)],
)
def test_the_number_asked_for(asked, number):
    assert requested_page_number(RequestFactory().get("/", {"page": asked})) == number


@pytest.mark.parametrize("asked", ["9" * 30, "9223372036854775807", str(MAX_PAGE_NUMBER), "4"])
def test_a_page_past_the_end_of_a_counted_list_is_its_last(asked):
    Province.objects.bulk_create(Province(code=f"T{n:02}", name=f"Tỉnh Thử {n:02}") for n in range(7))
    provinces = Province.objects.filter(code__startswith="T").order_by("code")
    page = paginate_counted(RequestFactory().get("/", {"trang": asked}), provinces, 3, param="trang")
    assert page.number == 3 and [p.code for p in page.object_list] == ["T06"] and page.paginator.count == 7


@pytest.mark.parametrize(
    ("asked", "number", "shown", "counted"),
    [
        ("", 1, "abc", 0),
        ("2", 2, "def", 0),
        ("3", 3, "g", 0),
        ("4", 3, "g", 1),
        ("9" * 30, 3, "g", 1),
        ("x", 1, "abc", 0),
    ],
)
def test_a_list_read_with_its_count_shows_the_page_asked_or_its_last(asked, number, shown, counted):
    """page_read_with_count: the rows and the count read together; only past the end is the list counted
    apart, and its last page read."""
    letters, counts = "abcdefg", []

    def read(start: int, stop: int) -> tuple[str, int]:
        rows = letters[start:stop]
        return rows, len(letters) if rows else 0

    def count() -> int:
        counts.append(1)
        return len(letters)

    rows, page = page_read_with_count(RequestFactory().get("/", {"page": asked}), read, count, 3)
    assert (rows, page.number, page.paginator.count, len(counts)) == (shown, number, 7, counted)
    assert page.elided_range and page.param == "page"


def test_an_empty_list_read_with_its_count_is_one_empty_page():
    rows, page = page_read_with_count(RequestFactory().get("/", {"page": "5"}), lambda s, e: ([], 0), lambda: 0, 3)
    assert (rows, page.number, page.paginator.count) == ([], 1, 0)


@pytest.mark.parametrize(("asked", "bounds"), [("1", (0, 50)), ("2", (50, 100)), ("3", (100, 120)), ("9", (100, 120))])
def test_the_bounds_of_a_page_of_a_counted_list(asked, bounds):
    page = page_of_count(RequestFactory().get("/", {"page": asked}), 120, 50)
    assert page_bounds(page) == bounds == (page.start_index() - 1, page.end_index())
