"""Every pact records the format its canonical text and PDF are written in. The pacts already in the
database were opened under the original format (dates "tháng 03"): they get 1, so their stored text, hash
and PDF stay what was signed; new pacts get the Decree 30/2020 format (2).

Adding a column with a default rewrites no row (no UPDATE reaches the evidence guards)."""

from django.db import migrations, models

CHOICES = [(1, "Original format (before Decree 30 dates)"), (2, "Decree 30/2020 format")]


class Migration(migrations.Migration):
    dependencies = [
        ("pacts", "0007_pdfjob_site_url"),
    ]

    operations = [
        migrations.AddField(
            model_name="pact",
            name="text_format",
            field=models.PositiveSmallIntegerField(choices=CHOICES, default=1, verbose_name="text format"),
        ),
        migrations.AlterField(
            model_name="pact",
            name="text_format",
            field=models.PositiveSmallIntegerField(choices=CHOICES, default=2, verbose_name="text format"),
        ),
    ]
