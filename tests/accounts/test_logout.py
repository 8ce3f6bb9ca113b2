import pytest
from django.urls import reverse

LOGOUT = reverse("accounts:logout")


@pytest.mark.django_db
def test_it_logs_out_and_returns_to_the_login_page(client, any_role_user):
    client.force_login(any_role_user)
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_it_rejects_get(client, leader_user):
    client.force_login(leader_user)
    assert client.get(LOGOUT).status_code == 405
    assert "_auth_user_id" in client.session
