"""get_FOO_display() of the portal's list models answers as Django's does, translating one label only."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from core.choices import ChoiceLabels

CHOSEN = [model for model in apps.get_models() if issubclass(model, ChoiceLabels)]
FIELDS = [(model, field) for model in CHOSEN for field in model._meta.fields if field.choices]


def test_the_list_models_have_it():
    names = {model.__name__ for model in CHOSEN}
    assert {"Unit", "Appointment", "AwardRegistration", "ScoreSheet", "Pact", "Campaign"} <= names
    assert len(FIELDS) >= 10


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("model", "field"), FIELDS, ids=lambda item: getattr(item, "name", getattr(item, "__name__", ""))
)
def test_each_choice_and_an_unknown_value_are_shown_as_django_shows_them(model, field, language):
    display = getattr(model, f"get_{field.name}_display")
    with translation.override(language):
        for value in [choice for choice, _label in field.flatchoices] + ["không-có-trong-danh-sách"]:
            instance = model(**{field.attname: value})
            assert display(instance) == models.Model._get_FIELD_display(instance, field)
