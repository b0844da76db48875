"""Checks on raw ICS bytes and parsing with an independent parser (vobject), for the invites tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import vobject


def check_raw(body: bytes) -> None:
    """CRLF only, lines of at most 75 octets, folds never inside a UTF-8 character or an escape."""
    assert b"\n" not in body.replace(b"\r\n", b""), "bare LF"
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    for index, line in enumerate(lines):
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # raises if a fold cut a character in two
        if index + 1 < len(lines) and lines[index + 1].startswith(b" "):
            trailing = len(line) - len(line.rstrip(b"\\"))
            assert trailing % 2 == 0, f"fold inside an escape: {line!r}"


def parse(body: bytes) -> Any:
    """Parse with vobject (not icalendar, which wrote it) after the raw checks."""
    check_raw(body)
    return vobject.readOne(body.decode("utf-8"))


def events(calendar: Any) -> list[Any]:
    return list(getattr(calendar, "vevent_list", []))


def utc(value: datetime) -> datetime:
    assert value.tzinfo is not None, "floating time"
    return value.astimezone(UTC)


def tzids(body: bytes) -> set[str]:
    found = set()
    for line in body.decode("utf-8").replace("\r\n ", "").split("\r\n"):
        if ";TZID=" in line:
            found.add(line.split(";TZID=", 1)[1].split(":", 1)[0].split(";", 1)[0])
    return found


def vtimezones(body: bytes) -> set[str]:
    text = body.decode("utf-8").replace("\r\n ", "")
    return {line[len("TZID:") :] for line in text.split("\r\n") if line.startswith("TZID:")}


def by_uid(calendar: Any) -> dict[str, Any]:
    return {event.uid.value: event for event in events(calendar)}
