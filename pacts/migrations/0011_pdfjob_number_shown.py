"""The number a person reads of a PDF job: a signed document's version counts only the signed documents (the
first is 1 even after a draft preview), a preview's number only the previews. The column is added empty: no
row is rewritten (a ready job is frozen by 0006), and a job made before shows its version as it always did."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pacts", "0010_pact_text_format_frozen"),
    ]

    operations = [
        migrations.AddField(
            model_name="pdfjob",
            name="number",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The signed document's version among the pact's signed documents, or the preview's number.",
                null=True,
                verbose_name="number shown",
            ),
        ),
    ]
