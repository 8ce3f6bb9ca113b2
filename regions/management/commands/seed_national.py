"""Generates a country-scale data set for benchmarks: five regions over the 63 pre-2025 provinces, their
Sở Tư pháp, Cục THADS and Chi cục THADS, a head for each, and rosters for several years.

A benchmark generator, not history a user would leave: units, names, leaders and memberships are written
with ``bulk_create`` (the regions themselves through the service). Everything it makes is tagged, the
regions by the slug prefix "qg-" and the units by ``NATIONAL_BASIS`` on their names, so ``--reset`` and
``--remove`` delete exactly that. The same ``--units`` and ``--seed`` give the same data.

    python manage.py seed_national --units 3000 [--years 2021-2025] [--seed 2018] [--reset | --remove]
"""

import random
import time
from dataclasses import dataclass
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from regions import services
from regions.demo import CENTRAL_PROVINCES, NATIONAL_BASIS, SOUTH_EAST_PROVINCES, illustrative_name
from regions.models import FIRST_YEAR, Appointment, Province, Region, RegionMembership, RegionName, Unit, UnitName

SO, CUC, CHI_CUC = Unit.Kind.SO_TU_PHAP, Unit.Kind.CUC_THADS, Unit.Kind.CHI_CUC_THADS
PREFIX = "qg-"
SUFFIX = " (dữ liệu thử tải)"
FOUNDED = date(2013, 1, 1)
RENAME_DAY = date(2020, 1, 1)  # some districts become towns: a second name to exercise the history
LEADERS_FROM = date(2019, 1, 1)

# The five regions of QĐ 3916/QĐ-BTP (2012–2013). Only the northern mountains' list is sourced; the
# Thanh Hóa–Hà Tĩnh provinces go with the northern delta, and the Mekong delta takes every province left.
NORTHERN_MOUNTAINS = (
    "ha-giang", "tuyen-quang", "cao-bang", "bac-kan", "hoa-binh", "lai-chau", "dien-bien", "son-la", "lang-son",
    "lao-cai", "yen-bai", "thai-nguyen", "bac-giang", "phu-tho",
)  # fmt: skip
NORTHERN_DELTA = (
    "ha-noi", "hai-phong", "hai-duong", "hung-yen", "thai-binh", "nam-dinh", "ha-nam", "ninh-binh", "bac-ninh",
    "vinh-phuc", "quang-ninh", "thanh-hoa", "nghe-an", "ha-tinh",
)  # fmt: skip
REGIONS = (
    ("mien-nui-phia-bac", "các tỉnh miền núi phía Bắc", NORTHERN_MOUNTAINS),
    ("dong-bang-bac-bo", "các tỉnh đồng bằng Bắc bộ", NORTHERN_DELTA),
    ("duyen-hai-mien-trung-tay-nguyen", "các tỉnh duyên hải miền Trung và Tây Nguyên", tuple(CENTRAL_PROVINCES)),
    ("mien-dong-nam-bo", "các tỉnh miền Đông Nam bộ", tuple(SOUTH_EAST_PROVINCES)),
    ("dong-bang-song-cuu-long", "các tỉnh đồng bằng sông Cửu Long", ()),  # the rest
)

_SYLLABLES = (
    "An", "Bình", "Châu", "Đức", "Giang", "Hòa", "Hưng", "Khánh", "Lạc", "Long", "Mỹ", "Nghĩa", "Ninh", "Phú",
    "Phước", "Quảng", "Sơn", "Tân", "Thạnh", "Thành", "Thuận", "Tiên", "Trà", "Trung", "Vĩnh", "Xuân", "Yên",
    "Đông", "Tây", "Nam", "Bắc", "Cẩm", "Hải", "Lộc", "Thủy", "Điền",
)  # fmt: skip
_PREFIXES = ("huyện",) * 15 + ("thị xã",) * 2 + ("thành phố",) * 2 + ("quận",)


@dataclass
class Generated:
    regions: int
    units: dict[str, int]
    names: int
    leaders: int
    memberships: int


def _random(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 (benchmark data, not secrets)


def _districts(rng: random.Random, count: int) -> list[str]:
    """Plausible district names, unique within a province (repeats across provinces, as in reality)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(_PREFIXES)} {rng.choice(_SYLLABLES)} {rng.choice(_SYLLABLES)}"
        if name in seen:
            name = f"{name} {len(names) + 1}"
        seen.add(name)
        names.append(name)
    return names


def _province_groups() -> list[tuple[str, str, list[Province]]]:
    provinces = {p.code: p for p in Province.objects.filter(valid_from__isnull=True).order_by("code")}
    if len(provinces) != 63:
        raise CommandError(f"Expected the 63 provinces of before 01/07/2025, found {len(provinces)}: migrate first.")
    taken = {code for _, _, codes in REGIONS for code in codes}
    groups = []
    for slug, label, codes in REGIONS:
        chosen = codes or tuple(code for code in provinces if code not in taken)
        name = f"Khu vực thi đua Khối cơ quan Tư pháp {label}{SUFFIX}"
        groups.append((PREFIX + slug, name, [provinces[code] for code in chosen]))
    return groups


def _head_position(kind: str) -> str:
    return {SO: "Giám đốc", CUC: "Cục trưởng"}.get(kind, "Chi cục trưởng")


@transaction.atomic
def generate_national(*, total_units: int, years: range, seed: int) -> Generated:
    rng = _random(seed)
    groups = _province_groups()
    ordered = [province for _, _, provinces in groups for province in provinces]
    chi_cuc_total = total_units - 2 * len(ordered)
    if chi_cuc_total < 0:
        raise CommandError(f"--units must be at least {2 * len(ordered)} (a Sở and a Cục per province).")
    top: list[Unit] = []
    for province in ordered:
        bare = province.name.removeprefix("tỉnh ").removeprefix("thành phố ")
        top += [
            Unit(name=f"Sở Tư pháp {province.name}", short_name=f"STP {bare}", kind=SO, province=province),
            Unit(
                name=f"Cục Thi hành án dân sự {province.name}",
                short_name=f"Cục THADS {bare}",
                kind=CUC,
                province=province,
            ),
        ]
    Unit.objects.bulk_create(top)
    cuc_of = {unit.province_id: unit for unit in top if unit.kind == CUC}
    base, extra = divmod(chi_cuc_total, len(ordered))
    chi_cuc = [
        Unit(
            name=f"Chi cục Thi hành án dân sự {district}",
            short_name=f"Chi cục THADS {district}",
            kind=CHI_CUC,
            province=province,
            parent=cuc_of[province.pk],
        )
        for index, province in enumerate(ordered)
        for district in _districts(rng, base + (1 if index < extra else 0))
    ]
    Unit.objects.bulk_create(chi_cuc, batch_size=1000)
    every = top + chi_cuc
    # Generated units have no founding day: their first names start on an unknown day, never a made-up one.
    names = [
        UnitName(
            unit=u, name=u.name, short_name=u.short_name, valid_from=None, basis=NATIONAL_BASIS, province=u.province
        )
        for u in every
    ]
    renamed = [u for u in chi_cuc if " huyện " in u.name and rng.random() < 0.1]
    for unit in renamed:
        unit.name, unit.short_name = (value.replace(" huyện ", " thị xã ", 1) for value in (unit.name, unit.short_name))
        names.append(
            UnitName(
                unit=unit,
                name=unit.name,
                short_name=unit.short_name,
                valid_from=RENAME_DAY,
                basis=NATIONAL_BASIS,
                province=unit.province,
            )
        )
    Unit.objects.bulk_update(renamed, ["name", "short_name"], batch_size=1000)
    UnitName.objects.bulk_create(names, batch_size=2000)
    leaders = [
        Appointment(
            unit=u,
            full_name=illustrative_name(rng.randrange(1_000_000)),
            position=_head_position(u.kind),
            start=LEADERS_FROM,
        )
        for u in every
    ]
    Appointment.objects.bulk_create(leaders, batch_size=2000)
    memberships = []
    for slug, name, provinces in groups:
        region = services.region_create(
            name=name,
            short_name=name.removeprefix("Khu vực thi đua Khối cơ quan Tư pháp ").removesuffix(SUFFIX),
            effective=FOUNDED,
            description="Dữ liệu thử tải sinh bởi lệnh seed_national (minh họa).",
            slug=slug,
        )
        memberships += _rosters(region, provinces, top, chi_cuc, years, rng)
    RegionMembership.objects.bulk_create(memberships, batch_size=2000)
    kinds = {kind: sum(1 for u in every if u.kind == kind) for kind in ("so_tu_phap", "cuc_thads", "chi_cuc_thads")}
    return Generated(len(groups), kinds, len(names), len(leaders), len(memberships))


def _rosters(region, provinces, top, chi_cuc, years: range, rng: random.Random) -> list[RegionMembership]:
    """Every unit of the region's provinces, every year; the head passes to the next Sở each year, the Sở
    after it and a rotating Cục are the deputies."""
    ids = {p.pk for p in provinces}
    sos = [u for u in top if u.province_id in ids and u.kind == SO]
    cucs = [u for u in top if u.province_id in ids and u.kind == CUC]
    members = sos + cucs + [u for u in chi_cuc if u.province_id in ids]
    offset = rng.randrange(len(sos))
    rows = []
    for turn, year in enumerate(years):
        roles = {
            sos[(offset + turn) % len(sos)].pk: RegionMembership.Role.HEAD,
            sos[(offset + turn + 1) % len(sos)].pk: RegionMembership.Role.DEPUTY,
            cucs[(offset + turn) % len(cucs)].pk: RegionMembership.Role.DEPUTY,
        }
        rows += [
            RegionMembership(
                region=region,
                unit=unit,
                year=year,
                role=roles.get(unit.pk, RegionMembership.Role.MEMBER),
                rotation_position=position,
            )
            for position, unit in enumerate(members, start=1)
        ]
    return rows


@transaction.atomic
def remove_national() -> tuple[int, int]:
    """Deletes the "qg-" regions and the units seed_national made; returns (regions, units) deleted."""
    unit_ids = list(set(UnitName.objects.filter(basis=NATIONAL_BASIS).values_list("unit_id", flat=True)))
    regions = Region.objects.filter(slug__startswith=PREFIX)
    region_count = regions.count()
    RegionMembership.objects.filter(Q(region__in=regions) | Q(unit_id__in=unit_ids)).delete()
    Appointment.objects.filter(unit_id__in=unit_ids).delete()
    UnitName.objects.filter(unit_id__in=unit_ids).delete()
    Unit.objects.filter(pk__in=unit_ids, parent__isnull=False).delete()
    Unit.objects.filter(pk__in=unit_ids).delete()
    RegionName.objects.filter(region__in=regions).delete()
    regions.delete()
    return region_count, len(unit_ids)


def _years(value: str) -> range:
    try:
        first, _, last = value.partition("-")
        years = range(int(first), int(last or first) + 1)
    except ValueError as error:
        raise CommandError(f"--years must look like 2021-2025, not {value!r}.") from error
    if not years or years.start < FIRST_YEAR:
        raise CommandError(f"--years must look like 2021-2025, not {value!r}.")
    return years


class Command(BaseCommand):
    help = (
        'Generates a country-scale benchmark data set ("qg-" regions): five regions, the 63 pre-2025 provinces, '
        "their Sở Tư pháp, Cục THADS and Chi cục THADS, and rosters for several years."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--units", type=int, default=3000, help="Units in all (default 3000).")
        parser.add_argument("--years", default="2021-2025", help="Roster years, e.g. 2021-2025 (the default).")
        parser.add_argument("--seed", type=int, default=2018, help="Seed of the random choices (default 2018).")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--reset", action="store_true", help="Delete the data set first, then generate it.")
        group.add_argument("--remove", action="store_true", help="Delete the data set and stop.")

    def handle(self, *args, units: int, years: str, seed: int, reset: bool, remove: bool, **options) -> None:
        roster_years = _years(years)
        started = time.perf_counter()
        exists = Region.objects.filter(slug__startswith=PREFIX).exists()
        if remove or reset:
            regions, deleted = remove_national()
            self.stdout.write(
                f"Deleted {regions} regions and {deleted:,} units in {time.perf_counter() - started:.1f} s."
            )
            if remove:
                return
        elif exists:
            count = UnitName.objects.filter(basis=NATIONAL_BASIS).values("unit_id").distinct().count()
            self.stdout.write(f'The "{PREFIX}" data set is already there ({count:,} units); --reset makes it again.')
            return
        started = time.perf_counter()
        made = generate_national(total_units=units, years=roster_years, seed=seed)
        self.stdout.write(
            f"Created {made.regions} regions and {sum(made.units.values()):,} units "
            f"({made.units['so_tu_phap']} Sở Tư pháp, {made.units['cuc_thads']} Cục THADS, "
            f"{made.units['chi_cuc_thads']:,} Chi cục THADS), {made.names:,} names, {made.leaders:,} leaders and "
            f"{made.memberships:,} memberships for {roster_years.start}–{roster_years.stop - 1} "
            f"in {time.perf_counter() - started:.1f} s."
        )
        for region in Region.objects.filter(slug__startswith=PREFIX).order_by("slug"):
            size = RegionMembership.objects.filter(region=region, year=roster_years.stop - 1).count()
            self.stdout.write(f"  {region.slug:<38} {size:>5} units a year")
