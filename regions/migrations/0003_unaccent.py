"""PostgreSQL's unaccent, so that searches find "Quảng Bình" from "quang binh" (nothing on SQLite)."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_load_provinces")]

    operations = [UnaccentExtension()]
