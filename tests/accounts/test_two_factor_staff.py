"""What staff do with two-step sign-in: require it per role, and reset a person's (a lost phone)."""

import pytest
from django.urls import reverse

from accounts import two_factor
from accounts.models import AccountEvent, Role, TwoFactorPolicy
from tests.factories import UserFactory

from .two_factor_helpers import code_of, enrolled, log_in, require_for

pytestmark = pytest.mark.django_db

POLICY = reverse("accounts:two_factor_policy")


def reset_url(account) -> str:
    return reverse("people:person_two_factor_reset", args=[account.pk])


def required() -> set[str]:
    return two_factor.required_roles()


# ---------------------------------------------------------------------------------------------
# The requirement per role
# ---------------------------------------------------------------------------------------------


def test_ministry_staff_require_it_for_leaders(client, ministry_user, leader_user, caplog):
    log_in(client, ministry_user)
    page = client.get(POLICY)
    assert page.status_code == 200
    assert [row["without"] for row in page.context["rows"] if row["role"] == Role.LEADER] == [1]
    with caplog.at_level("INFO", logger="thidua.security"):
        response = client.post(POLICY, {"roles": ["leader"]})
    assert response.url == POLICY
    assert required() == {"leader"}
    assert TwoFactorPolicy.objects.get(role="leader").changed_by == ministry_user
    assert "two_factor_policy_changed" in caplog.text
    # And take it back.
    client.post(POLICY, {"roles": []})
    assert required() == set()


def test_the_policy_refuses_an_unknown_role_and_changes_nothing(client, ministry_user):
    log_in(client, ministry_user)
    response = client.post(POLICY, {"roles": ["leader", "superhero"]})
    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    assert required() == set()


def test_only_an_administrator_changes_the_requirement_for_administrators(client, ministry_user, admin_user):
    log_in(client, ministry_user)
    response = client.post(POLICY, {"roles": ["admin", "leader"]})
    assert response.status_code == 200
    assert "Only an administrator" in response.content.decode()
    assert required() == set()
    log_in(client, admin_user)
    client.post(POLICY, {"roles": ["admin", "leader"]})
    assert required() == {"admin", "leader"}


@pytest.mark.parametrize("who", ["region_user", "leader_user", "no_role_user"])
def test_others_may_not_open_the_policy(client, request, who):
    log_in(client, request.getfixturevalue(who))
    assert client.get(POLICY).status_code == 403
    assert client.post(POLICY, {"roles": ["leader"]}).status_code == 403
    assert required() == set()


def test_the_policy_needs_the_password_again(client, ministry_user):
    log_in(client, ministry_user, reauthenticated=False)
    response = client.post(POLICY, {"roles": ["leader"]})
    assert response.url.startswith(reverse("accounts:confirm_password"))
    assert required() == set()


def test_the_people_list_links_to_the_policy(client, ministry_user):
    log_in(client, ministry_user)
    assert POLICY in client.get(reverse("people:person_list")).content.decode()


# ---------------------------------------------------------------------------------------------
# Reset by staff
# ---------------------------------------------------------------------------------------------


def test_staff_reset_a_lost_phone_with_a_reason(client, ministry_user, leader_user, caplog):
    device, _codes = enrolled(leader_user)
    log_in(client, ministry_user)
    detail = client.get(reverse("people:person_detail", args=[leader_user.pk])).content.decode()
    assert reset_url(leader_user) in detail
    refused = client.post(reset_url(leader_user), {"reason": "  "})
    assert refused.status_code == 200
    assert two_factor.has_two_factor(leader_user)
    with caplog.at_level("INFO", logger="thidua.security"):
        response = client.post(reset_url(leader_user), {"reason": "Mất điện thoại, đã gọi xác minh"})
    assert response.url == reverse("people:person_detail", args=[leader_user.pk])
    assert not two_factor.has_two_factor(leader_user)
    assert two_factor.recovery_codes_left(leader_user) == 0
    event = AccountEvent.objects.get(user=leader_user, action="two_factor_reset")
    assert (event.actor, event.reason) == (ministry_user, "Mất điện thoại, đã gọi xác minh")
    assert "two_factor_reset" in caplog.text
    page = client.get(reverse("people:person_detail", args=[leader_user.pk])).content.decode()
    assert "Two-step sign-in reset by staff" in page


def test_after_a_reset_a_required_person_enrols_again_and_old_sessions_are_no_longer_verified(
    client, ministry_user, leader_user
):
    require_for(Role.LEADER)
    device, _codes = enrolled(leader_user)
    log_in(client, leader_user, verified_with=device)
    assert client.get(reverse("home")).status_code == 200
    two_factor.two_factor_reset(actor=ministry_user, account=leader_user, reason="Mất điện thoại")
    assert client.get(reverse("home")).url.startswith(reverse("accounts:two_factor_enrol"))
    new = two_factor.enrolment_device(leader_user)
    assert new.pk != device.pk
    two_factor.enrol_confirm(user=leader_user, device=new, code=code_of(new))
    assert two_factor.has_two_factor(leader_user)


def test_reset_permissions(client, ministry_user, region_user, admin_user, leader_user):
    enrolled(leader_user)
    enrolled(admin_user)
    log_in(client, region_user)
    assert client.post(reset_url(leader_user), {"reason": "x"}).status_code == 403
    log_in(client, ministry_user)
    assert client.post(reset_url(admin_user), {"reason": "x"}).status_code == 403
    assert two_factor.has_two_factor(leader_user) and two_factor.has_two_factor(admin_user)
    other_admin = UserFactory(username="quantri.hai", roles=[Role.ADMIN])
    log_in(client, other_admin)
    assert client.post(reset_url(admin_user), {"reason": "Mất điện thoại"}).status_code == 302
    assert not two_factor.has_two_factor(admin_user)


def test_no_one_resets_their_own(client, ministry_user):
    device, _codes = enrolled(ministry_user)
    log_in(client, ministry_user, verified_with=device)
    response = client.post(reset_url(ministry_user), {"reason": "Tự đặt lại"})
    assert response.status_code == 200
    assert "your own" in response.content.decode()
    assert two_factor.has_two_factor(ministry_user)


def test_a_reset_of_an_account_without_it_is_refused(client, ministry_user, leader_user):
    log_in(client, ministry_user)
    response = client.post(reset_url(leader_user), {"reason": "Mất điện thoại"})
    assert response.status_code == 200
    assert "This account has no two-step sign-in to reset." in response.content.decode()
    assert not AccountEvent.objects.filter(action="two_factor_reset").exists()


def test_the_reset_needs_the_password_again(client, ministry_user, leader_user):
    enrolled(leader_user)
    log_in(client, ministry_user, reauthenticated=False)
    response = client.post(reset_url(leader_user), {"reason": "Mất điện thoại"})
    assert response.url.startswith(reverse("accounts:confirm_password"))
    assert two_factor.has_two_factor(leader_user)


def test_the_admin_never_shows_the_devices_and_their_secrets():
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
