"""A region-year ready for awards: units with leaders, a campaign, the title catalogue and a scoring table."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from awards.catalogue import ensure_titles
from awards.models import AwardTitle, AwardTitleBasis, ScoringTable
from awards.services.scoring import (
    CriterionSpec,
    GroupSpec,
    table_create,
    table_publish,
    table_set_content,
    table_set_thresholds,
)
from pacts.models import Campaign
from regions.models import Unit
from tests.pacts.factories import make_world

FLAG = "co-thi-dua-nganh-tu-phap"  # Cờ thi đua ngành Tư pháp: Sở and THADS, proposed by the vote
GOVERNMENT_FLAG = "co-thi-dua-chinh-phu"
EXCELLENT = "tap-the-lao-dong-xuat-sac"  # Tập thể lao động xuất sắc: THADS only, not Sở Tư pháp
CSTD = "chien-si-thi-dua-co-so"  # an individual title


def titles() -> dict[str, AwardTitle]:
    """The catalogue by code (loaded again if a transactional test flushed it)."""
    ensure_titles(AwardTitle, AwardTitleBasis)
    return {title.code: title for title in AwardTitle.objects.all()}


@dataclass
class AwardsWorld:
    campaign: Campaign
    units: list[Unit]  # Sở Tư pháp units; units[0] heads the region
    leaders: list
    officer: object
    titles: dict[str, AwardTitle]


def make_awards_world(n_units: int = 3, *, year: int | None = None, prefix: str = "", deadline: date | None = None):
    world = make_world(n_units, year=year, open_pact=False, prefix=prefix)
    if deadline is not None:
        Campaign.objects.filter(pk=world.campaign.pk).update(registration_deadline=deadline)
        world.campaign.refresh_from_db()
    return AwardsWorld(world.campaign, world.units, world.leaders, world.officer, titles())


def make_table(year: int, *, kinds=("so_tu_phap",), publish: bool = True, name: str = "") -> ScoringTable:
    """A small table: two groups (30 + 20 points), a bonus of up to 5, a deduction of up to 10, three grades."""
    table = table_create(
        year=year,
        unit_kinds=list(kinds),
        name=name or f"Bảng tiêu chí chấm điểm thi đua năm {year}",
        decision_number="536/QĐ-BTP",
        decision_date=date(year, 3, 29),
        issuer="Bộ trưởng Bộ Tư pháp",
    )
    C = CriterionSpec
    table_set_content(
        table=table,
        groups=[
            GroupSpec(
                "Thực hiện chế độ báo cáo",
                [C("1.1", "Báo cáo đúng hạn", Decimal("20")), C("1.2", "Báo cáo đầy đủ nội dung", Decimal("10"))],
            ),
            GroupSpec("Ứng dụng công nghệ thông tin", [C("2.1", "Văn bản ký số", Decimal("20"))]),
            GroupSpec(
                "Điểm cộng, điểm trừ",
                [
                    C("3.1", "Mô hình hay, cách làm mới", Decimal("5"), "bonus"),
                    C("3.2", "Bị phê bình, nhắc nhở", Decimal("10"), "deduction"),
                ],
            ),
        ],
    )
    table_set_thresholds(
        table=table, thresholds=[("Xuất sắc", Decimal("45")), ("Tốt", Decimal("35")), ("Khá", Decimal("25"))]
    )
    if publish:
        table = table_publish(table=table)
    return table
