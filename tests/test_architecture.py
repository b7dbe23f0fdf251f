"""The shape of the code: dependencies point one way, only the CLI prints, and every
package is installed."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAY_IMPORT = {
    "model": set(),
    "search": {"model"},
    "outputs": {"model", "search"},
    "district": {"model", "search", "outputs"},
    "explain": {"model", "search", "outputs", "district"},
    "console": set(),
    "commands": {"model", "search", "outputs", "district", "explain", "console"},
    "cli": {"commands"},
    "entry": {"cli", "console"},
}
"""Which of the optimizer's subpackages each may import (besides itself and ``models``)."""


def _layer(path: Path) -> str:
    return path.relative_to(ROOT / "optimizer").parts[0].removesuffix(".py")


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
    "path", [p for p in _modules("optimizer") if _layer(p) in MAY_IMPORT],
    ids=lambda p: str(p.relative_to(ROOT)))
def test_each_layer_imports_only_the_layers_below(path: Path) -> None:
    allowed = MAY_IMPORT[_layer(path)] | {_layer(path)}
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "optimizer" and len(parts) > 1:
            assert parts[1] in allowed, f"{path.relative_to(ROOT)} imports {name}"


def test_every_module_of_the_optimizer_is_in_a_layer() -> None:
    layers = {_layer(p) for p in _modules("optimizer")} - {"__init__"}
    assert layers == set(MAY_IMPORT)


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
    """A non-editable install once left optimizer.outputs.report out: the quick start broke."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [".".join(p.parent.relative_to(ROOT).parts)
                for top in ("models", "optimizer") for p in (ROOT / top).rglob("__init__.py")]
    assert packages
    for package in packages:
        assert any(fnmatch.fnmatch(package, pattern) for pattern in patterns), package
