"""Demo campaigns and pacts, seeded as the years they tell went: every step through ``pacts.services``, at the
moment it happened in the story, on a clock set back for that step (``past_clock``). The audit trail, the e-mails
and the PDF jobs of a step carry its moment, never the day the demo was seeded.

2018 (the source article; the regions demo gives the units and their leaders):
- the campaigns of both regions, with their conferences, the five movements and the two phases; closed at the
  year-end review;
- each region's pact, drafted and opened the week before its conference and signed there: the south-east's on
  the morning of 16/03/2018 in Ninh Thuận by the leaders of its 12 Sở Tư pháp and 12 Cục THADS (the article:
  "lãnh đạo Sở Tư pháp và Cục THADS các tỉnh … đã thống nhất ký kết"; its Chi cục are members, not parties),
  the central region's on 19/03/2018 in Đồng Hới, Quảng Bình, by its 26 units.

2026 (illustrative):
- the south-east's pact drafted in February (a member's comment and the clause added in answer), opened on
  06/03/2026 with a deadline at the end of the quarter, and signed by every unit on the morning of its
  first-quarter conference, 13/03/2026, which executed it;
- the central region's pact, signed at its first-quarter conference on 20/03/2026 by the units present; the
  three absent units (``PENDING_CENTRAL_2026``) were left to sign online by the year's end (the deadline set
  when it opened, 31/12/2026 17:00, or two weeks after the seeding if that is later), and were reminded on
  30/11/2026. Their leaders' log-ins (``lanhdao.quangtri`` among them) sign it in the browser.

Each pact's text is a real pact's: its number and symbol, the province as the place, the bases chosen from the
catalogue of legal documents (``legal``: the laws, decree and circular in force on the pact's date, each with its
number and date) and the plan adopted at the conference, the targets per kind of unit, the titles aimed for, and
scoring and suy tôn in the implementation section (pacts.draft_content writes those two). ILLUSTRATIVE, and said
so here rather than in any signed text: the numbers and symbols ("01/GƯTĐ-…"), the targets, the commitments
beyond the article's movements, the dates of drafting, opening, reminding and closing, and everything of 2026.

The signers are each unit's head on the signing day. Today's heads of the 2026 units get a log-in with the demo
password ("lanhdao.<unit>"); a 2018 head who leads no unit today gets an account without a password
("lanhdao2018.<unit>": history only). Signatures carry no IP address and say in their browser field that they are
demo data signed at the conference.

Running it twice changes nothing: each step first checks whether it was done, so an interrupted run resumes.
"""

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from unittest import mock
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from accounts.services import user_create_or_update
from core.dates import long_date
from core.text import ascii_slug
from outbox.models import Email
from outbox.services import email_claim, email_deliver, email_fail
from regions import services as region_services
from regions.demo import CENTRAL, SOUTH_EAST, DemoData, DemoSeed
from regions.models import Appointment, RegionMembership, Unit
from regions.selectors import head_on

from . import draft_content, services
from .audit import RequestInfo
from .models import AuditEvent, Campaign, Movement, Pact, PactSignatory

DEMO_YEAR = 2026
SO, CUC, THADS_TINH = Unit.Kind.SO_TU_PHAP, Unit.Kind.CUC_THADS, Unit.Kind.THADS_TINH
VIETNAM = ZoneInfo(settings.TIME_ZONE)
# The browser field of the demo's signatures: they were made by the seed, for units signing at a conference.
CONFERENCE_SIGNING = RequestInfo(ip_address=None, user_agent="Dữ liệu minh họa (seed_demo): ký tại hội nghị")
# The central region's units absent from its 2026 conference, left for the demo's leaders to sign.
PENDING_CENTRAL_2026 = ("stp:quang-tri-2025", "thads:quang-tri-2025", "thads:hue")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of the story, in Vietnam's time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VIETNAM)


# ---------------------------------------------------------------------------------------------
# The clock of the past
# ---------------------------------------------------------------------------------------------

_REAL_NOW = timezone.now


class PastClock:
    """The moment Django's clock shows while ``past_clock`` runs: set by the demo before each step of its past.

    Why a clock rather than a ``now=`` argument of the services: the services that views reach keep no way to
    back-date an opening, a signature or an audit event; the clock exists only in the seed command's process,
    for the steps it replays, and refuses any moment later than the real one."""

    def __init__(self) -> None:
        self._moment: dt.datetime | None = None

    def now(self) -> dt.datetime:
        if self._moment is None:
            raise RuntimeError("The demo's clock is not set: call set() before a step.")
        return self._moment

    def set(self, moment: dt.datetime) -> None:
        if timezone.is_naive(moment):
            raise ValueError("The demo's clock needs an aware moment.")
        if moment > _REAL_NOW():
            raise ValueError(f"{moment:%d/%m/%Y %H:%M} is not in the past: the demo's clock only goes back.")
        self._moment = moment.astimezone(dt.UTC)


@contextmanager
def past_clock() -> Iterator[PastClock]:
    """Sets Django's clock back for the demo's steps of the past: ``django.utils.timezone.now`` (read by the
    services, by ``auto_now`` fields and by tasks run in-process) and the model fields whose default is that
    function, taken when their module was imported (``outbox.Email.due_at``, ``User.date_joined``).
    Everything is put back on leaving."""
    if timezone.now is not _REAL_NOW:
        raise RuntimeError("Django's clock is already set back.")
    clock = PastClock()
    defaults = [f for model in apps.get_models() for f in model._meta.concrete_fields if f.default is _REAL_NOW]
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(timezone, "now", clock.now))
        for model_field in defaults:
            stack.enter_context(mock.patch.object(model_field, "get_default", clock.now))
        yield clock


@contextmanager
def step(clock: PastClock, moment: dt.datetime) -> Iterator[None]:
    """One step of the past, in a transaction of its own at ``moment``, as a request would have run then.

    The e-mails the step writes are sent at that moment, before it commits (the worker finds them sent): none of
    the past waits in the outbox to go out today. A PDF job is rendered by the queue after the commit, still at
    that moment when tasks run in-process (``make run``); a separate worker renders it when it takes it."""
    clock.set(moment)
    with transaction.atomic():
        yield
        _send_emails_written_at(moment)


def _send_emails_written_at(moment: dt.datetime) -> None:
    """Sends the step's e-mails as the outbox's worker would, at the step's moment."""
    written = Email.objects.filter(status=Email.Status.PENDING, created_at=moment).order_by("pk")
    for email_id in written.values_list("pk", flat=True):
        email = email_claim(email_id)
        if email is None:
            continue
        try:
            email_deliver(email)
        except Exception as error:  # noqa: BLE001 - as the worker does: the attempt is recorded, the sweep retries
            email_fail(email, error)


# ---------------------------------------------------------------------------------------------
# What the demo seeds
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    start: dt.date
    end: dt.date
    unit_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class CampaignSpec:
    region_slug: str
    year: int
    title: str
    theme: str
    conference_date: dt.date
    conference_place: str
    host_key: str  # a unit of the regions demo
    guests: str
    movements: tuple[int, ...]  # positions in the five movements of 2018
    phases: tuple[PhaseSpec, ...]
    targets: tuple[tuple[str, str], ...]  # (text, unit kind or "" for every unit)
    titles: str  # the titles aimed for, one per line
    created: dt.datetime
    closed: dt.datetime | None = None  # the year-end review that closes it


@dataclass(frozen=True)
class CommentSpec:
    """A member's comment on the draft, and the clause added in answer."""

    at: dt.datetime
    unit_key: str
    text: str
    revised: dt.datetime


@dataclass(frozen=True)
class PactSpec:
    campaign: CampaignSpec
    actor: str  # the demo log-in that drafts, opens and reminds
    number: str  # ILLUSTRATIVE number and symbol
    place: str  # the province where the conference signed it
    parties: str
    clauses: tuple[str, ...]
    drafted: dt.datetime
    opened: dt.datetime
    deadline: Callable[[], dt.datetime]
    first_signature: dt.datetime  # at the conference, in the pact's order
    minutes_apart: int
    unit_kinds: tuple[str, ...] = ()  # the parties among the roster: these kinds only, or every unit
    pending: tuple[str, ...] = ()  # units that do not sign at the conference
    comment: CommentSpec | None = None
    reminded: dt.datetime | None = None

    @property
    def signed_on(self) -> dt.date:
        return self.campaign.conference_date


def _two_phases(year: int) -> tuple[PhaseSpec, ...]:
    """The article: đợt 1 from the start of the year to 30/6, đợt 2 from 1/7 to the year's end."""
    return (
        PhaseSpec("Đợt 1", dt.date(year, 1, 1), dt.date(year, 6, 30)),
        PhaseSpec("Đợt 2", dt.date(year, 7, 1), dt.date(year, 12, 31)),
    )


# Illustrative: the enforcement bodies count their year from 01/10 to 30/09.
PHASES_2026 = (
    PhaseSpec("Đợt 1", dt.date(2026, 1, 1), dt.date(2026, 6, 30), (SO,)),
    PhaseSpec("Đợt 2", dt.date(2026, 7, 1), dt.date(2026, 12, 31), (SO,)),
    PhaseSpec("Đợt 1 (năm công tác thi hành án)", dt.date(2025, 10, 1), dt.date(2026, 3, 31), (THADS_TINH,)),
    PhaseSpec("Đợt 2 (năm công tác thi hành án)", dt.date(2026, 4, 1), dt.date(2026, 9, 30), (THADS_TINH,)),
)

# The five movements named in 2018, as migration 0002 loads them: (short name, name).
MOVEMENTS_2018 = importlib.import_module("pacts.migrations.0002_movements_and_evidence_guards").MOVEMENTS_2018
MOVEMENT_NAMES = tuple(f"“{name}”" for _short_name, name in MOVEMENTS_2018)

# ILLUSTRATIVE targets: what the sector's pacts commit to, without figures the sources do not give.
NO_DISCIPLINE = "Không có công chức, người lao động vi phạm pháp luật, kỷ luật đến mức phải xử lý."
TARGETS_2018 = (
    ("Hoàn thành toàn diện các nhiệm vụ công tác năm 2018 được giao.", ""),
    (NO_DISCIPLINE, ""),
    ("Thẩm định 100% dự thảo văn bản quy phạm pháp luật được gửi thẩm định, bảo đảm đúng thời hạn, chất lượng.", SO),
    (
        "Thực hiện đúng tiến độ kế hoạch phổ biến, giáo dục pháp luật, hòa giải ở cơ sở, kiểm tra, rà soát văn bản "
        "quy phạm pháp luật năm 2018.",
        SO,
    ),
    (
        "Hoàn thành vượt mức chỉ tiêu giải quyết xong về việc và về tiền có điều kiện thi hành do Tổng cục Thi hành "
        "án dân sự giao năm 2018.",
        CUC,
    ),
    ("Giảm số việc, số tiền có điều kiện thi hành chuyển sang kỳ sau so với năm 2017.", CUC),
)
TARGETS_2026 = (
    ("Hoàn thành toàn diện các nhiệm vụ công tác năm 2026 được giao.", ""),
    (NO_DISCIPLINE, ""),
    ("Thẩm định 100% dự thảo văn bản quy phạm pháp luật được gửi thẩm định, bảo đảm đúng thời hạn, chất lượng.", SO),
    ("Giải quyết đúng hạn 100% hồ sơ thủ tục hành chính thuộc thẩm quyền của Sở.", SO),
    (
        "Hoàn thành vượt mức chỉ tiêu giải quyết xong về việc và về tiền có điều kiện thi hành do Bộ Tư pháp giao "
        "năm 2026.",
        THADS_TINH,
    ),
    ("Ổn định tổ chức, hoạt động của các Phòng Thi hành án dân sự khu vực sau sắp xếp.", THADS_TINH),
)
FLAG = "Cờ thi đua ngành Tư pháp"
TITLES_2026 = f"Cờ thi đua của Chính phủ\n{FLAG}"

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
    conference_date=dt.date(2018, 3, 19),
    conference_place="TP. Đồng Hới, tỉnh Quảng Bình",
    host_key="stp:quang-binh",  # illustrative: the region's head unit that year, in the host province
    guests="Vụ Thi đua - Khen thưởng (Bộ Tư pháp); Tổng cục Thi hành án dân sự",
    movements=(0, 1, 2, 3, 4),
    phases=_two_phases(2018),
    targets=TARGETS_2018,
    titles=FLAG,
    created=at(dt.date(2018, 3, 6), 8, 30),
    closed=at(dt.date(2018, 12, 21), 16),
)

SOUTH_EAST_2018 = CampaignSpec(
    region_slug=SOUTH_EAST.slug,
    year=2018,
    title="Kế hoạch phát động phong trào thi đua Khối cơ quan Tư pháp các tỉnh miền Đông Nam bộ năm 2018",
    theme=(
        "Bám sát nhiệm vụ chính trị được giao, phát huy truyền thống 73 năm xây dựng và phát triển, ra sức thi "
        "đua, quyết tâm phấn đấu hoàn thành vượt mức các chỉ tiêu, nhiệm vụ năm 2018 của ngành Tư pháp."
    ),
    conference_date=dt.date(2018, 3, 16),
    conference_place="tỉnh Ninh Thuận",
    host_key="cuc:ninh-thuan",  # illustrative: the deputy head unit of the host province
    guests="",
    movements=(0, 1, 2, 3, 4),
    phases=_two_phases(2018),
    targets=TARGETS_2018,
    titles=FLAG,  # the article: 12 Sở and 40 Cục and Chi cục registered for it
    created=at(dt.date(2018, 3, 5), 8, 30),
    closed=at(dt.date(2018, 12, 14), 16),  # the year-end review of awards.demo
)

SOUTH_EAST_2026 = CampaignSpec(
    region_slug=SOUTH_EAST.slug,
    year=DEMO_YEAR,
    title=(
        "Kế hoạch phát động phong trào thi đua Cụm thi đua Sở Tư pháp, Thi hành án dân sự các tỉnh miền Đông "
        "Nam bộ năm 2026"
    ),
    theme=("Đoàn kết, kỷ cương, đổi mới, sáng tạo; hoàn thành xuất sắc nhiệm vụ năm 2026 sau sắp xếp tổ chức bộ máy."),
    conference_date=dt.date(DEMO_YEAR, 3, 13),
    conference_place="tỉnh Tây Ninh",
    host_key="stp:tay-ninh-2025",  # the region's head unit in 2026, by the demo's rotation
    guests="Vụ Tổ chức cán bộ (Bộ Tư pháp); Cục Quản lý thi hành án dân sự",
    movements=(1, 2, 3),
    phases=PHASES_2026,
    targets=TARGETS_2026,
    titles=TITLES_2026,
    created=at(dt.date(DEMO_YEAR, 2, 3), 9),
)

CENTRAL_2026 = CampaignSpec(
    region_slug=CENTRAL.slug,
    year=DEMO_YEAR,
    title=(
        "Kế hoạch phát động phong trào thi đua Cụm thi đua Sở Tư pháp, Thi hành án dân sự các tỉnh duyên hải "
        "miền Trung và Tây Nguyên năm 2026"
    ),
    theme=("Đoàn kết, kỷ cương, đổi mới, sáng tạo; hoàn thành xuất sắc nhiệm vụ năm 2026 sau sắp xếp tổ chức bộ máy."),
    conference_date=dt.date(DEMO_YEAR, 3, 20),
    conference_place="tỉnh Khánh Hòa",
    host_key="stp:khanh-hoa-2025",  # the region's head unit in 2026, by the demo's rotation
    guests="Vụ Tổ chức cán bộ (Bộ Tư pháp); Cục Quản lý thi hành án dân sự",
    movements=(1, 2, 3),
    phases=PHASES_2026,
    targets=TARGETS_2026,
    titles=TITLES_2026,
    created=at(dt.date(DEMO_YEAR, 2, 24), 9),
)

CLAUSES_2018 = (
    f"Thi đua thực hiện phong trào {MOVEMENT_NAMES[0]}.",
    f"Hưởng ứng các phong trào {MOVEMENT_NAMES[1]}, {MOVEMENT_NAMES[2]}, {MOVEMENT_NAMES[3]} và "
    f"{MOVEMENT_NAMES[4]}; các phong trào thi đua theo đợt, theo chuyên đề do Bộ Tư pháp và địa phương phát động.",
    "Ra sức thi đua, quyết tâm phấn đấu hoàn thành vượt mức các chỉ tiêu, nhiệm vụ được giao năm 2018.",
    "Kịp thời phát hiện, bồi dưỡng, nhân rộng các mô hình mới, cách làm hay, gương người tốt, việc tốt, các "
    "điển hình tiên tiến; kịp thời biểu dương, khen thưởng tập thể, cá nhân có thành tích tiêu biểu, xuất sắc.",
    "Tăng cường đoàn kết, hợp tác, chia sẻ kinh nghiệm giữa các cơ quan, đơn vị trong Khu vực.",
)
CLAUSES_2026 = (
    "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị được giao năm 2026; ổn định tổ chức bộ máy sau sắp xếp "
    "ngày 01/7/2025.",
    "Đẩy mạnh chuyển đổi số, ứng dụng công nghệ thông tin trong công tác tư pháp và thi hành án dân sự.",
    f"Hưởng ứng các phong trào {MOVEMENT_NAMES[1]}, {MOVEMENT_NAMES[2]} và {MOVEMENT_NAMES[3]}.",
    "Phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến; đoàn kết, hợp tác, chia sẻ kinh nghiệm giữa "
    "các đơn vị trong Cụm.",
    "Giải quyết dứt điểm các việc có điều kiện thi hành, giảm số việc chuyển sang kỳ sau.",
)
PARTIES_2026 = "Các Sở Tư pháp và cơ quan Thi hành án dân sự các tỉnh, thành phố thuộc Cụm thi đua, gồm:"


def _fixed(moment: dt.datetime) -> Callable[[], dt.datetime]:
    return lambda: moment


def _central_2026_deadline() -> dt.datetime:
    """The year's end, or two weeks after the seeding if that is later, so that the demo's leaders can sign."""
    real_today = timezone.localdate(_REAL_NOW())
    return at(max(dt.date(DEMO_YEAR, 12, 31), real_today + dt.timedelta(days=14)), 17)


PACT_SOUTH_EAST_2018 = PactSpec(
    campaign=SOUTH_EAST_2018,
    actor="khuvuc.dongnambo",
    number="01/GƯTĐ-KVĐNB",
    place="Ninh Thuận",
    parties="Các Sở Tư pháp và Cục Thi hành án dân sự của 12 tỉnh thuộc Khu vực thi đua, gồm:",
    clauses=CLAUSES_2018,
    drafted=at(dt.date(2018, 3, 5), 9),
    opened=at(dt.date(2018, 3, 12), 8),
    deadline=_fixed(at(dt.date(2018, 3, 16), 17)),
    first_signature=at(dt.date(2018, 3, 16), 9),  # "Sáng 16/3"
    minutes_apart=2,
    unit_kinds=(SO, CUC),
)
PACT_CENTRAL_2018 = PactSpec(
    campaign=CENTRAL_2018,
    actor="bo.thidua",
    number="01/GƯTĐ-KVDHMTTN",
    place="Quảng Bình",
    parties=(
        "Các Sở Tư pháp và Cục Thi hành án dân sự của 13 tỉnh, thành phố duyên hải miền Trung và Tây Nguyên "
        "thuộc Khu vực thi đua, gồm:"
    ),
    clauses=CLAUSES_2018,
    drafted=at(dt.date(2018, 3, 6), 9),
    opened=at(dt.date(2018, 3, 13), 8),
    deadline=_fixed(at(dt.date(2018, 3, 19), 17)),
    first_signature=at(dt.date(2018, 3, 19), 9, 30),
    minutes_apart=2,
)
PACT_SOUTH_EAST_2026 = PactSpec(
    campaign=SOUTH_EAST_2026,
    actor="khuvuc.tayninh",
    number="01/GƯTĐ-CĐNB",
    place="Tây Ninh",
    parties=PARTIES_2026,
    clauses=CLAUSES_2026,
    drafted=at(dt.date(DEMO_YEAR, 2, 3), 9, 30),
    opened=at(dt.date(DEMO_YEAR, 3, 6), 8),
    deadline=_fixed(at(dt.date(DEMO_YEAR, 3, 31), 17)),
    first_signature=at(dt.date(DEMO_YEAR, 3, 13), 9),
    minutes_apart=3,
    comment=CommentSpec(
        at=at(dt.date(DEMO_YEAR, 2, 5), 14),
        unit_key="thads:dong-nai-2025",
        text=(
            "Đề nghị bổ sung nội dung giao ước về thi hành án dân sự: giải quyết dứt điểm các việc có điều kiện "
            "thi hành."
        ),
        revised=at(dt.date(DEMO_YEAR, 2, 25), 10),
    ),
)
PACT_CENTRAL_2026 = PactSpec(
    campaign=CENTRAL_2026,
    actor="bo.thidua",
    number="01/GƯTĐ-CDHMTTN",
    place="Khánh Hòa",
    parties=PARTIES_2026,
    clauses=CLAUSES_2026,
    drafted=at(dt.date(DEMO_YEAR, 2, 24), 9, 30),
    opened=at(dt.date(DEMO_YEAR, 3, 16), 8),
    deadline=_central_2026_deadline,
    first_signature=at(dt.date(DEMO_YEAR, 3, 20), 9),
    minutes_apart=3,
    pending=PENDING_CENTRAL_2026,
    reminded=at(dt.date(DEMO_YEAR, 11, 30), 9),
)
PACTS = (PACT_SOUTH_EAST_2018, PACT_CENTRAL_2018, PACT_SOUTH_EAST_2026, PACT_CENTRAL_2026)


def plan_basis(spec: CampaignSpec) -> str:
    """The basis that cites the region's plan, with the day of the conference that adopted it."""
    return f"Căn cứ {spec.title} được Hội nghị {long_date(spec.conference_date)} thông qua,"


# ---------------------------------------------------------------------------------------------
# Accounts of the signers
# ---------------------------------------------------------------------------------------------


@dataclass
class DemoLogin:
    """A leader's log-in of the 2026 demo, and the unit they act for."""

    user: User
    created: bool
    unit: Unit


@dataclass
class PactsDemo:
    campaigns: list[Campaign] = field(default_factory=list)
    pacts: list[Pact] = field(default_factory=list)
    leaders: list[DemoLogin] = field(default_factory=list)  # today's heads of the 2026 units
    history_accounts: list[User] = field(default_factory=list)  # earlier signers, without a password
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


def _leaders(data: DemoData, password: Callable[[], str]) -> list[DemoLogin]:
    """A log-in with the demo password for today's head of every unit of the 2026 rosters."""
    logins = []
    today = timezone.localdate()
    for slug in (SOUTH_EAST.slug, CENTRAL.slug):
        for unit in _roster_units(data, slug, DEMO_YEAR):
            appointment = head_on(unit, today)
            if appointment is None:
                raise RuntimeError(f"{unit} has no head today: seed the regions first.")
            user, created = _signer_account(appointment, f"lanhdao.{ascii_slug(unit.short_name)}", password)
            logins.append(DemoLogin(user=user, created=created, unit=unit))
    return logins


def _signers(data: DemoData, result: PactsDemo) -> None:
    """An account for the head of every unit that signs at a conference, on that day: their log-in if they lead
    a unit today (``_leaders`` made it), else an account without a password, "lanhdao<year>.<unit>"."""
    keys = {unit.pk: key for key, unit in data.units.items()}
    for spec in PACTS:
        day = spec.first_signature.date()
        pending = {data.units[key].pk for key in spec.pending}
        for unit in _parties(spec, data):
            if unit.pk in pending:
                continue
            appointment = head_on(unit, day)
            if appointment is None:
                raise RuntimeError(f"{unit} has no head on {day:%d/%m/%Y}: seed the regions first.")
            username = f"lanhdao{day.year}.{keys[unit.pk].replace(':', '-')}"
            result.changes += _signer_account(appointment, username, None)[1]


def _parties(spec: PactSpec, data: DemoData) -> list[Unit]:
    units = _roster_units(data, spec.campaign.region_slug, spec.campaign.year)
    return [unit for unit in units if not spec.unit_kinds or unit.kind in spec.unit_kinds]


# ---------------------------------------------------------------------------------------------
# The steps
# ---------------------------------------------------------------------------------------------


def _movements() -> list[Movement]:
    """The five movements of 2018 (loaded again if someone deleted one)."""
    return [
        Movement.objects.get_or_create(name=name, defaults={"short_name": short_name})[0]
        for short_name, name in MOVEMENTS_2018
    ]


def _campaign(
    spec: CampaignSpec, data: DemoData, actor: User, movements: list[Movement], clock: PastClock, result: PactsDemo
) -> Campaign:
    region = data.regions[spec.region_slug]
    campaign = Campaign.objects.filter(region=region, year=spec.year).first()
    if campaign is None:
        with step(clock, spec.created):
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
                titles=spec.titles,
            )
            phases = [{"name": p.name, "start": p.start, "end": p.end, "unit_kinds": p.unit_kinds} for p in spec.phases]
            services.campaign_set_phases(campaign=campaign, phases=phases, actor=actor)
            services.campaign_set_targets(campaign=campaign, targets=list(spec.targets), actor=actor)
        result.changes += 1
    result.campaigns.append(campaign)
    return campaign


def _draft(spec: PactSpec, campaign: Campaign, data: DemoData, actor: User, clock: PastClock) -> Pact:
    """The draft as the region's office writes it: the catalogue's bases in force on the pact's date and the
    plan, the number, the province, the parties and the commitments; the targets and the implementation as a
    new draft has them (pacts.draft_content), from the campaign."""
    clauses = spec.clauses[:-1] if spec.comment else spec.clauses
    with step(clock, spec.drafted):
        pact = services.pact_create(campaign=campaign, actor=actor, units=_parties(spec, data))
        pact = services.pact_update_draft(
            pact=pact,
            actor=actor,
            clauses=list(clauses),
            number=spec.number,
            place=spec.place,
            parties=spec.parties,
            bases=plan_basis(spec.campaign),
            legal_documents=draft_content.suggested_documents(spec.signed_on),
        )
    if spec.comment:
        commenter = data.units[spec.comment.unit_key]
        with step(clock, spec.comment.at):
            author = head_on(commenter, timezone.localdate()).user
            services.pact_comment(pact=pact, author=author, unit=commenter, text=spec.comment.text)
        with step(clock, spec.comment.revised):
            pact = services.pact_update_draft(pact=pact, actor=actor, clauses=list(spec.clauses))
    return pact


def _sign_at_conference(spec: PactSpec, pact: Pact, data: DemoData, clock: PastClock) -> None:
    """The units present sign in the pact's order, ``minutes_apart`` from the first; the last executes it."""
    pending = {data.units[key].pk for key in spec.pending}
    signed = set(pact.signatures.values_list("unit_id", flat=True))
    slots = pact.signatories.select_related("unit").order_by("order")
    present = [slot for slot in slots if slot.unit_id not in pending]
    for n, slot in enumerate(present):
        if slot.unit_id in signed:
            continue
        moment = spec.first_signature + dt.timedelta(minutes=spec.minutes_apart * n, seconds=(17 * n) % 60)
        with step(clock, moment):
            pact.refresh_from_db()
            slot_signs(pact, slot, head_on(slot.unit, timezone.localdate()).user, CONFERENCE_SIGNING)


def slot_signs(pact: Pact, slot: PactSignatory, user: User, info: RequestInfo) -> None:
    """The leader of a signatory unit signs, consenting to the text as the signing page shows it (the demo and
    the benchmark data sign this way)."""
    services.pact_sign(pact=pact, unit=slot.unit, user=user, consent=True, content_hash=pact.content_hash, info=info)


def _seed_pact(spec: PactSpec, data: DemoData, accounts: dict[str, User], movements, clock, result) -> Pact:
    actor = accounts[spec.actor]
    campaign = _campaign(spec.campaign, data, actor, movements, clock, result)
    pact = campaign.pacts.filter(block="").order_by("-version").first()
    if pact is None:
        pact = _draft(spec, campaign, data, actor, clock)
        result.changes += 1
    if pact.status == Pact.Status.DRAFT:
        with step(clock, spec.opened):
            pact = services.pact_open(pact=pact, deadline=spec.deadline(), actor=actor)
        result.changes += 1
    # A pact opened after its conference (by a seed of an earlier version, on the day it ran) is left as it is.
    if pact.status == Pact.Status.OPEN and pact.opened_at <= spec.first_signature:
        before = pact.signatures.count()
        _sign_at_conference(spec, pact, data, clock)
        pact.refresh_from_db()
        result.changes += pact.signatures.count() > before
    reminded = pact.audit_events.filter(action=AuditEvent.Action.REMINDED).exists()
    if spec.reminded and pact.status == Pact.Status.OPEN and not reminded:
        with step(clock, spec.reminded):
            services.pact_remind(pact=pact, actor=actor)
        result.changes += 1
    campaign.refresh_from_db()
    if spec.campaign.closed and campaign.status == Campaign.Status.LAUNCHED:
        with step(clock, spec.campaign.closed):
            services.campaign_set_status(campaign=campaign, status=Campaign.Status.CLOSED, actor=actor)
        campaign.refresh_from_db()
        result.changes += 1
    return pact


# ---------------------------------------------------------------------------------------------
# The whole pacts demo
# ---------------------------------------------------------------------------------------------


def seed_demo_pacts(seed: DemoSeed) -> PactsDemo:
    """The 2018 and 2026 campaigns and pacts, after ``thidua.demo.seed_demo``; a step already done is kept.

    The accounts come first, on today's clock (a leader linked to an appointment is told of pacts awaiting their
    signature, and there are none yet): today's leaders' log-ins, then the other signers' accounts. Then the
    past is replayed step by step on the demo's clock."""
    accounts = {user.username: user for user, _created in seed.accounts}
    result = PactsDemo()
    with transaction.atomic():
        result.leaders = _leaders(seed.data, _DemoPasswordHash(seed))
        result.changes += sum(login.created for login in result.leaders)
        _signers(seed.data, result)
    movements = _movements()
    with past_clock() as clock:
        for spec in PACTS:
            result.pacts.append(_seed_pact(spec, seed.data, accounts, movements, clock, result))
    result.campaigns = list(dict.fromkeys(result.campaigns))
    today_leaders = {login.user.pk for login in result.leaders}
    signers = User.objects.filter(pact_signatures__pact__in=result.pacts).distinct().order_by("username")
    result.history_accounts = [user for user in signers if user.pk not in today_leaders]
    result.officers = [accounts["khuvuc.dongnambo"], accounts["khuvuc.tayninh"]]
    return result
