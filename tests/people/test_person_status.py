import pytest
from django.urls import reverse

from accounts.models import AccountEvent
from tests.factories import PASSWORD, UserFactory

from .helpers import as_user


def _deactivate(account) -> str:
    return reverse("people:person_deactivate", args=[account.pk])


def _reactivate(account) -> str:
    return reverse("people:person_reactivate", args=[account.pk])


@pytest.mark.django_db
def test_deactivating_needs_a_reason_records_it_and_stops_the_log_in(client, ministry_user, leader_user, caplog):
    as_user(client, ministry_user)
    body = client.post(_deactivate(leader_user), {"reason": "   "}).content.decode()
    assert "Give the reason" in body
    leader_user.refresh_from_db()
    assert leader_user.is_active
    with caplog.at_level("INFO", logger="thidua.security"):
        response = client.post(_deactivate(leader_user), {"reason": "Nghỉ hưu từ 01/01/2026"})
    assert response.url == reverse("people:person_detail", args=[leader_user.pk])
    leader_user.refresh_from_db()
    assert not leader_user.is_active
    event = AccountEvent.objects.get(user=leader_user, action="deactivated")
    assert (event.actor, event.reason) == (ministry_user, "Nghỉ hưu từ 01/01/2026")
    assert "account_deactivated" in caplog.text
    client.logout()
    refused = client.post(reverse("accounts:login"), {"username": leader_user.username, "password": PASSWORD})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_deactivated_persons_open_session_stops_working(client, ministry_user, leader_user):
    from django.test import Client

    theirs = Client()
    theirs.force_login(leader_user)
    as_user(client, ministry_user)
    client.post(_deactivate(leader_user), {"reason": "Chuyển công tác"})
    assert theirs.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_reactivating_brings_the_account_back_with_a_reason(client, ministry_user, leader_user):
    leader_user.is_active = False
    leader_user.save()
    as_user(client, ministry_user)
    assert "Give the reason" in client.post(_reactivate(leader_user), {"reason": ""}).content.decode()
    client.post(_reactivate(leader_user), {"reason": "Trở lại công tác"})
    leader_user.refresh_from_db()
    assert leader_user.is_active
    assert AccountEvent.objects.filter(user=leader_user, action="reactivated", reason="Trở lại công tác").exists()
    assert "This account is active already." in client.post(_reactivate(leader_user), {"reason": "x"}).content.decode()


@pytest.mark.django_db
def test_nobody_deactivates_their_own_account(client, admin_user):
    UserFactory(roles=["admin"])
    as_user(client, admin_user)
    body = client.post(_deactivate(admin_user), {"reason": "thử"}).content.decode()
    assert "You cannot deactivate your own account" in body
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.django_db
def test_administrators_deactivate_one_another_until_one_is_left_who_cannot_deactivate_themselves(client, admin_user):
    other = UserFactory(roles=["admin"])
    as_user(client, admin_user)
    client.post(_deactivate(other), {"reason": "Chuyển công tác"})
    other.refresh_from_db()
    assert not other.is_active
    body = client.post(_deactivate(admin_user), {"reason": "thử"}).content.decode()
    assert "You cannot deactivate your own account" in body
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.django_db
def test_ministry_staff_cannot_deactivate_an_administrator(client, ministry_user, admin_user):
    as_user(client, ministry_user)
    assert client.post(_deactivate(admin_user), {"reason": "thử"}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active
