"""Zoom participant reports: decode, parse and match against the roster (email first, then name).

Reads every variant of the report Zoom writes: English and Japanese headings, with or without the
meeting summary block on top, webinar reports with several sections, "unique users" or one row per
join, UTF-8 with or without BOM, Shift_JIS (Excel on Japanese Windows) and UTF-16 (Excel's "Unicode
text"). Rows of one person (rejoins) are added up; different people are never merged: the same email
is the same account, and rows without an email are one person only when their times follow each other.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from app.domain import spreadsheet

MAX_ROWS = 20_000


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
    """One person in the report, their rows (rejoins) added up: minutes in the meeting, first join, last leave."""

    name: str
    email: str
    minutes: int
    line: int
    joined: datetime | None = None
    left: datetime | None = None
    guest: bool = False
    sessions: int = 1


@dataclass(frozen=True)
class RosterEntry:
    """A person the organiser expects: an id, names to compare, an email and other emails (a Zoom account's)."""

    key: Hashable
    names: tuple[str, ...]
    email: str
    other_emails: tuple[str, ...] = ()


@dataclass
class Matching:
    """The outcome: who was found (key → row), who was not, and rows that fit nobody or several."""

    present: dict[Hashable, ReportRow] = field(default_factory=dict)
    absent: list[Hashable] = field(default_factory=list)
    unmatched: list[ReportRow] = field(default_factory=list)
    ambiguous: list[ReportRow] = field(default_factory=list)


# ---- reading the file ----------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else CP932 (Japanese Excel)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ReportError(ReportProblem.ENCODING) from error
    if b"\x00" in data:  # a picture, a workbook or UTF-16 without a BOM: not the CSV Zoom makes
        raise ReportError(ReportProblem.ENCODING)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise ReportError(ReportProblem.ENCODING) from error
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportError(ReportProblem.ENCODING)


def _rows(text: str) -> list[list[str]]:
    try:
        return spreadsheet.read_rows(text, delimiter=spreadsheet.sniff_delimiter(text), max_rows=MAX_ROWS)
    except spreadsheet.ReadError as error:
        if error.problem == spreadsheet.ReadProblem.TOO_MANY_ROWS:
            raise ReportError(ReportProblem.TOO_MANY_ROWS) from error
        if error.problem == spreadsheet.ReadProblem.TOO_WIDE:
            raise ReportError(ReportProblem.TOO_MANY_COLUMNS, error.row) from error
        raise ReportError(ReportProblem.BROKEN_ROW, error.row) from error


# ---- headings ------------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    """NFKC (full-width brackets become ASCII), lower case, without spaces or a BOM."""
    return re.sub(r"[\s\ufeff]+", "", unicodedata.normalize("NFKC", text)).lower()


_NAMES = {"name(originalname)", "name", "username(originalname)", "username", "participant", "participantname",
          "displayname", "名前(元の名前)", "名前", "ユーザー名(元の名前)", "ユーザー名", "参加者名", "表示名", "氏名"}  # fmt: skip
_MINUTES = ("(minutes)", "(mins)", "(分)", "minutes", "所要時間", "継続時間", "期間", "セッション時間", "timeinsession")
_JOIN = ("jointime", "参加時刻", "参加時間", "入室時刻", "入室時間", "参加日時")
_LEAVE = ("leavetime", "退出時刻", "退出時間", "退室時刻", "退室時間", "退出日時")


def _column_kind(key: str) -> str:
    """What a heading names: duration, join, leave, email, guest, attended, waiting, name, or '' (ignored)."""
    if key.startswith(("duration", "所要時間", "時間(分)")) or any(part in key for part in _MINUTES):
        return "duration"
    if key in _JOIN:
        return "join"
    if key in _LEAVE:
        return "leave"
    if "mail" in key or "メール" in key:
        return "email"
    if key in ("guest", "isguest", "ゲスト"):
        return "guest"
    if key in ("attended", "出席済み", "出席"):
        return "attended"
    if key in ("inwaitingroom", "待機室内", "待機室"):
        return "waiting"
    if key in _NAMES:
        return "name"
    return ""


def _columns(header: Sequence[str]) -> dict[str, int]:
    """Column index of each kind in a heading row (the first column of a kind wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        kind = _column_kind(_header_key(cell))
        if kind and kind not in found:
            found[kind] = index
    return found


def _is_header(row: Sequence[str]) -> dict[str, int] | None:
    """The columns of a participant table's heading row: a name column and one more that Zoom writes."""
    columns = _columns(row)
    if "name" in columns and len(columns.keys() & {"email", "join", "leave", "duration"}) >= 1:
        return columns
    if "name" in columns and len([c for c in row if c.strip()]) == 1:  # a table of names only
        return columns
    return None


# ---- cells ---------------------------------------------------------------------------------------

# Zoom writes times in the account's locale: "07/25/2026 01:02:03 PM" (US), "2026/07/25 13:02:03" (Japan),
# ISO with "-" or "T", sometimes without seconds, "午前/午後" for AM/PM. Parsed with one pattern each, not
# strptime by trial (which costs seconds on a 2,000-person report).
_YMD = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})[ T]+(?:(AM|PM) *)?(\d{1,2}):(\d{2})(?::(\d{2}))? *(AM|PM)?$")
_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) +(\d{1,2}):(\d{2})(?::(\d{2}))? *(AM|PM)?$")


def _clock(hour: int, marker: str | None) -> int:
    if marker == "PM" and hour < 12:
        return hour + 12
    if marker == "AM" and hour == 12:
        return 0
    return hour


def _time(text: str) -> datetime | None:
    """A report time (Zoom writes the account's local time, in its locale's format), or None."""
    text = unicodedata.normalize("NFKC", text).strip().upper().replace("午前", "AM").replace("午後", "PM")
    try:
        if found := _YMD.match(text):
            year, month, day, before, hour, minute, second, after = found.groups()
            hour_of_day = _clock(int(hour), before or after)
            return datetime(int(year), int(month), int(day), hour_of_day, int(minute), int(second or 0))
        if found := _MDY.match(text):
            month, day, year, hour, minute, second, marker = found.groups()
            return datetime(int(year), int(month), int(day), _clock(int(hour), marker), int(minute), int(second or 0))
    except ValueError:  # 2026/13/45 and the like
        return None
    return None


def _minutes(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text).strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return max(0, int(value)) if math.isfinite(value) else None


def _yes(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).strip().lower() in ("yes", "y", "true", "はい", "○", "◯")


def _no(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).strip().lower() in ("no", "n", "false", "いいえ", "×")


def _cell(row: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _row(row: Sequence[str], columns: dict[str, int], line: int) -> ReportRow | None:
    """One data row as a ReportRow, or None for a row that names nobody or did not attend (webinars)."""
    name = _cell(row, columns.get("name"))
    email = unicodedata.normalize("NFKC", _cell(row, columns.get("email"))).lower()
    if not name and not email:
        return None
    if "attended" in columns and _no(_cell(row, columns["attended"])):
        return None
    if "waiting" in columns and _yes(_cell(row, columns["waiting"])):  # time in the waiting room is not attendance
        return None
    joined, left = _time(_cell(row, columns.get("join"))), _time(_cell(row, columns.get("leave")))
    minutes = _minutes(_cell(row, columns.get("duration")))
    if minutes is None:
        minutes = math.ceil((left - joined).total_seconds() / 60) if joined and left and left > joined else 0
    guest = _yes(_cell(row, columns.get("guest")))
    return ReportRow(name, email, minutes, line, joined, left, guest)


# ---- people --------------------------------------------------------------------------------------


def _add(person: ReportRow, row: ReportRow) -> ReportRow:
    joined = min((t for t in (person.joined, row.joined) if t), default=None)
    left = max((t for t in (person.left, row.left) if t), default=None)
    return replace(person, minutes=person.minutes + row.minutes, joined=joined, left=left,
                   sessions=person.sessions + 1, guest=person.guest and row.guest)  # fmt: skip


def people(rows: Sequence[ReportRow]) -> list[ReportRow]:
    """Rows grouped into people: one per email (an account, however many devices); rows without an email
    join an earlier row of the same name only when they follow it in time (the one that left last before
    the row joined), so two guests who share a name and were in the meeting together stay two people."""
    by_email: dict[str, int] = {}
    # Per name, the people so far that can still be rejoined, as (time they left, index), sorted.
    waiting: dict[str, list[tuple[datetime, int]]] = {}
    found: list[ReportRow] = []
    for row in sorted(rows, key=lambda r: (r.joined is None, r.joined or datetime.min, r.line)):
        if row.email:
            if row.email in by_email:
                found[by_email[row.email]] = _add(found[by_email[row.email]], row)
            else:
                by_email[row.email] = len(found)
                found.append(row)
            continue
        ends = waiting.setdefault(row.name, [])
        position = bisect.bisect_right(ends, (row.joined, len(found))) if row.joined else 0
        if position:  # someone of this name left before this row joined: the latest of them rejoins
            _left, index = ends.pop(position - 1)
            found[index] = _add(found[index], row)
        else:
            index = len(found)
            found.append(row)
        left = found[index].left
        if left is not None:
            bisect.insort(ends, (left, index))
    return sorted(found, key=lambda r: r.line)


def parse_report(data: bytes) -> list[ReportRow]:
    """The people in a Zoom participant report; raises ReportError with a reason if it cannot be read."""
    rows = _rows(decode(data))
    parsed: list[ReportRow] = []
    columns: dict[str, int] | None = None
    tables = 0
    for line, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            columns = None  # a blank line ends a table (the meeting summary, a webinar section)
            continue
        if columns is None:  # a table starts at the top, after a blank line or after a section's title
            heading = _is_header(cells)
            if heading is not None:
                columns, tables = heading, tables + 1
            continue
        if (row := _row(cells, columns, line)) is not None:
            parsed.append(row)
    if not tables:
        raise ReportError(ReportProblem.NO_TABLE)
    return people(parsed)


# ---- matching ------------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """Compare names without width, case, spaces or Zoom's "(original name)" and "| org" decorations."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\(.*?\)", "", text)  # "(元の名前)" part of "Name (Original Name)"
    text = re.split(r"[|/@＠]", text)[0]  # "山田 花子 | 神戸市" style display names
    return re.sub(r"[\s・･.\-_]+", "", text).lower()


def match(rows: Sequence[ReportRow], roster: Sequence[RosterEntry]) -> Matching:
    """Match report rows to the roster: by email (registration or Zoom account), then by a unique name."""
    result = Matching()
    by_email: dict[str, RosterEntry] = {}
    by_name: dict[str, list[RosterEntry]] = {}
    for person in roster:
        for email in (person.email, *person.other_emails):
            if email:
                by_email.setdefault(email.lower(), person)
        for name in {normalise_name(n) for n in person.names if n.strip()}:
            by_name.setdefault(name, []).append(person)
    for row in rows:
        entry: RosterEntry | None = by_email.get(row.email) if row.email else None
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
    result.absent = [person.key for person in roster if person.key not in result.present]
    return result
