"""Error reports to the administrators go through the outbox, and only for real exceptions."""

from unittest import mock

import pytest
from django.urls import reverse

from outbox.error_reports import ADMIN_ERROR_KIND
from outbox.models import Email

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Quản trị", "quantri@thidua.example.vn")]
    settings.DEBUG = False


def test_a_server_error_writes_a_report_to_the_outbox_instead_of_mailing_from_the_request(
    admins, client, leader_user, mailoutbox
):
    client.raise_request_exception = False
    client.force_login(leader_user)
    with mock.patch("thidua.views.dashboard_for", side_effect=RuntimeError("boom")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    report = Email.objects.get(kind=ADMIN_ERROR_KIND)
    assert report.to == "quantri@thidua.example.vn"
    assert "RuntimeError" in report.body


def test_an_intended_service_unavailable_answer_is_not_reported(admins, client):
    failing = mock.Mock(side_effect=RuntimeError("down"))
    with mock.patch.dict("thidua.health.CHECKS", {"storage": failing}):
        assert client.get(reverse("readyz")).status_code == 503
    assert not Email.objects.filter(kind=ADMIN_ERROR_KIND).exists()


def test_without_administrators_nothing_is_written(settings, client, leader_user):
    settings.ADMINS = []
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(leader_user)
    with mock.patch("thidua.views.dashboard_for", side_effect=RuntimeError("boom")):
        assert client.get(reverse("home")).status_code == 500
    assert not Email.objects.filter(kind=ADMIN_ERROR_KIND).exists()
