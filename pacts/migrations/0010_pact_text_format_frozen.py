"""A pact's ``text_format`` (0008) joins the columns frozen once it leaves draft: the format it was opened under
writes its stored text, hash and PDF, so it never changes afterwards (pacts/canonical.py).

The 0006 guard already refused any change to it through its last check (every column but the allowed ones);
it is now refused as a frozen field, with the others, whatever the status change asked for. The function is
re-created from 0006's text with the longer list; reversing puts 0006's back.
"""

import importlib

from django.db import migrations

guards = importlib.import_module("pacts.migrations.0005_evidence_guards")
tightened = importlib.import_module("pacts.migrations.0006_evidence_guards_tightened")

PACT_FROZEN = [*guards.PACT_FROZEN, "text_format"]

OLD_LIST = guards._sql_array(guards.PACT_FROZEN)
if tightened.FUNCTIONS.count(OLD_LIST) != 1:
    raise RuntimeError("0006's pact guard should name the frozen columns exactly once")
FUNCTIONS = tightened.FUNCTIONS.replace(OLD_LIST, guards._sql_array(PACT_FROZEN))


def freeze(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the % of RAISE reach PostgreSQL as written.
    schema_editor.execute(FUNCTIONS, params=None)


def unfreeze(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(tightened.FUNCTIONS, params=None)


class Migration(migrations.Migration):
    dependencies = [("pacts", "0009_campaign_titles_and_pact_bases")]
    operations = [migrations.RunPython(freeze, unfreeze)]
