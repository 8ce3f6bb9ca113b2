"""What a new draft pact says before anyone edits it, as the sector's pacts say it, and the bases written
from the catalogue of legal documents.

- **Number and symbol**: ``NN/GƯTĐ-<designation>``. NN is the pact's place among the campaign's pacts (one per
  block; a withdrawn pact's new version keeps its number), two digits; the symbol is "GƯTĐ" (giao ước thi đua)
  and the initials of what the region is called on the pact's date: a "Cụm thi đua" gives CTĐ, a "Khu vực thi
  đua" KVTĐ, a "Khối thi đua" KTĐ ("01/GƯTĐ-CTĐ"). It is a suggestion: the region's office corrects it to the
  number it registers.
- **Place**: the province of the issuing body, the region's head unit that year (Decree 30/2020: a body at the
  provincial level writes its province, "Quảng Bình", never its town, "Đồng Hới"); "Thành phố Hồ Chí Minh"
  keeps its full name, as the decree asks for a place named after a person.
- **Bases**: the catalogue's documents in force on the pact's date, in the order of their legal force, each
  "Căn cứ <citation>;"; then the lines typed by hand for bases not in the catalogue (the campaign's plan).
- **Targets**: the campaign's targets for every unit, then per kind of unit ("Đối với Sở Tư pháp: …"), and
  the titles the units aim for (``Campaign.titles``).
- **Implementation**: scoring on the criteria table, self-scoring, checking by the region, the mid-year and
  year-end reviews, the vote (suy tôn) at the year-end review.
"""

import re
from collections.abc import Iterable
from datetime import date

from core.dates import long_date
from legal.models import LegalDocument
from legal.selectors import documents_in_force_on, in_citing_order
from regions.models import RegionMembership, Unit
from regions.selectors import region_name_on, unit_name_on

from .models import Campaign, Pact

SYMBOL = "GƯTĐ"
# What a region is called, as its name begins: the initials the symbol takes from it and the word its head's
# title takes ("Trưởng Cụm").
DESIGNATIONS = (
    ("cụm", "CTĐ", "Cụm"),
    ("khu vực", "KVTĐ", "Khu vực"),
    ("khối", "KTĐ", "Khối"),
)
DEFAULT_DESIGNATION = ("", "CTĐ", "Cụm")
# The kinds of unit as a pact names them ("Đối với Sở Tư pháp:").
KIND_NAMES = {
    Unit.Kind.SO_TU_PHAP: "Sở Tư pháp",
    Unit.Kind.CUC_THADS: "Cục Thi hành án dân sự",
    Unit.Kind.CHI_CUC_THADS: "Chi cục Thi hành án dân sự",
    Unit.Kind.THADS_TINH: "Thi hành án dân sự tỉnh, thành phố",
    Unit.Kind.PHONG_THADS_KHU_VUC: "Phòng Thi hành án dân sự khu vực",
    Unit.Kind.OTHER: "các đơn vị khác",
}
# Places the decree writes in full (named after a person); otherwise the province's name without its level.
FULL_NAMES = {"thành phố hồ chí minh": "Thành phố Hồ Chí Minh"}
LEVEL_PREFIXES = ("tỉnh ", "thành phố ")


def designation(region_name: str) -> tuple[str, str, str]:
    lowered = region_name.strip().lower()
    return next((each for each in DESIGNATIONS if lowered.startswith(each[0])), DEFAULT_DESIGNATION)


def suggested_number(campaign: Campaign, block: str, day: date) -> str:
    """ "01/GƯTĐ-CTĐ": see the module's docstring."""
    blocks = list(dict.fromkeys(campaign.pacts.order_by("created_at", "pk").values_list("block", flat=True)))
    position = blocks.index(block) + 1 if block in blocks else len(blocks) + 1
    return f"{position:02d}/{SYMBOL}-{designation(region_name_on(campaign.region, day))[1]}"


def place_name(province_name: str) -> str:
    lowered = province_name.strip().lower()
    if lowered in FULL_NAMES:
        return FULL_NAMES[lowered]
    for prefix in LEVEL_PREFIXES:
        if lowered.startswith(prefix):
            return province_name.strip()[len(prefix) :]
    return province_name.strip()


def head_unit(campaign: Campaign) -> Unit | None:
    membership = (
        RegionMembership.objects.filter(region=campaign.region, year=campaign.year, role=RegionMembership.Role.HEAD)
        .select_related("unit__province")
        .first()
    )
    return membership.unit if membership else None


def issuer_province(campaign: Campaign, day: date) -> str:
    """The province of the region's head unit on ``day``, as the date line writes it, or "" if unknown.

    A unit records its province of today; on a day before the 2025 mergers, the province of that day is the
    merged province's predecessor whose name the unit bore then ("Sở Tư pháp tỉnh Quảng Bình")."""
    unit = head_unit(campaign)
    if unit is None or unit.province is None:
        return ""
    province = unit.province
    if not province.is_valid_on(day):
        name_then = unit_name_on(unit, day).lower()
        earlier = [p for p in province.predecessors.all() if p.is_valid_on(day)]
        named = [p for p in earlier if place_name(p.name).lower() in name_then]
        if len(named) == 1:
            province = named[0]
    return place_name(province.name)


# --- bases ----------------------------------------------------------------------------------------


def suggested_documents(day: date) -> list[LegalDocument]:
    return [document for document in documents_in_force_on(day) if document.suggested]


def _key(line: str) -> str:
    return re.sub(r"[\s;,.]+$", "", " ".join(line.split())).lower()


def compose_bases(documents: Iterable[LegalDocument], text: str, *, known: Iterable[LegalDocument] = ()) -> str:
    """The bases: one "Căn cứ …;" line per chosen document, in citing order, then the other lines of ``text``.

    A line of ``text`` that cites a document of the catalogue (chosen, or ``known``: chosen before) is written
    from the catalogue instead, so unticking a document takes its line away and ticking one adds it."""
    chosen = in_citing_order(documents)
    generated = {_key(document.basis_line) for document in [*chosen, *known]}
    others = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    others = [line for line in others if _key(line) not in generated]
    return "\n".join([document.basis_line for document in chosen] + others)


def default_bases(campaign: Campaign, day: date) -> tuple[list[LegalDocument], str]:
    documents = suggested_documents(day)
    return documents, compose_bases(documents, f"Căn cứ {campaign.title},")


# --- targets and implementation -------------------------------------------------------------------


def targets_text(campaign: Campaign, unit_kinds: Iterable[str] | None = None) -> str:
    """The campaign's targets: those for every unit, then "Đối với <kind>:" and that kind's, in the
    order of the kinds; only the kinds among the pact's signatories when ``unit_kinds`` is given."""
    kinds = set(unit_kinds) if unit_kinds is not None else None
    targets = list(campaign.targets.order_by("number"))
    lines = [f"- {t.text}" for t in targets if not t.unit_kind]
    for kind in Unit.Kind.values:
        own = [t for t in targets if t.unit_kind == kind]
        if own and (kinds is None or kind in kinds):
            lines.append(f"Đối với {KIND_NAMES.get(kind, kind)}:")
            lines += [f"- {t.text}" for t in own]
    titles = [line.strip() for line in campaign.titles.splitlines() if line.strip()]
    if titles:
        lines.append("Các đơn vị đăng ký phấn đấu đạt các danh hiệu thi đua, hình thức khen thưởng:")
        lines += [f"- {title.rstrip(';.')};" for title in titles]
    return "\n".join(lines)


def implementation_text(campaign: Campaign, day: date) -> str:
    year = campaign.year
    word = designation(region_name_on(campaign.region, day))[2]
    phases = list(campaign.phases.order_by("number"))
    review = (
        f"sơ kết sau {phases[0].name.lower()} (đến {long_date(phases[0].end)})"
        if len(phases) > 1
        else "sơ kết giữa năm"
    )
    return "\n".join(
        [
            f"1. Các đơn vị ký kết tổ chức quán triệt nội dung giao ước đến toàn thể công chức, người lao động; "
            f"xây dựng kế hoạch thực hiện các chỉ tiêu thi đua năm {year} của đơn vị.",
            "2. Việc đánh giá, chấm điểm thi đua thực hiện theo Bảng tiêu chí đánh giá, chấm điểm, xếp hạng thi "
            "đua do Bộ Tư pháp ban hành: mỗi đơn vị tự chấm điểm, gửi kết quả kèm tài liệu chứng minh; "
            f"Trưởng {word}, Phó Trưởng {word} thẩm định, tổng hợp kết quả chấm điểm của các đơn vị.",
            f"3. Các đơn vị thực hiện {review} và tổng kết năm; tại Hội nghị tổng kết năm {year}, các đơn vị "
            "bình xét, suy tôn đơn vị tiêu biểu, xuất sắc dẫn đầu phong trào thi đua để đề nghị tặng danh hiệu "
            "thi đua, hình thức khen thưởng theo quy định.",
            f"4. Trưởng {word} có trách nhiệm theo dõi, đôn đốc việc thực hiện giao ước và tổng hợp báo cáo Bộ "
            "Tư pháp theo quy định.",
        ]
    )


def signatory_kinds(pact: Pact) -> set[str]:
    return set(pact.signatories.values_list("unit__kind", flat=True))
