"""How every command's files reach the disk: through ``outputs/safe_write.deliver``
(atomic, kept together, another place when the target cannot be written), saying
where they went; exit 8 when no place takes them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from models.messages import said_in
from optimizer.commands.exits import Exit
from optimizer.commands.voice import say, voice

if TYPE_CHECKING:
    from optimizer.outputs.safe_write import Delivered, Naming, Writer


FILE = "file"
"""The role of a command's one output file (a solve's workbook and PDFs have their own)."""


def alone(path: Path) -> dict[str, Path]:
    """A command that writes one file: the file, named as it is."""
    return {FILE: path}


def deliver(output: Path, naming: Naming, write: Writer, *, protect: Sequence[Path],
            default_name: str | None = None) -> Delivered:
    """Every command's files reach the disk this way (optimizer/outputs/safe_write.py)."""
    from optimizer.outputs.safe_write import NotWritten
    from optimizer.outputs.safe_write import deliver as deliver_safely

    try:
        delivered = deliver_safely(output, naming, write, protect=protect,
                                   default_name=default_name)
    except NotWritten as exc:
        reasons = [said_in(reason, voice.lang) for reason in exc.reasons[:4]]
        click.echo(say("cli.not_written", name=output.name,
                       reasons=say("cli.clause_sep").join(reasons)), err=True)
        sys.exit(Exit.NOT_WRITTEN)
    if delivered.moved:
        click.echo(say("cli.note", text=said_in(delivered.sentence(), voice.lang)), err=True)
    return delivered
