import pytest

from accounts import permissions
from accounts.models import Role
from accounts.services import user_set_roles


@pytest.mark.django_db
def test_roles_are_read_once_and_cached(leader_user, django_assert_num_queries):
    leader_user = type(leader_user).objects.get(pk=leader_user.pk)
    with django_assert_num_queries(1):
        assert permissions.is_leader(leader_user)
        assert not permissions.is_ministry(leader_user)
        assert not permissions.is_admin(leader_user)


@pytest.mark.django_db
def test_a_person_may_hold_several_roles(leader_user):
    user_set_roles(user=leader_user, roles={Role.LEADER, Role.REGION})
    assert permissions.roles_of(leader_user) == {"leader", "region"}
    user_set_roles(user=leader_user, roles={Role.REGION})
    assert permissions.roles_of(leader_user) == {"region"}


@pytest.mark.django_db
def test_a_disabled_account_has_no_role(leader_user):
    leader_user.is_active = False
    assert permissions.roles_of(leader_user) == frozenset()


def test_an_anonymous_visitor_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    assert permissions.roles_of(AnonymousUser()) == frozenset()
    assert not permissions.can_view_portal(AnonymousUser())


@pytest.mark.django_db
def test_only_administrators_manage_accounts(admin_user, ministry_user, region_user, leader_user):
    assert permissions.can_manage_accounts(admin_user)
    for user in (ministry_user, region_user, leader_user):
        assert not permissions.can_manage_accounts(user)


@pytest.mark.django_db
def test_the_admin_site_apps_follow_the_roles(admin_user, ministry_user, region_user, leader_user):
    assert {"accounts", "regions", "pacts", "awards"} <= permissions.admin_site_apps(admin_user)
    assert permissions.admin_site_apps(ministry_user) == frozenset()
    assert permissions.admin_site_apps(region_user) == frozenset()
    assert permissions.admin_site_apps(leader_user) == frozenset()
