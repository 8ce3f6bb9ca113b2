from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts import permissions
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from pacts.models import AuditEvent, Campaign, Pact, PactSignature
from regions.models import Unit


def _snapshot():
    users = sorted(
        (u.username, u.full_name, u.position, u.unit_id, u.password, tuple(sorted(permissions.roles_of(u))))
        for u in User.objects.all()
    )
    campaigns = sorted(Campaign.objects.values_list("pk", "region_id", "year", "status"))
    pacts = sorted(Pact.objects.values_list("pk", "campaign_id", "version", "status", "content_hash"))
    signatures = sorted(PactSignature.objects.values_list("pk", "pact_id", "unit_id", "signer_id", "signed_at"))
    return users, campaigns, pacts, signatures, AuditEvent.objects.count()


@pytest.mark.django_db
def test_it_creates_one_account_per_role_and_prints_the_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    users = {u.username: u for u in User.objects.all()}
    roles = {code for u in users.values() for code in permissions.roles_of(u)}
    assert roles == {"ministry", "region", "leader", "admin"}
    # The signers of the 2018 pact (pacts.demo) are history: accounts without a password, not log-ins.
    logins = {username: user for username, user in users.items() if not username.startswith("lanhdao2018.")}
    for username, user in logins.items():
        assert username in out.getvalue()
        assert user.check_password(DEMO_PASSWORD)
    assert not any(user.has_usable_password() for username, user in users.items() if username not in logins)
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


@pytest.mark.django_db
def test_each_leader_account_acts_for_its_unit_through_an_appointment():
    call_command("seed_demo", stdout=StringIO())
    leaders = [u for u in User.objects.select_related("unit") if permissions.is_leader(u)]
    assert {u.username for u in leaders} >= {"lanhdao.quangbinh", "lanhdao.lamdong", "lanhdao.dongthap"}
    for user in leaders:
        assert user.appointments.filter(unit=user.unit).exists(), user.username


@pytest.mark.django_db
def test_the_ministry_and_admin_accounts_belong_to_ministry_units_and_the_others_to_member_units():
    call_command("seed_demo", stdout=StringIO())
    for user in User.objects.select_related("unit"):
        if permissions.is_ministry(user) or permissions.is_admin(user):
            assert user.unit.kind == Unit.Kind.OTHER
            assert user.unit.names.exists()
        else:
            assert user.unit.memberships.exists(), user.username
