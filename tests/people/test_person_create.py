from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AccountEvent, Invitation, User
from accounts.permissions import roles_of
from outbox.models import Email
from regions.models import Province
from tests.factories import UnitFactory

from .helpers import as_user, invitation_links

URL = reverse("people:person_create")


def _data(chosen, **overrides) -> dict:
    return {
        "full_name": "Võ Thị Thu Hà",
        "username": "ha.vtt",
        "email": "Ha.VTT@sotuphap.example.vn",
        "position": "Giám đốc",
        "unit": chosen.pk,
        "roles": ["leader"],
        **overrides,
    }


@pytest.mark.django_db
def test_it_creates_the_account_without_a_password_and_mails_a_link(client, ministry_user):
    unit = UnitFactory()
    as_user(client, ministry_user)
    response = client.post(URL, _data(unit))
    account = User.objects.get(username="ha.vtt")
    assert response.url == reverse("people:person_detail", args=[account.pk])
    assert not account.has_usable_password()
    assert account.email == "ha.vtt@sotuphap.example.vn"
    assert account.unit == unit
    assert roles_of(account) == {"leader"}
    assert Invitation.objects.get(user=account).invited_by == ministry_user
    email = Email.objects.get(kind="accounts.invitation")
    assert email.to == "ha.vtt@sotuphap.example.vn"
    assert email.secret
    assert len(invitation_links(account)) == 1
    assert "ha.vtt" in email.body
    assert AccountEvent.objects.filter(user=account, action="invited", actor=ministry_user).exists()


@pytest.mark.django_db
def test_the_form_has_no_password_field(client, ministry_user):
    as_user(client, ministry_user)
    body = client.get(URL).content.decode()
    assert 'type="password"' not in body
    assert "password" not in client.get(URL).context["form"].fields


@pytest.mark.django_db
def test_the_unit_picker_offers_active_units_only_labelled_apart(client, ministry_user):
    province = Province.objects.create(code="45", name="Quảng Trị")
    ended = UnitFactory(name="Sở Tư pháp tỉnh Quảng Trị", province=province, active_to=date(2025, 6, 30))
    current = UnitFactory(name="Sở Tư pháp tỉnh Quảng Trị", province=province, active_from=date(2025, 7, 1))
    as_user(client, ministry_user)
    choices = {label for value, label in client.get(URL).context["form"].fields["unit"].choices if value}
    assert "Sở Tư pháp tỉnh Quảng Trị (Quảng Trị, from 01/07/2025)" in choices
    assert not any("30/06/2025" in label for label in choices)
    response = client.post(URL, _data(ended))
    assert "Choose a unit from the list." in response.content.decode()
    assert not User.objects.filter(username="ha.vtt").exists()
    assert current  # the one that stays offered


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": ""}, "Enter the person&#x27;s full name."),
        ({"username": ""}, "Enter a username, e.g. nguyen.van.a."),
        ({"username": "hà.vtt"}, "Use letters without marks, digits and . @ + - _ only."),
        ({"username": "ha vtt"}, "Enter a valid username"),
        ({"email": "khong-phai-email"}, "Enter a valid e-mail address."),
        ({"email": ""}, "Enter an e-mail address."),
        ({"roles": []}, "Choose at least one role."),
        ({"roles": ["chief"]}, "Choose roles from the list."),
        ({"unit": ""}, "A unit leader or region officer needs a unit: choose it."),
        ({"unit": "999999"}, "Choose a unit from the list."),
        ({"full_name": "x" * 151}, "A full name has at most 150 characters."),
        ({"full_name": "Võ\u202eThị"}, "Remove the hidden control characters"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_created(client, ministry_user, overrides, message):
    as_user(client, ministry_user)
    response = client.post(URL, _data(UnitFactory(), **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(full_name__startswith="Võ").exists()
    assert not Email.objects.exists()


@pytest.mark.django_db
def test_a_taken_username_or_address_is_refused(client, ministry_user, leader_user):
    as_user(client, ministry_user)
    body = client.post(URL, _data(UnitFactory(), username=leader_user.username.upper())).content.decode()
    assert "Another account already uses this username." in body
    body = client.post(URL, _data(UnitFactory(), email=leader_user.email.upper())).content.decode()
    assert "Another account already uses this e-mail address." in body
    assert not Email.objects.exists()


@pytest.mark.django_db
def test_ministry_staff_cannot_grant_the_administrator_role(client, ministry_user):
    as_user(client, ministry_user)
    assert "admin" not in dict(client.get(URL).context["form"].fields["roles"].choices)
    body = client.post(URL, _data(UnitFactory(), roles=["ministry", "admin"])).content.decode()
    assert "Choose roles from the list." in body
    assert not User.objects.filter(username="ha.vtt").exists()


@pytest.mark.django_db
def test_an_administrator_can_grant_the_administrator_role(client, admin_user):
    as_user(client, admin_user)
    client.post(URL, _data(UnitFactory(), roles=["admin"]))
    assert roles_of(User.objects.get(username="ha.vtt")) == {"admin"}


@pytest.mark.django_db
def test_the_service_refuses_the_administrator_role_to_ministry_staff_whatever_the_form(ministry_user):
    from django.utils import translation

    from accounts.models import Role
    from accounts.services import AccountsError, user_invite

    with translation.override("en"), pytest.raises(AccountsError, match="Only an administrator"):
        user_invite(actor=ministry_user, username="x.y", full_name="X Y", email="x@y.vn", roles={Role.ADMIN})
    assert not User.objects.filter(username="x.y").exists()
