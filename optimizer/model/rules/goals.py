"""The contract's goals as expressions; see docs/goals.md for their exact definitions.

Each function returns the goal's value as a linear expression (adding any
helper variables it needs) and never touches the objective: solve.py decides
how goals are combined.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from models.lottery import tickets
from optimizer.model import previous
from optimizer.model.instance import Instance
from optimizer.model.rules.hard import term_cost
from optimizer.model.variables import Variables

PRIORITY_BASE = 17  # one placement a priority level up outweighs a first choice below


def rank_points(rank: int) -> int:
    """16, 8, 4, 2, 1: steep, so one first choice is worth two second choices, and the
    model does not trade a child's first choice for two others' lower ones."""
    return 2 ** (5 - rank)


def priority_weight(inst: Instance, i: int) -> int:
    """What one placement of chooser ``i`` weighs: 17 to the power of their priority level."""
    return PRIORITY_BASE ** inst.priority_level.get(i, 0)


def max_choice_points(inst: Instance) -> int:
    """More choice points than any schedule can earn: every wanted place a first choice.

    A weight above this puts one more served child ahead of any total of points, which
    makes "fewest unserved, then most points" exactly lexicographic in one objective.
    """
    return sum(rank_points(1) * priority_weight(inst, i)
               * inst.students[i].wants for i in inst.applicants)


def children_moved(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                   ) -> cp_model.LinearExprT:
    """As few children as possible moved out of a place they still want and may still have
    (a re-solve; models/previous.py says which places those are)."""
    return previous.children_moved(model, inst, v)


def sections_moved(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                   ) -> cp_model.LinearExprT:
    """As few sections as possible moved to another day, time, room or staff (a re-solve)."""
    return previous.sections_moved(model, inst, v)


def supervisors_moved(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                   ) -> cp_model.LinearExprT:
    """As few study duties as possible moved: who supervises study when (a re-solve)."""
    return previous.supervisors_moved(model, inst, v)


def unserved(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
             ) -> cp_model.LinearExprT:
    """As few registered students as possible with none of their choices."""
    return inst.unreachable + sum(  # type: ignore[return-value]
        (1 - served) for served in v.served.values())


def priority_served(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                    ) -> cp_model.LinearExprT:
    """Of the children who get a place, higher priority first: each served chooser
    weighs 17 to the power of their priority level.

    With the number of unserved fixed by the level before, this decides who they are:
    a priority child is not the one left without a place so that another child can
    have a first choice (the first-choice level comes after this one).
    """
    return sum(priority_weight(inst, i) * served
               for i, served in v.served.items())  # type: ignore[return-value]


def first_choices(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                  ) -> cp_model.LinearExprT:
    """As many children as possible in their first choice, higher priority first.

    The contract asks for children "in their higher-ranked choices": counting first
    choices before any rank points is the rank-maximal reading, the coordinator's own
    "first choices first", without leaving anyone the greedy way leaves out.
    """
    return sum(
        priority_weight(inst, i) * v.place[i, s]
        for i, places in v.places_of_student.items() for s, rank, _ in places if rank == 1
    )  # type: ignore[return-value]


def choice_points(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                  ) -> cp_model.LinearExprT:
    """Higher-ranked choices, as many as wanted, higher priority first."""
    return sum(
        rank_points(rank) * priority_weight(inst, i) * v.place[i, s]
        for i, places in v.places_of_student.items() for s, rank, _ in places
    )  # type: ignore[return-value]


def lottery(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
            ) -> cp_model.LinearExprT:
    """Among equal claims, the seeded lottery decides — never row order, id or name.

    Weighted by rank points: when everyone is placed somewhere, who gets the scarce
    first choice is what the lottery must decide.
    """
    ticket = tickets(inst.school, seed)
    return sum(
        ticket[inst.students[i].id] * rank_points(rank) * v.place[i, s]
        for i, places in v.places_of_student.items() for s, rank, _ in places
    )  # type: ignore[return-value]


def _teacher_loads(inst: Instance, v: Variables) -> list[cp_model.LinearExprT]:
    return [v.load[t] for t, person in enumerate(inst.staff) if person.is_teacher]


def teacher_max_load(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                     ) -> cp_model.LinearExprT:
    """In-service teachers' after-school load low: the busiest teacher's class hours."""
    loads = _teacher_loads(inst, v)
    top = max((p.max_periods_week for p in inst.staff if p.is_teacher), default=0)
    peak = model.new_int_var(0, top, "teacher_max_load")
    for load in loads:
        model.add(peak >= load)
    return peak


def teacher_load_squares(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                         ) -> cp_model.LinearExprT:
    """…and even: the sum of squared loads is smallest when hours are spread out."""
    squares = []
    for t, person in enumerate(inst.staff):
        if not person.is_teacher:
            continue
        load = model.new_int_var(0, person.max_periods_week, "")
        model.add(load == v.load[t])
        square = model.new_int_var(0, person.max_periods_week ** 2, "")
        model.add_multiplication_equality(square, [load, load])
        squares.append(square)
    return sum(squares, start=0)  # type: ignore[arg-type]


def cost(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
         ) -> cp_model.LinearExprT:
    """Lower term cost (fen)."""
    return term_cost(inst, v)


def vendor_rating_shortfall(model: cp_model.CpModel, inst: Instance, v: Variables, seed: int
                            ) -> cp_model.LinearExprT:
    """Higher-rated vendors: each vendor meeting costs 50 - 10 × rating."""
    terms = []
    for (s, _), var in v.meets.items():
        provider = inst.sections[s].activity.provider
        if provider is not None:
            rating = inst.school.vendor_by_id[provider].rating
            terms.append((50 - round(10 * rating)) * var)
    return sum(terms, start=0)  # type: ignore[arg-type]
