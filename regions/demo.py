"""Demo regions of the 2018 article: their units, the 2025 renames and mergers, rosters 2018–2026, leaders.

Everything goes through ``regions.services``, so the history is the one a ministry user would leave
in the browser, and every step first checks whether it was done: running the seed twice changes
nothing. Facts the article (PLO's report of the 2018 pact conferences) does not give are marked illustrative
("minh họa") here and in the regions' descriptions.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from core.text import nfc

from . import services
from .models import Appointment, Province, Region, RegionMembership, Unit, UnitName

if TYPE_CHECKING:
    from accounts.models import User

ARTICLE_YEAR = 2018
YEARS = range(ARTICLE_YEAR, 2027)
REGION_FOUNDED = date(2013, 1, 1)  # the five regions of QĐ 3916/QĐ-BTP, in force from 2013
CUM_DAY = date(2023, 1, 1)  # "Khu vực thi đua" gives way to "Cụm thi đua" (named so by 2023; illustrative date)
HUE_DAY = date(2025, 1, 1)  # Thừa Thiên Huế becomes the centrally-run "thành phố Huế"
MERGER_DAY = date(2025, 7, 1)  # the 63 provinces become 34 (Nghị quyết 202/2025/QH15)
TERM_START = date(2016, 1, 1)  # illustrative start of the leaders' terms before 2025
HUE_BASIS = "Nghị quyết 175/2024/QH15 (thành lập thành phố Huế trực thuộc trung ương)"
# When the demo's units began, as far as a source says; a start no source gives stays unknown (never 01/01/2000).
# The Cục and Chi cục THADS were set up in 2009 under the Luật Thi hành án dân sự 2008 (in force 01/07/2009) and
# Nghị định 74/2009/NĐ-CP; each one's founding decision (e.g. Cục THADS TP. Hồ Chí Minh's, announced 28/11/2009)
# is not in the demo's sources, so their first names carry this basis and an unknown day.
THADS_2009_BASIS = "Thành lập năm 2009 (Luật Thi hành án dân sự 2008, Nghị định 74/2009/NĐ-CP); ngày chưa xác minh"
PHONG_BASIS = "Phòng Thi hành án dân sự khu vực, từ 01/07/2025 (mô hình thi hành án dân sự hai cấp)"
# A district town that became a city after its Chi cục was set up: the Chi cục took the city's name that day.
TOWN_TO_CITY: dict[str, tuple[str, date, str]] = {
    # Nghị quyết 19/NQ-CP ngày 08/4/2010, in force on signing (vbpl.vn; hethongphapluat.com).
    "thành phố Bảo Lộc": (
        "thị xã Bảo Lộc",
        date(2010, 4, 8),
        "Nghị quyết 19/NQ-CP ngày 08/4/2010 (thành lập thành phố Bảo Lộc thuộc tỉnh Lâm Đồng)",
    ),
}
MERGER_BASIS = "Nghị quyết 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh)"
# seed_national marks the first name of every unit it generates, so the demo never mistakes one for its own.
NATIONAL_BASIS = "seed_national (dữ liệu thử tải)"

SO = Unit.Kind.SO_TU_PHAP
CUC = Unit.Kind.CUC_THADS
CHI_CUC = Unit.Kind.CHI_CUC_THADS
THADS_TINH = Unit.Kind.THADS_TINH
PHONG = Unit.Kind.PHONG_THADS_KHU_VUC
THADS_KINDS = frozenset({CUC, THADS_TINH})

# INFERRED: the article says "13 tỉnh, thành phố duyên hải miền Trung và Tây Nguyên" without naming them;
# these are the central-coast and highland provinces outside the south-east region.
# Each Cục THADS has one Chi cục here, a real district chosen for illustration: the Chi cục are not
# members (the 26 signatories were the Sở and the Cục) but merge with their Cục on 01/07/2025.
CENTRAL_PROVINCES: dict[str, tuple[str, ...]] = {
    "quang-binh": ("thành phố Đồng Hới",),
    "quang-tri": ("thành phố Đông Hà",),
    "thua-thien-hue": ("huyện Phú Vang",),
    "da-nang": ("quận Hải Châu",),
    "quang-nam": ("thành phố Tam Kỳ",),
    "quang-ngai": ("thành phố Quảng Ngãi",),
    "binh-dinh": ("thành phố Quy Nhơn",),
    "phu-yen": ("thành phố Tuy Hòa",),
    "khanh-hoa": ("thành phố Nha Trang",),
    "kon-tum": ("thành phố Kon Tum",),
    "gia-lai": ("thành phố Pleiku",),
    "dak-lak": ("thành phố Buôn Ma Thuột",),
    "dak-nong": ("huyện Đắk Mil",),
}

# Lâm Đồng, Đồng Nai and Ninh Thuận are in the article; the other nine provinces are ILLUSTRATIVE
# (south-east and south-central provinces outside the central region; Long An, Tiền Giang and Đồng Tháp
# complete the article's 12 Sở Tư pháp, and each merges in 2025 with a province of the demo).
# The article's 40 Cục and Chi cục THADS: 12 Cục + these 28 Chi cục (real districts, ILLUSTRATIVE choice),
# so the 2018 roster holds 12 Sở + 12 Cục + 28 Chi cục = 52 units.
SOUTH_EAST_PROVINCES: dict[str, tuple[str, ...]] = {
    "lam-dong": ("thành phố Đà Lạt", "thành phố Bảo Lộc"),
    "dong-nai": ("thành phố Biên Hòa", "huyện Long Thành", "huyện Trảng Bom"),
    "ninh-thuan": ("thành phố Phan Rang - Tháp Chàm", "huyện Ninh Hải", "huyện Ninh Phước"),
    "binh-thuan": ("thành phố Phan Thiết", "huyện Hàm Thuận Bắc"),
    "binh-phuoc": ("huyện Lộc Ninh", "huyện Bù Đăng"),
    "binh-duong": ("thành phố Thủ Dầu Một", "huyện Bàu Bàng", "huyện Dầu Tiếng"),
    "tay-ninh": ("thành phố Tây Ninh", "huyện Gò Dầu"),
    "ba-ria-vung-tau": ("thành phố Vũng Tàu", "thành phố Bà Rịa"),
    "ho-chi-minh": ("Quận 1", "quận Bình Thạnh", "huyện Củ Chi"),
    "long-an": ("thành phố Tân An", "huyện Đức Hòa"),
    "tien-giang": ("thành phố Mỹ Tho", "huyện Cái Bè"),
    "dong-thap": ("thành phố Cao Lãnh", "huyện Tháp Mười"),
}

# ILLUSTRATIVE: a few regional offices under the provincial THADS bodies of 01/07/2025 (sub-units, not members).
PHONG_OFFICES: dict[str, int] = {"quang-tri-2025": 2, "lam-dong-2025": 2}


@dataclass(frozen=True)
class DemoRegion:
    slug: str
    names: tuple[tuple[date, str, str], ...]  # (in effect from, name, short name), oldest first
    description: str
    provinces: dict[str, tuple[str, ...]]
    chi_cuc_members: bool
    head: str  # unit keys of the 2018 head and deputies
    deputies: tuple[str, ...]


CENTRAL = DemoRegion(
    slug="duyen-hai-mien-trung-tay-nguyen",
    names=(
        (
            REGION_FOUNDED,
            "Khu vực thi đua Khối cơ quan Tư pháp các tỉnh duyên hải miền Trung và Tây Nguyên",
            "Khu vực duyên hải miền Trung - Tây Nguyên",
        ),
        (
            CUM_DAY,
            "Cụm thi đua Khối cơ quan Tư pháp các tỉnh duyên hải miền Trung và Tây Nguyên",
            "Cụm duyên hải miền Trung - Tây Nguyên",
        ),
        (
            MERGER_DAY,
            "Cụm thi đua Sở Tư pháp, Thi hành án dân sự các tỉnh duyên hải miền Trung và Tây Nguyên",
            "Cụm duyên hải miền Trung - Tây Nguyên",
        ),
    ),
    description=(
        "Năm 2018 (báo Pháp luật, 19/3/2018): hội nghị phát động và ký kết giao ước thi đua tại TP. Đồng Hới, "
        "tỉnh Quảng Bình; 26 đơn vị (Sở Tư pháp và Cục THADS) của 13 tỉnh, thành phố ký giao ước; "
        "ông Mai Công Danh, Cục trưởng Cục THADS tỉnh Quảng Bình, là Phó Trưởng khu vực. "
        "Danh sách 13 tỉnh là suy luận vì bài báo không nêu tên (minh họa). Trưởng khu vực và Phó Trưởng khu vực "
        "thứ hai năm 2018, luân phiên các năm sau, lãnh đạo đơn vị, các Chi cục THADS và tên cụm từ năm 2023 "
        "(minh họa)."
    ),
    provinces=CENTRAL_PROVINCES,
    chi_cuc_members=False,
    head="stp:quang-binh",  # illustrative: the host province's Sở
    deputies=("cuc:quang-binh", "stp:quang-tri"),  # Cục THADS Quảng Bình: article; Sở Quảng Trị: illustrative
)

SOUTH_EAST = DemoRegion(
    slug="mien-dong-nam-bo",
    names=(
        (
            REGION_FOUNDED,
            "Khu vực thi đua Khối cơ quan Tư pháp các tỉnh miền Đông Nam bộ",
            "Khu vực miền Đông Nam bộ",
        ),
        (CUM_DAY, "Cụm thi đua Khối cơ quan Tư pháp các tỉnh miền Đông Nam bộ", "Cụm miền Đông Nam bộ"),
        (MERGER_DAY, "Cụm thi đua Sở Tư pháp, Thi hành án dân sự các tỉnh miền Đông Nam bộ", "Cụm miền Đông Nam bộ"),
    ),
    description=(
        "Năm 2018 (báo Pháp luật, 16/3/2018, tại Ninh Thuận): Sở Tư pháp tỉnh Lâm Đồng là Trưởng khu vực; "
        "Sở Tư pháp tỉnh Đồng Nai và Cục THADS tỉnh Ninh Thuận là Phó Trưởng khu vực; 12 Sở Tư pháp và "
        "40 Cục, Chi cục THADS đăng ký Cờ thi đua ngành Tư pháp. Chín tỉnh còn lại, các Chi cục THADS, luân phiên "
        "các năm sau, lãnh đạo đơn vị và tên cụm từ năm 2023 (minh họa)."
    ),
    provinces=SOUTH_EAST_PROVINCES,
    chi_cuc_members=True,
    head="stp:lam-dong",
    deputies=("stp:dong-nai", "cuc:ninh-thuan"),
)

DEMO_REGIONS = (CENTRAL, SOUTH_EAST)
ALL_PROVINCES = CENTRAL_PROVINCES | SOUTH_EAST_PROVINCES


@dataclass(frozen=True)
class DemoLeader:
    unit_key: str
    full_name: str
    position: str
    start: date
    kind: str = Appointment.Kind.HEAD
    username: str = ""  # the demo log-in that acts through this appointment


NAMED_LEADERS = (
    # Article: Cục trưởng in March 2018; the start of his term is illustrative.
    DemoLeader("cuc:quang-binh", "Mai Công Danh", "Cục trưởng", TERM_START, username="lanhdao.quangbinh"),
    # Illustrative: the director of the 2018 head unit, who goes on to lead the merged Sở.
    DemoLeader("stp:lam-dong", "Trần Văn Phúc", "Giám đốc", TERM_START, username="lanhdao.lamdong"),
    DemoLeader("stp:lam-dong-2025", "Trần Văn Phúc", "Giám đốc", MERGER_DAY, username="lanhdao.lamdong"),
    # Article (2021): Vũ Quang Hiện, deputy in charge, appointed Cục trưởng on 02/03/2021; the previous
    # Cục trưởng and the day he took charge are illustrative.
    DemoLeader("cuc:dong-thap", "Lê Văn Thành", "Cục trưởng", TERM_START),
    DemoLeader(
        "cuc:dong-thap",
        "Vũ Quang Hiện",
        "Phó Cục trưởng phụ trách",
        date(2020, 10, 1),
        kind=Appointment.Kind.DEPUTY_IN_CHARGE,
        username="lanhdao.dongthap",
    ),
    DemoLeader("cuc:dong-thap", "Vũ Quang Hiện", "Cục trưởng", date(2021, 3, 2), username="lanhdao.dongthap"),
    # Illustrative: the head of a provincial THADS body of the new model.
    DemoLeader(
        "thads:quang-tri-2025",
        "Hoàng Minh Tâm",
        "Trưởng Thi hành án dân sự tỉnh",
        MERGER_DAY,
        username="lanhdao.quangtri",
    ),
)

# Illustrative names for every other unit's head, combined in a fixed order.
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
_MIDDLE = ("Văn", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Ngọc", "Xuân", "Công", "Thị")
_GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Long",
    "Mai", "Nam", "Nga", "Phong", "Quang", "Sơn", "Thắng", "Thảo", "Trung", "Tuấn", "Vinh", "Yến", "Lộc", "Hạnh",
)  # fmt: skip


def illustrative_name(index: int) -> str:
    return f"{_FAMILY[index % len(_FAMILY)]} {_MIDDLE[index * 3 % len(_MIDDLE)]} {_GIVEN[index * 5 % len(_GIVEN)]}"


@dataclass
class DemoData:
    """What the demo holds, by key ("stp:quang-binh", "cuc:dong-thap", "thads:quang-tri-2025" ...)."""

    units: dict[str, Unit]
    regions: dict[str, Region]
    changes: int = 0


@dataclass
class DemoSeed:
    """The demo regions and the demo log-ins linked to them, (user, created) pairs: what the demos of the
    apps above build on (the project's seed_demo makes it)."""

    data: DemoData
    accounts: list[tuple["User", bool]]


# ---------------------------------------------------------------------------------------------
# Units, their renames and mergers
# ---------------------------------------------------------------------------------------------


def _bare(province: Province) -> str:
    return province.name.removeprefix("tỉnh ").removeprefix("thành phố ")


def _demo_provinces() -> dict[str, Province]:
    codes = [code for region in DEMO_REGIONS for code in region.provinces]
    provinces = {p.code: p for p in Province.objects.filter(code__in=codes).select_related("successor")}
    missing = sorted(set(codes) - set(provinces))
    if missing:
        raise RuntimeError(f"Provinces missing (is the regions migration applied?): {', '.join(missing)}")
    return provinces


def _existing_units(provinces: Iterable[Province]) -> dict[tuple, Unit]:
    """The units already there, by (kind, province, parent, first name); seed_national's are left out."""
    units = {u.pk: u for u in Unit.objects.filter(province__in=list(provinces))}
    first: dict[int, UnitName] = {}
    for name in UnitName.objects.filter(unit__in=list(units)).order_by(
        "unit_id", F("valid_from").asc(nulls_first=True)
    ):
        first.setdefault(name.unit_id, name)
    # Keyed by the province of the first name: Huế's Sở began in Thừa Thiên Huế and is in thành phố Huế now.
    return {
        (unit.kind, first[pk].province_id or unit.province_id, unit.parent_id, first[pk].name): unit
        for pk, unit in units.items()
        if pk in first and first[pk].basis != NATIONAL_BASIS
    }


class _UnitSeeder:
    """Finds or creates the demo's units, then applies the 2025 renames and mergers to them."""

    def __init__(self, data: DemoData, provinces: dict[str, Province]) -> None:
        self.data = data
        self.provinces = provinces
        everything = [*provinces.values(), *{p.successor for p in provinces.values() if p.successor}]
        self.existing = _existing_units(everything)
        # The first demo (before the regions app) made bare units by name: they are taken over, not duplicated.
        legacy = Unit.objects.filter(province=None, parent=None, names=None, kind__in=[SO, CUC]).order_by("pk")
        self.legacy = {(unit.kind, unit.name): unit for unit in reversed(legacy)}

    def ensure(
        self,
        key: str,
        *,
        name: str,
        short_name: str,
        kind: str,
        province: Province,
        parent: Unit | None = None,
        active_from: date | None = None,
        basis: str = "",
    ) -> Unit:
        name, short_name = nfc(name), nfc(short_name)
        unit = self.existing.get((kind, province.pk, parent.pk if parent else None, name))
        if unit is None and (kind, name) in self.legacy:
            unit = self._take_over(self.legacy.pop((kind, name)), short_name=short_name, province=province)
        elif unit is None:
            unit = services.unit_create(
                name=name,
                short_name=short_name,
                kind=kind,
                province=province,
                parent=parent,
                active_from=active_from,
                basis=basis,
            )
            self.existing[(kind, province.pk, unit.parent_id, name)] = unit
            self.data.changes += 1
        self.data.units[key] = unit
        return unit

    def _take_over(self, unit: Unit, *, short_name: str, province: Province) -> Unit:
        services.unit_update(
            unit=unit, kind=unit.kind, province=province, parent=None, active_from=None, active_to=None
        )
        services.unit_rename(unit=unit, name=unit.name, short_name=short_name, effective=None, province=province)
        return unit

    def seed_pre_2025(self, region: DemoRegion) -> None:
        for code, districts in region.provinces.items():
            province = self.provinces[code]
            bare = _bare(province)
            self.ensure(
                f"stp:{code}", name=f"Sở Tư pháp {province.name}", short_name=f"STP {bare}", kind=SO, province=province
            )
            cuc = self.ensure(
                f"cuc:{code}",
                name=f"Cục Thi hành án dân sự {province.name}",
                short_name=f"Cục THADS {bare}",
                kind=CUC,
                province=province,
                basis=THADS_2009_BASIS,
            )
            for index, district in enumerate(districts, start=1):
                first_name = TOWN_TO_CITY[district][0] if district in TOWN_TO_CITY else district
                chi_cuc = self.ensure(
                    f"chicuc:{code}:{index}",
                    name=f"Chi cục Thi hành án dân sự {first_name}",
                    short_name=f"Chi cục THADS {first_name}",
                    kind=CHI_CUC,
                    province=province,
                    parent=cuc,
                    basis=THADS_2009_BASIS,
                )
                if district in TOWN_TO_CITY:
                    self._town_becomes_city(chi_cuc, district)

    def _town_becomes_city(self, unit: Unit, city: str) -> None:
        _town, day, basis = TOWN_TO_CITY[city]
        if not unit.names.filter(valid_from=day).exists():
            services.unit_rename(
                unit=unit,
                name=f"Chi cục Thi hành án dân sự {city}",
                short_name=f"Chi cục THADS {city}",
                effective=day,
                basis=basis,
            )
            self.data.changes += 1

    def rename_hue(self) -> None:
        """Thừa Thiên Huế's Sở and Cục take the name of the centrally-run city on 01/01/2025."""
        hue = self.provinces["thua-thien-hue"].successor
        renames = {
            "stp:thua-thien-hue": (f"Sở Tư pháp {hue.name}", f"STP {_bare(hue)}"),
            "cuc:thua-thien-hue": (f"Cục Thi hành án dân sự {hue.name}", f"Cục THADS {_bare(hue)}"),
        }
        for key, (name, short_name) in renames.items():
            unit = self.data.units[key]
            renamed = unit.names.filter(valid_from=HUE_DAY).first()
            if renamed is None:
                services.unit_rename(
                    unit=unit, name=name, short_name=short_name, effective=HUE_DAY, basis=HUE_BASIS, province=hue
                )
                self.data.changes += 1
            elif renamed.province_id != hue.pk:  # renamed by an earlier demo that left it in Thừa Thiên Huế
                renamed.province = hue
                renamed.save(update_fields=["province"])
                unit.province = hue
                unit.save(update_fields=["province"])
                self.data.changes += 1
        # The Chi cục keep their names and move to the new province with their Cục.
        for index in range(1, len(ALL_PROVINCES["thua-thien-hue"]) + 1):
            unit = self.data.units[f"chicuc:thua-thien-hue:{index}"]
            if not unit.names.filter(valid_from=HUE_DAY).exists():
                services.unit_rename(
                    unit=unit,
                    name=unit.name,
                    short_name=unit.short_name,
                    effective=HUE_DAY,
                    basis=HUE_BASIS,
                    province=hue,
                )
                self.data.changes += 1

    def merge_2025(self) -> None:
        """On 01/07/2025 each new province's Sở Tư pháp and its THADS body replace the old ones."""
        groups: dict[str, list[str]] = {}
        for code, province in self.provinces.items():
            if province.successor is not None:
                groups.setdefault(province.successor.code, []).append(code)
        for new_code, old_codes in sorted(groups.items()):
            new = self.provinces[old_codes[0]].successor
            sos = [f"stp:{code}" for code in old_codes]
            thads = [
                key
                for code in old_codes
                for key in (f"cuc:{code}", *(f"chicuc:{code}:{i}" for i in range(1, len(ALL_PROVINCES[code]) + 1)))
            ]
            if len(sos) > 1:  # Huế's Sở was only renamed
                self._merge(
                    f"stp:{new_code}",
                    sos,
                    name=f"Sở Tư pháp {new.name}",
                    short=f"STP {_bare(new)}",
                    kind=SO,
                    province=new,
                )
            self._merge(
                f"thads:{new_code}",
                thads,
                name=f"Thi hành án dân sự {new.name}",
                short=f"THADS {_bare(new)}",
                kind=THADS_TINH,
                province=new,
            )

    def _merge(self, key: str, old_keys: list[str], *, name: str, short: str, kind: str, province: Province) -> None:
        first = Unit.objects.select_related("successor").get(pk=self.data.units[old_keys[0]].pk)
        if first.successor is None:
            first.successor = services.unit_merge(
                units=[self.data.units[k] for k in old_keys],
                name=name,
                short_name=short,
                kind=kind,
                effective=MERGER_DAY,
                province=province,
                basis=MERGER_BASIS,
            )
            self.data.changes += 1
        self.data.units[key] = first.successor

    def seed_phong_offices(self) -> None:
        for new_code, count in PHONG_OFFICES.items():
            parent = self.data.units[f"thads:{new_code}"]
            for number in range(1, count + 1):
                self.ensure(
                    f"phong:{new_code}:{number}",
                    name=f"Phòng Thi hành án dân sự khu vực {number}",
                    short_name=f"Phòng THADS KV{number} {_bare(parent.province)}",
                    kind=PHONG,
                    province=parent.province,
                    parent=parent,
                    active_from=MERGER_DAY,
                    basis=PHONG_BASIS,
                )


# ---------------------------------------------------------------------------------------------
# Regions and yearly rosters
# ---------------------------------------------------------------------------------------------


def _ensure_region(spec: DemoRegion, data: DemoData) -> Region:
    region = Region.objects.filter(slug=spec.slug).first()
    (first_day, first_name, first_short), *renames = spec.names
    if region is None:
        region = services.region_create(
            name=first_name, short_name=first_short, effective=first_day, description=spec.description, slug=spec.slug
        )
        data.changes += 1
    elif region.description != spec.description:
        services.region_update(region=region, description=spec.description)
        data.changes += 1
    for effective, name, short_name in renames:
        if not region.names.filter(valid_from=effective).exists():
            services.region_rename(region=region, name=name, short_name=short_name, effective=effective)
            data.changes += 1
    data.regions[spec.slug] = region
    return region


def _member_keys(spec: DemoRegion) -> list[str]:
    """The 2018 roster in rotation order: the Sở, then the Cục, then (south-east) the Chi cục."""
    keys = [f"stp:{code}" for code in spec.provinces] + [f"cuc:{code}" for code in spec.provinces]
    if spec.chi_cuc_members:
        keys += [
            f"chicuc:{code}:{i}" for code, districts in spec.provinces.items() for i in range(1, len(districts) + 1)
        ]
    return keys


def _seed_first_roster(spec: DemoRegion, region: Region, data: DemoData) -> None:
    if RegionMembership.objects.filter(region=region, year=ARTICLE_YEAR).exists():
        return
    roles = {spec.head: RegionMembership.Role.HEAD} | dict.fromkeys(spec.deputies, RegionMembership.Role.DEPUTY)
    for key in _member_keys(spec):
        role = roles.get(key, RegionMembership.Role.MEMBER)
        services.membership_add(region=region, unit=data.units[key], year=ARTICLE_YEAR, role=role)
    data.changes += 1


def _position(units: list[Unit], unit: Unit | None) -> int:
    """Where a unit of last year's roster (or the unit that took it over) stands in this year's units."""
    ids = [u.pk for u in units]
    seen: set[int] = set()
    while unit is not None and unit.pk not in seen:
        if unit.pk in ids:
            return ids.index(unit.pk)
        seen.add(unit.pk)
        unit = unit.successor
    return -1


def _next_of_kind(units: list[Unit], after: int, kinds: Iterable[str], skip: set[int]) -> Unit | None:
    kinds = set(kinds)
    for step in range(1, len(units) + 1):
        unit = units[(after + step) % len(units)]
        if unit.kind in kinds and unit.pk not in skip:
            return unit
    return None


def _rotate(region: Region, year: int, units: list[Unit]) -> tuple[Unit, list[Unit]]:
    """The head passes to the next Sở in rotation order and the Sở after it becomes deputy (next year's
    head), beside a THADS deputy that rotates among the Cục (QĐ 3916/QĐ-BTP: one head, two deputies)."""
    previous = RegionMembership.objects.filter(region=region, year=year - 1).exclude(role=RegionMembership.Role.MEMBER)
    previous = list(previous.select_related("unit__successor"))
    last_head = next(m.unit for m in previous if m.role == RegionMembership.Role.HEAD)
    last_thads = next(
        (m.unit for m in previous if m.role == RegionMembership.Role.DEPUTY and m.unit.kind in THADS_KINDS), None
    )
    at = _position(units, last_head)
    head = _next_of_kind(units, at, [SO], skip={units[at].pk} if at >= 0 else set())
    deputies = [
        _next_of_kind(units, units.index(head), [SO], skip={head.pk}),
        _next_of_kind(units, _position(units, last_thads), THADS_KINDS, skip=set()),
    ]
    return head, [d for d in deputies if d is not None]


def _home_regions(provinces: dict[str, Province]) -> dict[int, str]:
    """The region each province's units belong to; a merged province goes with the old province whose
    name it keeps (Lâm Đồng with the south-east, Khánh Hòa with the central region)."""
    home: dict[int, str] = {}
    for spec in DEMO_REGIONS:
        for code in spec.provinces:
            home[provinces[code].pk] = spec.slug
    for spec in DEMO_REGIONS:
        for code in spec.provinces:
            old = provinces[code]
            if old.successor.name == old.name or old.successor_id not in home:
                home[old.successor_id] = spec.slug
    return home


def _seed_year(spec: DemoRegion, region: Region, year: int, home: dict[int, str], data: DemoData) -> None:
    if RegionMembership.objects.filter(region=region, year=year).exists():
        return
    proposal = services.roster_propose(region=region, from_year=year - 1, to_year=year)
    foreign = {u.pk for u in proposal.units if home.get(u.province_id, spec.slug) != spec.slug}
    head, deputies = _rotate(region, year, [u for u in proposal.units if u.pk not in foreign])
    services.roster_copy_forward(region=region, from_year=year - 1, to_year=year, head=head, deputies=deputies)
    # A merged unit that goes to the other region is taken off this roster, as staff do in the roster editor.
    leaving = list(RegionMembership.objects.filter(region=region, year=year, unit_id__in=foreign))
    for membership in leaving:
        services.membership_remove(membership=membership)
    if leaving:
        order = RegionMembership.objects.filter(region=region, year=year).order_by("rotation_position")
        services.roster_reorder(region=region, year=year, unit_ids=list(order.values_list("unit_id", flat=True)))
    data.changes += 1


# ---------------------------------------------------------------------------------------------
# Leaders
# ---------------------------------------------------------------------------------------------


def _head_position(unit: Unit) -> str:
    if unit.kind == THADS_TINH:
        city = unit.province is not None and unit.province.name.startswith("thành phố")
        return "Trưởng Thi hành án dân sự " + ("thành phố" if city else "tỉnh")
    return {SO: "Giám đốc", CUC: "Cục trưởng", CHI_CUC: "Chi cục trưởng", PHONG: "Trưởng phòng"}[unit.kind]


def demo_leaders(units: dict[str, Unit]) -> list[DemoLeader]:
    """The article's leaders and the demo log-ins' appointments, then an illustrative head for every
    other unit (the regional offices aside)."""
    named = {leader.unit_key for leader in NAMED_LEADERS}
    others = [key for key in units if key not in named and not key.startswith("phong:")]
    generated = [
        DemoLeader(key, illustrative_name(index), _head_position(units[key]), units[key].active_from or TERM_START)
        for index, key in enumerate(others)
    ]
    return [*NAMED_LEADERS, *generated]


@transaction.atomic
def seed_demo_leaders(data: DemoData, users: Mapping[str, "User"]) -> None:
    """Appoints the demo leaders, linked to their log-ins; an appointment already recorded is kept."""
    units = Unit.objects.in_bulk([u.pk for u in data.units.values()])
    done = set(Appointment.objects.filter(unit__in=list(units)).values_list("unit_id", "full_name", "start", "kind"))
    for leader in demo_leaders(data.units):
        unit = units[data.units[leader.unit_key].pk]
        if (unit.pk, leader.full_name, leader.start, leader.kind) in done:
            continue
        services.appointment_start(
            unit=unit,
            full_name=leader.full_name,
            position=leader.position,
            start=leader.start,
            kind=leader.kind,
            end=unit.active_to,
            user=users.get(leader.username),
        )
        data.changes += 1


# ---------------------------------------------------------------------------------------------
# The whole demo
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def seed_demo_regions() -> DemoData:
    """The two regions of the 2018 article with their units, history and rosters 2018–2026."""
    data = DemoData(units={}, regions={})
    provinces = _demo_provinces()
    seeder = _UnitSeeder(data, provinces)
    for spec in DEMO_REGIONS:
        seeder.seed_pre_2025(spec)
    seeder.rename_hue()
    seeder.merge_2025()
    seeder.seed_phong_offices()
    regions = [(spec, _ensure_region(spec, data)) for spec in DEMO_REGIONS]
    for spec, region in regions:
        _seed_first_roster(spec, region, data)
    home = _home_regions(provinces)
    for year in YEARS[1:]:
        for spec, region in regions:
            _seed_year(spec, region, year, home, data)
    fresh = Unit.objects.in_bulk([u.pk for u in data.units.values()])
    data.units = {key: fresh[unit.pk] for key, unit in data.units.items()}
    return data
