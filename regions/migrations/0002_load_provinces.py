"""Loads the 63 provinces valid until 30/06/2025 and the 34 in force from 01/07/2025
(Nghị quyết 202/2025/QH15), each old one linked to its successor. Thừa Thiên Huế became the
centrally-run "thành phố Huế" earlier, on 01/01/2025."""

import csv
from datetime import date, timedelta
from pathlib import Path

from django.db import migrations

from core.text import ascii_slug

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "provinces-2025.csv"
MERGER_DAY = date(2025, 7, 1)
HUE_DAY = date(2025, 1, 1)


def _code(name: str) -> str:
    return ascii_slug(name.removeprefix("tỉnh ").removeprefix("thành phố "))


def load_provinces(apps, schema_editor):
    Province = apps.get_model("regions", "Province")
    with CSV_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    successors = {}
    for row in rows:
        old, new, change = row["province_until_2025_06_30"], row["province_from_2025_07_01"], row["change"]
        if change == "unchanged":
            Province.objects.create(code=_code(old), name=old)
            continue
        start = HUE_DAY if change == "renamed" else MERGER_DAY
        if new not in successors:
            code = _code(new)
            if change == "merged" and any(r["province_until_2025_06_30"] == new for r in rows):
                code = f"{code}-2025"  # the merged province keeps an old one's name but is a new body
            successors[new] = Province.objects.create(code=code, name=new, valid_from=start)
        Province.objects.create(
            code=_code(old),
            name=old,
            valid_to=start - timedelta(days=1),
            successor=successors[new],
        )


def unload_provinces(apps, schema_editor):
    Province = apps.get_model("regions", "Province")
    Province.objects.filter(successor__isnull=False).delete()
    Province.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load_provinces, unload_provinces)]
