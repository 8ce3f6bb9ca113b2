"""gunicorn's master (--preload) loads the views, templates and catalogues before it forks the workers."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from pathlib import Path
import thidua.wsgi  # what gunicorn --preload imports in the master
from django.conf import settings
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.urls.resolvers import get_ns_resolver
languages = {code for code, _name in settings.LANGUAGES}
root = get_resolver()
namespaced = {  # the resolvers reverse() makes for "app:name", kept by get_ns_resolver's cache
    name: get_ns_resolver(extra, resolver, tuple(resolver.pattern.converters.items()))
    for language in languages
    for name, (extra, resolver) in root._namespace_dict.get(language, {}).items()
}
cached = engines["django"].engine.template_loaders[0]
base = Path(settings.BASE_DIR)
ours = set()
for folder in [base / "templates", *base.glob("*/templates")]:
    ours.update(str(path.relative_to(folder)) for path in folder.rglob("*.html"))
print(json.dumps({
    "modules": sorted(sys.modules),
    "missing": sorted(ours - set(cached.get_template_cache)),
    "ours": len(ours),
    "connected": any(connection.connection is not None for connection in connections.all()),
    "namespaces": len(namespaced),
    "unfilled": [name for name, r in namespaced.items() if not languages <= set(r._reverse_dict)]
    + ([] if languages <= set(root._reverse_dict) else [""]),
}))
"""


def test_the_master_loads_what_a_worker_needs_and_keeps_no_database_connection():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "thidua.settings"}
    output = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(output.strip().splitlines()[-1])
    assert "weasyprint" in found["modules"]  # imported by the PDF views: 0.6 s a worker otherwise
    assert {"pacts.views.board", "regions.views.rosters", "awards.views.scoring_sheets"} <= set(found["modules"])
    assert found["ours"] > 150 and found["missing"] == []  # every page's template, compiled once for all workers
    assert not found["connected"]
    assert found["namespaces"] >= 5 and found["unfilled"] == []  # every app's reverse map, in both languages
