"""The ``schedule`` command's first code: Ctrl-C while the program is still loading.

Loading the CLI and its libraries (click, OR-Tools, pandas, openpyxl) takes a moment;
a Ctrl-C then would print a KeyboardInterrupt traceback, or surface as a library's
ImportError. Nothing has been read or written yet, so one sentence and exit 130 say
all there is.
"""

from __future__ import annotations

import sys

from optimizer.console.interrupts import pressed_ctrl_c

_INTERRUPTED = 130  # optimizer.cli.Exit.INTERRUPTED, which cannot be imported yet


def run() -> None:
    try:
        from optimizer.cli import main
    except BaseException as exc:
        if not pressed_ctrl_c(exc):
            raise
        sys.stderr.write("Interrupted while starting; nothing was read or written.\n")
        sys.exit(_INTERRUPTED)
    main()
