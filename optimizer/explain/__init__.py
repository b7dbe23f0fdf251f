"""Explanations and advice in the school's words: why no schedule exists
(``infeasible``), why a child got what they got (``student``), and what would help most
(``advise``).

``infeasible`` guards the model's changeable facts with assumptions and shrinks CP-SAT's
sufficient set to a minimal one; ``student`` reads a checked schedule (no solver);
``advise`` solves changed schools through the district's scenario machinery and reports
what each change measurably buys.
"""
