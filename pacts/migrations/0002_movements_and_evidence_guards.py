"""Pre-loads the five movements named in 2018, and on PostgreSQL forbids UPDATE and DELETE of
signatures and audit events with a trigger, so not even a stray SQL statement alters evidence."""

from django.db import migrations

MOVEMENTS_2018 = [
    (
        "Đổi mới lề lối làm việc, hoàn thành xuất sắc nhiệm vụ chính trị năm 2018",
        "Toàn ngành Tư pháp tiếp tục đổi mới lề lối làm việc, siết chặt kỷ luật, kỷ cương; nâng cao hiệu lực, hiệu "
        "quả thi hành pháp luật; đẩy mạnh ứng dụng công nghệ thông tin, thi đua hoàn thành xuất sắc nhiệm vụ chính "
        "trị được giao năm 2018",
    ),
    ("Chung sức xây dựng nông thôn mới", "Ngành Tư pháp chung sức góp phần xây dựng nông thôn mới"),
    (
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Cán bộ tư pháp đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
    ("Vì người nghèo", "Cả nước chung sức vì người nghèo - không để ai bị bỏ lại phía sau"),
    ("Doanh nghiệp hội nhập và phát triển", "Doanh nghiệp Việt Nam hội nhập và phát triển"),
]

EVIDENCE_TABLES = ["pacts_pactsignature", "pacts_auditevent"]


def load_movements(apps, schema_editor):
    Movement = apps.get_model("pacts", "Movement")
    for short_name, name in MOVEMENTS_2018:
        Movement.objects.get_or_create(name=name, defaults={"short_name": short_name})


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION pacts_refuse_change() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'evidence rows of %% cannot be updated or deleted', TG_TABLE_NAME;
        END;
        $$ LANGUAGE plpgsql;
        """,
        params=(),  # so the %% above reaches PostgreSQL as a single %
    )
    for table in EVIDENCE_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pacts_refuse_change();"
        )


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in EVIDENCE_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS pacts_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("pacts", "0001_initial")]
    operations = [
        migrations.RunPython(load_movements, migrations.RunPython.noop),
        migrations.RunPython(add_guards, drop_guards),
    ]
