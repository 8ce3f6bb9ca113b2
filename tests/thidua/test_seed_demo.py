"""seed_demo: what it creates, what it prints, that it changes nothing the second time, and that the demo's past
is dated in the past when it runs as ``make run`` runs it (tasks in-process, every step committed)."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts import permissions
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from outbox.models import Email
from pacts.models import AuditEvent, Campaign, Pact, PactSignature, PdfJob
from regions.models import Unit
from tests.conftest import require


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


@pytest.mark.django_db
def test_it_prints_what_each_log_in_can_do_and_dates_as_decree_30_or_dd_mm_yyyy():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    central = Pact.objects.get(campaign__region__slug="duyen-hai-mien-trung-tay-nguyen", campaign__year=2026)
    quang_tri = User.objects.get(username="lanhdao.quangtri")
    logins = printed.split("Demo log-ins")[1].split("Leaders of the 2026 units")[0].splitlines()[1:]
    after = {
        line.split()[0]: logins[n + 1].strip()
        for n, line in enumerate(logins)
        if line.startswith("  ") and line[2] != " "
    }
    assert after["lanhdao.quangtri"] == f"may sign now: /pacts/{central.pk}/sign/{quang_tri.unit_id}/"
    assert after["khuvuc.tayninh"] == "manages the campaigns and pacts of 2026 mien-dong-nam-bo"
    assert (
        "signed the 2026 pact of mien-dong-nam-bo for Sở Tư pháp tỉnh Lâm Đồng on 13/03/2026 09:00"
        in (after["lanhdao.lamdong"])
    )
    assert "manages every campaign and pact" in after["bo.thidua"]
    assert "Số: 01/GƯTĐ-KVDHMTTN, Quảng Bình, ngày 19 tháng 3 năm 2018" in printed
    assert "Số: 01/GƯTĐ-KVĐNB, Ninh Thuận, ngày 16 tháng 3 năm 2018" in printed
    assert "conference 13/03/2026 in tỉnh Tây Ninh" in printed
    assert "deadline 31/03/2026 17:00" in printed
    assert "tháng 03" not in printed


def _pdftotext(path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)  # noqa: S603, S607
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_as_make_run_seeds_it_the_pdfs_and_e_mails_of_the_past_are_made_at_their_moment(
    settings, tmp_path, reference_data
):
    """Every step commits and its tasks run in-process after the commit, still on the demo's clock: the PDF of
    each executed pact is rendered when its last signature executed it, and the 2018 pact's PDF reads as
    Decree 30 writes it."""
    settings.MEDIA_ROOT = tmp_path
    real_now = timezone.now
    call_command("seed_demo", stdout=StringIO())
    assert timezone.now is real_now
    jobs = list(PdfJob.objects.select_related("pact__campaign__region"))
    assert len(jobs) == 3
    for job in jobs:
        assert job.status == PdfJob.Status.READY, job.last_error
        assert job.queued_at == job.started_at == job.finished_at == job.pact.executed_at
    today = timezone.localdate()
    assert all(timezone.localtime(job.finished_at).date() < today for job in jobs)
    central = next(job for job in jobs if job.pact.campaign.year == 2018 and job.pact.place == "Quảng Bình")
    text = " ".join(_pdftotext(central.pdf.path).split())
    assert "Quảng Bình, ngày 19 tháng 3 năm 2018" in text
    assert "Số: 01/GƯTĐ-KVDHMTTN" in text
    assert "Đồng Hới" not in text and "minh họa" not in text
    emails = Email.objects.filter(kind__startswith="pacts.")
    assert emails.exists()
    assert not emails.exclude(status=Email.Status.SENT).exists()
    assert all(
        email.sent_at == email.created_at and timezone.localtime(email.sent_at).date() < today for email in emails
    )
    assert not AuditEvent.objects.filter(at__date__gte=today).exists()
