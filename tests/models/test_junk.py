"""Junk in random cells of a valid workbook: problems, never a crash.

Whatever a coordinator (or a copy-paste from a web page) puts into a cell, the
reader answers with located problems — or none, when the junk happens to be a
valid value. It may raise only :class:`WorkbookError`, and only for a file that
is not a sound workbook, so here it raises nothing at all.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import contract
from models.problems import Severity
from models.reader import inspect_workbook
from tests.models.workbooks import valid_book

# openpyxl refuses control characters in cells, as Excel does; everything else goes.
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))
_TEXT = st.text(alphabet=_PRINTABLE, max_size=40)
_WORDS = st.sampled_from([
    "all", "Mon", "Mon 2", "Wed; Fri 1", "周一", "1-3", "1-3,7", "7-3", "0", "-1", "1e9",
    "16:40", "25:00", "4:40 pm", "16点", "yes", "no", "maybe", "2026-02-30", "2027-01-20",
    "STUDY", "CHESS", "ROBO", "school", "tutoring", "study", "#N/A", "#REF!", "None", "nan",
    "inf", "1e999999", "¥-5", "   ", "\u3000", "３", "²", "1-²", "Mon-Fri", "Mon~", "~",
    "key", "value", "id", "name", "=1+1", "=A1", "=SUM(", "==", "=", "101", "007",
])
JUNK = st.one_of(
    _TEXT,
    _WORDS,
    st.text(alphabet=_PRINTABLE, min_size=300, max_size=3000),
    st.integers(min_value=16, max_value=6000).map(lambda n: "9" * n),  # int() has limits
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
    st.booleans(),
    st.none(),
    st.from_regex(r"=[A-Z]{1,3}[0-9]{1,4}([+*/-][0-9]+)?", fullmatch=True),
).filter(lambda v: not (isinstance(v, str) and any(ord(c) < 32 for c in v)))

_BOOK = valid_book()
_COLUMNS = {
    sheet.name: sorted({c.name for c in sheet.columns} | {"notes"} if sheet is not
                       contract.SCHOOL else {"key", "value"})
    for sheet in contract.INPUT_SHEETS
}
CELL = st.sampled_from(contract.INPUT_SHEETS).flatmap(
    lambda sheet: st.tuples(
        st.just(sheet.name),
        st.integers(min_value=1, max_value=len(_BOOK.sheets[sheet.name]) + 2),
        st.sampled_from(_COLUMNS[sheet.name]),
    )
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(changes=st.lists(st.tuples(CELL, JUNK), min_size=1, max_size=6))
def test_junk_gives_problems_not_crashes(
    changes: list[tuple[tuple[str, int, str], object]]
) -> None:
    book = valid_book()
    for (sheet, row, column), value in changes:
        book.set(sheet, row, column, value)
    with tempfile.TemporaryDirectory() as folder:
        path = book.save(Path(folder) / "junk.xlsx")
        # The file is a sound .xlsx, so not even WorkbookError (which the contract
        # allows) is expected: the junk is the coordinator's, and is reported.
        school, problems = inspect_workbook(path)
    for problem in problems:
        assert problem.severity in (Severity.ERROR, Severity.WARNING)
        assert problem.message
        assert problem.row is None or problem.row >= 1
        assert str(problem)  # printable, whatever the value
    if school is not None:
        assert not any(p.is_error for p in problems) or school.info.name
        assert set(school.warnings) <= set(problems)
