"""The ``schedule`` command's commands, each in one obvious place, and what they share.

One module per command or small family: :mod:`.school` (validate, template, sample,
check), :mod:`.solve` (solve and resolve, one path; :mod:`.outcome` says how a solve
ended), :mod:`.explain` (explain, advise), :mod:`.printing` (print, report),
:mod:`.changes` (diff, cover) and :mod:`.district` (sweep). The plumbing they share:
the one exit-code table (:mod:`.exits`), the language a command speaks (:mod:`.voice`),
the table of a workbook's problems (:mod:`.problems`), writing files
(:mod:`.deliver`), reading the school and a schedule of it (:mod:`.reading`), goals in
the command's words (:mod:`.goals`) and the group where every command ends
(:mod:`.group`). This is the top layer, beside ``cli.py``, which registers the
commands: it may import every layer of the optimizer (``model``, ``search``,
``outputs``, ``district``, ``explain``, ``console``) and ``models``; of the optimizer,
only ``cli.py`` imports it. It prints through click; heavy libraries are imported inside
the commands, so ``--help`` stays quick and a Ctrl-C while loading stays one sentence.
"""
