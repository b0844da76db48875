"""An event's timetable for the personal pages: read as plain values, kept per process while its fingerprint stands."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import false, select

from app.day import holders
from app.day import seating as snapshots
from app.domain import clock
from app.domain.live import ItemSlot, RoundSlot
from app.domain.schedule import Slot
from app.events.models import CafeRound, ItemKind, ProgrammeItem
from app.extensions import db


@dataclass(frozen=True)
class ItemInfo:
    id: int
    kind: ItemKind
    title: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class RoundInfo:
    """A round as personal pages show it: its times are the live timetable's (the organiser's clock included)."""

    id: int
    item_id: int
    number: int
    question: str
    starts_at: datetime
    ends_at: datetime
    published_at: datetime | None
    planned_starts_at: datetime | None = None
    planned_ends_at: datetime | None = None

    def has_started(self, now: datetime) -> bool:
        """Started by the live timetable (see app/domain/clock.py: the one definition)."""
        return clock.has_started(self.planned_starts_at or self.starts_at, self.starts_at, now)

    @property
    def moved(self) -> bool:
        """The organiser's clock moved the round away from the programme."""
        return self.planned_starts_at is not None and (self.starts_at, self.ends_at) != (
            self.planned_starts_at,
            self.planned_ends_at,
        )


@dataclass(frozen=True)
class Programme:
    """An event's timetable as plain values, safe to keep between requests."""

    window: Slot
    items: dict[int, ItemInfo]
    rounds: dict[int, RoundInfo]
    slots: tuple[ItemSlot, ...]
    # A digest of every title, question and time, so an edit shows on pages (and in their ETags) too.
    content: str = ""

    def signature(self) -> str:
        return self._signature

    @cached_property
    def _signature(self) -> str:
        """Made once per snapshot: every poll of every page puts it in its ETag."""
        published = ",".join(
            f"{r.id}:{r.published_at.timestamp() if r.published_at else 0}" for r in self.rounds.values()
        )
        return f"{self.window.starts_at.timestamp()}|{self.window.ends_at.timestamp()}|{published}|{self.content}"


_cache: dict[int, tuple[Hashable, Programme]] = {}


_cache_lock = threading.Lock()


def programme(event_id: int, window: Slot, version: Hashable | None = None) -> Programme:
    """The event's timetable; with `version` (the live check's programme fingerprint) kept until it moves.

    Without a version (organiser pages, which are not polled by crowds) it is read afresh.
    """
    if version is not None:
        hit = _cache.get(event_id)
        if hit is not None and hit[0] == version and hit[1].window == window:
            return hit[1]
    loaded = _load_programme(event_id, window)
    if version is not None:
        with _cache_lock:
            _cache[event_id] = (version, loaded)
    return loaded


def forget_programme(event_id: int) -> None:
    """Drop the cached timetable, seating, roster and live check (after a change made in this process)."""
    with _cache_lock:
        _cache.pop(event_id, None)
    snapshots.forget(event_id)
    holders.forget(event_id)


def forget_everything() -> None:
    """Drop every per-process cache of the personal pages: timetables, seating, rosters, pages, pieces (tests)."""
    from app.day import fragments, page_cache

    with _cache_lock:
        _cache.clear()
    snapshots.forget_all()
    holders.forget_all()
    page_cache.clear()
    fragments.clear()


def _load_programme(event_id: int, window: Slot) -> Programme:
    item_rows = db.session.execute(
        select(
            ProgrammeItem.id, ProgrammeItem.kind, ProgrammeItem.title, ProgrammeItem.starts_at, ProgrammeItem.ends_at
        ).where(ProgrammeItem.event_id == event_id)
    ).all()
    items = {r.id: ItemInfo(r.id, r.kind, r.title, r.starts_at, r.ends_at) for r in item_rows}
    round_rows = db.session.execute(
        select(
            CafeRound.id,
            CafeRound.item_id,
            CafeRound.number,
            CafeRound.question,
            CafeRound.starts_at,
            CafeRound.ends_at,
            CafeRound.published_at,
            CafeRound.live_starts_at,
            CafeRound.live_ends_at,
        ).where(CafeRound.item_id.in_(list(items)) if items else false())
    ).all()
    rounds = {}
    for r in round_rows:
        times = clock.RoundTimes(r.id, r.number, r.starts_at, r.ends_at, r.live_starts_at, r.live_ends_at)
        rounds[r.id] = RoundInfo(
            r.id,
            r.item_id,
            r.number,
            r.question,
            times.starts_at,
            times.ends_at,
            r.published_at,
            r.starts_at,
            r.ends_at,
        )
    slots = tuple(
        ItemSlot(
            item.id,
            item.starts_at,
            item.ends_at,
            tuple(
                RoundSlot(r.id, r.number, r.starts_at, r.ends_at, r.moved)
                for r in sorted(rounds.values(), key=lambda r: r.number)
                if r.item_id == item.id
            ),
        )
        for item in sorted(items.values(), key=lambda i: i.starts_at)
    )
    content = hashlib.blake2b(repr((sorted(items.items()), sorted(rounds.items()))).encode(), digest_size=8)
    return Programme(window, items, rounds, slots, content.hexdigest())
