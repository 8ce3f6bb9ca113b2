"""Every unit picker offers the units active on the day that matters, labelled so that two namesakes (Sở Tư pháp
tỉnh Quảng Trị until 30/06/2025, and the one of the merged province from 01/07/2025) never look alike."""

from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from regions import services
from regions.forms import UnitChoiceField, UnitEditForm, UnitMergeForm
from regions.labels import labelled_choices, unit_label_on, unit_labels_on
from regions.models import Province, Unit
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db
NAME = "Sở Tư pháp tỉnh Quảng Trị"


@pytest.fixture
def namesakes() -> tuple[Unit, Unit]:
    old = Province.objects.create(code="qt-old", name="tỉnh Quảng Trị", valid_to=date(2025, 6, 30))
    new = Province.objects.create(code="qt-new", name="tỉnh Quảng Trị", valid_from=date(2025, 7, 1))
    ended = make_unit(NAME, province=old, active_from=date(2008, 1, 1), active_to=date(2025, 6, 30))
    current = make_unit(NAME, province=new, active_from=date(2025, 7, 1))
    return ended, current


class PickerForm(forms.Form):
    unit = UnitChoiceField(label="Unit")


def test_a_2026_picker_offers_only_the_active_namesake_and_refuses_the_ended_one(namesakes):
    ended, current = namesakes
    form = PickerForm()
    form.fields["unit"].offer(date(2026, 3, 1))
    with translation.override("en"):
        choices = [(value.value, label) for value, label in form.fields["unit"].choices if value]
    assert choices == [(current.pk, f"{NAME} (tỉnh Quảng Trị, from 01/07/2025)")]
    bound = PickerForm({"unit": ended.pk})
    bound.fields["unit"].offer(date(2026, 3, 1))
    assert not bound.is_valid()
    with translation.override("en"):
        assert bound.errors["unit"] == ["Choose a unit from the list."]


def test_a_unit_already_chosen_stays_offered_even_if_it_has_ended(namesakes):
    ended, current = namesakes
    form = PickerForm({"unit": ended.pk})
    form.fields["unit"].offer(date(2026, 3, 1), keep=ended)
    assert form.is_valid() and form.cleaned_data["unit"] == ended


def test_namesakes_of_one_year_are_labelled_apart_with_their_province_and_dates(namesakes):
    ended, current = namesakes
    with translation.override("en"):
        labels = unit_labels_on([ended, current], date(2025, 12, 31))
        assert labels[ended.pk] == f"{NAME} (tỉnh Quảng Trị, from 01/01/2008 to 30/06/2025)"
        assert labels[current.pk] == f"{NAME} (tỉnh Quảng Trị, from 01/07/2025)"
        assert unit_label_on(ended, date(2025, 12, 31)) == labels[ended.pk]
    with translation.override("vi"):
        assert "đến" in unit_labels_on([ended], date(2025, 12, 31))[ended.pk]


def test_labels_still_alike_are_told_apart_by_kind_then_by_number():
    twins = [make_unit("Văn phòng", kind=Unit.Kind.OTHER), make_unit("Văn phòng", kind=Unit.Kind.OTHER)]
    other = make_unit("Văn phòng", kind=Unit.Kind.SO_TU_PHAP)
    with translation.override("en"):
        labels = unit_labels_on([*twins, other], date(2026, 1, 1))
    assert len(set(labels.values())) == 3
    assert labels[twins[0].pk].endswith(f"no. {twins[0].pk}")


def test_a_unit_is_named_and_placed_as_on_the_day_of_the_picker():
    old = Province.objects.create(code="test-tth", name="tỉnh Thừa Thiên Huế", valid_to=date(2024, 12, 31))
    hue = Province.objects.create(code="test-hue", name="thành phố Huế", valid_from=date(2025, 1, 1))
    unit = make_unit("Sở Tư pháp tỉnh Thừa Thiên Huế", province=old)
    services.unit_rename(unit=unit, name="Sở Tư pháp thành phố Huế", effective=date(2025, 1, 1), province=hue)
    assert unit_labels_on([unit], date(2018, 6, 1))[unit.pk] == "Sở Tư pháp tỉnh Thừa Thiên Huế (tỉnh Thừa Thiên Huế)"
    today = labelled_choices([(unit.pk, "x")], date(2026, 1, 1))
    assert today == [(unit.pk, "Sở Tư pháp thành phố Huế (thành phố Huế)")]


def test_the_roster_editor_of_2025_offers_both_namesakes_labelled_apart(client, namesakes):
    from accounts.models import Role
    from tests.factories import UserFactory
    from tests.regions.factories import make_region

    region = make_region()
    client.force_login(UserFactory(roles=[Role.MINISTRY]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/regions/{region.slug}/2025/edit/")
    labels = [label for value, label in response.context["add_form"].fields["unit"].choices if value]
    ours = [label for label in labels if label.startswith(NAME)]
    assert len(ours) == 2 and len(set(ours)) == 2


def test_the_unit_forms_parent_and_merge_pickers_show_dates_and_refuse_a_parent_of_another_time(namesakes):
    cuc = make_unit(
        "Cục Thi hành án dân sự tỉnh Quảng Trị",
        kind=Unit.Kind.CUC_THADS,
        active_from=date(2009, 10, 1),
        active_to=date(2025, 6, 30),
    )
    with translation.override("en"):
        form = UnitEditForm()
        labels = dict(form.fields["parent"].choices)
        assert any("until 30/06/2025" in str(label) or "to 30/06/2025" in str(label) for label in labels.values())
        late = UnitEditForm(
            {"kind": Unit.Kind.CHI_CUC_THADS, "parent": cuc.pk, "active_from": "01/07/2025", "active_to": ""}
        )
        assert not late.is_valid()
        assert "was not active while this unit was" in late.errors["parent"][0]
        merge = UnitMergeForm(chosen_ids=[u.pk for u in namesakes])
        merge_labels = [str(label) for value, label in merge.fields["units"].choices if value]
        assert len({label for label in merge_labels if label.startswith(NAME)}) == 2


def test_the_pacts_signatory_and_host_pickers_label_namesakes_of_the_year_apart(namesakes):
    from pacts.forms import CampaignForm, PactCreateForm

    ended, current = namesakes
    choices = [(ended.pk, NAME), (current.pk, NAME)]
    with translation.override("en"):
        signatories = dict(PactCreateForm(unit_choices=choices).fields["units"].choices)
        hosts = dict(CampaignForm(host_choices=choices).fields["conference_host"].choices)
    assert signatories[ended.pk] == f"{NAME} (tỉnh Quảng Trị, from 01/01/2008 to 30/06/2025)"
    assert signatories[current.pk] == f"{NAME} (tỉnh Quảng Trị, from 01/07/2025)"
    assert hosts[ended.pk] == signatories[ended.pk]
    bound = PactCreateForm({"units": [str(current.pk)]}, unit_choices=choices)
    assert bound.is_valid() and bound.cleaned_data["units"] == [current]
