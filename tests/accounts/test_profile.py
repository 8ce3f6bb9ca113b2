import time

import pytest
from django.urls import reverse

from accounts.reauth import SESSION_KEY

PROFILE = reverse("accounts:profile")
EDIT = reverse("accounts:profile_edit")


def _reauthenticated(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = int(time.time())
    session.save()


def test_the_profile_requires_login(client):
    assert client.get(PROFILE).url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_it_shows_the_account_to_every_role(client, any_role_user):
    client.force_login(any_role_user)
    body = client.get(PROFILE).content.decode()
    assert any_role_user.full_name in body
    assert any_role_user.unit.name in body


@pytest.mark.django_db
def test_it_changes_the_email_after_reauthentication(client, leader_user):
    _reauthenticated(client, leader_user)
    response = client.post(EDIT, {"email": "Moi.Dia.Chi@Thidua.example.vn"})
    assert response.url == PROFILE
    leader_user.refresh_from_db()
    assert leader_user.email == "moi.dia.chi@thidua.example.vn"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Hãy nhập địa chỉ e-mail"), ("khong-hop-le", "Hãy nhập một địa chỉ e-mail hợp lệ")],
)
def test_it_refuses_bad_input_and_changes_nothing(client, leader_user, value, message):
    before = leader_user.email
    _reauthenticated(client, leader_user)
    response = client.post(EDIT, {"email": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    leader_user.refresh_from_db()
    assert leader_user.email == before


@pytest.mark.django_db
def test_it_refuses_an_address_another_account_uses(client, leader_user, region_user):
    _reauthenticated(client, leader_user)
    response = client.post(EDIT, {"email": region_user.email.upper()})
    assert "Địa chỉ e-mail này đã được một tài khoản khác sử dụng" in response.content.decode()
