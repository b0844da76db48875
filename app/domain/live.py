"""What is on now at an event: the live timetable (the organiser's clock included) and what comes next."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.schedule import Slot, current_and_next


class Phase(StrEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


@dataclass(frozen=True)
class RoundSlot:
    """A café round on the live timetable: its times as they stand now (see app/domain/clock.py)."""

    key: Hashable
    number: int
    starts_at: datetime
    ends_at: datetime
    moved: bool = False  # the organiser's clock moved it away from the programme


@dataclass(frozen=True)
class ItemSlot:
    """A programme item on the timetable, with its rounds if it is a café."""

    key: Hashable
    starts_at: datetime
    ends_at: datetime
    rounds: tuple[RoundSlot, ...] = ()

    @property
    def live_start(self) -> datetime:
        """A café begins with its first round, even one started before the café's planned time."""
        return min([self.starts_at, *(r.starts_at for r in self.rounds)])

    @property
    def live_end(self) -> datetime:
        """A café lasts until its last round ends, even one extended past the café's planned end."""
        return max([self.ends_at, *(r.ends_at for r in self.rounds)])


@dataclass(frozen=True)
class Moment:
    """The state of the programme at one instant. Keys refer to the given slots."""

    phase: Phase
    item: Hashable | None = None
    round: Hashable | None = None
    round_ends_at: datetime | None = None
    next_item: Hashable | None = None
    next_round: Hashable | None = None
    next_starts_at: datetime | None = None
    overridden: bool = False  # the running (or, between rounds, the next) round's times were set by hand

    def signature(self) -> str:
        """A stable text for caches and ETags: changes exactly when what people should see changes."""
        ends = self.round_ends_at.isoformat() if self.round_ends_at else ""
        starts = self.next_starts_at.isoformat() if self.next_starts_at else ""
        return (
            f"{self.phase}|{self.item}|{self.round}|{ends}|{self.next_item}|{self.next_round}|{starts}"
            f"|{int(self.overridden)}"
        )


def _live(item: ItemSlot) -> Slot:
    return Slot(item.key, item.live_start, item.live_end)


def _after(items: Sequence[ItemSlot], item: ItemSlot) -> ItemSlot | None:
    """The item that follows `item` in the programme (by planned start)."""
    ordered = sorted(items, key=lambda i: (i.starts_at, i.ends_at))
    index = ordered.index(item)
    return ordered[index + 1] if index + 1 < len(ordered) else None


def moment(window: Slot, items: Sequence[ItemSlot], now: datetime) -> Moment:
    """What is on at `now` by the live timetable: a running round wins, then the café between its rounds."""
    for item in items:
        for rnd in item.rounds:
            if rnd.starts_at <= now < rnd.ends_at:
                return _in_round(items, item, rnd)
    for item in items:
        upcoming = sorted((r for r in item.rounds if r.starts_at > now), key=lambda r: r.number)
        if upcoming and item.live_start <= now < item.live_end and any(r.starts_at <= now for r in item.rounds):
            following = upcoming[0]
            return Moment(
                Phase.DURING,
                item=item.key,
                next_item=item.key,
                next_round=following.key,
                next_starts_at=following.starts_at,
                overridden=following.moved,
            )
    if now < window.starts_at:
        first = min(items, key=lambda i: (i.live_start, i.starts_at), default=None)
        return Moment(
            Phase.BEFORE,
            next_item=first.key if first else None,
            next_round=_first_round_key(items, first.key) if first else None,
            next_starts_at=first.live_start if first else window.starts_at,
        )
    end = max([window.ends_at, *(i.live_end for i in items)])
    if now >= end:
        return Moment(Phase.AFTER)
    current, upcoming_item = current_and_next([_live(i) for i in items], now)
    running = next((i for i in items if current and i.key == current.key), None)
    if running is not None and running.rounds:
        coming = min((r for r in running.rounds if r.starts_at > now), key=lambda r: r.number, default=None)
        if coming is not None:
            return Moment(
                Phase.DURING,
                item=running.key,
                next_item=running.key,
                next_round=coming.key,
                next_starts_at=coming.starts_at,
                overridden=coming.moved,
            )
    return Moment(
        Phase.DURING,
        item=running.key if running else None,
        next_item=upcoming_item.key if upcoming_item else None,
        next_round=_first_round_key(items, upcoming_item.key) if upcoming_item else None,
        next_starts_at=upcoming_item.starts_at if upcoming_item else None,
    )


def _in_round(items: Sequence[ItemSlot], item: ItemSlot, rnd: RoundSlot) -> Moment:
    later = [r for r in item.rounds if r.number > rnd.number]
    following = min(later, key=lambda r: r.number) if later else None
    if following is not None:
        return Moment(
            Phase.DURING,
            item=item.key,
            round=rnd.key,
            round_ends_at=rnd.ends_at,
            next_item=item.key,
            next_round=following.key,
            next_starts_at=following.starts_at,
            overridden=rnd.moved,
        )
    nxt = _after(items, item)
    return Moment(
        Phase.DURING,
        item=item.key,
        round=rnd.key,
        round_ends_at=rnd.ends_at,
        next_item=nxt.key if nxt else None,
        next_round=_first_round_key(items, nxt.key) if nxt else None,
        next_starts_at=max(nxt.live_start, rnd.ends_at) if nxt else None,
        overridden=rnd.moved,
    )


def _find_round(items: Sequence[ItemSlot], key: Hashable) -> tuple[ItemSlot, RoundSlot] | None:
    for item in items:
        for rnd in item.rounds:
            if rnd.key == key:
                return item, rnd
    return None


def _first_round_key(items: Sequence[ItemSlot], item_key: Hashable) -> Hashable | None:
    item = next((i for i in items if i.key == item_key), None)
    if item is None or not item.rounds:
        return None
    return min(item.rounds, key=lambda r: r.number).key


def next_round_after(items: Sequence[ItemSlot], key: Hashable | None) -> Hashable | None:
    """The round that follows `key` in the same café (None: it was the last), or the first round of all."""
    if key is None:
        rounds = [r for i in items for r in sorted(i.rounds, key=lambda r: r.number)]
        return rounds[0].key if rounds else None
    found = _find_round(items, key)
    if found is None:
        return None
    item, rnd = found
    later = [r for r in item.rounds if r.number > rnd.number]
    return min(later, key=lambda r: r.number).key if later else None
