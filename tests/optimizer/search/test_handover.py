"""Handing a busy person's meeting to a colleague, so a rarer skill can be used
(optimizer/search/ledger.py ``Ledger.pick_staff``)."""

from __future__ import annotations

from dataclasses import replace

from models.check import check
from models.school import Activity, Room, School, Staff, Student
from optimizer.model.instance import build_instance
from optimizer.search.greedy import _greedy
from optimizer.search.ledger import sought
from tests.factories import CHESS, tiny_school


def _two_readers_one_chess_player() -> School:
    """Only T1 plays chess; T1 and T2 can both take reading, each for one class hour a
    week. The reading children ask first, and T1, first in the list, takes them."""
    school = tiny_school()
    reading = Activity(id="READ", name="Reading", category="club",
                       grades=frozenset(range(1, 7)), max_size=4, skill="reading")
    staff = (
        Staff(id="T1", name="Teacher One", role="teacher",
              skills=frozenset({"chess", "reading"}), max_periods_week=1),
        Staff(id="T2", name="Teacher Two", role="teacher", skills=frozenset({"reading"}),
              max_periods_week=1),
        *school.staff[2:],
    )
    return _three_rooms_monday(school, (CHESS, reading), staff, ("READ", "CHESS"))


def _three_rooms_monday(school: School, activities: tuple[Activity, ...],
                        staff: tuple[Staff, ...], wanted: tuple[str, str]) -> School:
    """Six children here on Monday's first period only, three wanting each activity;
    a third classroom, so study has a room while both activities meet."""
    students = tuple(
        Student(id=f"S{i}", name=f"Student {i}", grade=3, class_name="3-1",
                days=frozenset({0}), stay=1, wants=1,
                choices=(wanted[0],) if i <= 3 else (wanted[1],))
        for i in range(1, 7))
    rooms = (*school.rooms, Room(id="R3", name="Room 3", type="classroom", capacity=30))
    return replace(school, activities=(school.activities[0], *activities), staff=staff,
                   students=students, rooms=rooms)


def _opened(school: School, hand_over: bool, spare_rare: bool = False
            ) -> dict[str, tuple[str, ...]]:
    """Activity → the staff of its one meeting, in the greedy's schedule."""
    inst = build_instance(school)
    outcome = _greedy(school, inst, list(range(len(inst.students))), reassign=hand_over,
                      spare_rare=spare_rare)
    assert outcome is not None
    report = check(school, outcome.schedule)
    assert report.ok, report.summary()
    return {s.activity_id: s.meetings[0].staff_ids for s in outcome.schedule.sections
            if s.activity_id in {"READ", "CHESS"}}


def test_by_hand_the_only_chess_player_is_spent_on_reading() -> None:
    assert _opened(_two_readers_one_chess_player(), hand_over=False) == {"READ": ("T1",)}


def test_the_warm_greedy_hands_reading_over_and_opens_chess() -> None:
    opened = _opened(_two_readers_one_chess_player(), hand_over=True)
    assert opened == {"READ": ("T2",), "CHESS": ("T1",)}


def test_a_meeting_is_never_handed_to_someone_wanted_at_the_same_time() -> None:
    """PAIR needs both chess players at once, and CHESS meets then too: handing CHESS
    from T1 to T2 would free T1 only by double-booking T2."""
    school = tiny_school()
    pair = replace(CHESS, id="PAIR", name="Pair chess", staff_per_section=2)
    staff = tuple(replace(p, skills=frozenset({"chess"}), max_periods_week=4)
                  if p.id in {"T1", "T2"} else p for p in school.staff)
    school = _three_rooms_monday(school, (CHESS, pair), staff, ("CHESS", "PAIR"))
    assert _opened(school, hand_over=True) == {"CHESS": ("T1",)}


def test_the_only_chess_player_is_the_most_sought() -> None:
    school = _two_readers_one_chess_player()
    inst = build_instance(school)
    wanted = dict(zip((p.id for p in inst.staff), sought(inst), strict=True))
    # Reading's two people share it (a half each); chess has T1 alone (a whole).
    assert wanted["T1"] == 1.5
    assert wanted["T2"] == 0.5


def test_sparing_the_rare_skill_leaves_the_chess_player_free_without_a_hand_over() -> None:
    opened = _opened(_two_readers_one_chess_player(), hand_over=False, spare_rare=True)
    assert opened == {"READ": ("T2",), "CHESS": ("T1",)}
