"""The CP-SAT model of a school: what it is made of, and how a schedule maps onto it.

``instance`` prepares the school (grade bands, candidate sections, interchangeable
room classes, study pools), ``variables`` creates only variables that can be true,
``rules`` holds one function per hard rule of the contract and the goals as
expressions, ``extract`` reads a solution back into a Schedule and ``warmstart``
maps a Schedule onto the variables (a hint, or a check of which rule rejects it).
Imports ``models`` and OR-Tools only: no search, no outputs.
"""
