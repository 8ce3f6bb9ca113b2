"""Names over time: a unit's province is kept on each of its names (it moves with a rename, as Huế's units did
on 01/01/2025); a first name may have an unknown start; each region name says what the region was called.

Existing data: every unit name takes the unit's province; a region name's term is read from the name
("Cụm thi đua …" → cụm, "Khối …" → khối, otherwise khu vực); a unit's first name dated 01/01/2000 (the
day the portal used to put when it knew none) becomes "start unknown".
"""

from datetime import date

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

MADE_UP_START = date(2000, 1, 1)


def _term_of(name: str) -> str:
    words = name.strip().casefold()
    if words.startswith("cụm"):
        return "cum"
    if words.startswith("khối"):
        return "khoi"
    return "khu_vuc"


def forwards(apps, schema_editor):
    Unit = apps.get_model("regions", "Unit")
    UnitName = apps.get_model("regions", "UnitName")
    RegionName = apps.get_model("regions", "RegionName")
    UnitName.objects.filter(province__isnull=True).update(
        province=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("province_id")[:1])
    )
    for name in RegionName.objects.all().only("pk", "name"):
        term = _term_of(name.name)
        if term != "khu_vuc":
            RegionName.objects.filter(pk=name.pk).update(term=term)
    earliest = UnitName.objects.filter(unit_id=OuterRef("unit_id")).order_by("valid_from").values("valid_from")[:1]
    made_up = UnitName.objects.filter(valid_from=MADE_UP_START).annotate(first=Subquery(earliest))
    UnitName.objects.filter(pk__in=made_up.filter(first=MADE_UP_START).values("pk")).update(valid_from=None)


def backwards(apps, schema_editor):
    UnitName = apps.get_model("regions", "UnitName")
    RegionName = apps.get_model("regions", "RegionName")
    UnitName.objects.filter(valid_from__isnull=True).update(valid_from=MADE_UP_START)
    RegionName.objects.filter(valid_from__isnull=True).update(valid_from=MADE_UP_START)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0004_appointment_deputy_in_charge"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="regionname",
            options={
                "ordering": [
                    models.OrderBy(models.F("region")),
                    models.OrderBy(models.F("valid_from"), nulls_first=True),
                ],
                "verbose_name": "region name",
                "verbose_name_plural": "region names",
            },
        ),
        migrations.AlterModelOptions(
            name="unitname",
            options={
                "ordering": [
                    models.OrderBy(models.F("unit")),
                    models.OrderBy(models.F("valid_from"), nulls_first=True),
                ],
                "verbose_name": "unit name",
                "verbose_name_plural": "unit names",
            },
        ),
        migrations.AddField(
            model_name="regionname",
            name="term",
            field=models.CharField(
                choices=[
                    ("khu_vuc", "emulation region (khu vực thi đua)"),
                    ("cum", "emulation cluster (cụm thi đua)"),
                    ("khoi", "emulation block (khối thi đua)"),
                ],
                default="khu_vuc",
                help_text="How documents of that time call the region and its head: khu vực, cụm or khối thi đua.",
                max_length=8,
                verbose_name="called",
            ),
        ),
        migrations.AddField(
            model_name="unitname",
            name="province",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="unit_names",
                to="regions.province",
                verbose_name="province",
            ),
        ),
        migrations.AlterField(
            model_name="regionname",
            name="valid_from",
            field=models.DateField(blank=True, null=True, verbose_name="in effect from"),
        ),
        migrations.AlterField(
            model_name="unitname",
            name="valid_from",
            field=models.DateField(blank=True, null=True, verbose_name="in effect from"),
        ),
        migrations.AddConstraint(
            model_name="regionname",
            constraint=models.UniqueConstraint(
                condition=models.Q(("valid_from__isnull", True)),
                fields=("region",),
                name="region_name_one_unknown_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="regionname",
            constraint=models.CheckConstraint(
                condition=models.Q(("term__in", ["khu_vuc", "cum", "khoi"])), name="region_name_term_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="unitname",
            constraint=models.UniqueConstraint(
                condition=models.Q(("valid_from__isnull", True)), fields=("unit",), name="unit_name_one_unknown_start"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
