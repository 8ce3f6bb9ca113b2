"""Creates the auth group of every role, so roles can be given in the admin from the start."""

from django.db import migrations

ROLE_CODES = ["ministry", "region", "leader", "admin"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for code in ROLE_CODES:
        Group.objects.get_or_create(name=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
