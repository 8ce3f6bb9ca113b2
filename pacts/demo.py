"""Demo campaigns and pacts: the 2018 article's, and a 2026 pact open for signing, through ``pacts.services``.

- 2018 (source article): the campaigns of both regions, with their conferences (19/03/2018 in TP. Đồng Hới,
  16/03/2018 in Ninh Thuận), the five movements and the two phases; the central region's pact, executed
  with the signatures of its 26 units.
- 2026 (illustrative): the south-east's campaign and pact, open for signing, signed through
  ``services.pact_sign`` by seven of its ten units; ``lanhdao.lamdong`` and two other demo leaders have
  yet to sign, and ``khuvuc.tayninh`` (staff of that year's head unit) manages it.

The 2018 pact was signed on paper at the conference. The services sign only "now" and refuse a deadline
in the past, so ``_backfill_2018_ceremony`` writes that day directly: the opening, the 26 signatures and
the completion, dated 19/03/2018, without IP address, their browser field saying they are demo data
entered afterwards. It is demo back-filling of history, used by nothing in the product. The 2018 signers
are the heads the regions demo appointed, each given an account without a password ("lanhdao2018.<unit>")
unless one exists (Mai Công Danh signs as ``lanhdao.quangbinh``).

Each part runs in one transaction and only when its campaign or pact is missing: running the seed twice
changes nothing. Texts the article does not give are illustrative ("minh họa").
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from accounts.services import user_create_or_update
from core.text import ascii_slug
from regions import services as region_services
from regions.demo import CENTRAL, SOUTH_EAST, DemoData, DemoSeed
from regions.models import Appointment, RegionMembership, Unit
from regions.selectors import head_on

from . import services
from .audit import RequestInfo
from .canonical import pact_canonical_text, sha256_hex
from .models import AuditEvent, Campaign, Movement, Pact, PactSignature
from .pdf_jobs import pdf_job_create
from .signals import pact_executed

DEMO_YEAR = 2026
SO, THADS_TINH = Unit.Kind.SO_TU_PHAP, Unit.Kind.THADS_TINH
# What the 2018 records carry instead of a browser: they were entered afterwards, not signed online.
BACKFILL_AGENT = "Dữ liệu minh họa: ký trên giấy tại hội nghị, nhập lại sau"
DEMO_SIGNING = RequestInfo(ip_address=None, user_agent="Dữ liệu minh họa: ký bằng lệnh seed_demo")
# The 2026 units left to sign, so that a demo log-in can sign and the last signature executes the pact.
PENDING_2026 = ("stp:lam-dong-2025", "thads:lam-dong-2025", "thads:ho-chi-minh-2025")
COMMENTER_2026 = "thads:dong-nai-2025"


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    start: date
    end: date
    unit_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class CampaignSpec:
    region_slug: str
    year: int
    title: str
    theme: str
    conference_date: date
    conference_place: str
    host_key: str  # a unit of the regions demo
    guests: str
    movements: tuple[int, ...]  # positions in the five movements of 2018
    phases: tuple[PhaseSpec, ...]
    status: str
    targets: tuple[tuple[str, str], ...] = ()  # (text, unit kind or "")


@dataclass(frozen=True)
class PactSpec:
    place: str
    parties: str
    clauses: tuple[str, ...]
    targets: str
    implementation: str


def _two_phases(year: int) -> tuple[PhaseSpec, ...]:
    """The article: đợt 1 from the start of the year to 30/6, đợt 2 from 1/7 to the year's end."""
    return (
        PhaseSpec("Đợt 1", date(year, 1, 1), date(year, 6, 30)),
        PhaseSpec("Đợt 2", date(year, 7, 1), date(year, 12, 31)),
    )


# The five movements named in 2018, as migration 0002 loads them: (short name, name).
MOVEMENTS_2018 = importlib.import_module("pacts.migrations.0002_movements_and_evidence_guards").MOVEMENTS_2018
MOVEMENT_NAMES = tuple(f"“{name}”" for _short_name, name in MOVEMENTS_2018)

CENTRAL_2018 = CampaignSpec(
    region_slug=CENTRAL.slug,
    year=2018,
    # The article's words for the plan adopted at the conference.
    title=(
        "Kế hoạch phát động và tổ chức phong trào thi đua Khối cơ quan Tư pháp các tỉnh, thành phố duyên hải "
        "miền Trung và Tây Nguyên năm 2018"
    ),
    theme=(
        "Bám sát nội dung các phong trào thi đua do Bộ Tư pháp và địa phương phát động năm 2018, các Sở Tư pháp, "
        "Cục THADS thuộc Khu vực ra sức thi đua, quyết tâm phấn đấu hoàn thành vượt mức các chỉ tiêu, nhiệm vụ."
    ),
    conference_date=date(2018, 3, 19),
    conference_place="TP. Đồng Hới, tỉnh Quảng Bình",
    host_key="stp:quang-binh",  # illustrative: the region's head unit that year, in the host province
    guests="Vụ Thi đua - Khen thưởng (Bộ Tư pháp); Tổng cục Thi hành án dân sự",
    movements=(0, 1, 2, 3, 4),
    phases=_two_phases(2018),
    status=Campaign.Status.CLOSED,
)

SOUTH_EAST_2018 = CampaignSpec(
    region_slug=SOUTH_EAST.slug,
    year=2018,
    title="Kế hoạch phát động phong trào thi đua Khối cơ quan Tư pháp các tỉnh miền Đông Nam bộ năm 2018",
    theme=(
        "Bám sát nhiệm vụ chính trị được giao, phát huy truyền thống 73 năm xây dựng và phát triển, ra sức thi "
        "đua, quyết tâm phấn đấu hoàn thành vượt mức các chỉ tiêu, nhiệm vụ năm 2018 của ngành Tư pháp."
    ),
    conference_date=date(2018, 3, 16),
    conference_place="tỉnh Ninh Thuận",
    host_key="cuc:ninh-thuan",  # illustrative: the deputy head unit of the host province
    guests="",
    movements=(0, 1, 2, 3, 4),
    phases=_two_phases(2018),
    status=Campaign.Status.CLOSED,
)

SOUTH_EAST_2026 = CampaignSpec(
    region_slug=SOUTH_EAST.slug,
    year=DEMO_YEAR,
    title=(
        "Kế hoạch phát động phong trào thi đua Cụm thi đua Sở Tư pháp, Thi hành án dân sự các tỉnh miền Đông "
        "Nam bộ năm 2026"
    ),
    theme=(
        "Đoàn kết, kỷ cương, đổi mới, sáng tạo; hoàn thành xuất sắc nhiệm vụ năm 2026 sau sắp xếp tổ chức bộ máy "
        "(dữ liệu minh họa)."
    ),
    conference_date=date(DEMO_YEAR, 3, 13),
    conference_place="tỉnh Tây Ninh",
    host_key="stp:tay-ninh-2025",  # the region's head unit in 2026, by the demo's rotation
    guests="Vụ Tổ chức cán bộ (Bộ Tư pháp); Cục Quản lý thi hành án dân sự",
    movements=(1, 2, 3),
    # Illustrative: the enforcement bodies count their year from 01/10 to 30/09.
    phases=(
        PhaseSpec("Đợt 1", date(2026, 1, 1), date(2026, 6, 30), (SO,)),
        PhaseSpec("Đợt 2", date(2026, 7, 1), date(2026, 12, 31), (SO,)),
        PhaseSpec("Đợt 1 (năm công tác thi hành án)", date(2025, 10, 1), date(2026, 3, 31), (THADS_TINH,)),
        PhaseSpec("Đợt 2 (năm công tác thi hành án)", date(2026, 4, 1), date(2026, 9, 30), (THADS_TINH,)),
    ),
    status=Campaign.Status.LAUNCHED,
    targets=(
        ("Thẩm định đúng thời hạn 100% dự thảo văn bản quy phạm pháp luật được gửi thẩm định.", SO),
        ("Giải quyết xong trên 85% số việc có điều kiện thi hành.", THADS_TINH),
        ("Không có cán bộ, công chức vi phạm kỷ luật đến mức phải xử lý.", ""),
    ),
)

PACT_2018 = PactSpec(
    place="Đồng Hới",
    parties=(
        "Các Sở Tư pháp và Cục Thi hành án dân sự của 13 tỉnh, thành phố duyên hải miền Trung và Tây Nguyên "
        "(danh sách 13 tỉnh là suy luận; nội dung giao ước minh họa theo bài báo ngày 19/3/2018):"
    ),
    clauses=(
        f"Thi đua thực hiện phong trào {MOVEMENT_NAMES[0]}.",
        f"Hưởng ứng các phong trào {MOVEMENT_NAMES[1]}, {MOVEMENT_NAMES[2]}, {MOVEMENT_NAMES[3]} và "
        f"{MOVEMENT_NAMES[4]}; các phong trào thi đua theo đợt, theo chuyên đề do Bộ Tư pháp và địa phương phát động.",
        "Ra sức thi đua, quyết tâm phấn đấu hoàn thành vượt mức các chỉ tiêu, nhiệm vụ được giao năm 2018.",
        "Kịp thời phát hiện, bồi dưỡng, nhân rộng các mô hình mới, cách làm hay, gương người tốt, việc tốt, các "
        "điển hình tiên tiến; kịp thời biểu dương, khen thưởng tập thể, cá nhân có thành tích tiêu biểu, xuất sắc.",
        "Tăng cường đoàn kết, hợp tác, chia sẻ kinh nghiệm giữa các cơ quan, đơn vị trong Khu vực.",
    ),
    targets="Mỗi đơn vị đăng ký danh hiệu thi đua từ đầu năm và hoàn thành các chỉ tiêu được giao năm 2018.",
    implementation=(
        "Đợt 1 từ đầu năm đến 30/6/2018, đợt 2 từ 01/7/2018 đến hết năm. Trưởng Khu vực theo dõi, tổng hợp kết quả "
        "thực hiện giao ước, báo cáo Bộ Tư pháp (Vụ Thi đua - Khen thưởng) khi sơ kết, tổng kết."
    ),
)

PACT_2026 = PactSpec(
    place="Tây Ninh",
    parties=(
        "Các Sở Tư pháp và cơ quan Thi hành án dân sự của các tỉnh, thành phố thuộc Cụm thi đua (nội dung minh họa):"
    ),
    clauses=(
        "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị được giao năm 2026; ổn định tổ chức bộ máy sau sắp xếp "
        "ngày 01/7/2025.",
        "Đẩy mạnh chuyển đổi số, ứng dụng công nghệ thông tin trong công tác tư pháp và thi hành án dân sự.",
        f"Hưởng ứng các phong trào {MOVEMENT_NAMES[1]}, {MOVEMENT_NAMES[2]} và {MOVEMENT_NAMES[3]}.",
        "Phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến; đoàn kết, hợp tác, chia sẻ kinh nghiệm giữa "
        "các đơn vị trong Cụm.",
        # Added after the comment of COMMENTER_2026 on the draft.
        "Giải quyết dứt điểm các việc có điều kiện thi hành, giảm số việc chuyển sang kỳ sau.",
    ),
    targets="Các chỉ tiêu theo Kế hoạch của Cụm năm 2026, riêng cho Sở Tư pháp và cơ quan Thi hành án dân sự.",
    implementation=(
        "Trưởng Cụm theo dõi, tổng hợp kết quả thực hiện giao ước, báo cáo Bộ Tư pháp khi sơ kết 6 tháng và "
        "tổng kết năm."
    ),
)
COMMENT_2026 = (
    "Đề nghị bổ sung nội dung giao ước về thi hành án dân sự: giải quyết dứt điểm các việc có điều kiện thi hành."
)


@dataclass
class DemoLogin:
    """A leader's account of the 2026 demo, and the unit they act for."""

    user: User
    created: bool
    unit: Unit


@dataclass
class PactsDemo:
    campaigns: list[Campaign] = field(default_factory=list)
    pact_2018: Pact | None = None
    pact_2026: Pact | None = None
    leaders_2026: list[DemoLogin] = field(default_factory=list)
    signers_2018: list[User] = field(default_factory=list)
    officers: list[User] = field(default_factory=list)
    changes: int = 0


class _DemoPasswordHash:
    """The demo password, hashed once and only if an account is created: each hash takes about a second.
    The hash of an account the accounts demo has just created is reused."""

    def __init__(self, seed: DemoSeed) -> None:
        self._hash = next((user.password for user, created in seed.accounts if created), "")

    def __call__(self) -> str:
        self._hash = self._hash or make_password(DEMO_PASSWORD)
        return self._hash


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _deadline_2026() -> datetime:
    """31/12/2026 23:59, or 60 days from today if that is later, so that the demo pact can still be signed."""
    return _at(max(date(DEMO_YEAR, 12, 31), timezone.localdate() + timedelta(days=60)), time(23, 59))


def _movements() -> list[Movement]:
    """The five movements of 2018 (loaded again if someone deleted one)."""
    return [
        Movement.objects.get_or_create(name=name, defaults={"short_name": short_name})[0]
        for short_name, name in MOVEMENTS_2018
    ]


# ---------------------------------------------------------------------------------------------
# Accounts of the signers
# ---------------------------------------------------------------------------------------------


def _signer_account(appointment: Appointment, username: str, password: Callable[[], str] | None) -> tuple[User, bool]:
    """The account linked to the appointment; created and linked if missing (without a password if None)."""
    if appointment.user_id:
        return appointment.user, False
    user, created = user_create_or_update(
        username=username,
        full_name=appointment.full_name,
        email=f"{username}@thidua.example.vn" if password else "",
        position=appointment.position,
        unit=appointment.unit,
        roles={Role.LEADER},
    )
    if created and password:
        user.password = password()
        user.save(update_fields=["password"])
    region_services.appointment_link_user(appointment=appointment, user=user)
    return user, created


def _roster_units(data: DemoData, slug: str, year: int) -> list[Unit]:
    memberships = RegionMembership.objects.filter(region=data.regions[slug], year=year).select_related("unit")
    return [m.unit for m in memberships.order_by("rotation_position", "id")]


def _keys(data: DemoData) -> dict[int, str]:
    return {unit.pk: key for key, unit in data.units.items()}


def _signers_2018(data: DemoData, result: PactsDemo) -> dict[int, tuple[User, Appointment]]:
    """For each central unit of 2018, its head on the conference day and the account they sign with."""
    keys, signers = _keys(data), {}
    for unit in _roster_units(data, CENTRAL.slug, 2018):
        appointment = head_on(unit, CENTRAL_2018.conference_date)
        if appointment is None:
            raise RuntimeError(
                f"{unit} has no head on {CENTRAL_2018.conference_date:%d/%m/%Y}: seed the regions first."
            )
        username = "lanhdao2018." + keys[unit.pk].replace(":", "-")
        user, created = _signer_account(appointment, username, None)
        signers[unit.pk] = (user, appointment)
        result.changes += created
    return signers


def _leaders_2026(data: DemoData, password: Callable[[], str]) -> list[DemoLogin]:
    """A log-in with the demo password for today's head of every south-east unit of 2026."""
    logins = []
    for unit in _roster_units(data, SOUTH_EAST.slug, DEMO_YEAR):
        appointment = head_on(unit, timezone.localdate())
        if appointment is None:
            raise RuntimeError(f"{unit} has no head today: seed the regions first.")
        user, created = _signer_account(appointment, f"lanhdao.{ascii_slug(unit.short_name)}", password)
        logins.append(DemoLogin(user=user, created=created, unit=unit))
    return logins


# ---------------------------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------------------------


def _campaign(spec: CampaignSpec, data: DemoData, actor: User, movements: list[Movement]) -> tuple[Campaign, bool]:
    region = data.regions[spec.region_slug]
    campaign = Campaign.objects.filter(region=region, year=spec.year).first()
    if campaign is not None:
        return campaign, False
    campaign = services.campaign_create(
        region=region,
        year=spec.year,
        title=spec.title,
        actor=actor,
        theme=spec.theme,
        movements=[movements[n] for n in spec.movements],
        conference_date=spec.conference_date,
        conference_place=spec.conference_place,
        conference_host=data.units[spec.host_key],
        conference_guests=spec.guests,
    )
    phases = [{"name": p.name, "start": p.start, "end": p.end, "unit_kinds": p.unit_kinds} for p in spec.phases]
    services.campaign_set_phases(campaign=campaign, phases=phases, actor=actor)
    if spec.targets:
        services.campaign_set_targets(campaign=campaign, targets=list(spec.targets), actor=actor)
    services.campaign_update(campaign=campaign, actor=actor, status=spec.status)
    return campaign, True


def slot_signs(pact: Pact, slot, user: User, info: RequestInfo) -> None:
    """The leader of a signatory unit signs, consenting to the text as the signing page shows it (the demo and
    the benchmark data sign this way)."""
    services.pact_sign(pact=pact, unit=slot.unit, user=user, consent=True, content_hash=pact.content_hash, info=info)


def _draft(campaign: Campaign, spec: PactSpec, actor: User, clauses: tuple[str, ...]) -> Pact:
    pact = services.pact_create(campaign=campaign, actor=actor)
    return services.pact_update_draft(
        pact=pact,
        actor=actor,
        clauses=list(clauses),
        place=spec.place,
        parties=spec.parties,
        targets=spec.targets,
        implementation=spec.implementation,
    )


# ---------------------------------------------------------------------------------------------
# 2018: the central region's pact, signed at the conference
# ---------------------------------------------------------------------------------------------


def _backfill_2018_ceremony(pact: Pact, signers: dict[int, tuple[User, Appointment]]) -> Pact:
    """DEMO BACK-FILLING OF HISTORY, never called by the product: opens the draft, signs it for every unit
    and executes it as on the conference day (signatures from 09:30, two minutes apart), writing the rows
    that ``pact_open`` and ``pact_sign`` would have written then, marked with ``BACKFILL_AGENT``."""
    pact = Pact.objects.select_for_update().select_related("campaign__region").get(pk=pact.pk)
    opened_at = _at(pact.signed_on, time(8, 0))
    pact.content_text = pact_canonical_text(pact)
    pact.content_hash = sha256_hex(pact.content_text)
    marked = {"ip_address": None, "user_agent": BACKFILL_AGENT}
    events = [
        AuditEvent(action=AuditEvent.Action.OPENED, at=opened_at, detail=pact.content_hash, **marked),
    ]
    signatures = []
    for n, slot in enumerate(pact.signatories.select_related("unit").order_by("order")):
        user, appointment = signers[slot.unit_id]
        authority = services.AUTHORITY_OF_APPOINTMENT[appointment.kind]
        signed_at = opened_at + timedelta(minutes=90 + 2 * n, seconds=(17 * n) % 60)
        signatures.append(
            PactSignature(
                pact=pact,
                unit=slot.unit,
                signer=user,
                signer_name=appointment.full_name,
                signer_position=appointment.position,
                unit_name=slot.unit_name,
                authority=authority,
                signed_at=signed_at,
                content_hash=pact.content_hash,
                **marked,
            )
        )
        events.append(
            AuditEvent(
                action=AuditEvent.Action.SIGNED,
                actor=user,
                actor_name=user.full_name,
                unit=slot.unit,
                unit_name=slot.unit_name,
                at=signed_at,
                detail=f"{authority} {appointment.position}".strip(),
                **marked,
            )
        )
    executed_at = signatures[-1].signed_at
    events.append(AuditEvent(action=AuditEvent.Action.EXECUTED, at=executed_at, detail=pact.content_hash, **marked))
    # Two saves, as on the day: the database lets a draft only open, and executes an open pact only once
    # every slot holds a signature on its text (pacts/migrations/0006).
    pact.status = Pact.Status.OPEN
    pact.deadline = _at(pact.signed_on, time(17, 0))
    pact.opened_at = opened_at
    pact.save()
    PactSignature.objects.bulk_create(signatures)
    for event in events:
        event.pact, event.campaign = pact, pact.campaign
    AuditEvent.objects.bulk_create(events)
    pact.status = Pact.Status.EXECUTED
    pact.executed_at = executed_at
    pact.save(update_fields=["status", "executed_at", "updated_at"])
    # An executed pact gets its PDF job in the same transaction, as after a last signature online.
    pdf_job_create(pact=pact)
    transaction.on_commit(lambda: pact_executed.send(sender=Pact, pact=pact))
    return pact


@transaction.atomic
def _seed_2018(data: DemoData, ministry: User, movements: list[Movement], result: PactsDemo) -> None:
    signers = _signers_2018(data, result)
    result.signers_2018 = sorted({user for user, _ in signers.values()}, key=lambda u: u.username)
    for spec in (CENTRAL_2018, SOUTH_EAST_2018):
        campaign, created = _campaign(spec, data, ministry, movements)
        result.campaigns.append(campaign)
        result.changes += created
    central = result.campaigns[0]
    pact = central.pacts.order_by("-version").first()
    if pact is None:
        pact = _draft(central, PACT_2018, ministry, PACT_2018.clauses)
        pact = _backfill_2018_ceremony(pact, signers)
        result.changes += 1
    result.pact_2018 = pact


# ---------------------------------------------------------------------------------------------
# 2026: the south-east's pact, open for signing
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def _seed_2026(data: DemoData, officer: User, movements: list[Movement], result: PactsDemo) -> None:
    campaign, created = _campaign(SOUTH_EAST_2026, data, officer, movements)
    result.campaigns.append(campaign)
    result.changes += created
    pact = campaign.pacts.order_by("-version").first()
    if pact is None:
        leaders = {login.unit.pk: login.user for login in result.leaders_2026}
        commenter = data.units[COMMENTER_2026]
        # The draft, a member's comment, and the clause added in answer: every edit kept as a revision.
        pact = _draft(campaign, PACT_2026, officer, PACT_2026.clauses[:-1])
        services.pact_comment(pact=pact, author=leaders[commenter.pk], unit=commenter, text=COMMENT_2026)
        pact = services.pact_update_draft(pact=pact, actor=officer, clauses=list(PACT_2026.clauses))
        pact = services.pact_open(pact=pact, deadline=_deadline_2026(), actor=officer)
        pending = {data.units[key].pk for key in PENDING_2026}
        for slot in pact.signatories.select_related("unit").order_by("order"):
            if slot.unit_id not in pending:
                slot_signs(pact, slot, leaders[slot.unit_id], DEMO_SIGNING)
        pact.refresh_from_db()
        result.changes += 1
    result.pact_2026 = pact


# ---------------------------------------------------------------------------------------------
# The whole pacts demo
# ---------------------------------------------------------------------------------------------


def seed_demo_pacts(seed: DemoSeed) -> PactsDemo:
    """The 2018 and 2026 campaigns and pacts, after ``thidua.demo.seed_demo``; a part already there is kept.

    Three transactions: the signers' accounts first, so that a leader linked to an appointment is told of
    pacts awaiting their signature only once they exist (and in the seed, none do yet), then 2018, then 2026.
    """
    accounts = {user.username: user for user, _created in seed.accounts}
    result = PactsDemo()
    with transaction.atomic():
        result.leaders_2026 = _leaders_2026(seed.data, _DemoPasswordHash(seed))
        result.changes += sum(login.created for login in result.leaders_2026)
    movements = _movements()
    _seed_2018(seed.data, accounts["bo.thidua"], movements, result)
    _seed_2026(seed.data, accounts["khuvuc.tayninh"], movements, result)
    result.officers = [accounts["khuvuc.dongnambo"], accounts["khuvuc.tayninh"]]
    return result
