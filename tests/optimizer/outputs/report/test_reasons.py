"""Unmet reasons, one test per reason, on hand-made schedules of the tiny school.

The schedules are built by hand so each test fixes exactly the situation its
reason names; ``S5`` (grade 3, Mon and Wed, chess first, football second) is the
child whose reasons are read.
"""

from __future__ import annotations

import dataclasses

import pytest

from models.schedule import Meeting, Schedule, Section
from models.school import School
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.reasons import Reason, describe, describe_reasons, unmet_students
from tests.factories import tiny_school, vendor

P1 = (15 * 60 + 30, 16 * 60 + 10)
P2 = (16 * 60 + 20, 17 * 60)


def section(section_id: str, activity_id: str, students: tuple[str, ...], *, day: int = 0,
            periods: tuple[int, ...] = (1,), room: str = "R1") -> Section:
    start = P1[0] if periods[0] == 1 else P2[0]
    end = P1[1] if periods[-1] == 1 else P2[1]
    return Section(id=section_id, activity_id=activity_id, student_ids=students,
                   meetings=(Meeting(day=day, periods=periods, start=start, end=end,
                                     room_id=room, staff_ids=("T1",)),))


def change(school: School, kind: str, entity_id: str, **changes: object) -> School:
    """The school with one activity, student or staff member changed."""
    entities = getattr(school, kind)
    replaced = tuple(dataclasses.replace(e, **changes) if e.id == entity_id else e
                     for e in entities)
    return dataclasses.replace(school, **{kind: replaced})


def reasons_of(school: School, *sections: Section, student_id: str = "S5",
               seed: int | None = None) -> list[Reason]:
    found = {u.pupil.id: u for u in unmet_students(school, Schedule(sections=sections), seed)}
    assert student_id in found, f"{student_id} should be unmet"
    return list(found[student_id].reasons)


def codes(reasons: list[Reason]) -> list[str]:
    return [r.code for r in reasons]


def chess_of_two() -> School:
    return change(tiny_school(), "activities", "CHESS", max_size=2)


def test_full_counts_places_and_applicants() -> None:
    school = chess_of_two()
    chess = section("CHESS-1", "CHESS", ("S1", "S3"))
    first = reasons_of(school, chess)[0]
    assert first.code == "full"
    assert first.rank == 1
    assert first.params["places"] == 2
    assert first.params["applicants"] == 6  # every child lists chess
    assert "outranked" not in first.params  # no seed: nothing said about the draw


def test_full_says_the_places_went_to_stronger_claims_when_they_did() -> None:
    school = change(change(chess_of_two(), "students", "S1", priority=1),
                    "students", "S3", priority=1)
    first = reasons_of(school, section("CHESS-1", "CHESS", ("S1", "S3")), seed=3)[0]
    assert first.params["outranked"] is True
    assert "higher priority" in describe(Labels("en"), first)


def test_full_does_not_claim_stronger_claims_when_a_weaker_child_got_in() -> None:
    school = change(chess_of_two(), "students", "S5", priority=2)
    first = reasons_of(school, section("CHESS-1", "CHESS", ("S1", "S3")), seed=3)[0]
    assert first.params["outranked"] is False


def test_days_when_no_section_meets_on_the_childs_days() -> None:
    school = change(tiny_school(), "students", "S5", days=frozenset({0}))
    first = reasons_of(school, section("CHESS-1", "CHESS", ("S1",), day=2))[0]
    assert first.code == "days"
    assert first.params == {"meets": (2,), "registered": (0,)}
    assert describe(Labels("en"), first) == (
        "Chess (1st choice) meets Wed; registered Mon")


def test_stay_when_the_section_runs_after_pickup() -> None:
    school = change(tiny_school(), "students", "S5", stay=1)
    first = reasons_of(school, section("CHESS-1", "CHESS", ("S1",), periods=(2,)))[0]
    assert first.code == "stay"


def test_clash_with_another_placement_at_the_same_time() -> None:
    school = change(tiny_school(), "students", "S5", wants=2)
    foot = section("FOOT-1", "FOOT", ("S5",), room="GYM")
    chess = section("CHESS-1", "CHESS", ("S1",))
    first = reasons_of(school, foot, chess)[0]
    assert first.code == "clash"
    assert first.params == {"other": "Football", "other_rank": 2}


def test_study_at_the_same_time_is_no_clash() -> None:
    school = change(tiny_school(), "students", "S5", wants=1)
    study = section("STUDY-1", "STUDY", ("S5",), room="R2")
    assert codes(reasons_of(school, study, section("CHESS-1", "CHESS", ("S1",))))[0] == "free"


def test_fee_cap_when_the_per_head_fee_is_over_the_cap() -> None:
    school = tiny_school()
    school = change(school, "activities", "CHESS",
                    fee_per_student=school.info.student_fee_cap + 1)
    assert codes(reasons_of(school, section("CHESS-1", "CHESS", ("S1",))))[0] == "fee_cap"


def test_free_when_places_were_left_and_nothing_stood_in_the_way() -> None:
    assert codes(reasons_of(tiny_school(), section("CHESS-1", "CHESS", ("S1",))))[0] == "free"


@pytest.mark.parametrize(("changes", "why"), [
    ({"provider": "V-ROBO"}, "vendor"),
    ({"skill": "origami"}, "staff"),
    ({"room_type": "lab"}, "room"),
    ({"min_size": 7, "max_size": 10}, "applicants"),
    ({}, "timetable"),
])
def test_not_open_names_the_first_cause_a_coordinator_can_fix(
        changes: dict[str, object], why: str) -> None:
    school = change(tiny_school(), "activities", "CHESS", **changes)
    school = dataclasses.replace(school, vendors=(vendor(qualified=False),))
    first = reasons_of(school)[0]
    assert (first.code, first.params["why"]) == ("not_open", why)


def test_a_choice_the_grade_may_not_join_is_named() -> None:
    school = change(tiny_school(), "activities", "FOOT", grades=frozenset({1, 2}))
    found = reasons_of(school, section("CHESS-1", "CHESS", ("S1", "S2", "S3", "S4")),
                       student_id="S6")
    # S6 chose football first (not for grade 3) and chess second (full).
    assert codes(found) == ["grade", "full"]


def test_no_choices_and_few_choices() -> None:
    school = change(tiny_school(), "students", "S5", choices=())
    assert codes(reasons_of(school)) == ["no_choices"]
    school = change(tiny_school(), "students", "S5", choices=("CHESS",), wants=2)
    found = reasons_of(school, section("CHESS-1", "CHESS", ("S5",)))
    assert codes(found) == ["few_choices"]
    assert found[0].params == {"wants": 2, "listed": 1}


def test_a_child_with_all_they_wanted_is_not_listed() -> None:
    school = tiny_school()
    chess = section("CHESS-1", "CHESS", ("S1", "S3", "S5"))
    foot = section("FOOT-1", "FOOT", ("S2", "S4", "S6"), room="GYM")
    assert unmet_students(school, Schedule(sections=(chess, foot)), seed=1) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_reason_reads_in_both_languages(lang: str) -> None:
    labels = Labels(lang)
    reasons = [
        Reason(code="not_open", activity_name="A", rank=1, params={"why": "staff"}),
        Reason(code="days", activity_name="A", rank=1, params={"meets": (0,),
                                                               "registered": (1, 2)}),
        Reason(code="stay", activity_name="A", rank=2),
        Reason(code="full", activity_name="A", rank=1, params={"places": 40,
                                                               "applicants": 60}),
        Reason(code="full", activity_name="A", rank=1,
               params={"places": 40, "applicants": 60, "outranked": True}),
        Reason(code="clash", activity_name="A", rank=3, params={"other": "B",
                                                                "other_rank": 1}),
        Reason(code="fee_cap", activity_name="A", rank=1, params={"cap": 50000}),
        Reason(code="free", activity_name="A", rank=1),
        Reason(code="grade", activity_name="A", rank=1, params={"grade": 3}),
        Reason(code="unknown", activity_name="A", rank=1),
        Reason(code="no_choices"),
        Reason(code="few_choices", params={"wants": 2, "listed": 1}),
    ]
    line = describe_reasons(labels, tuple(reasons))
    assert "{" not in line
    assert "\n" not in line
    assert ("60" in line)
    assert ("40" in line)
    assert ("500.00" in line)
