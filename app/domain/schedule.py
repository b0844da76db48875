"""Schedule maths for a programme: validation against the event window, overlaps, shifting, now/next."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class Slot:
    """A timed thing with an identity: a programme item or a round."""

    key: Hashable
    starts_at: datetime
    ends_at: datetime


class ProblemKind(StrEnum):
    ENDS_BEFORE_START = "ends_before_start"
    OUTSIDE_WINDOW = "outside_window"
    OVERLAP = "overlap"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    key: Hashable
    other: Hashable | None = None


def slot_problems(slot: Slot, window: Slot | None, others: Sequence[Slot]) -> list[Problem]:
    """What is wrong with placing `slot` in `window` beside `others` (the slot itself is skipped)."""
    if slot.ends_at <= slot.starts_at:
        return [Problem(ProblemKind.ENDS_BEFORE_START, slot.key)]
    found = []
    if window is not None and (slot.starts_at < window.starts_at or slot.ends_at > window.ends_at):
        found.append(Problem(ProblemKind.OUTSIDE_WINDOW, slot.key))
    for other in others:
        if other.key != slot.key and overlaps(slot, other):
            found.append(Problem(ProblemKind.OVERLAP, slot.key, other.key))
    return found


def overlaps(a: Slot, b: Slot) -> bool:
    """Half-open intervals: one ending at 14:00 and another starting at 14:00 do not overlap."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def shift(slots: Sequence[Slot], key: Hashable, new_start: datetime, *, move_following: bool) -> list[Slot]:
    """Move one slot to `new_start` keeping its length; with `move_following`, later slots move by as much."""
    by_key = {s.key: s for s in slots}
    target = by_key[key]
    delta = new_start - target.starts_at
    moved = []
    for s in slots:
        if s.key == key or (move_following and s.starts_at >= target.ends_at and delta != timedelta(0)):
            moved.append(replace(s, starts_at=s.starts_at + delta, ends_at=s.ends_at + delta))
        else:
            moved.append(s)
    return sorted(moved, key=lambda s: s.starts_at)


def current_and_next(slots: Sequence[Slot], now: datetime) -> tuple[Slot | None, Slot | None]:
    """The slot running at `now` (start inclusive, end exclusive) and the next one to start."""
    ordered = sorted(slots, key=lambda s: s.starts_at)
    current = next((s for s in ordered if s.starts_at <= now < s.ends_at), None)
    upcoming = next((s for s in ordered if s.starts_at > now), None)
    return current, upcoming


def split_evenly(window: Slot, count: int, *, gap: timedelta = timedelta(0)) -> list[tuple[datetime, datetime]]:
    """Divide a window into `count` equal consecutive parts with `gap` between them (round time slots)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    usable = (window.ends_at - window.starts_at) - gap * (count - 1)
    if usable <= timedelta(0):
        raise ValueError("the window is too short for that many parts")
    length = usable / count
    # Whole minutes, so the times read well on a programme.
    length = timedelta(minutes=int(length.total_seconds() // 60))
    parts = []
    start = window.starts_at
    for _ in range(count):
        parts.append((start, start + length))
        start = start + length + gap
    return parts
