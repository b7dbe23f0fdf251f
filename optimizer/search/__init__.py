"""Finding the schedule: from a constructive schedule in a second to the levels of CP-SAT.

``greedy`` and ``assign`` build the coordinator's schedule and place the children by
min-cost flow; ``construct`` keeps the better checked one as the floor of every solve;
``bounds`` and ``ceilings`` say what each goal can reach; ``levels`` reads the goal
order; ``solve`` runs the lexicographic levels with ``cpsat``'s plumbing and the
``tactics`` (pieces from ``polish``, the ``placement`` program, relinking);
``diagnose`` explains impossible schools; ``result`` holds what a solve returns.
Imports ``models`` and ``optimizer.model``; never outputs, district planning or the CLI.
"""
