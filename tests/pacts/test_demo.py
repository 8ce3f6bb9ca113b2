"""The demo campaigns and pacts of seed_demo: the 2018 article's and 2026's, seeded as those years went."""

import re
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from core.dates import long_date
from outbox.models import Email
from pacts import canonical, permissions, selectors, services
from pacts.demo import CONFERENCE_SIGNING, MOVEMENTS_2018, PENDING_CENTRAL_2026, past_clock
from pacts.models import (
    AuditEvent,
    Campaign,
    Movement,
    Pact,
    PactClause,
    PactComment,
    PactRevision,
    PactSignature,
    PdfJob,
    Phase,
)
from regions.models import RegionMembership, Unit
from regions.selectors import unit_names_on

CENTRAL = "duyen-hai-mien-trung-tay-nguyen"
SOUTH_EAST = "mien-dong-nam-bo"
CENTRAL_2018 = date(2018, 3, 19)
SOUTH_EAST_2018 = date(2018, 3, 16)
SOUTH_EAST_2026 = date(2026, 3, 13)
CENTRAL_2026 = date(2026, 3, 20)
# A basis cites a document by number and Decree 30 date ("… số 06/2022/QH15 ngày 15 tháng 6 năm 2022").
DATED = re.compile(r"ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[012]) năm \d{4}")

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


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


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


# ---------------------------------------------------------------------------------------------
# 2018
# ---------------------------------------------------------------------------------------------


def test_the_2018_campaigns_have_the_articles_conferences_movements_and_two_phases(output):
    central, south_east = _campaign(CENTRAL, 2018), _campaign(SOUTH_EAST, 2018)
    assert central.conference_date == CENTRAL_2018
    assert "Đồng Hới" in central.conference_place
    assert central.conference_host.province.name == "tỉnh Quảng Bình"
    assert "Vụ Thi đua - Khen thưởng" in central.conference_guests
    assert "Tổng cục Thi hành án dân sự" in central.conference_guests
    assert south_east.conference_date == SOUTH_EAST_2018
    assert "Ninh Thuận" in south_east.conference_place
    five = set(Movement.objects.filter(name__in=[name for _, name in MOVEMENTS_2018]))
    assert len(five) == 5
    for campaign in (central, south_east):
        assert set(campaign.movements.all()) == five
        assert list(campaign.phases.values_list("name", "start", "end")) == [
            ("Đợt 1", date(2018, 1, 1), date(2018, 6, 30)),
            ("Đợt 2", date(2018, 7, 1), date(2018, 12, 31)),
        ]
        # Closed at the year-end review of 2018, not on the day of the seeding.
        assert campaign.status == Campaign.Status.CLOSED
        closed = campaign.audit_events.filter(action=AuditEvent.Action.EDITED, detail="status: closed").get()
        assert (_local(closed.at).year, _local(closed.at).month) == (2018, 12)


def test_the_2018_central_pact_is_signed_at_its_conference_by_its_26_units_under_their_2018_names(output):
    pact = _pact(CENTRAL, 2018)
    assert pact.status == Pact.Status.EXECUTED
    assert (pact.place, pact.signed_on) == ("Quảng Bình", CENTRAL_2018)
    assert "\nQuảng Bình, ngày 19 tháng 3 năm 2018\n" in pact.content_text
    assert "Đồng Hới" not in pact.content_text
    assert pact.content_text.startswith("Khu vực thi đua Khối cơ quan Tư pháp các tỉnh duyên hải miền Trung")
    assert _local(pact.opened_at).date() < CENTRAL_2018
    assert _local(pact.executed_at).date() == CENTRAL_2018
    assert _local(pact.deadline) == datetime.combine(CENTRAL_2018, time(17), tzinfo=_local(pact.deadline).tzinfo)
    roster = set(RegionMembership.objects.filter(region__slug=CENTRAL, year=2018).values_list("unit_id", flat=True))
    signatures = list(pact.signatures.select_related("unit", "signer"))
    assert len(signatures) == 26
    assert {s.unit_id for s in signatures} == roster
    names = unit_names_on(roster, CENTRAL_2018)
    assert all(s.unit_name == names[s.unit_id] for s in signatures)
    assert "Cục Thi hành án dân sự tỉnh Quảng Bình" in names.values()
    assert "Sở Tư pháp tỉnh Thừa Thiên Huế" in names.values()
    for signature in signatures:
        assert _local(signature.signed_at).date() == CENTRAL_2018
        assert signature.content_hash == pact.content_hash == canonical.sha256_hex(pact.content_text)
        assert selectors.signing_appointment(user=signature.signer, unit=signature.unit, day=CENTRAL_2018)
    danh = next(s for s in signatures if s.signer_name == "Mai Công Danh")
    assert (danh.signer.username, danh.signer_position) == ("lanhdao.quangbinh", "Cục trưởng")


def test_the_2018_south_east_pact_is_signed_on_the_morning_of_16_march_by_its_sos_and_cucs(output):
    pact = _pact(SOUTH_EAST, 2018)
    assert pact.status == Pact.Status.EXECUTED
    assert (pact.place, pact.signed_on) == ("Ninh Thuận", SOUTH_EAST_2018)
    assert "\nNinh Thuận, ngày 16 tháng 3 năm 2018\n" in pact.content_text
    parties = list(pact.signatories.select_related("unit"))
    kinds = [slot.unit.kind for slot in parties]
    # The article: the leaders of the Sở Tư pháp and Cục THADS signed; the Chi cục are members, not parties.
    assert kinds.count(Unit.Kind.SO_TU_PHAP) == kinds.count(Unit.Kind.CUC_THADS) == 12
    assert len(parties) == 24
    assert RegionMembership.objects.filter(region__slug=SOUTH_EAST, year=2018, unit__kind="chi_cuc_thads").exists()
    assert pact.signatures.count() == 24
    for signed_at in pact.signatures.values_list("signed_at", flat=True):
        assert _local(signed_at).date() == SOUTH_EAST_2018
        assert _local(signed_at).hour < 12
    lam_dong = pact.signatures.get(unit__name="Sở Tư pháp tỉnh Lâm Đồng")
    assert (lam_dong.signer.username, lam_dong.signer_name) == ("lanhdao.lamdong", "Trần Văn Phúc")


def test_earlier_signers_who_lead_no_unit_today_have_accounts_without_a_password(output):
    history = User.objects.filter(username__startswith="lanhdao2018.")
    assert history.exists()
    assert not any(user.has_usable_password() or user.email for user in history)
    signers = set(PactSignature.objects.filter(pact__campaign__year=2018).values_list("signer__username", flat=True))
    assert set(history.values_list("username", flat=True)) <= signers
    # A 2018 head who still leads the unit signs with the log-in of today's leader.
    assert "lanhdao.stp-hue" in signers


# ---------------------------------------------------------------------------------------------
# 2026: the south-east's pact executed at its first-quarter conference
# ---------------------------------------------------------------------------------------------


def test_the_south_easts_2026_pact_is_opened_before_and_signed_at_its_first_quarter_conference(output):
    pact = _pact(SOUTH_EAST, 2026)
    assert pact.status == Pact.Status.EXECUTED
    assert (pact.place, pact.signed_on) == ("Tây Ninh", SOUTH_EAST_2026)
    assert "\nTây Ninh, ngày 13 tháng 3 năm 2026\n" in pact.content_text
    assert _local(pact.opened_at).date() < SOUTH_EAST_2026
    deadline = _local(pact.deadline)
    assert (deadline.year, deadline.month <= 3) == (2026, True)
    assert pact.signatures.count() == pact.signatories.count() == 10
    for signed_at in pact.signatures.values_list("signed_at", flat=True):
        assert _local(signed_at).date() == SOUTH_EAST_2026
        assert 8 <= _local(signed_at).hour < 12
    assert _local(pact.executed_at) == max(_local(at) for at in pact.signatures.values_list("signed_at", flat=True))
    assert set(pact.signatures.values_list("user_agent", "ip_address")) == {(CONFERENCE_SIGNING.user_agent, None)}
    # Drafted in February: a member's comment, then the clause added in answer, each a revision.
    comment = pact.comments.get()
    assert _local(comment.created_at).date() < _local(pact.opened_at).date()
    assert PactRevision.objects.filter(pact=pact).count() >= 3
    assert "giải quyết dứt điểm các việc có điều kiện thi hành" in pact.content_text.lower()
    lam_dong = pact.signatures.get(unit__name="Sở Tư pháp tỉnh Lâm Đồng")
    assert (lam_dong.signer.username, lam_dong.signer_name) == ("lanhdao.lamdong", "Trần Văn Phúc")


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


# ---------------------------------------------------------------------------------------------
# 2026: the central region's pact, with units still to sign
# ---------------------------------------------------------------------------------------------


def test_the_central_2026_pact_is_signed_at_its_conference_and_waits_for_three_absent_units(output):
    pact = _pact(CENTRAL, 2026)
    assert pact.status == Pact.Status.OPEN
    assert (pact.place, pact.signed_on) == ("Khánh Hòa", CENTRAL_2026)
    assert _local(pact.opened_at).date() < CENTRAL_2026
    for signed_at in pact.signatures.values_list("signed_at", flat=True):
        assert _local(signed_at).date() == CENTRAL_2026
        assert _local(signed_at).hour < 12
    # Left open to the year's end for the absent units, or two weeks after the seeding if that is later.
    deadline = _local(pact.deadline)
    assert deadline.date() == max(date(2026, 12, 31), timezone.localdate() + timedelta(days=14))
    assert (deadline.hour, deadline.minute) == (17, 0)
    assert pact.deadline > timezone.now()
    pending = list(selectors.pending_slots(pact))
    assert {slot.unit.name for slot in pending} == {
        "Sở Tư pháp tỉnh Quảng Trị",
        "Thi hành án dân sự tỉnh Quảng Trị",
        "Thi hành án dân sự thành phố Huế",
    }
    assert len(PENDING_CENTRAL_2026) == len(pending)
    reminded = pact.audit_events.get(action=AuditEvent.Action.REMINDED)
    assert _local(reminded.at).date() == date(2026, 11, 30)


def _leader_today(unit: Unit) -> User:
    return next(a.user for a in unit.appointments.select_related("user") if a.is_current_on(timezone.localdate()))


def test_the_demo_leaders_of_the_absent_units_sign_in_the_browser_and_the_last_executes_the_pact(output, client):
    pact = _pact(CENTRAL, 2026)
    pending = list(selectors.pending_slots(pact))
    for slot in pending:
        leader = _leader_today(slot.unit)
        assert leader.has_usable_password()
        assert leader.username in output
        assert f"/pacts/{pact.pk}/sign/{slot.unit_id}/" in output
    # lanhdao.quangtri logs in with the printed password, confirms it and signs on the signing page.
    quang_tri = User.objects.get(username="lanhdao.quangtri")
    url = f"/pacts/{pact.pk}/sign/{quang_tri.unit_id}/"
    client.post("/accounts/login/", {"username": "lanhdao.quangtri", "password": DEMO_PASSWORD})
    client.post(f"/accounts/confirm-password/?next={url}", {"password": DEMO_PASSWORD})
    assert client.get(url).status_code == 200
    client.post(url, {"consent": "on", "content_hash": pact.content_hash})
    signature = pact.signatures.get(unit=quang_tri.unit)
    assert (signature.signer, signature.signer_name) == (quang_tri, "Hoàng Minh Tâm")
    assert timezone.now() - signature.signed_at < timedelta(minutes=5)
    for slot in pending:
        if slot.unit_id != quang_tri.unit_id:
            _sign(pact, _leader_today(slot.unit).username, slot.unit_id)
    pact.refresh_from_db()
    assert pact.status == Pact.Status.EXECUTED


# ---------------------------------------------------------------------------------------------
# Every pact's text: number, bases, targets, implementation, no demo note
# ---------------------------------------------------------------------------------------------


BASES = {
    2018: ("15/2003/QH11", "47/2005/QH11", "39/2013/QH13", "91/2017/NĐ-CP"),
    2026: ("06/2022/QH15", "152/2025/NĐ-CP", "11/2023/TT-BTP"),
}
KINDS = {
    2018: ("Đối với Sở Tư pháp:", "Đối với Cục Thi hành án dân sự:"),
    2026: ("Đối với Sở Tư pháp:", "Đối với Thi hành án dân sự tỉnh, thành phố:"),
}


def test_every_demo_pact_reads_as_a_real_one(output):
    pacts = list(Pact.objects.filter(campaign__region__slug__in=[CENTRAL, SOUTH_EAST]).select_related("campaign"))
    assert len(pacts) == 4
    numbers = set()
    for pact in pacts:
        text, year = pact.content_text, pact.campaign.year
        assert re.fullmatch(r"01/GƯTĐ-[A-ZĐ]+", pact.number), pact.number
        assert text.splitlines()[1] == pact.number
        numbers.add(pact.number)
        bases = [line for line in pact.bases.splitlines() if line.strip()]
        assert all(line.startswith("Căn cứ ") and DATED.search(line) for line in bases), bases
        assert [d.number for d in pact.legal_documents.order_by("pact_links__order")] == list(BASES[year])
        assert all(number in pact.bases for number in BASES[year])
        assert f"được Hội nghị {long_date(pact.signed_on)} thông qua" in pact.bases
        assert all(kind in text for kind in KINDS[year])
        assert "theo Kế hoạch" not in text
        assert "Cờ thi đua ngành Tư pháp" in pact.targets
        for word in ("tự chấm điểm", "thẩm định", "suy tôn", "tổng kết"):
            assert word in pact.implementation, word
        for note in ("minh họa", "minh hoạ", "suy luận", "demo", "seed"):
            assert note not in text.lower(), (pact.number, note)
    assert len(numbers) == 4


# ---------------------------------------------------------------------------------------------
# The past is dated in the past
# ---------------------------------------------------------------------------------------------


def test_the_records_of_the_demos_past_carry_their_moment_not_the_seeding_day(output):
    today = timezone.localdate()
    pacts = Pact.objects.filter(campaign__region__slug__in=[CENTRAL, SOUTH_EAST])
    events = AuditEvent.objects.filter(pact__in=pacts)
    assert events.exists()
    assert not [e for e in events if _local(e.at).date() >= today]
    for pact in pacts:
        assert _local(pact.created_at) < _local(pact.opened_at) <= _local(pact.updated_at)
        assert _local(pact.updated_at).date() < today
    # E-mails of the past were sent at their step's moment, and their "e-mailed" events say so.
    emails = Email.objects.filter(kind__startswith="pacts.")
    assert emails.filter(kind="pacts.opened").exists()
    assert emails.filter(kind="pacts.reminder").count() == len(PENDING_CENTRAL_2026)
    for email in emails:
        assert email.status == Email.Status.SENT
        assert email.created_at == email.due_at == email.sent_at
        assert _local(email.sent_at).date() < today
    emailed = events.filter(action=AuditEvent.Action.EMAILED)
    assert emailed.count() == emails.count()
    assert set(emailed.values_list("at", flat=True)) == set(emails.values_list("sent_at", flat=True))
    # An executed pact's PDF job was queued when its last signature executed it.
    jobs = PdfJob.objects.filter(pact__in=pacts).select_related("pact")
    assert jobs.count() == pacts.filter(status=Pact.Status.EXECUTED).count() == 3
    assert all(job.queued_at == job.pact.executed_at for job in jobs)


def test_the_past_clock_goes_back_only_and_puts_django_s_clock_back(output):
    real_now = timezone.now
    due_at = Email._meta.get_field("due_at")
    moment = datetime(2018, 3, 19, 2, 30, tzinfo=UTC)
    with past_clock() as clock:
        clock.set(moment)
        assert timezone.now() == moment
        assert timezone.localdate() == date(2018, 3, 19)
        assert due_at.get_default() == moment
        assert User._meta.get_field("date_joined").get_default() == moment
        with pytest.raises(ValueError, match="not in the past"):
            clock.set(real_now() + timedelta(minutes=1))
        with pytest.raises(RuntimeError), past_clock():
            pass
    assert timezone.now is real_now
    assert "get_default" not in vars(due_at)
    assert abs(timezone.now() - datetime.now(UTC)) < timedelta(minutes=1)


def _snapshot() -> dict[str, list]:
    tables = {
        Campaign: ("region_id", "year", "title", "status", "conference_date", "conference_host_id"),
        Phase: ("campaign_id", "number", "name", "start", "end"),
        Pact: ("campaign_id", "version", "status", "content_hash", "deadline", "opened_at", "executed_at"),
        PactClause: ("pact_id", "number", "text"),
        PactComment: ("pact_id", "text", "created_at"),
        PactRevision: ("pact_id", "number"),
        PactSignature: ("pact_id", "unit_id", "signer_id", "signed_at"),
        AuditEvent: ("pact_id", "campaign_id", "action", "at"),
        PdfJob: ("pact_id", "version", "status", "queued_at"),
        Email: ("to", "kind", "status", "sent_at"),
        User: ("username", "password", "unit_id"),
    }
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", *fields))
        for model, fields in tables.items()
    }


def test_running_it_twice_changes_no_campaign_pact_signature_e_mail_or_audit_event(output):
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
