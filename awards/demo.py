"""Demo awards, through ``awards.services``: the 2018 registrations of the south-east region, its 2018
scoring and ranking of the Sở Tư pháp, the suy tôn votes held block by block (Khối Sở Tư pháp elects one unit,
Khối Thi hành án dân sự two) and the decision, the 2021 Government flag of Cục THADS tỉnh Đồng Tháp, and a 2026
table in use so that today's leaders can score themselves.

What the articles give (PLO 16/03/2018, PLVN 02/03/2021; regions.demo.SOUTH_EAST): 12 Sở Tư pháp and 40 Cục
and Chi cục THADS of "miền Đông Nam bộ" registered for "Cờ thi đua ngành Tư pháp" in 2018; Cục THADS tỉnh
Đồng Tháp was handed the "Cờ thi đua của Chính phủ" on 02/03/2021. Everything else here (deadline, scores,
the vote, decision numbers and dates) is ILLUSTRATIVE and says so in the records themselves.
Running it twice changes nothing.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pacts.models import Campaign
from regions.demo import DemoSeed
from regions.models import RegionMembership, Unit

from .blocks import BY_KEY
from .catalogue import ensure_titles
from .models import Award, AwardDecision, AwardRegistration, AwardTitle, AwardTitleBasis, ScoreSheet, ScoringTable, Vote
from .selectors.scoring import region_ranking
from .services.decisions import HistoricalAward, decision_record
from .services.registrations import registration_approve, registration_create
from .services.scoring import (
    CriterionSpec,
    GroupSpec,
    ReviewedScore,
    SelfScore,
    sheet_open,
    sheet_review,
    sheet_save_self_scores,
    sheet_submit,
    table_create,
    table_publish,
    table_set_content,
    table_set_thresholds,
)
from .services.votes import vote_record

YEAR = 2018
CONFERENCE = date(2018, 3, 16)  # the south-east launch conference (article)
DEADLINE_2018 = date(2018, 3, 31)  # illustrative
REVIEWED_ON = date(2018, 3, 30)  # illustrative
YEAR_END = date(2018, 12, 14)  # illustrative year-end conference of the region
FLAG = "co-thi-dua-nganh-tu-phap"
GOVERNMENT_FLAG = "co-thi-dua-chinh-phu"
NOTE_2018 = "Nhập lại từ báo cáo năm 2018 (dữ liệu minh họa theo bài báo ngày 16/3/2018)."

C, G = CriterionSpec, GroupSpec
# The shape of the Ministry's yearly tables for Sở Tư pháp (QĐ 536/QĐ-BTP): groups in Roman numerals, 100 points of
# criteria, bonus points for good models, deductions; the wording and points are illustrative.
SO_TU_PHAP_TABLE = [
    G(
        "Công tác chỉ đạo, điều hành và thực hiện chế độ báo cáo",
        [
            C("1.1", "Ban hành kế hoạch công tác năm đúng hạn", Decimal("5")),
            C("1.2", "Báo cáo định kỳ đúng hạn, đầy đủ nội dung", Decimal("10")),
            C("1.3", "Thực hiện các nhiệm vụ Bộ, Ủy ban nhân dân tỉnh giao", Decimal("5")),
        ],
    ),
    G(
        "Xây dựng, thẩm định, kiểm tra văn bản quy phạm pháp luật",
        [
            C("2.1", "Thẩm định dự thảo văn bản đúng thời hạn, bảo đảm chất lượng", Decimal("10")),
            C("2.2", "Kiểm tra, rà soát văn bản theo kế hoạch", Decimal("10")),
        ],
    ),
    G(
        "Phổ biến, giáo dục pháp luật và hòa giải ở cơ sở",
        [
            C("3.1", "Thực hiện kế hoạch phổ biến, giáo dục pháp luật", Decimal("10")),
            C("3.2", "Xây dựng xã, phường đạt chuẩn tiếp cận pháp luật", Decimal("5")),
        ],
    ),
    G(
        "Hành chính tư pháp và bổ trợ tư pháp",
        [
            C("4.1", "Đăng ký, quản lý hộ tịch, chứng thực, lý lịch tư pháp đúng hạn", Decimal("10")),
            C("4.2", "Xã hội hóa công chứng, đấu giá tài sản; phát triển đội ngũ luật sư", Decimal("10")),
        ],
    ),
    G(
        "Ứng dụng công nghệ thông tin",
        [
            C("5.1", "Tỷ lệ văn bản điện tử ký số", Decimal("5")),
            C("5.2", "Dịch vụ công trực tuyến toàn trình", Decimal("5")),
        ],
    ),
    G(
        "Công tác thi đua, khen thưởng",
        [
            C("6.1", "Tổ chức, hưởng ứng phong trào thi đua của Khu vực và của Ngành", Decimal("10")),
            C("6.2", "Đăng ký, bình xét thi đua đúng quy định", Decimal("5")),
        ],
    ),
    G(
        "Điểm cộng, điểm trừ",
        [
            C("7.1", "Mô hình hay, cách làm mới được Bộ ghi nhận", Decimal("5"), "bonus"),
            C("7.2", "Chậm báo cáo, để xảy ra sai sót bị nhắc nhở", Decimal("10"), "deduction"),
        ],
    ),
]
GRADES = [("Xuất sắc", Decimal("90")), ("Tốt", Decimal("80")), ("Khá", Decimal("70")), ("Trung bình", Decimal("50"))]


@dataclass
class AwardsDemo:
    campaign_2018: Campaign | None = None
    table_2018: ScoringTable | None = None
    table_2026: ScoringTable | None = None
    vote_2018: Vote | None = None
    registered_2018: int = 0
    changes: int = 0
    awards: list[Award] = field(default_factory=list)


def _at(day: date, clock: time = time(9, 0)) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _share(unit: Unit, code: str) -> Decimal:
    """A steady, illustrative share of the maximum (0.70 to 1.00) for a unit and a criterion."""
    digest = hashlib.sha256(f"{unit.name}|{code}".encode()).digest()
    return Decimal(70 + digest[0] % 31) / 100


def _points(maximum: Decimal, share: Decimal) -> Decimal:
    return (maximum * share * 4).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 4


def _seed_registrations(campaign: Campaign, flag: AwardTitle, reviewer, result: AwardsDemo) -> list[AwardRegistration]:
    members = list(
        RegionMembership.objects.filter(region=campaign.region, year=campaign.year)
        .select_related("unit")
        .order_by("rotation_position", "id")
    )
    done = {r.unit_id: r for r in AwardRegistration.objects.filter(campaign=campaign, title=flag)}
    for membership in members:
        if membership.unit_id in done:
            continue
        registration = registration_create(
            campaign=campaign,
            unit=membership.unit,
            title=flag,
            actor=None,
            note=NOTE_2018,
            submit=True,
            today=CONFERENCE,
            now=_at(CONFERENCE, time(15, 0)),
        )
        done[membership.unit_id] = registration_approve(registration=registration, actor=reviewer, now=_at(REVIEWED_ON))
        result.changes += 1
    return [done[m.unit_id] for m in members]


def _table(year: int, kinds: list[str], name: str, **decision) -> tuple[ScoringTable, bool]:
    table = ScoringTable.objects.filter(year=year, name=name).first()
    if table is not None:
        return table, False
    table = table_create(year=year, unit_kinds=kinds, name=name, **decision)
    table_set_content(table=table, groups=SO_TU_PHAP_TABLE)
    table_set_thresholds(table=table, thresholds=GRADES)
    return table_publish(table=table), True


def _seed_scores(table: ScoringTable, units: list[Unit], reviewer, result: AwardsDemo) -> None:
    for unit in units:
        sheet = sheet_open(table=table, unit=unit)
        if sheet.status != ScoreSheet.Status.DRAFT:
            continue
        entries = list(sheet.entries.select_related("criterion"))
        scores = {}
        for entry in entries:
            criterion = entry.criterion
            share = _share(unit, criterion.code)
            if criterion.kind == criterion.Kind.STANDARD:
                points = _points(criterion.max_points, share)
            elif criterion.kind == criterion.Kind.BONUS:
                points = _points(criterion.max_points, share) if share > Decimal("0.85") else Decimal("0")
            else:
                points = Decimal("2") if share < Decimal("0.76") else Decimal("0")
            scores[criterion.pk] = SelfScore(
                points=points, note="Theo báo cáo tổng kết năm 2018 (minh họa).", evidence_link=""
            )
        sheet_save_self_scores(sheet=sheet, actor=None, scores=scores)
        sheet_submit(sheet=sheet, actor=None, now=_at(date(2018, 11, 30)))
        # The reviewers lower one self-score where the unit counted more than the evidence shows.
        first = next(e for e in entries if e.criterion.kind == e.criterion.Kind.STANDARD)
        reviews = {}
        if scores[first.criterion_id].points > Decimal("4"):
            reviews[first.criterion_id] = ReviewedScore(
                points=scores[first.criterion_id].points - Decimal("0.5"),
                reason="Kế hoạch ban hành chậm so với yêu cầu (minh họa).",
            )
        sheet_review(sheet=sheet, actor=reviewer, reviews=reviews, finish=True, now=_at(date(2018, 12, 10)))
        result.changes += 1


def _seed_vote(campaign: Campaign, flag: AwardTitle, table: ScoringTable, officer, result: AwardsDemo) -> Vote:
    """The Sở Tư pháp block votes up the unit its ranking puts first (a database seeded before votes were held by
    block keeps its one vote of the whole region)."""
    vote = Vote.objects.filter(campaign=campaign, title=flag).order_by("pk").first()
    if vote is not None:
        return vote
    block = BY_KEY["so-tu-phap"]
    ranking = [row for row in region_ranking(table, campaign.region) if row.rank is not None][:3]
    registrations = {
        r.unit_id: r
        for r in AwardRegistration.objects.filter(
            campaign=campaign, title=flag, unit_id__in=[row.unit_id for row in ranking]
        )
    }
    ballots = RegionMembership.objects.filter(
        region=campaign.region, year=campaign.year, unit__kind__in=block.kinds
    ).count()
    counts = dict(zip((registrations[row.unit_id].pk for row in ranking), (9, 2, 1), strict=False))
    outcome = vote_record(
        campaign=campaign,
        title=flag,
        block=block.name,
        held_on=YEAR_END,
        ballots_cast=ballots,
        counts=counts,
        actor=officer,
        note="Hội nghị tổng kết năm 2018, Khối Sở Tư pháp: suy tôn đơn vị dẫn đầu (số phiếu minh họa).",
    )
    result.changes += 1
    return outcome.vote


def _seed_thads_vote(campaign: Campaign, flag: AwardTitle, officer, result: AwardsDemo) -> Vote | None:
    """The THADS block elects two units among its first three registrations (by name); not on a database whose
    2018 vote was of the whole region."""
    block = BY_KEY["thads"]
    votes = Vote.objects.filter(campaign=campaign, title=flag)
    if votes.filter(block=block.name).exists() or votes.filter(block="").exists():
        return votes.filter(block=block.name).first()
    candidates = list(
        AwardRegistration.objects.filter(
            campaign=campaign, title=flag, unit__kind__in=block.kinds, status__in=AwardRegistration.AWARDABLE_STATUSES
        ).order_by("unit__name", "pk")[:3]
    )
    if len(candidates) < 3:
        return None
    ballots = RegionMembership.objects.filter(
        region=campaign.region, year=campaign.year, unit__kind__in=block.kinds
    ).count()
    outcome = vote_record(
        campaign=campaign,
        title=flag,
        block=block.name,
        seats=2,
        held_on=YEAR_END,
        ballots_cast=ballots,
        counts=dict(zip((c.pk for c in candidates), (ballots * 3 // 4, ballots * 2 // 3, ballots // 4), strict=True)),
        actor=officer,
        note="Hội nghị tổng kết năm 2018, Khối Thi hành án dân sự: suy tôn hai đơn vị dẫn đầu (số phiếu minh họa).",
    )
    result.changes += 1
    return outcome.vote


def _seed_decisions(votes: list[Vote], ministry, units: dict[str, Unit], titles: dict[str, AwardTitle], result) -> None:
    proposed = AwardRegistration.objects.filter(
        pk__in=[pk for vote in votes for pk in vote.proposed_registration_ids()],
        status=AwardRegistration.Status.PROPOSED,
    ).order_by("pk")
    if proposed and not AwardDecision.objects.filter(number="01/QĐ-BTP", signed_on=date(2019, 1, 15)).exists():
        decision_record(
            number="01/QĐ-BTP",
            signed_on=date(2019, 1, 15),
            issuer="Bộ trưởng Bộ Tư pháp",
            actor=ministry,
            registrations=list(proposed),
            summary="Tặng Cờ thi đua ngành Tư pháp năm 2018 (số, ngày quyết định minh họa).",
        )
        result.changes += 1
    dong_thap = units["cuc:dong-thap"]
    if not Award.objects.filter(unit=dong_thap, title=titles[GOVERNMENT_FLAG]).exists():
        decision_record(
            number="…/QĐ-TTg",
            signed_on=date(2021, 3, 2),
            issuer="Thủ tướng Chính phủ",
            actor=ministry,
            historical=[HistoricalAward(unit=dong_thap, title=titles[GOVERNMENT_FLAG], year=2020)],
            summary=(
                "Cờ trao ngày 02/03/2021 tại Cục THADS tỉnh Đồng Tháp (báo Pháp luật Việt Nam); số, ngày quyết định "
                "và năm thành tích không có trong nguồn (minh họa)."
            ),
        )
        result.changes += 1


def _open_2026(data, result: AwardsDemo) -> None:
    """The 2026 campaign of the south-east accepts registrations, and a table is in use for its Sở Tư pháp."""
    campaign = Campaign.objects.filter(region=data.regions["mien-dong-nam-bo"], year=2026).first()
    if campaign is not None and campaign.registration_deadline is None:
        campaign.registration_deadline = max(date(2026, 12, 31), timezone.localdate() + timedelta(days=60))
        campaign.save(update_fields=["registration_deadline"])
        result.changes += 1
    result.table_2026, created = _table(
        2026,
        ["so_tu_phap"],
        "Bảng tiêu chí đánh giá, chấm điểm, xếp hạng thi đua Sở Tư pháp năm 2026 (minh họa)",
        decision_number="",
        issuer="Bộ trưởng Bộ Tư pháp",
    )
    result.changes += created


@transaction.atomic
def seed_demo_awards(seed: DemoSeed) -> AwardsDemo:
    """After the regions, accounts and pacts demos: everything in the module's docstring."""
    result = AwardsDemo()
    result.changes += ensure_titles(AwardTitle, AwardTitleBasis)
    titles = {title.code: title for title in AwardTitle.objects.all()}
    accounts = {user.username: user for user, _created in seed.accounts}
    ministry, officer = accounts["bo.thidua"], accounts["khuvuc.dongnambo"]
    campaign = Campaign.objects.get(region=seed.data.regions["mien-dong-nam-bo"], year=YEAR)
    if campaign.registration_deadline is None:
        campaign.registration_deadline = DEADLINE_2018
        campaign.save(update_fields=["registration_deadline"])
    result.campaign_2018 = campaign
    # The 2018 campaign is closed (pacts.demo): its registrations and vote are history entered afterwards,
    # so the campaign is reopened for the time of the back-filling, as it was open during 2018.
    closed = campaign.status
    campaign.status = Campaign.Status.LAUNCHED
    Campaign.objects.filter(pk=campaign.pk).update(status=campaign.status)
    registrations = _seed_registrations(campaign, titles[FLAG], officer, result)
    result.registered_2018 = len(registrations)
    table, created = _table(
        YEAR,
        ["so_tu_phap"],
        "Bảng tiêu chí đánh giá, chấm điểm, xếp hạng thi đua Sở Tư pháp năm 2018 (minh họa)",
        decision_number="",
        issuer="Bộ trưởng Bộ Tư pháp",
    )
    result.table_2018 = table
    result.changes += created
    so_units = [r.unit for r in registrations if r.unit.kind == Unit.Kind.SO_TU_PHAP]
    _seed_scores(table, so_units, officer, result)
    result.vote_2018 = _seed_vote(campaign, titles[FLAG], table, officer, result)
    thads_vote = _seed_thads_vote(campaign, titles[FLAG], officer, result)
    Campaign.objects.filter(pk=campaign.pk).update(status=closed)
    campaign.status = closed
    votes = [vote for vote in (result.vote_2018, thads_vote) if vote is not None]
    _seed_decisions(votes, ministry, seed.data.units, titles, result)
    _open_2026(seed.data, result)
    result.awards = list(Award.objects.select_related("decision", "title").order_by("year"))
    return result
