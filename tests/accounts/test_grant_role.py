"""manage.py grant_role: the first ministry officer or administrator gets a role without the admin."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.permissions import is_ministry, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_it_gives_the_ministry_role(capsys):
    user = UserFactory(username="vu.thidua")
    call_command("grant_role", "vu.thidua", "ministry")
    assert is_ministry(fresh(user))
    assert capsys.readouterr().out.strip() == "vu.thidua: ministry"


def test_it_adds_roles_to_those_already_held():
    user = UserFactory(username="it.office")
    call_command("grant_role", "it.office", "admin")
    call_command("grant_role", "it.office", "ministry", "region")
    assert roles_of(fresh(user)) == {"admin", "ministry", "region"}


def test_it_takes_a_role_back_with_revoke():
    user = UserFactory(username="it.office")
    call_command("grant_role", "it.office", "admin", "ministry")
    call_command("grant_role", "it.office", "ministry", "--revoke")
    assert roles_of(fresh(user)) == {"admin"}


def test_it_refuses_an_unknown_username():
    with pytest.raises(CommandError, match="No account with the username 'nobody'"):
        call_command("grant_role", "nobody", "ministry")


def test_it_refuses_a_role_the_portal_does_not_have():
    UserFactory(username="it.office")
    with pytest.raises(CommandError, match="invalid choice: 'root'"):
        call_command("grant_role", "it.office", "root")
