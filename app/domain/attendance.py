"""Zoom participant reports: decode, parse and match against the roster (email first, then name)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain import spreadsheet

MAX_ROWS = 20_000

# Header spellings seen in Zoom's English and Japanese participant reports, normalised (see _header_key).
_HEADERS = {
    "name": ("name(originalname)", "name", "名前(元の名前)", "名前(元の名前)", "名前", "参加者名", "ユーザー名"),
    "email": ("useremail", "email", "ユーザーメール", "メール", "メールアドレス"),
    "join": ("jointime", "参加時間", "入室時間"),
    "leave": ("leavetime", "退出時間", "退室時間"),
    "duration": ("duration(minutes)", "duration", "期間(分)", "時間(分)", "参加時間(分)", "継続時間(分)"),
}


class ReportProblem(StrEnum):
    """Why a file is not a participant report we can read (the web layer words it)."""

    ENCODING = "encoding"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    BROKEN_ROW = "broken_row"
    NO_TABLE = "no_table"


class ReportError(ValueError):
    """The file is not a participant report we can read; `problem` says why, `row` where (if known)."""

    def __init__(self, problem: ReportProblem, row: int = 0) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.row = row


@dataclass(frozen=True)
class ReportRow:
    """One person in the report, rows of the same person (rejoins) merged."""

    name: str
    email: str
    minutes: int
    line: int


@dataclass(frozen=True)
class RosterEntry:
    """A person the organiser expects: an id, names to compare and an email."""

    key: Hashable
    names: tuple[str, ...]
    email: str


@dataclass
class Matching:
    """The outcome: who was found (key → row), who was not, and rows that fit nobody or several."""

    present: dict[Hashable, ReportRow] = field(default_factory=dict)
    absent: list[Hashable] = field(default_factory=list)
    unmatched: list[ReportRow] = field(default_factory=list)
    ambiguous: list[ReportRow] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else CP932 as Japanese Windows Excel writes it."""
    if b"\x00" in data:  # a picture, a workbook or UTF-16: not the CSV Zoom makes
        raise ReportError(ReportProblem.ENCODING)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise ReportError(ReportProblem.ENCODING) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as error:
        raise ReportError(ReportProblem.ENCODING) from error


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    keys = [_header_key(h) for h in header]
    for column, spellings in _HEADERS.items():
        for index, key in enumerate(keys):
            if key in spellings and column not in found:
                found[column] = index
    return found


def _minutes(text: str) -> int:
    try:
        return max(0, int(float(text.strip() or 0)))
    except ValueError:
        return 0


def parse_report(data: bytes) -> list[ReportRow]:
    """The people in a Zoom participant report; raises ReportError with a reason if it cannot be read."""
    text = decode(data)
    try:
        rows = spreadsheet.read_rows(text, max_rows=MAX_ROWS)
    except spreadsheet.ReadError as error:
        if error.problem == spreadsheet.ReadProblem.TOO_MANY_ROWS:
            raise ReportError(ReportProblem.TOO_MANY_ROWS) from error
        if error.problem == spreadsheet.ReadProblem.TOO_WIDE:
            raise ReportError(ReportProblem.TOO_MANY_COLUMNS, error.row) from error
        raise ReportError(ReportProblem.BROKEN_ROW, error.row) from error
    # Zoom's "with meeting details" export puts a meeting summary block above the participant table.
    start = next((i for i, row in enumerate(rows) if "name" in _columns(row)), None)
    if start is None:
        raise ReportError(ReportProblem.NO_TABLE)
    columns = _columns(rows[start])
    merged: dict[str, ReportRow] = {}
    for line, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(cell.strip() for cell in row):
            continue
        name = _cell(row, columns.get("name"))
        email = _cell(row, columns.get("email")).lower()
        if not name and not email:
            continue
        minutes = _minutes(_cell(row, columns.get("duration")))
        key = email or normalise_name(name)
        if key in merged:
            before = merged[key]
            merged[key] = ReportRow(before.name, before.email, before.minutes + minutes, before.line)
        else:
            merged[key] = ReportRow(name, email, minutes, line)
    return list(merged.values())


def _cell(row: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def normalise_name(name: str) -> str:
    """Compare names without width, case, spaces or Zoom's "(original name)" and "| org" decorations."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\(.*?\)", "", text)  # "(元の名前)" part of "Name (Original Name)"
    text = re.split(r"[|/@＠]", text)[0]  # "山田 花子 | 神戸市" style display names
    return re.sub(r"[\s・･.\-_]+", "", text).lower()


def match(rows: Sequence[ReportRow], roster: Sequence[RosterEntry]) -> Matching:
    """Match report rows to the roster: by email, then by a unique name; the rest are listed."""
    result = Matching()
    by_email = {entry.email.lower(): entry for entry in roster if entry.email}
    by_name: dict[str, list[RosterEntry]] = {}
    for entry in roster:
        for name in {normalise_name(n) for n in entry.names if n.strip()}:
            by_name.setdefault(name, []).append(entry)
    for row in rows:
        entry = by_email.get(row.email) if row.email else None
        if entry is None:
            candidates = [e for e in by_name.get(normalise_name(row.name), []) if e.key not in result.present]
            if len(candidates) > 1:
                result.ambiguous.append(row)
                continue
            entry = candidates[0] if candidates else None
        if entry is None or entry.key in result.present:
            result.unmatched.append(row)
            continue
        result.present[entry.key] = row
    result.absent = [entry.key for entry in roster if entry.key not in result.present]
    return result
