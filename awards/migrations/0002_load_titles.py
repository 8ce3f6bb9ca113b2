"""The catalogue of titles and forms of commendation the portal starts with (awards/catalogue.py)."""

from django.db import migrations

from awards.catalogue import ensure_titles


def load(apps, schema_editor):
    ensure_titles(apps.get_model("awards", "AwardTitle"), apps.get_model("awards", "AwardTitleBasis"))


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
