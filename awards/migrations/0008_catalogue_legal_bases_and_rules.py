"""The catalogue as the law writes it: each seeded title's legal basis and rules (awards.catalogue.RULES), the
individual Bằng khen, Giấy khen and Kỷ niệm chương "Vì sự nghiệp Tư pháp" added, and the exclusion between the
Government flag and the ministry flag taken out (the Government flag is chosen among the units voted up for the
ministry flag; no source read forbids both).

Only the catalogue's rows change (titles and their bases, which no guard freezes); a title whose legal basis
ministry staff already filled is left as they wrote it.
"""

from django.db import migrations

from awards.catalogue import GOVERNMENT_FLAG, MINISTRY_FLAG, ensure_titles


def forwards(apps, schema_editor):
    title_model = apps.get_model("awards", "AwardTitle")
    basis_model = apps.get_model("awards", "AwardTitleBasis")
    ensure_titles(title_model, basis_model)  # adds the missing titles, then the rules (ensure_rules)
    government = title_model.objects.filter(code=GOVERNMENT_FLAG).first()
    ministry = title_model.objects.filter(code=MINISTRY_FLAG).first()
    if government is not None and ministry is not None:
        government.excludes.remove(ministry)


class Migration(migrations.Migration):
    dependencies = [("awards", "0007_award_rules_and_multi_unit_votes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
