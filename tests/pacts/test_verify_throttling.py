"""Throttles of the public verification page: look-ups and uploads per client address."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pacts.models import PdfJob
from tests.pacts.factories import make_world
from tests.pacts.test_document_views import PDF, make_ready, sign_all

pytestmark = pytest.mark.django_db

THROTTLED = "There have been too many requests of this kind in a short time."


@pytest.fixture(autouse=True)
def small_rates(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.THROTTLE_VERIFY_LOOKUPS_PER_ADDRESS = (5, 600)
    settings.THROTTLE_VERIFY_UPLOADS_PER_ADDRESS = (2, 600)


@pytest.fixture
def english(client):
    client.cookies["thidua_language"] = "en"
    return client


@pytest.fixture
def pact():
    world = make_world(2, prefix="xm")
    sign_all(world)
    make_ready(PdfJob.objects.get(pact=world.pact, version=1))
    return world.pact


def look_up(client, code: str, address: str = "10.0.0.1"):
    return client.get(reverse("pacts:verify", args=[code]), REMOTE_ADDR=address)


def upload(client, code: str, address: str = "10.0.0.1"):
    url = reverse("pacts:verify", args=[code])
    return client.post(url, {"document": SimpleUploadedFile("giao-uoc.pdf", PDF)}, REMOTE_ADDR=address)


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert THROTTLED in response.content.decode()


def test_guessing_codes_past_the_rate_gets_the_429_page_with_retry_after(english):
    answers = [look_up(english, f"ma-doan-{n}") for n in range(6)]
    assert [answer.status_code for answer in answers[:5]] == [404] * 5
    assert_throttled(answers[5])


def test_a_real_code_is_throttled_too_and_another_address_is_not(english, pact):
    for _ in range(5):
        assert look_up(english, pact.verification_code).status_code == 200
    assert_throttled(look_up(english, pact.verification_code))
    assert look_up(english, pact.verification_code, address="10.0.0.2").status_code == 200


def test_uploads_past_the_rate_get_the_429_page_and_are_not_compared(english, pact):
    assert [upload(english, pact.verification_code).status_code for _ in range(2)] == [200, 200]
    response = upload(english, pact.verification_code)
    assert_throttled(response)
    assert "verify-result" not in response.content.decode()
    assert upload(english, pact.verification_code, address="10.0.0.2").status_code == 200


def test_uploads_and_look_ups_are_counted_apart(english, pact):
    for _ in range(2):
        upload(english, pact.verification_code)
    assert upload(english, pact.verification_code).status_code == 429
    assert look_up(english, pact.verification_code).status_code == 200
