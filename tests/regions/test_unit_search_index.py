"""Unit searches through the accent-folded trigram indexes (regions/migrations/0006), and the unit list's
page and count read together."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from regions import selectors, services
from regions.models import Unit
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db


def test_a_search_finds_current_and_past_names_with_or_without_marks():
    binh = make_unit("Cục THADS tỉnh Quảng Bình", Unit.Kind.CUC_THADS, active_from=date(2009, 1, 1))
    make_unit("Sở Tư pháp tỉnh Đồng Nai", Unit.Kind.SO_TU_PHAP)
    services.unit_rename(unit=binh, name="Thi hành án dân sự tỉnh Quảng Trị", effective=date(2025, 7, 1))
    for text in ("quang binh", "QUẢNG BÌNH", "quảng trị", "thi hanh an"):
        found = Unit.objects.filter(selectors.units_named_like(text))
        assert list(found) == [binh], text
    assert list(Unit.objects.filter(selectors.units_named_like("dong nai")).values_list("name", flat=True)) == [
        "Sở Tư pháp tỉnh Đồng Nai"
    ]
    assert not Unit.objects.filter(selectors.units_named_like("quang%")).exists()  # % is a letter here


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's")
@pytest.mark.parametrize("table", ["regions_unit", "regions_unitname"])
def test_the_search_reads_the_trigram_index_of_the_folded_names(table):
    make_unit("Cục THADS tỉnh Quảng Bình", Unit.Kind.CUC_THADS)
    sql, params = Unit.objects.filter(selectors.units_named_like("quang")).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{table}_name_folded_trgm" in plan, plan
    assert f"{table}_short_folded_trgm" in plan, plan


def test_the_list_sorts_on_the_latest_name_unless_a_name_takes_effect_later(client, ministry_user):
    a = make_unit("Cục THADS tỉnh An Giang", Unit.Kind.CUC_THADS)
    z = make_unit("Cục THADS tỉnh Yên Bái", Unit.Kind.CUC_THADS)
    today = timezone.localdate()
    assert not selectors.names_change_after(today)
    services.unit_rename(unit=z, name="Cục THADS tỉnh Bắc Ninh", effective=date(today.year + 1, 1, 1))
    assert selectors.names_change_after(today)
    names = [u.name_on_day for u in selectors.units_for_list(day=today) if u.pk in (a.pk, z.pk)]
    assert names == ["Cục THADS tỉnh An Giang", "Cục THADS tỉnh Yên Bái"]  # today's names, today's order
    client.force_login(ministry_user)
    page = client.get(reverse("regions:unit_list"), {"q": "Cục THADS tỉnh"}).context["page"]
    assert page.paginator.count == 2 and [u.pk for u in page.object_list] == [a.pk, z.pk]


def test_a_page_past_the_end_shows_the_last_page(client, ministry_user):
    for n in range(3):
        make_unit(f"Sở Tư pháp tỉnh Thử Trang {n}", Unit.Kind.SO_TU_PHAP)
    client.force_login(ministry_user)
    page = client.get(reverse("regions:unit_list"), {"q": "thu trang", "page": "9"}).context["page"]
    assert page.number == 1 and page.paginator.count == 3 and len(page.object_list) == 3
