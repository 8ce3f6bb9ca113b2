import time

import pytest
from django.urls import reverse

from accounts.reauth import SESSION_KEY

URL = reverse("accounts:confirm_password")
PROTECTED = reverse("accounts:profile_edit")


def test_it_requires_login(client):
    assert client.get(URL).url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_protected_view_asks_for_the_password_first(client, leader_user):
    client.force_login(leader_user)
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response.url == f"{URL}?next=%2Faccounts%2Fprofile%2Fedit%2F"


@pytest.mark.django_db
def test_it_confirms_and_returns_to_the_protected_view(client, any_role_user, password):
    client.force_login(any_role_user)
    page = client.get(f"{URL}?next={PROTECTED}")
    assert "Xác nhận mật khẩu" in page.content.decode()
    response = client.post(URL, {"password": password, "next": PROTECTED})
    assert response.url == PROTECTED
    assert client.get(PROTECTED).status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_is_refused_in_vietnamese(client, leader_user):
    client.force_login(leader_user)
    response = client.post(URL, {"password": "sai", "next": PROTECTED})
    assert response.status_code == 200
    assert "Mật khẩu không đúng" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get(PROTECTED).status_code == 302


@pytest.mark.django_db
def test_an_empty_password_is_refused_in_vietnamese(client, leader_user):
    client.force_login(leader_user)
    response = client.post(URL, {"password": ""})
    assert "Hãy nhập mật khẩu" in response.content.decode()


@pytest.mark.django_db
def test_the_confirmation_expires_after_a_few_minutes(client, leader_user, password, settings):
    client.force_login(leader_user)
    client.post(URL, {"password": password})
    session = client.session
    session[SESSION_KEY] = int(time.time()) - settings.REAUTH_MINUTES * 60 - 1
    session.save()
    assert client.get(PROTECTED).status_code == 302


@pytest.mark.django_db
def test_it_ignores_a_next_on_another_host(client, leader_user, password):
    client.force_login(leader_user)
    response = client.post(URL, {"password": password, "next": "https://evil.example.com/"})
    assert response.url == reverse("home")


@pytest.mark.django_db
def test_failed_confirmations_count_towards_the_lockout(client, leader_user, password):
    client.force_login(leader_user)
    for _ in range(5):
        client.post(URL, {"password": "sai"})
    response = client.post(URL, {"password": password})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
