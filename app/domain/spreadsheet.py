"""CSV in and out, in one place: every exported cell is safe from formula injection, and reading a
file costs a bounded amount of time and memory whatever the file holds.

Every CSV the app sends goes through `csv_bytes`; every CSV it reads goes through `read_rows`
(and `sniff_delimiter` when the separator is unknown).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from enum import StrEnum

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…), =cmd|'/C calc'!A0,
# @SUM(…), +/- arithmetic, and the tab/CR tricks); Japanese Excel reads the full-width forms the same way.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

# Bounds for reading: a participant list or a Zoom report has tens of columns, never thousands;
# the delimiter is guessed from the first few kilobytes (csv.Sniffer is quadratic in line length).
MAX_COLUMNS = 200
SNIFF_CHARS = 4096
SNIFF_LINES = 20


def formula_safe(value: object) -> str:
    """The cell as text, with a leading apostrophe if a spreadsheet would otherwise run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def strip_formula_guard(text: str) -> str:
    """Undo formula_safe on a cell read back from one of our own exports."""
    return text[1:] if text.startswith("'") and text[1:2] != "" and text[1:2] in FORMULA_START else text


def csv_bytes(
    rows: Iterable[Sequence[object]], header: Sequence[str] | None = None, *, bom: bool = True, delimiter: str = ","
) -> bytes:
    """A UTF-8 CSV with CRLF line ends (and a BOM, so Excel in Japan opens it right); every cell made formula-safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        writer.writerow([formula_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([formula_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


class ReadProblem(StrEnum):
    """Why a CSV text cannot be read within the bounds."""

    TOO_WIDE = "too_wide"
    TOO_MANY_ROWS = "too_many_rows"
    UNREADABLE = "unreadable"


class ReadError(ValueError):
    """A CSV we refuse to read; `limit` is the bound that was hit (for the message)."""

    def __init__(self, problem: ReadProblem, limit: int = 0, row: int = 0) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.limit = limit
        self.row = row


def read_rows(text: str, *, delimiter: str = ",", max_rows: int, max_columns: int = MAX_COLUMNS) -> list[list[str]]:
    """Split CSV text into rows, stopping as soon as a bound is passed (never holding more than the bounds)."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if len(row) > max_columns:
                raise ReadError(ReadProblem.TOO_WIDE, max_columns, reader.line_num)
            rows.append(row)
            if len(rows) > max_rows:
                raise ReadError(ReadProblem.TOO_MANY_ROWS, max_rows, reader.line_num)
    except csv.Error as error:  # a cell over csv's field limit (128 KiB), a NUL byte, a broken quote
        raise ReadError(ReadProblem.UNREADABLE, row=reader.line_num) from error
    return rows


def sniff_delimiter(text: str, candidates: str = ",\t;") -> str:
    """Comma, tab or semicolon, guessed from the start of the text only; comma when unsure."""
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:SNIFF_LINES])
    try:
        return csv.Sniffer().sniff(sample, delimiters=candidates).delimiter
    except csv.Error:
        # One column, or too irregular to tell: count what the header line holds.
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in candidates}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","
