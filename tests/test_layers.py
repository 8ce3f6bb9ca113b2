"""The layering of the house (ARCHITECTURE.md): each package imports only packages at or below it, and no
module of the project imports itself back through a circle. Read from the code with ast, so every import
counts, at the top of a module or inside a function."""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# From the ground up: each package with the project's packages it may import (besides itself).
MAY_IMPORT = {
    "core": set(),
    "outbox": {"core"},
    "accounts": {"core", "outbox"},
    "legal": {"core", "outbox", "accounts"},
    "regions": {"core", "outbox", "accounts", "legal"},
    "people": {"core", "outbox", "accounts", "legal", "regions"},
    "pacts": {"core", "outbox", "accounts", "legal", "regions"},
    "awards": {"core", "outbox", "accounts", "legal", "regions", "pacts"},
    "reports": {"core", "outbox", "accounts", "legal", "regions", "pacts", "awards"},
    "thidua": {"core", "outbox", "accounts", "legal", "regions", "people", "pacts", "awards", "reports"},
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. "pacts.services"
    target: str  # the module imported, e.g. "pacts.documents"
    where: str  # file:line, to name in a failure

    def __str__(self) -> str:
        return f"{self.where}: {self.source} imports {self.target}"


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the project's packages, by dotted name; migrations are history, not layers."""
    modules = {}
    for package in MAY_IMPORT:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(root: Path = ROOT) -> list[Import]:
    """Each import of a project module by a project module, resolved to the module it names."""
    modules = module_files(root)
    found = []
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(module, path, node)
                # "from pacts import services" imports the module pacts.services, not only the package.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                ]
            else:
                continue
            where = f"{path.relative_to(root)}:{node.lineno}"
            resolved = []
            for target in targets:
                # "import pacts.services.x" names a module; keep its longest part that is one of ours.
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                resolved.append(target)
            found += [
                Import(module, target, where) for target in dict.fromkeys(resolved) if target and target != module
            ]
    return found


def layer_breaches(found: list[Import]) -> list[Import]:
    return [
        each
        for each in found
        if (above := each.source.split(".")[0]) != (below := each.target.split(".")[0])
        and below not in MAY_IMPORT[above]
    ]


def _reachable(edges: dict[str, dict[str, Import]], start: str) -> dict[str, list[Import]]:
    """Each module reachable from start, with the shortest path of imports to it (breadth first)."""
    paths: dict[str, list[Import]] = {start: []}
    queue = [start]
    while queue:
        current = queue.pop(0)
        for target, each in sorted(edges.get(current, {}).items()):
            if target not in paths:
                paths[target] = [*paths[current], each]
                queue.append(target)
    return paths


def import_circles(found: list[Import]) -> list[list[Import]]:
    """One shortest circle for each group of modules that import one another in a circle."""
    edges: dict[str, dict[str, Import]] = {}
    for each in found:
        edges.setdefault(each.source, {}).setdefault(each.target, each)
    reach = {module: _reachable(edges, module) for module in edges}
    circles, seen = [], set()
    for module in sorted(edges):
        if module in seen:
            continue
        group = {other for other in reach[module] if other != module and module in reach.get(other, {})}
        if group:
            seen |= group | {module}
            back = min(group, key=lambda other: len(reach[module][other]) + len(reach[other][module]))
            circles.append(reach[module][back] + reach[back][module])
    return circles


def test_each_package_imports_only_the_packages_below_it():
    breaches = layer_breaches(imports())
    assert not breaches, "imports that point up the layers (see ARCHITECTURE.md):\n" + "\n".join(
        f"  {each} ({each.source.split('.')[0]} may import only "
        f"{', '.join(sorted(MAY_IMPORT[each.source.split('.')[0]])) or 'nothing of the project'})"
        for each in breaches
    )


def test_no_module_imports_itself_back_through_a_circle():
    circles = import_circles(imports())
    assert not circles, "import circles:\n" + "\n\n".join("\n".join(f"  {each}" for each in c) for c in circles)


def test_the_graph_sees_the_imports_it_checks():
    # A resolver that found nothing would pass the two tests above on any tree.
    found = {(each.source, each.target) for each in imports()}
    assert ("pacts.receivers", "outbox.signals") in found
    assert ("core.pages", "core.errors") in found
