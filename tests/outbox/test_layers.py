"""The outbox sits at the ground floor: it imports no domain app, so every app may use it."""

import ast
from pathlib import Path

import outbox

HIGHER = {"accounts", "regions", "pacts", "awards", "thidua"}


def test_the_outbox_imports_no_domain_app():
    imported = set()
    for path in Path(outbox.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    assert imported & HIGHER == set()
