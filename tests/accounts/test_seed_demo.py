from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts import permissions
from accounts.demo import DEMO_PASSWORD
from accounts.models import User


def _snapshot():
    return sorted(
        (u.username, u.full_name, u.position, u.unit_id, u.password, tuple(sorted(permissions.roles_of(u))))
        for u in User.objects.all()
    )


@pytest.mark.django_db
def test_it_creates_one_account_per_role_and_prints_the_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    users = {u.username: u for u in User.objects.all()}
    roles = {code for u in users.values() for code in permissions.roles_of(u)}
    assert roles == {"ministry", "region", "leader", "admin"}
    for username, user in users.items():
        assert username in out.getvalue()
        assert user.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in out.getvalue()


@pytest.mark.django_db
def test_running_it_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    before = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == before


@pytest.mark.django_db
def test_it_refuses_to_run_in_production_mode(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
