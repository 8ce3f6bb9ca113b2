"""The province filter's grouped choices are written once per language and set of provinces: a province added,
renamed or ended shows on the next form, and each language gets its own labels."""

from datetime import date

import pytest
from django.utils import translation

from regions.forms import UnitFilterForm
from regions.models import Province

pytestmark = pytest.mark.django_db


def _groups(form: UnitFilterForm) -> dict[str, list[str]]:
    return {str(group): [label for _pk, label in options] for group, options in form.fields["province"].choices[1:]}


def test_a_province_added_renamed_or_ended_shows_on_the_next_form():
    province = Province.objects.create(code="test-ab", name="tỉnh An Bình")
    with translation.override("en"):
        before = _groups(UnitFilterForm())
        assert "tỉnh An Bình" in before["Current provinces"]

        Province.objects.create(code="test-cd", name="tỉnh Cẩm Đông", valid_from=date(2025, 7, 1))
        province.name = "tỉnh An Bình Mới"
        province.save()
        after = _groups(UnitFilterForm())
        assert "tỉnh Cẩm Đông (from 01/07/2025)" in after["Current provinces"]
        assert "tỉnh An Bình Mới" in after["Current provinces"]
        assert "tỉnh An Bình" not in after["Current provinces"]

        province.valid_to = date(2025, 6, 30)
        province.save()
        ended = _groups(UnitFilterForm())
        assert "tỉnh An Bình Mới (until 30/06/2025)" in ended["Former provinces (until 2025)"]
        assert "tỉnh An Bình Mới" not in ended["Current provinces"]


def test_each_language_has_its_own_labels():
    Province.objects.create(code="test-ef", name="tỉnh Én Phong", valid_to=date(2025, 6, 30))
    with translation.override("en"):
        english = _groups(UnitFilterForm())
    with translation.override("vi"):
        vietnamese = _groups(UnitFilterForm())
    with translation.override("en"):
        again = _groups(UnitFilterForm())
    assert "tỉnh Én Phong (until 30/06/2025)" in english["Former provinces (until 2025)"]
    assert english == again
    assert set(vietnamese) == {"Tỉnh, thành phố hiện nay", "Tỉnh, thành phố trước đây (đến năm 2025)"}
    assert "tỉnh Én Phong (đến 30/06/2025)" in vietnamese["Tỉnh, thành phố trước đây (đến năm 2025)"]
