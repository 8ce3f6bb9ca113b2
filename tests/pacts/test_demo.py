"""The demo campaigns and pacts of seed_demo: the 2018 article's, and a 2026 pact open for signing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from pacts import canonical, permissions, selectors, services
from pacts.demo import BACKFILL_AGENT, MOVEMENTS_2018
from pacts.models import AuditEvent, Campaign, Movement, Pact, PactClause, PactRevision, PactSignature, Phase
from regions.models import RegionMembership
from regions.selectors import unit_names_on

CENTRAL = "duyen-hai-mien-trung-tay-nguyen"
SOUTH_EAST = "mien-dong-nam-bo"
CONFERENCE_2018 = date(2018, 3, 19)

pytestmark = pytest.mark.django_db


@pytest.fixture
def output() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _campaign(slug: str, year: int) -> Campaign:
    return Campaign.objects.select_related("conference_host__province").get(region__slug=slug, year=year)


def _pact(slug: str, year: int) -> Pact:
    return Pact.objects.get(campaign__region__slug=slug, campaign__year=year)


def _sign(pact: Pact, username: str, unit_id: int) -> PactSignature:
    pact.refresh_from_db()
    slot = pact.signatories.select_related("unit").get(unit_id=unit_id)
    return services.pact_sign(
        pact=pact,
        unit=slot.unit,
        user=User.objects.get(username=username),
        consent=True,
        content_hash=pact.content_hash,
    )


def test_the_2018_campaigns_have_the_articles_conferences_movements_and_two_phases(output):
    central, south_east = _campaign(CENTRAL, 2018), _campaign(SOUTH_EAST, 2018)
    assert central.conference_date == date(2018, 3, 19)
    assert "Đồng Hới" in central.conference_place
    assert central.conference_host.province.name == "tỉnh Quảng Bình"
    assert "Vụ Thi đua - Khen thưởng" in central.conference_guests
    assert "Tổng cục Thi hành án dân sự" in central.conference_guests
    assert south_east.conference_date == date(2018, 3, 16)
    assert "Ninh Thuận" in south_east.conference_place
    five = set(Movement.objects.filter(name__in=[name for _, name in MOVEMENTS_2018]))
    assert len(five) == 5
    for campaign in (central, south_east):
        assert set(campaign.movements.all()) == five
        assert list(campaign.phases.values_list("name", "start", "end")) == [
            ("Đợt 1", date(2018, 1, 1), date(2018, 6, 30)),
            ("Đợt 2", date(2018, 7, 1), date(2018, 12, 31)),
        ]
        assert campaign.status == Campaign.Status.CLOSED


def test_the_2018_central_pact_is_executed_with_the_26_signatures_under_their_2018_names(output):
    pact = _pact(CENTRAL, 2018)
    assert pact.status == Pact.Status.EXECUTED
    assert timezone.localtime(pact.executed_at).date() == CONFERENCE_2018
    roster = set(RegionMembership.objects.filter(region__slug=CENTRAL, year=2018).values_list("unit_id", flat=True))
    signatures = list(pact.signatures.select_related("unit", "signer"))
    assert len(signatures) == 26
    assert {s.unit_id for s in signatures} == roster
    names = unit_names_on(roster, CONFERENCE_2018)
    assert all(s.unit_name == names[s.unit_id] for s in signatures)
    assert "Cục Thi hành án dân sự tỉnh Quảng Bình" in names.values()
    assert "Sở Tư pháp tỉnh Thừa Thiên Huế" in names.values()
    for signature in signatures:
        assert timezone.localtime(signature.signed_at).date() == CONFERENCE_2018
        assert signature.content_hash == pact.content_hash == canonical.sha256_hex(pact.content_text)
        assert selectors.signing_appointment(user=signature.signer, unit=signature.unit, day=CONFERENCE_2018)
    danh = next(s for s in signatures if s.signer_name == "Mai Công Danh")
    assert (danh.signer.username, danh.signer_position) == ("lanhdao.quangbinh", "Cục trưởng")
    assert pact.content_text.startswith("Khu vực thi đua Khối cơ quan Tư pháp các tỉnh duyên hải miền Trung")


def test_the_2018_ceremony_is_marked_as_demo_history_with_its_audit_events_on_that_day(output):
    pact = _pact(CENTRAL, 2018)
    assert set(pact.signatures.values_list("user_agent", "ip_address")) == {(BACKFILL_AGENT, None)}
    ceremony = AuditEvent.objects.filter(pact=pact, user_agent=BACKFILL_AGENT)
    assert sorted(ceremony.values_list("action", flat=True)) == ["executed", "opened"] + ["signed"] * 26
    assert {timezone.localtime(at).date() for at in ceremony.values_list("at", flat=True)} == {CONFERENCE_2018}
    archive = User.objects.filter(username__startswith="lanhdao2018.")
    assert archive.count() == 25
    assert not any(user.has_usable_password() or user.email for user in archive)


def test_a_2026_pact_is_open_with_the_demo_leaders_unit_pending_and_others_signed_online(output):
    pact = _pact(SOUTH_EAST, 2026)
    assert pact.status == Pact.Status.OPEN
    assert pact.deadline > timezone.now()
    lam_dong = User.objects.get(username="lanhdao.lamdong")
    unit = lam_dong.unit.successor
    assert unit.name == "Sở Tư pháp tỉnh Lâm Đồng"
    assert selectors.pending_slots(pact).filter(unit=unit).exists()
    signed = pact.signatures.count()
    assert 1 <= signed < pact.signatories.count()
    assert AuditEvent.objects.filter(pact=pact, action="signed").count() == signed
    assert not pact.signatures.filter(user_agent=BACKFILL_AGENT).exists()
    assert pact.comments.count() == 1
    assert PactRevision.objects.filter(pact=pact).count() >= 2
    assert f"/pacts/{pact.pk}/sign/{unit.pk}/" in output

    signature = _sign(pact, "lanhdao.lamdong", unit.pk)
    assert (signature.signer_name, signature.unit_name) == ("Trần Văn Phúc", "Sở Tư pháp tỉnh Lâm Đồng")


def test_the_pending_demo_leaders_can_complete_the_2026_pact(output):
    pact = _pact(SOUTH_EAST, 2026)
    pending = list(selectors.pending_slots(pact))
    for slot in pending:
        user = User.objects.get(appointments__unit=slot.unit, appointments__end__isnull=True)
        assert user.has_usable_password()
        assert user.username in output
        _sign(pact, user.username, slot.unit_id)
    pact.refresh_from_db()
    assert pact.status == Pact.Status.EXECUTED


def test_the_officer_of_the_2026_head_unit_manages_the_2026_campaign_and_the_2018_officer_does_not(output):
    campaign_2026, campaign_2018 = _campaign(SOUTH_EAST, 2026), _campaign(SOUTH_EAST, 2018)
    tay_ninh, dong_nam_bo = (User.objects.get(username=u) for u in ("khuvuc.tayninh", "khuvuc.dongnambo"))
    assert permissions.can_manage_campaign(tay_ninh, campaign_2026)
    assert not permissions.can_manage_campaign(dong_nam_bo, campaign_2026)
    assert permissions.can_manage_campaign(dong_nam_bo, campaign_2018)
    assert campaign_2026.status == Campaign.Status.LAUNCHED
    assert campaign_2026.conference_host == tay_ninh.unit
    assert campaign_2026.targets.exclude(unit_kind="").exists()
    assert "khuvuc.tayninh" in output


def _snapshot() -> dict[str, list]:
    tables = {
        Campaign: ("region_id", "year", "title", "status", "conference_date", "conference_host_id"),
        Phase: ("campaign_id", "number", "name", "start", "end"),
        Pact: ("campaign_id", "version", "status", "content_hash", "deadline", "opened_at", "executed_at"),
        PactClause: ("pact_id", "number", "text"),
        PactRevision: ("pact_id", "number"),
        PactSignature: ("pact_id", "unit_id", "signer_id", "signed_at"),
        AuditEvent: ("pact_id", "campaign_id", "action", "at"),
        User: ("username", "password", "unit_id"),
    }
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", *fields))
        for model, fields in tables.items()
    }


def test_running_it_twice_changes_no_campaign_pact_signature_or_audit_event(output):
    before = _snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _snapshot() == before
    assert "Demo campaigns and pacts (unchanged" in out.getvalue()


# ---------------------------------------------------------------------------------------------
# seed_national_pacts
# ---------------------------------------------------------------------------------------------


def test_seed_national_pacts_gives_every_national_region_an_open_pact_about_half_signed():
    call_command("seed_national", units=150, years="2024-2025", stdout=StringIO())
    out = StringIO()
    call_command("seed_national_pacts", stdout=out)
    pacts = Pact.objects.filter(campaign__region__slug__startswith="qg-").select_related("campaign")
    assert pacts.count() == 5
    for pact in pacts:
        assert (pact.status, pact.campaign.year) == (Pact.Status.OPEN, 2025)
        size, signed = pact.signatories.count(), pact.signatures.count()
        assert signed == size // 2
        assert AuditEvent.objects.filter(pact=pact, action="signed").count() == signed
    pending = selectors.pending_slots(pacts[0]).first()
    head = pending.unit.appointments.get(user__isnull=False)
    assert head.user.username == f"qg.lanhdao.{pending.unit_id}"
    assert not head.user.has_usable_password()
    before = [model.objects.count() for model in (Pact, PactSignature, AuditEvent, User)]
    again = StringIO()
    call_command("seed_national_pacts", stdout=again)
    assert again.getvalue().count("left as it is") == 5
    assert [model.objects.count() for model in (Pact, PactSignature, AuditEvent, User)] == before
