"""A small valid school workbook built in code, for reader tests to break on purpose.

``valid_book()`` is a clean school: one primary band (grades 1-6) and one
junior band (7-9), study for every grade, chess (needs the skill), football
(needs the gym), robotics bought from a qualified vendor with one vetted
instructor, and three registered students who chose activities of their grade.
It reads with no problems at all, so any problem a test sees is the one it made.

Tests mutate a copy (``set``, ``set_key``, ``append``, ``drop_sheet``,
``drop_column``) and ``save`` it with openpyxl. Rows are addressed by their
Excel row number (the header is row 1), so a test states exactly what the
coordinator would see.
"""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

Row = list[object]

TERM_END = "2027-01-20"


def _base() -> dict[str, list[Row]]:
    return {
        "School": [
            ["key", "value"],
            ["name", "Lianhua Primary"],
            ["type", "public"],
            ["term_start", "2026-09-01"],
            ["term_end", TERM_END],
            ["enrolled", 300],
            ["latest_end", "18:00"],
        ],
        "Periods": [
            ["grades", "day", "period", "start", "end"],
            ["1-6", "all", 1, "15:30", "16:10"],  # row 2
            ["1-6", "all", 2, "16:20", "17:00"],  # row 3
            ["7-9", "all", 1, "16:30", "17:15"],  # row 4
            ["7-9", "all", 2, "17:15", "18:00"],  # row 5
        ],
        "Activities": [
            ["id", "name", "category", "grades", "room_type", "skill", "provider", "max_size",
             "fee_per_session"],
            ["STUDY", "Supervised study", "study", "1-9", "", "", "", "", ""],  # row 2
            ["CHESS", "Chess", "club", "1-6", "", "chess", "", 12, ""],  # row 3
            ["FOOT", "Football", "sports", "1-6", "gym", "", "", 20, ""],  # row 4
            ["ROBOT", "Robotics", "science", "4-9", "", "", "ROBO", 15, 300],  # row 5
        ],
        "Rooms": [
            ["id", "name", "type", "capacity", "unavailable", "fee_per_use"],
            ["R1", "Room 1", "classroom", 40, "", ""],  # row 2
            ["R2", "Room 2", "classroom", 40, "Fri", ""],  # row 3
            ["GYM", "Gym", "gym", 60, "", 0],  # row 4
        ],
        "Staff": [
            ["id", "name", "role", "skills", "vendor", "vetted", "vetted_until",
             "affiliated_vendor", "unavailable"],
            ["T1", "Li Na", "teacher", "chess", "", "", "", "", ""],  # row 2
            ["T2", "Wang Wei", "teacher", "football", "", "", "", "", "Fri"],  # row 3
            ["T3", "Zhang Min", "teacher", "", "", "", "", "", ""],  # row 4
            ["V1", "Chen Jie", "volunteer", "", "", "yes", "2027-06-30", "", ""],  # row 5
            ["I1", "Zhao Lei", "vendor_instructor", "robotics", "ROBO", "yes", "2027-06-30",
             "", ""],  # row 6
        ],
        "Vendors": [
            ["id", "name", "qualified", "contract_until", "rating"],
            ["ROBO", "Robo Academy", "yes", "2027-07-01", 4],  # row 2
        ],
        "Students": [
            ["id", "name", "grade", "class", "days", "stay", "wants", "choice1", "choice2",
             "choice3", "choice4", "choice5", "priority"],
            [101, "Xiao Ming", 3, "3-1", "Mon;Wed", 2, 1, "CHESS", "FOOT", "", "", "", ""],
            [102, "Xiao Hong", 5, "5-2", "all", 1, 1, "ROBOT", "", "", "", "", ""],  # row 3
            [103, "Xiao Gang", 8, "8-1", "Tue", 2, 1, "ROBOT", "", "", "", "", 1],  # row 4
        ],
    }


@dataclass
class Book:
    """Sheet name → rows (the first row is the header), in the order they are saved."""

    sheets: dict[str, list[Row]] = field(default_factory=_base)

    def copy(self) -> Book:
        return Book(copy.deepcopy(self.sheets))

    # --- addressing --------------------------------------------------------
    def col(self, sheet: str, column: str) -> int:
        """0-based position of a header in ``sheet``; adds the column when it is absent."""
        header = self.sheets[sheet][0]
        if column not in header:
            for row in self.sheets[sheet]:
                row.append(None)
            header[-1] = column
        return header.index(column)

    def get(self, sheet: str, row: int, column: str) -> object:
        """The value at an Excel row number (header = 1) and a header name."""
        return self.sheets[sheet][row - 1][self.col(sheet, column)]

    # --- mutations (each returns self so tests can chain) --------------------
    def set(self, sheet: str, row: int, column: str, value: object) -> Book:
        rows = self.sheets[sheet]
        while len(rows) < row:
            rows.append([None] * len(rows[0]))
        position = self.col(sheet, column)
        rows[row - 1][position] = value
        return self

    def set_key(self, key: str, value: object) -> Book:
        """Set a School key's value, appending the key when the sheet lacks it."""
        rows = self.sheets["School"]
        for row in rows[1:]:
            if row[0] == key:
                row[1] = value
                return self
        rows.append([key, value])
        return self

    def key_row(self, key: str) -> int:
        """Excel row number of a School key."""
        return next(n for n, row in enumerate(self.sheets["School"], start=1) if row[0] == key)

    def append(self, sheet: str, **values: object) -> int:
        """Add a row from column=value pairs; returns its Excel row number."""
        rows = self.sheets[sheet]
        for column in values:
            self.col(sheet, column)
        new: Row = [None] * len(rows[0])
        for column, value in values.items():
            new[rows[0].index(column)] = value
        rows.append(new)
        return len(rows)

    def blank_rows(self, sheet: str, before: int, count: int) -> Book:
        """Insert ``count`` empty rows so the row now at ``before`` moves down."""
        width = len(self.sheets[sheet][0])
        for _ in range(count):
            self.sheets[sheet].insert(before - 1, [None] * width)
        return self

    def drop_row(self, sheet: str, row: int) -> Book:
        """Delete the row at an Excel row number; the rows below it move up."""
        del self.sheets[sheet][row - 1]
        return self

    def drop_key(self, key: str) -> Book:
        return self.drop_row("School", self.key_row(key))

    def drop_sheet(self, sheet: str) -> Book:
        del self.sheets[sheet]
        return self

    def rename_sheet(self, sheet: str, new: str) -> Book:
        self.sheets = {new if name == sheet else name: rows for name, rows in self.sheets.items()}
        return self

    def drop_column(self, sheet: str, column: str) -> Book:
        position = self.sheets[sheet][0].index(column)
        for row in self.sheets[sheet]:
            del row[position]
        return self

    def rename_column(self, sheet: str, column: str, new: str) -> Book:
        header = self.sheets[sheet][0]
        header[header.index(column)] = new
        return self

    # --- output --------------------------------------------------------------
    def save(self, path: Path) -> Path:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)  # type: ignore[arg-type]
        for name, rows in self.sheets.items():
            worksheet = workbook.create_sheet(name)
            for row_number, row in enumerate(rows, start=1):
                for col_number, value in enumerate(row, start=1):
                    if value is not None:
                        worksheet.cell(row=row_number, column=col_number, value=value)
        if not workbook.sheetnames:
            workbook.create_sheet("Notes")  # a workbook needs one sheet to be saved
        workbook.save(path)
        return path


def valid_book() -> Book:
    """A fresh copy of the clean school workbook."""
    return Book()


def sheet_part(book: Book, sheet: str) -> str:
    """The zip member of ``sheet`` in a workbook saved by :meth:`Book.save`.

    openpyxl names worksheet parts sheet1.xml, sheet2.xml, … in the order the
    sheets were created, which is the order of ``book.sheets``.
    """
    return f"xl/worksheets/sheet{list(book.sheets).index(sheet) + 1}.xml"


def rewrite_part(path: Path, part: str, edit: Callable[[str], str]) -> Path:
    """Replace one XML part of a saved .xlsx with ``edit(its text)``.

    For what openpyxl cannot write: cached formula values, huge formatted ranges.
    """
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[part] = edit(members[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path
