"""What can be wrong with an uploaded list, as codes with parameters (the web layer words them)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FileProblem(StrEnum):
    """Why a whole file cannot be read."""

    EMPTY = "empty"
    BINARY = "binary"
    EXCEL = "excel"
    ENCODING = "encoding"
    NO_ROWS = "no_rows"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    BROKEN_ROW = "broken_row"
    NO_EMAIL_COLUMN = "no_email_column"
    NO_NAME_COLUMN = "no_name_column"
    DUPLICATE_MAPPING = "duplicate_mapping"


class RowProblem(StrEnum):
    """Why one row cannot be imported."""

    MISSING_NAME = "missing_name"
    MISSING_EMAIL = "missing_email"
    BAD_EMAIL = "bad_email"
    DUPLICATE_EMAIL = "duplicate_email"
    UNKNOWN_ROLE = "unknown_role"
    UNKNOWN_STATUS = "unknown_status"
    UNKNOWN_PREFECTURE = "unknown_prefecture"
    TOO_LONG = "too_long"


class ImportFileError(Exception):
    """The file as a whole cannot be used; `problem` says why, `detail` adds a value to show."""

    def __init__(self, problem: FileProblem, detail: str = "") -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class CellError:
    """A problem in one row: the row number as a spreadsheet shows it (header = 1) and the column."""

    row: int
    column: str
    problem: RowProblem
    value: str = ""
    other_row: int | None = None
    limit: int | None = None
