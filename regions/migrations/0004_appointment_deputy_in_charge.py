# The deputy head in charge of a unit (Phó … phụ trách): one open-ended head-like appointment at a time.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0003_unaccent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="appointment",
            name="appointment_kind_valid",
        ),
        migrations.RemoveConstraint(
            model_name="appointment",
            name="appointment_one_open_head_per_unit",
        ),
        migrations.AlterField(
            model_name="appointment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("head", "Head"),
                    ("acting_head", "Acting head"),
                    ("deputy", "Deputy head"),
                    ("deputy_in_charge", "Deputy head in charge"),
                ],
                default="head",
                max_length=16,
                verbose_name="appointed as",
            ),
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["head", "acting_head", "deputy", "deputy_in_charge"])),
                name="appointment_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("end__isnull", True), ("kind__in", ["head", "acting_head", "deputy_in_charge"])),
                fields=("unit",),
                name="appointment_one_open_head_per_unit",
            ),
        ),
    ]
