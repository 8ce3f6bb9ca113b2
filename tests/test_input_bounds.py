"""Input bounds across the apps' forms and pages: dates in a sane span for their meaning, no NUL or
text-direction override stored, an over-long query string answered with the portal's own page."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from pacts.forms import CampaignForm, PhaseForm
from regions.forms import AppointmentForm, UnitCreateForm, UnitRenameForm
from regions.models import Unit

ROOT = Path(__file__).resolve().parent.parent
OUT_OF_YEARS = "Enter a date from 01/01/2000 to 31/12/2100."
HIDDEN = "Remove the hidden control characters (NUL or text-direction marks) from this text."


def _errors(form) -> dict:
    with translation.override("en"):
        form.is_valid()
        # Read while English is on: the messages are lazy and would be read later in the default language.
        return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999"])
def test_a_campaign_s_conference_date_and_registration_deadline_are_kept_within_the_years(typed):
    form = CampaignForm(data={"conference_date": typed, "registration_deadline": typed}, host_choices=[])
    errors = _errors(form)
    assert errors["conference_date"] == errors["registration_deadline"] == [OUT_OF_YEARS]


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999"])
def test_a_phase_s_start_and_end_are_kept_within_the_years(typed):
    errors = _errors(PhaseForm(data={"name": "Đợt 1", "start": typed, "end": typed}))
    assert errors["start"] == errors["end"] == [OUT_OF_YEARS]


@pytest.mark.django_db
def test_a_unit_may_start_before_the_portal_s_years_but_not_before_the_ministry_was_founded():
    data = {"name": "Sở Tư pháp tỉnh Thử", "kind": Unit.Kind.SO_TU_PHAP}
    assert "active_from" not in _errors(UnitCreateForm(data={**data, "active_from": "01/04/1976"}))
    for typed in ("01/01/0001", "31/12/9999"):
        errors = _errors(UnitCreateForm(data={**data, "active_from": typed, "active_to": typed}))
        assert errors["active_from"] == errors["active_to"] == ["Enter a date from 28/08/1945 to 31/12/2100."]
    assert "effective" in _errors(UnitRenameForm(data={"name": "Tên mới", "effective": "01/01/0001"}))
    assert "start" in _errors(AppointmentForm(data={"full_name": "Nguyễn Văn A", "start": "31/12/9999"}))


@pytest.mark.django_db
def test_a_unit_name_with_a_right_to_left_override_or_nul_is_refused_and_not_stored(client, ministry_user, settings):
    client.force_login(ministry_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = Unit.objects.count()
    for name in ("Sở Tư pháp \u202etỉnh", "Sở Tư pháp\x00"):
        response = client.post(
            reverse("regions:unit_create"),
            {"name": name, "kind": Unit.Kind.SO_TU_PHAP, "active_from": "01/01/2020"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["name"] == [HIDDEN]
    assert Unit.objects.count() == before


@pytest.mark.django_db
def test_a_ten_thousand_character_search_gets_the_portal_s_own_page(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(reverse("regions:unit_list"), {"q": "x" * 10_000})
    assert response.status_code == 414
    assert 'id="uri-too-long-message"' in response.content.decode()
    assert "<nav" in response.content.decode()  # the portal's page, with its navigation
    assert client.get(reverse("regions:unit_list"), {"q": "Sở Tư pháp " * 20}).status_code == 200


def test_an_anonymous_over_long_query_string_gets_the_same_page(client):
    response = client.get(reverse("accounts:login"), {"next": "/" + "a" * 10_000})
    assert response.status_code == 414
    assert 'id="uri-too-long-message"' in response.content.decode()


def test_gunicorn_lets_a_long_request_line_through_to_the_portal_in_the_image_and_in_compose():
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r'"--limit-request-line", "0"', dockerfile)
    assert "- --limit-request-line=0" in compose
