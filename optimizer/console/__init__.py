"""What the ``schedule`` command needs at the terminal, apart from the public calls: the
progress line (:mod:`.progress`), Ctrl-C (:mod:`.interrupts`) and the log of an
unexpected failure (:mod:`.crash`). Part of the command line's layer: only the commands
(``optimizer/commands/``) and ``entry.py`` (the command's first code) use it, and it
imports nothing of the optimizer.
"""
