"""What is on now at an event: the timetable, the organiser's manual round override, and what comes next."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.schedule import Slot, current_and_next

# A manual override is forgotten this long after the event's end, so a forgotten "round 3" does not
# stay on everyone's page for ever; events overrun, hence the grace.
OVERRIDE_GRACE = timedelta(hours=1)


class Phase(StrEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


@dataclass(frozen=True)
class RoundSlot:
    """A café round on the timetable."""

    key: Hashable
    number: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ItemSlot:
    """A programme item on the timetable, with its rounds if it is a café."""

    key: Hashable
    starts_at: datetime
    ends_at: datetime
    rounds: tuple[RoundSlot, ...] = ()


@dataclass(frozen=True)
class Override:
    """The organiser started this round by hand at `started_at`."""

    round_key: Hashable
    started_at: datetime


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
    overridden: bool = False

    def signature(self) -> str:
        """A stable text for caches and ETags: changes exactly when what people should see changes."""
        ends = self.round_ends_at.isoformat() if self.round_ends_at else ""
        return f"{self.phase}|{self.item}|{self.round}|{ends}|{self.next_item}|{self.next_round}|{int(self.overridden)}"


def moment(window: Slot, items: Sequence[ItemSlot], now: datetime, override: Override | None = None) -> Moment:
    """What is on at `now`: the manual override wins while it stands, otherwise the timetable."""
    if override is not None and now < window.ends_at + OVERRIDE_GRACE:
        found = _find_round(items, override.round_key)
        if found is not None:
            return _overridden(items, found[0], found[1], override, now)
    if now < window.starts_at:
        first_item, first_round = _first_after(items, now)
        return Moment(
            Phase.BEFORE,
            next_item=first_item.key if first_item else None,
            next_round=first_round.key if first_round else None,
            next_starts_at=window.starts_at,
        )
    if now >= window.ends_at:
        return Moment(Phase.AFTER)
    item_slots = [Slot(i.key, i.starts_at, i.ends_at) for i in items]
    current, upcoming = current_and_next(item_slots, now)
    item = next((i for i in items if current and i.key == current.key), None)
    if item is not None and item.rounds:
        round_slots = [Slot(r.key, r.starts_at, r.ends_at) for r in item.rounds]
        cur_round, next_round = current_and_next(round_slots, now)
        if next_round is not None:
            return Moment(
                Phase.DURING,
                item=item.key,
                round=cur_round.key if cur_round else None,
                round_ends_at=cur_round.ends_at if cur_round else None,
                next_item=item.key,
                next_round=next_round.key,
                next_starts_at=next_round.starts_at,
            )
        return Moment(
            Phase.DURING,
            item=item.key,
            round=cur_round.key if cur_round else None,
            round_ends_at=cur_round.ends_at if cur_round else None,
            next_item=upcoming.key if upcoming else None,
            next_round=_first_round_key(items, upcoming.key) if upcoming else None,
            next_starts_at=upcoming.starts_at if upcoming else None,
        )
    return Moment(
        Phase.DURING,
        item=item.key if item else None,
        next_item=upcoming.key if upcoming else None,
        next_round=_first_round_key(items, upcoming.key) if upcoming else None,
        next_starts_at=upcoming.starts_at if upcoming else None,
    )


def _overridden(items: Sequence[ItemSlot], item: ItemSlot, rnd: RoundSlot, override: Override, now: datetime) -> Moment:
    """The hand-started round runs for its planned length from when it was started; then a pause."""
    ends_at = override.started_at + (rnd.ends_at - rnd.starts_at)
    later = [r for r in item.rounds if r.number > rnd.number]
    following = min(later, key=lambda r: r.number) if later else None
    running = now < ends_at
    if following is not None:
        return Moment(
            Phase.DURING,
            item=item.key,
            round=rnd.key if running else None,
            round_ends_at=ends_at if running else None,
            next_item=item.key,
            next_round=following.key,
            overridden=True,
        )
    after = sorted((i for i in items if i.starts_at >= item.ends_at), key=lambda i: i.starts_at)
    nxt = after[0] if after else None
    return Moment(
        Phase.DURING,
        item=item.key,
        round=rnd.key if running else None,
        round_ends_at=ends_at if running else None,
        next_item=nxt.key if nxt else None,
        next_round=_first_round_key(items, nxt.key) if nxt else None,
        next_starts_at=nxt.starts_at if nxt else None,
        overridden=True,
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


def _first_after(items: Sequence[ItemSlot], now: datetime) -> tuple[ItemSlot | None, RoundSlot | None]:
    later = sorted((i for i in items if i.starts_at > now), key=lambda i: i.starts_at)
    if not later:
        return None, None
    first = later[0]
    return first, (min(first.rounds, key=lambda r: r.number) if first.rounds else None)


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
