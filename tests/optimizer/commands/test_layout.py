"""Where a command lives: each in ``optimizer/commands/`` (docs/architecture.md), and
``cli.py`` only the group that registers them."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import optimizer.commands
from optimizer.cli import main

CLI = Path(__file__).resolve().parents[3] / "optimizer" / "cli.py"


def test_every_command_is_defined_in_the_commands_package() -> None:
    assert len(main.commands) >= 13
    for name, command in main.commands.items():
        assert command.callback is not None
        module = command.callback.__module__
        assert module.startswith("optimizer.commands."), f"{name} is defined in {module}"


def test_cli_py_defines_the_group_and_nothing_else() -> None:
    tree = ast.parse(CLI.read_text(encoding="utf-8"))
    defined = [node.name for node in tree.body
               if isinstance(node, ast.FunctionDef | ast.ClassDef)]
    assert defined == ["main"]


def test_each_module_of_the_commands_package_says_what_it_holds() -> None:
    names = [info.name for info in pkgutil.iter_modules(optimizer.commands.__path__)]
    assert {"exits", "voice", "solve", "school", "printing", "district"} <= set(names)
    for name in names:
        module = importlib.import_module(f"optimizer.commands.{name}")
        assert (module.__doc__ or "").strip(), f"commands/{name}.py has no docstring"
