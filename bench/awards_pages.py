"""Times the registration report, its .xlsx export and a region's ranking on the country-scale data set.

Usage, against PostgreSQL (the script migrates the database and generates what is missing: the "qg-"
regions with `manage.py seed_national --units N`, their campaigns with `manage.py seed_national_pacts`,
then the award data below):

    createdb -h 127.0.0.1 -U postgres thidua_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench .venv/bin/python bench/awards_pages.py

For one roster year of the "qg-" regions (--year, default the latest), the script adds, in bulk and only
where missing: a campaign for every region that has none (seed_national_pacts makes them for the latest
year), a registration of "Cờ thi đua ngành Tư pháp" for every member unit and of "Tập thể lao động xuất
sắc" for every THADS unit, with statuses spread over the "registered" ones; a published scoring table of
22 criteria for every kind of unit in the rosters; and a score sheet with its 22 entries for every unit,
most of them sent or reviewed. Everything it writes carries the tag "awards_pages (dữ liệu thử tải)" (the
registrations' note, the table's and campaigns' names), and --remove deletes exactly that.

A ministry user is logged in with Django's test Client; each page is requested once to count its SQL
queries, then --repeat times to time it (the view, its queries and its template, no network). A page whose
URL name does not exist yet, or that answers 404, is reported as "not available".

Options: --year N, --repeat N (default 30), --units N (default 3000), --no-migrate, --allow-sqlite, --remove.
"""

import argparse
import os
import random
import sys
import time
import warnings
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, once DEBUG is off without collectstatic

from bench import _timing as timing  # noqa: E402 (after the path is set)

TAG = "awards_pages (dữ liệu thử tải)"
FLAG = "co-thi-dua-nganh-tu-phap"
EXCELLENT = "tap-the-lao-dong-xuat-sac"
THADS_KINDS = ("cuc_thads", "chi_cuc_thads", "thads_tinh", "phong_thads_khu_vuc")
BATCH = 5000
WIDTH = 46


def _arguments() -> argparse.Namespace:
    parser = timing.argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, help="roster year to fill and measure (default: the latest)")
    parser.add_argument("--remove", action="store_true", help="delete what this script added, and stop")
    return parser.parse_args()


# --- the data set ------------------------------------------------------------------------------------


def _campaigns(year: int) -> dict[int, int]:
    """Region id → campaign id for every "qg-" region with a roster that year; missing campaigns are made."""
    from pacts.models import Campaign
    from regions.models import RegionMembership

    region_ids = set(
        RegionMembership.objects.filter(region__slug__startswith="qg-", year=year).values_list("region_id", flat=True)
    )
    existing = dict(Campaign.objects.filter(region_id__in=region_ids, year=year).values_list("region_id", "pk"))
    Campaign.objects.bulk_create(
        Campaign(
            region_id=region_id,
            year=year,
            title=f"Kế hoạch phát động phong trào thi đua năm {year} ({TAG})",
            status=Campaign.Status.LAUNCHED,
        )
        for region_id in sorted(region_ids - set(existing))
    )
    return dict(Campaign.objects.filter(region_id__in=region_ids, year=year).values_list("region_id", "pk"))


def _members(year: int) -> list[tuple[int, int, str]]:
    """(region id, unit id, kind) of every "qg-" member that year, in roster order."""
    from regions.models import RegionMembership

    return list(
        RegionMembership.objects.filter(region__slug__startswith="qg-", year=year)
        .order_by("region_id", "rotation_position", "pk")
        .values_list("region_id", "unit_id", "unit__kind")
    )


def _registrations(year: int, campaigns: dict[int, int], members) -> int:
    from awards.models import AwardRegistration, AwardTitle

    titles = dict(AwardTitle.objects.filter(code__in=[FLAG, EXCELLENT]).values_list("code", "pk"))
    statuses = AwardRegistration.REGISTERED
    sent = datetime(year, 3, 1, 2, 0, tzinfo=UTC)
    rows = []
    for region_id, unit_id, kind in members:
        codes = [FLAG, EXCELLENT] if kind in THADS_KINDS else [FLAG]
        for code in codes:
            status = statuses[len(rows) % len(statuses)]
            rows.append(
                AwardRegistration(
                    campaign_id=campaigns[region_id],
                    unit_id=unit_id,
                    title_id=titles[code],
                    status=status,
                    note=TAG,
                    return_reason="Bổ sung báo cáo thành tích." if status == "returned" else "",
                    submitted_at=sent,
                )
            )
    before = AwardRegistration.objects.filter(campaign__year=year, note=TAG).count()
    AwardRegistration.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return AwardRegistration.objects.filter(campaign__year=year, note=TAG).count() - before


def _table(year: int, kinds: list[str]):
    """The tagged scoring table of the year, made through the services and published; None if another table
    already scores these kinds that year."""
    from awards.errors import AwardsError
    from awards.models import ScoringTable
    from awards.services.scoring import (
        CriterionSpec,
        GroupSpec,
        table_create,
        table_publish,
        table_set_content,
        table_set_thresholds,
    )

    name = f"Bảng tiêu chí chấm điểm thi đua năm {year} ({TAG})"
    table = ScoringTable.objects.filter(year=year, name=name).first()
    if table is not None:
        return table
    C = CriterionSpec
    groups = [
        GroupSpec(title, [C(f"{number}.{n}", f"{title}: tiêu chí {n}", Decimal("10")) for n in range(1, 5)])
        for number, title in enumerate(
            (
                "Công tác chỉ đạo, điều hành",
                "Thực hiện nhiệm vụ chuyên môn",
                "Thực hiện chế độ báo cáo",
                "Ứng dụng công nghệ thông tin, chuyển đổi số",
                "Công tác thi đua, khen thưởng",
            ),
            start=1,
        )
    ]
    groups.append(
        GroupSpec(
            "Điểm cộng, điểm trừ",
            [
                C("6.1", "Mô hình hay, cách làm mới", Decimal("5"), "bonus"),
                C("6.2", "Bị phê bình, nhắc nhở", Decimal("10"), "deduction"),
            ],
        )
    )
    try:
        table = table_create(
            year=year,
            unit_kinds=kinds,
            name=name,
            decision_number="536/QĐ-BTP",
            issuer="Bộ trưởng Bộ Tư pháp",
        )
        table_set_content(table=table, groups=groups)
        table_set_thresholds(
            table=table, thresholds=[("Xuất sắc", Decimal("180")), ("Tốt", Decimal("160")), ("Khá", Decimal("140"))]
        )
        return table_publish(table=table)
    except AwardsError as error:
        print(f"No scoring table made: {error.message}")
        return None


def _sheets(table, members, rng: random.Random) -> tuple[int, int]:
    """A sheet for every member of the table's kinds (reviewed, sent or still a draft), with all its entries."""
    from awards.models import Criterion, ScoreEntry, ScoreSheet
    from awards.services.scoring import store_totals

    now = datetime(table.year, 12, 1, 2, 0, tzinfo=UTC)
    sheets = []
    for index, (_region_id, unit_id, kind) in enumerate(members):
        if kind not in table.unit_kinds:
            continue
        status = ("reviewed", "submitted", "reviewed", "submitted", "draft")[index % 5]
        sheets.append(
            ScoreSheet(
                table=table,
                unit_id=unit_id,
                status=status,
                submitted_at=now if status != "draft" else None,
                reviewed_at=now if status == "reviewed" else None,
            )
        )
    ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH, ignore_conflicts=True)
    criteria = list(Criterion.objects.filter(group__table=table))
    empty = ScoreSheet.objects.filter(table=table, entries__isnull=True).values_list("pk", "status")
    entries = []
    for sheet_id, status in empty:
        for criterion in criteria:
            if criterion.kind == "standard":
                points = Decimal(rng.randrange(int(criterion.max_points) * 2 // 3, int(criterion.max_points) + 1))
            else:
                points = Decimal(rng.choice((0, 0, 0, 1, 2)))
            reviewed = points - 1 if status == "reviewed" and points >= 1 and rng.random() < 0.2 else None
            entries.append(
                ScoreEntry(
                    sheet_id=sheet_id,
                    criterion=criterion,
                    self_points=points,
                    reviewed_points=reviewed,
                    review_reason="Chưa đủ tài liệu kiểm chứng." if reviewed is not None else "",
                    reviewed_at=now if reviewed is not None else None,
                )
            )
    ScoreEntry.objects.bulk_create(entries, batch_size=BATCH)
    # The totals the services keep on each sheet (the ranking reads them), as they would have written them.
    for sheet in ScoreSheet.objects.filter(pk__in=[sheet_id for sheet_id, _status in empty]):
        store_totals(sheet)
    return len(empty), len(entries)


def _past_the_evidence_guards() -> None:
    """BENCH ONLY. The data set is written in bulk, not through the services: entries of sheets already
    reviewed, then removed with its tables in use, which awards/migrations/0006 refuses. In the caller's
    transaction, and only there, ``session_replication_role = replica`` stops the triggers; only a superuser
    (the bench connects as one) may set it."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def add_award_data(year: int) -> tuple:
    """Adds what is missing for the year; returns (table or None, registrations added, sheets, entries)."""
    from django.db import transaction

    members = _members(year)
    with transaction.atomic():
        _past_the_evidence_guards()
        campaigns = _campaigns(year)
        added = _registrations(year, campaigns, members)
        kinds = sorted({kind for _region, _unit, kind in members})
        table = _table(year, kinds)
        sheets, entries = _sheets(table, members, random.Random(year)) if table else (0, 0)  # noqa: S311
    return table, added, sheets, entries


def remove_award_data() -> dict[str, int]:
    """Deletes what this script added (tagged), in the order the foreign keys allow."""
    from django.db import transaction

    from awards.models import AwardRegistration, ScoreEntry, ScoreSheet, ScoringTable
    from pacts.models import Campaign

    with transaction.atomic():
        _past_the_evidence_guards()
        tables = ScoringTable.objects.filter(name__endswith=f"({TAG})")
        deleted = {
            "score entries": ScoreEntry.objects.filter(sheet__table__in=tables).delete()[0],
            "score sheets": ScoreSheet.objects.filter(table__in=tables).delete()[0],
            "scoring tables": tables.delete()[1].get("awards.ScoringTable", 0),
            "registrations": AwardRegistration.objects.filter(note=TAG).delete()[1].get("awards.AwardRegistration", 0),
        }
        campaigns = Campaign.objects.filter(title__endswith=f"({TAG})", award_registrations__isnull=True)
        deleted["campaigns"] = campaigns.delete()[1].get("pacts.Campaign", 0)
    return deleted


# --- the measurements --------------------------------------------------------------------------------


def _pages(year: int, table) -> list[tuple[str, str | None]]:
    """(label, URL or None when the page does not exist yet)."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from awards.models import AwardRegistration, AwardTitle
    from regions.models import RegionMembership

    biggest = (
        RegionMembership.objects.filter(region__slug__startswith="qg-", year=year)
        .values("region_id")
        .annotate(size=Count("id"))
        .order_by("-size", "region_id")
        .first()
    )
    region_id, size = biggest["region_id"], biggest["size"]
    flag = AwardTitle.objects.get(code=FLAG).pk
    registered = AwardRegistration.objects.filter(campaign__year=year, status__in=AwardRegistration.REGISTERED)
    total = registered.count()
    middle = max(1, (total + 49) // 50 // 2)
    report = reverse("awards:report")
    pages = [
        (f"report, no filter ({total} registrations)", report),
        (f"report, list page {middle}", f"{report}?year={year}&page={middle}"),
        (f"report, biggest region ({size} units)", f"{report}?year={year}&region={region_id}"),
        ("report, one title (Cờ thi đua)", f"{report}?year={year}&title={flag}"),
        ("report export .xlsx, no filter", reverse("awards:report_xlsx")),
        ("report export .xlsx, biggest region", f"{reverse('awards:report_xlsx')}?year={year}&region={region_id}"),
    ]
    label = f"ranking, biggest region ({size} units)"
    if table is None:
        pages.append((label, None))
    else:
        try:
            pages.append((label, reverse("awards:ranking", args=[table.pk, region_id])))
        except NoReverseMatch:
            pages.append((label, None))
    return pages


def main() -> int:
    args = _arguments()
    import django

    django.setup()
    from django.db.models import Max

    from regions.models import RegionMembership

    if not timing.prepare_database(args):
        return 2
    if args.remove:
        deleted = remove_award_data()
        print("Deleted " + ", ".join(f"{count:,} {what}" for what, count in deleted.items()) + ".")
        return 0
    started = time.perf_counter()
    # The data set of the other scripts: seed_national_pacts is run as bench/pacts_pages.py would, so that
    # the campaigns this script might create never stop that script from seeding its pacts.
    timing.ensure_national_data(args.units)
    latest = RegionMembership.objects.filter(region__slug__startswith="qg-").aggregate(year=Max("year"))["year"]
    year = args.year or latest
    table, added, sheets, entries = add_award_data(year)
    print(
        f"Award data for {year}: {added:,} registrations, {sheets:,} score sheets and {entries:,} entries added "
        f"({time.perf_counter() - started:.1f} s)."
    )

    client = timing.measuring_client(timing.ministry_user())
    timing.print_database(args.repeat)
    timing.print_header(WIDTH)
    for label, url in _pages(year, table):
        if url is None:
            timing.print_row(label, None, 0, 0, [], width=WIDTH)
            continue
        timing.print_row(label, url, *timing.measure(client, url, args.repeat), width=WIDTH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
