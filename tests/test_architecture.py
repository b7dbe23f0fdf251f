"""The shape of the code: dependencies point one way, only the CLI prints, and every
package is installed."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ON_TOP = {"export", "report", "scenarios", "sweep", "compare", "cli"}
"""What sits on top of the optimizer's core: exports, reports, scenarios and the CLI."""
CORE = {path.relative_to(ROOT / "optimizer").parts[0].removesuffix(".py")
        for path in (ROOT / "optimizer").rglob("*.py")} - ON_TOP - {"__init__", "__main__"}
"""The optimizer's core, derived: everything that is not on top (CP-SAT and what feeds it)."""


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", _modules("models"), ids=lambda p: p.name)
def test_models_know_nothing_of_the_solver(path: Path) -> None:
    for name in _imports(path):
        assert not name.startswith(("ortools", "optimizer")), f"{path.name} imports {name}"


@pytest.mark.parametrize(
    "path", [p for p in _modules("optimizer") if p.relative_to(ROOT / "optimizer").parts[0]
             .removesuffix(".py") in CORE], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_does_not_import_what_sits_on_top(path: Path) -> None:
    for name in _imports(path):
        parts = name.split(".")
        assert not (parts[0] == "optimizer" and len(parts) > 1 and parts[1] in ON_TOP), (
            f"{path.name} imports {name}")


@pytest.mark.parametrize("path", [*_modules("models"), *_modules("optimizer")],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_cli_prints(path: Path) -> None:
    if path.name == "cli.py":  # the command line is where printing belongs
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == "print"]
    assert not calls, f"{path.name} prints on lines {calls}; library code logs"


def test_every_package_is_installed() -> None:
    """A non-editable install once left optimizer.report out: the quick start broke."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [".".join(p.parent.relative_to(ROOT).parts)
                for top in ("models", "optimizer") for p in (ROOT / top).rglob("__init__.py")]
    assert packages
    for package in packages:
        assert any(fnmatch.fnmatch(package, pattern) for pattern in patterns), package
