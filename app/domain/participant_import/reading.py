"""Reading an uploaded file into a table: refusing what is not a CSV, guessing encoding and delimiter, bounds."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import spreadsheet

from .problems import FileProblem, ImportFileError

MAX_ROWS = 5000


@dataclass(frozen=True)
class Table:
    """A decoded CSV: its header, its data rows and what was detected."""

    header: list[str]
    rows: list[list[str]]
    encoding: str
    delimiter: str


def decode(data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and its encoding: UTF-8 (with or without BOM), else CP932."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(FileProblem.EMPTY)
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError(FileProblem.EXCEL)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" (UTF-16, tab-separated) is a CSV in all but name.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ImportFileError(FileProblem.ENCODING) from error
    if b"\x00" in data:
        raise ImportFileError(FileProblem.BINARY)
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError(FileProblem.ENCODING)


def read_table(data: bytes) -> Table:
    """Decode, sniff and split a CSV file into header and data rows; blank rows are dropped.

    The cost is bounded whatever the file holds: the delimiter is guessed from its first kilobytes,
    rows wider than spreadsheet.MAX_COLUMNS are refused, and reading stops at the row limit.
    """
    text, encoding = decode(data)
    delimiter = spreadsheet.sniff_delimiter(text)
    try:
        # Blank lines are allowed (and skipped) as long as the file stays within twice the row limit.
        records = spreadsheet.read_rows(text, delimiter=delimiter, max_rows=2 * MAX_ROWS + 1)
    except spreadsheet.ReadError as error:
        if error.problem == spreadsheet.ReadProblem.TOO_WIDE:
            raise ImportFileError(FileProblem.TOO_MANY_COLUMNS, str(error.limit)) from error
        if error.problem == spreadsheet.ReadProblem.TOO_MANY_ROWS:
            raise ImportFileError(FileProblem.TOO_MANY_ROWS, str(MAX_ROWS)) from error
        raise ImportFileError(FileProblem.BROKEN_ROW, str(error.row)) from error
    # Row numbers count every record (as a spreadsheet would), blank ones included.
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if len(numbered) < 2:
        raise ImportFileError(FileProblem.NO_ROWS)
    if len(numbered) - 1 > MAX_ROWS:
        raise ImportFileError(FileProblem.TOO_MANY_ROWS, str(MAX_ROWS))
    header = [c.strip() for c in numbered[0][1]]
    width = max(len(header), *(len(r) for _, r in numbered[1:]))
    header += [""] * (width - len(header))
    rows = [[str(n), *(r + [""] * (width - len(r)))] for n, r in numbered[1:]]
    return Table(header=header, rows=rows, encoding=encoding, delimiter=delimiter)
