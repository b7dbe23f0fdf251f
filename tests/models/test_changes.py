"""What changed between two hand-built schedules: exactly the children, staff and
sections that moved, and nobody whose week is the same."""

from __future__ import annotations

from models.changes import CLOSED, JOINED, LEFT, MOVED, OPENED, ROOM, STAFF, TIME, compare
from models.schedule import Meeting, Place, Schedule, Section

MON, WED = 0, 2
P1 = (15 * 60 + 30, 16 * 60 + 10)


def _meeting(day: int, room: str, *staff: str) -> Meeting:
    return Meeting(day=day, periods=(1,), start=P1[0], end=P1[1], room_id=room,
                   staff_ids=staff)


def _section(section_id: str, activity_id: str, meetings: tuple[Meeting, ...],
             *students: str) -> Section:
    return Section(id=section_id, activity_id=activity_id, meetings=meetings,
                   student_ids=students)


def _places(sections: tuple[Section, ...]) -> tuple[Place, ...]:
    return tuple(Place(student_id=s, day=m.day, period=1, section_id=section.id)
                 for section in sections for m in section.meetings for s in section.student_ids)


def _schedule(*sections: Section) -> Schedule:
    return Schedule(sections=sections, places=_places(sections))


BEFORE = _schedule(
    _section("C1", "CHESS", (_meeting(MON, "R1", "T1"),), "S1", "S2"),
    _section("F1", "FOOT", (_meeting(WED, "GYM", "T2"),), "S3", "S4"),
    _section("ST1", "STUDY", (_meeting(MON, "R2", "V1"),), "S5", "S10"),
)
AFTER = _schedule(
    _section("C1", "CHESS", (_meeting(WED, "R1", "T1"),), "S1", "S2"),  # Mon → Wed
    _section("F1", "FOOT", (_meeting(WED, "GYM2", "T3"),), "S3", "S4"),  # room and staff
    _section("ST2", "STUDY", (_meeting(MON, "R2", "V1"),), "S6", "S10"),  # S5 left, S6 joined
)


def test_exactly_the_children_whose_week_changed_are_listed() -> None:
    changes = compare(BEFORE, AFTER)
    kinds = {c.student_id: c.kind for c in changes.children}
    # S3 and S4 keep their section (only its room and staff changed); S10 moved from
    # study section ST1 to ST2 at the same time.
    assert kinds == {"S1": MOVED, "S2": MOVED, "S5": LEFT, "S6": JOINED, "S10": MOVED}


def test_a_moved_child_shows_each_changed_day_before_and_after() -> None:
    s1 = next(c for c in compare(BEFORE, AFTER).children if c.student_id == "S1")
    assert [(d.day, [s.section_id for s in d.before], [s.section_id for s in d.after])
            for d in s1.days] == [(MON, ["C1"], []), (WED, [], ["C1"])]


def test_exactly_the_moved_opened_and_closed_sections_are_listed() -> None:
    sections = {s.section_id: s.what for s in compare(BEFORE, AFTER).sections}
    assert sections == {"C1": (TIME,), "F1": (ROOM, STAFF), "ST1": (CLOSED,),
                        "ST2": (OPENED,)}


def test_staff_whose_duties_changed_are_listed_with_what_they_gained_and_lost() -> None:
    staff = {s.staff_id: s for s in compare(BEFORE, AFTER).staff}
    assert set(staff) == {"T1", "T2", "T3", "V1"}
    assert [d.section_id for d in staff["T2"].dropped] == ["F1"]
    assert [d.section_id for d in staff["T3"].added] == ["F1"]
    assert staff["T2"].added == ()
    assert staff["T3"].dropped == ()


def test_the_counts_add_up() -> None:
    assert compare(BEFORE, AFTER).counts == {
        "children_moved": 3, "children_joined": 1, "children_left": 1, "staff_changed": 4,
        "sections_moved": 2, "sections_opened": 1, "sections_closed": 1}


def test_a_schedule_compared_with_itself_has_no_changes() -> None:
    changes = compare(BEFORE, BEFORE)
    assert changes.none
    assert set(changes.counts.values()) == {0}


def test_a_section_listed_in_another_order_has_not_moved() -> None:
    two_days = (_meeting(MON, "R1", "T1", "T2"), _meeting(WED, "R1", "T2", "T1"))
    before = _schedule(_section("C1", "CHESS", two_days, "S1"))
    after = _schedule(_section("C1", "CHESS", tuple(reversed(two_days)), "S1"))
    assert compare(before, after).none
