import pytest
from django.urls import reverse

from accounts.models import AccountEvent, Invitation, Role
from accounts.permissions import roles_of
from accounts.services import user_set_roles
from outbox.models import Email
from tests.factories import UnitFactory, UserFactory

from .helpers import as_user, invitation_links


def _url(account) -> str:
    return reverse("people:person_edit", args=[account.pk])


def _data(account, **overrides) -> dict:
    return {
        "full_name": account.full_name,
        "email": account.email,
        "position": account.position,
        "unit": account.unit_id or "",
        "roles": sorted(roles_of(account)),
        **overrides,
    }


@pytest.mark.django_db
def test_it_never_shows_nor_asks_another_persons_password(client, ministry_user, leader_user):
    as_user(client, ministry_user)
    response = client.get(_url(leader_user))
    body = response.content.decode()
    assert 'type="password"' not in body
    assert leader_user.password not in body
    assert not any("password" in name for name in response.context["form"].fields)


@pytest.mark.django_db
def test_it_changes_name_unit_and_roles_and_records_what_changed(client, ministry_user, leader_user):
    unit = UnitFactory()
    as_user(client, ministry_user)
    response = client.post(
        _url(leader_user), _data(leader_user, full_name="Mai Công Danh Mới", unit=unit.pk, roles=["leader", "region"])
    )
    assert response.url == reverse("people:person_detail", args=[leader_user.pk])
    leader_user = type(leader_user).objects.get(pk=leader_user.pk)  # roles are cached on an instance
    assert leader_user.full_name == "Mai Công Danh Mới"
    assert leader_user.unit == unit
    assert roles_of(leader_user) == {"leader", "region"}
    event = AccountEvent.objects.get(user=leader_user, action="changed")
    assert event.changes["roles"] == [["leader"], ["leader", "region"]]
    assert event.actor == ministry_user
    detail = client.get(reverse("people:person_detail", args=[leader_user.pk])).content.decode()
    assert "Roles: Unit leader → Region officer, Unit leader" in detail


@pytest.mark.django_db
def test_an_ended_unit_an_account_has_stays_offered_but_no_other(client, ministry_user, leader_user):
    from datetime import date

    leader_user.unit.active_to = date(2025, 6, 30)
    leader_user.unit.save()
    other_ended = UnitFactory(active_to=date(2024, 1, 1))
    as_user(client, ministry_user)
    units = client.get(_url(leader_user)).context["form"].fields["unit"].queryset
    assert leader_user.unit in units
    assert other_ended not in units


@pytest.mark.django_db
def test_ministry_staff_cannot_give_or_take_the_administrator_role(client, ministry_user, leader_user):
    as_user(client, ministry_user)
    body = client.post(_url(leader_user), _data(leader_user, roles=["leader", "admin"])).content.decode()
    assert "Choose roles from the list." in body
    assert roles_of(type(leader_user).objects.get(pk=leader_user.pk)) == {"leader"}


@pytest.mark.django_db
def test_the_last_administrator_keeps_the_role(client, admin_user):
    as_user(client, admin_user)
    body = client.post(_url(admin_user), _data(admin_user, roles=["ministry"])).content.decode()
    assert "This is the last active administrator" in body
    assert roles_of(type(admin_user).objects.get(pk=admin_user.pk)) == {"admin"}
    second = UserFactory(roles=["admin"])
    client.post(_url(second), _data(second, roles=["ministry"]))
    second = type(second).objects.get(pk=second.pk)
    assert roles_of(second) == {"ministry"}


@pytest.mark.django_db
def test_a_new_address_of_a_pending_invitation_gets_a_new_link_and_the_old_one_dies(client, ministry_user):
    as_user(client, ministry_user)
    client.post(
        reverse("people:person_create"),
        {
            "full_name": "Lê Văn Mới",
            "username": "moi.lv",
            "email": "sai@example.vn",
            "unit": UnitFactory().pk,
            "roles": ["leader"],
        },
    )
    account = type(ministry_user).objects.get(username="moi.lv")
    (old,) = invitation_links(account)
    client.post(_url(account), _data(account, email="dung@example.vn"))
    assert Email.objects.filter(kind="accounts.invitation", to="dung@example.vn").count() == 1
    assert Invitation.objects.get(user=account).times_sent == 2
    client.logout()
    assert client.get(old).status_code == 404
    new = invitation_links(account)[-1]
    assert client.get(new, follow=True).status_code == 200


@pytest.mark.django_db
def test_a_taken_address_is_refused(client, ministry_user, leader_user, region_user):
    as_user(client, ministry_user)
    body = client.post(_url(leader_user), _data(leader_user, email=region_user.email)).content.decode()
    assert "Another account already uses this e-mail address." in body


@pytest.mark.django_db
def test_an_administrator_may_change_an_administrator(client, admin_user):
    other = UserFactory(roles=["admin"])
    user_set_roles(user=other, roles={Role.ADMIN})
    as_user(client, admin_user)
    assert client.get(_url(other)).status_code == 200
