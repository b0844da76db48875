"""The live timetable of a café: planned and actual round times, "has it started?", and the organiser's clock.

Each round keeps its planned times (the programme) and, once the organiser moves the clock, its live times.
A round has started when its live start (or, without one, its planned start) is at or before `now`: this is
the one definition every part of Tsunagu uses (the plan's freeze, the console, the personal pages).

The clock moves keep the café's rhythm: when the running round ends earlier or later, or the next round
starts now, every later round moves by as much, so the gaps between rounds stay as planned and rounds
never overlap. Rounds that have started keep their start for ever.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


class ClockError(ValueError):
    """A clock move that cannot be made; `reason` says why in a word the UI translates."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Reasons of ClockError (the services turn them into translated messages).
NOTHING_RUNNING = "nothing_running"
NOTHING_TO_START = "nothing_to_start"
ENDS_IN_THE_PAST = "ends_in_the_past"
NOT_NEXT = "not_next"
TOO_LONG = "too_long"

# Nobody runs a round for longer than this; a typo of 600 for 60 minutes is refused.
LONGEST_ROUND = timedelta(hours=4)


@dataclass(frozen=True)
class RoundTimes:
    """A round's planned times and, when the organiser moved the clock, its live ones."""

    key: Hashable
    number: int
    planned_start: datetime
    planned_end: datetime
    live_start: datetime | None = None
    live_end: datetime | None = None

    @property
    def starts_at(self) -> datetime:
        """When the round starts (or started): the live start if the clock was moved, else the planned one."""
        return self.live_start if self.live_start is not None else self.planned_start

    @property
    def ends_at(self) -> datetime:
        return self.live_end if self.live_end is not None else self.planned_end

    @property
    def moved(self) -> bool:
        """Whether the organiser's clock moved this round away from the programme."""
        return (self.starts_at, self.ends_at) != (self.planned_start, self.planned_end)

    def has_started(self, now: datetime) -> bool:
        return has_started(self.planned_start, self.live_start, now)

    def is_running(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def at(self, starts_at: datetime, ends_at: datetime) -> RoundTimes:
        """The same round with new live times (none kept when they equal the planned ones)."""
        if (starts_at, ends_at) == (self.planned_start, self.planned_end):
            return replace(self, live_start=None, live_end=None)
        return replace(self, live_start=starts_at, live_end=ends_at)


def has_started(planned_start: datetime, live_start: datetime | None, now: datetime) -> bool:
    """Whether a round has started at `now` (by the timetable or by the organiser's hand): THE definition."""
    return (live_start if live_start is not None else planned_start) <= now


def running(rounds: Sequence[RoundTimes], now: datetime) -> RoundTimes | None:
    """The round running at `now` (start inclusive, end exclusive), if any."""
    return next((r for r in _ordered(rounds) if r.is_running(now)), None)


def next_to_start(rounds: Sequence[RoundTimes], now: datetime) -> RoundTimes | None:
    """The first round that has not started at `now`."""
    return next((r for r in _ordered(rounds) if not r.has_started(now)), None)


def last_started(rounds: Sequence[RoundTimes], now: datetime) -> int:
    """The highest round number that has started (0: none). Every round up to it is the frozen past."""
    return max((r.number for r in rounds if r.has_started(now)), default=0)


def _ordered(rounds: Sequence[RoundTimes]) -> list[RoundTimes]:
    return sorted(rounds, key=lambda r: r.number)


def _shift_after(rounds: Sequence[RoundTimes], number: int, delta: timedelta) -> list[RoundTimes]:
    """Every round after `number` moved by `delta` (the café keeps its rhythm)."""
    return [r.at(r.starts_at + delta, r.ends_at + delta) if r.number > number else r for r in _ordered(rounds)]


def changed(before: Sequence[RoundTimes], after: Sequence[RoundTimes]) -> list[RoundTimes]:
    """The rounds of `after` whose live times differ from `before`."""
    old = {r.key: (r.live_start, r.live_end) for r in before}
    return [r for r in after if old.get(r.key) != (r.live_start, r.live_end)]


def start_next(rounds: Sequence[RoundTimes], now: datetime, key: Hashable | None = None) -> list[RoundTimes]:
    """The next round starts now (the running one, if any, ends now); later rounds move by as much.

    `key`, when given, must be that next round (a console button names the round it was showing).
    """
    target = next_to_start(rounds, now)
    if target is None:
        raise ClockError(NOTHING_TO_START)
    if key is not None and key != target.key:
        raise ClockError(NOT_NEXT)
    current = running(rounds, now)
    out = []
    for r in _ordered(rounds):
        if current is not None and r.key == current.key:
            r = r.at(r.starts_at, now)
        out.append(r)
    delta = now - target.starts_at
    # The target keeps its length and starts now; the rounds after it keep their distance to it.
    return _shift_after(out, target.number - 1, delta)


def extend(rounds: Sequence[RoundTimes], minutes: int, now: datetime) -> list[RoundTimes]:
    """The running round ends `minutes` later (earlier if negative), and the later rounds move by as much.

    Between rounds, the next round starts that much later (or earlier) instead.
    """
    delta = timedelta(minutes=minutes)
    current = running(rounds, now)
    if current is not None:
        new_end = current.ends_at + delta
        if new_end <= now:
            raise ClockError(ENDS_IN_THE_PAST)
        if new_end - current.starts_at > LONGEST_ROUND:
            raise ClockError(TOO_LONG)
        out = [r.at(r.starts_at, new_end) if r.key == current.key else r for r in _ordered(rounds)]
        return _shift_after(out, current.number, delta)
    upcoming = next_to_start(rounds, now)
    if upcoming is None:
        raise ClockError(NOTHING_RUNNING)
    if upcoming.starts_at + delta <= now:
        raise ClockError(ENDS_IN_THE_PAST)
    return _shift_after(rounds, upcoming.number - 1, delta)


def end_now(rounds: Sequence[RoundTimes], now: datetime) -> list[RoundTimes]:
    """The running round ends now; the later rounds move earlier by as much (the break before the next stays)."""
    current = running(rounds, now)
    if current is None:
        raise ClockError(NOTHING_RUNNING)
    delta = now - current.ends_at
    out = [r.at(r.starts_at, now) if r.key == current.key else r for r in _ordered(rounds)]
    return _shift_after(out, current.number, delta)
