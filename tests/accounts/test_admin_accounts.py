"""Accounts in the Django admin, for IT staff to look at: nobody creates an account or types a password there
(the people area invites the person), roles are named rather than shown by their groups' codes, and the
invitations and account history are read-only. Words are checked in English (the language cookie)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from accounts import services
from accounts.models import AccountEvent, Invitation, Role, User
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_staff(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_user


@pytest.fixture
def invited(admin_user) -> User:
    return services.user_invite(
        actor=admin_user,
        username="moi.lanhdao",
        full_name="Hoàng Văn Minh",
        email="minh@example.vn",
        unit=UnitFactory(name="Sở Tư pháp tỉnh Quảng Bình"),
        roles={Role.LEADER},
    )


def test_creating_an_account_in_the_admin_leads_to_the_people_area_and_creates_nothing(client, it_staff):
    before = User.objects.count()
    response = client.get(reverse("admin:accounts_user_add"))
    assert response.status_code == 302
    assert response.url == reverse("people:person_create")
    posted = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "go.mat.khau", "password1": "Mat-khau-go-ho-1!", "password2": "Mat-khau-go-ho-1!"},
    )
    assert posted.status_code == 302 and posted.url == reverse("people:person_create")
    assert User.objects.count() == before
    changelist = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert f'href="{reverse("people:person_create")}"' in changelist
    assert f'href="{reverse("admin:accounts_user_add")}"' not in changelist


def test_nobody_sets_another_persons_password_in_the_admin(client, it_staff, invited):
    with pytest.raises(NoReverseMatch):
        reverse("admin:accounts_user_password_change", args=[invited.pk])
    assert client.get(f"/admin/accounts/user/{invited.pk}/password/").status_code in (302, 404)
    page = client.get(reverse("admin:accounts_user_change", args=[invited.pk])).content.decode()
    assert 'type="password"' not in page and "Reset password" not in page and 'name="_save"' not in page
    assert f'href="{reverse("people:person_detail", args=[invited.pk])}"' in page
    assert not User.objects.get(pk=invited.pk).has_usable_password()


def test_an_account_cannot_be_changed_in_the_admin(client, it_staff, invited, admin_user):
    response = client.post(
        reverse("admin:accounts_user_change", args=[invited.pk]),
        {"username": invited.username, "full_name": "Kẻ Mạo Danh", "groups": [Group.objects.get(name="admin").pk]},
    )
    assert response.status_code == 403
    after = User.objects.get(pk=invited.pk)
    assert after.full_name == "Hoàng Văn Minh"
    assert set(after.groups.values_list("name", flat=True)) == {"leader"}


def test_roles_are_named_not_shown_by_their_codes(client, it_staff, invited):
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert '<td class="field-roles">Unit leader</td>' in users
    filtered = client.get(reverse("admin:accounts_user_changelist"), {"role": "leader"})
    assert [u.username for u in filtered.context["cl"].result_list] == ["moi.lanhdao"]
    assert "Ministry staff" in users  # the role filter, named

    page = client.get(reverse("admin:accounts_user_change", args=[invited.pk])).content.decode()
    assert '<div class="readonly">Unit leader</div>' in page

    groups = client.get(reverse("admin:auth_group_changelist")).content.decode()
    for role in Role:
        assert f">{role.label}<" in groups
        assert f">{role.value}<" not in groups
    leader = client.get(reverse("admin:auth_group_change", args=[Group.objects.get(name="leader").pk]))
    assert leader.context["subtitle"] == "Unit leader"
    assert "&rsaquo; Unit leader" in leader.content.decode()


@pytest.mark.parametrize("model", ["invitation", "accountevent"])
def test_invitations_and_the_account_history_are_read_only(client, it_staff, invited, model):
    obj = Invitation.objects.get(user=invited) if model == "invitation" else AccountEvent.objects.get(user=invited)
    change = reverse(f"admin:accounts_{model}_change", args=[obj.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(change, {"reason": "sửa lịch sử"}).status_code == 403
    assert client.post(reverse(f"admin:accounts_{model}_add"), {}).status_code == 403
    assert client.post(reverse(f"admin:accounts_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert AccountEvent.objects.filter(user=invited).count() == 1


@pytest.mark.parametrize("role", ["ministry", "region", "leader"])
def test_other_roles_do_not_see_accounts_in_the_admin(client, request, role, invited):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    for url in [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_invitation_changelist"),
        reverse("admin:accounts_accountevent_changelist"),
        reverse("admin:accounts_user_add"),
    ]:
        assert client.get(url).status_code in (302, 403), url


def test_a_log_in_attempt_says_how_many_tries_are_left_in_words(client, it_staff):
    from axes.models import AccessAttempt
    from django.utils import timezone

    attempt = AccessAttempt.objects.create(
        username="ke.do",
        ip_address="10.0.0.9",
        user_agent="x",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=4,
        attempt_time=timezone.now(),
    )
    listing = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "1 attempt left" in listing and "Attempt Remaining" not in listing
    AccessAttempt.objects.filter(pk=attempt.pk).update(failures_since_start=5)
    assert "Locked out" in client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    page = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).content.decode()
    assert "Log-in of “ke.do” at" in page and "Attempted Access" not in page
