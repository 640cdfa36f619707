"""The dependency rule of README "Layout and architecture": core ← partners ← visits ←
recommendations ← npm_portal. A module may import only from its own app and the apps to its left,
and may not name a URL of an app to its right. Also: one module per concern, so no module outside
migrations grows past the size where it should become a package."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["core", "partners", "visits", "recommendations", "npm_portal"]
MAX_LINES = 500


def _modules(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "__pycache__" not in p.parts)


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    """(top-level package, line) of every absolute import in the module, nested ones included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def _url_names(path: Path) -> set[tuple[str, int]]:
    """App namespaces of URL names written as strings ("recommendations:list")."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = re.fullmatch(r"([a-z_]+):[a-z_]+", node.value)
            if match:
                found.add((match.group(1), node.lineno))
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_no_import_to_the_right(app):
    right = set(LAYERS[LAYERS.index(app) + 1 :])
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _modules(app)
        for name, line in _imported_apps(path)
        if name in right
    ]
    assert offences == []


@pytest.mark.parametrize("app", LAYERS)
def test_no_url_name_of_an_app_to_the_right(app):
    right = set(LAYERS[LAYERS.index(app) + 1 :])
    offences = [
        f"{path.relative_to(ROOT)}:{line} names a URL of {name}"
        for path in _modules(app)
        if "migrations" not in path.parts
        for name, line in _url_names(path)
        if name in right
    ]
    assert offences == []


def test_the_walk_sees_every_app_and_catches_an_import(tmp_path):
    # The rule would pass vacuously if the walk found nothing: each app has modules, and a
    # module importing to the right is caught.
    assert all(_modules(app) for app in LAYERS)
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from recommendations.models import Recommendation\n")
    assert ("recommendations", 2) in _imported_apps(bad)
    bad.write_text('URL = "recommendations:list"\n')
    assert ("recommendations", 1) in _url_names(bad)


def test_no_module_outside_migrations_is_too_big():
    big = [
        f"{path.relative_to(ROOT)} ({n} lines)"
        for app in LAYERS
        for path in _modules(app)
        if "migrations" not in path.parts and (n := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert big == []
