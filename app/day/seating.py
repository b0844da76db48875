"""Per-event snapshots kept in each process: the published seating of every round, broadcasts, round notes.

At a round change up to 2,000 people open their page within seconds. Everything they see about rooms comes
from the same few thousand seat rows, so each worker reads them once per version instead of twice per
request. The versions are the live check's fingerprints (app/day/holders.py): a snapshot is kept exactly as
long as nothing it holds has changed, so every change shows within one live check. No lifetimes to tune.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.auth.models import Organizer
from app.cafe.models import Room, Seat
from app.day.models import Broadcast
from app.events.models import CafeRound
from app.extensions import db
from app.notes.models import RoundNote
from app.participants.models import Participant

T = TypeVar("T")


@dataclass(frozen=True)
class Person:
    """A name and affiliation, enough for the person_name and affiliation filters."""

    id: int
    family_name: str
    given_name: str
    organization: str
    department: str


@dataclass(frozen=True)
class RoomInfo:
    id: int
    item_id: int
    name: str
    breakout_url: str
    host: Person | None


@dataclass(frozen=True)
class Seating:
    """The published plan of an event's rounds."""

    rooms: dict[int, RoomInfo]
    by_round: dict[int, dict[int, int]]  # round id → participant id → room id
    members: dict[tuple[int, int], tuple[Person, ...]]  # (round id, room id) → people seated there
    hosted: dict[int, tuple[int, ...]]  # participant id → rooms they host
    # (round id, room id) → a digest of what a page shows of that room (name, link, host, everyone seated).
    digests: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class BroadcastInfo:
    id: int
    body: str
    urgent: bool
    created_at: datetime


@dataclass(frozen=True)
class OrganizerName:
    display_name: str


@dataclass(frozen=True)
class NoteInfo:
    """What facilitators' pages show of a round note (the notes partial reads these names)."""

    round_id: int
    room_id: int
    summary: str
    publishable: bool
    submitted: bool
    version: int
    updated_at: datetime
    updated_by: Person | None
    updated_by_organizer: OrganizerName | None


class _Store:
    """A tiny per-process cache: key → (version, value); another version reloads, no version never keeps."""

    def __init__(self) -> None:
        self._data: dict[Hashable, tuple[Hashable, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable | None, load: Callable[[], T]) -> T:
        hit = self._data.get(key)
        if version is not None and hit is not None and hit[0] == version:
            return hit[1]  # type: ignore[return-value]
        value = load()
        if version is not None:
            with self._lock:
                self._data[key] = (version, value)
        return value

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_seatings = _Store()
_broadcasts = _Store()
_notes = _Store()


def seating(event_id: int, round_ids: list[int], version: Hashable | None) -> Seating:
    """The event's published seating, kept while `version` (rounds, rooms and people fingerprints) stands."""
    return _seatings.get(event_id, version, lambda: _load_seating(event_id, round_ids))


def _load_seating(event_id: int, round_ids: list[int]) -> Seating:
    if not round_ids:
        return Seating({}, {}, {}, {})
    host = aliased(Participant)
    room_rows = db.session.execute(
        select(
            Room.id,
            Room.item_id,
            Room.name,
            Room.breakout_url,
            Room.host_id,
            host.family_name,
            host.given_name,
            host.organization,
            host.department,
        )
        .outerjoin(host, host.id == Room.host_id)
        .where(Room.item_id.in_(select(CafeRound.item_id).where(CafeRound.id.in_(round_ids))))
    ).all()
    rooms = {
        r.id: RoomInfo(
            r.id,
            r.item_id,
            r.name,
            r.breakout_url,
            Person(r.host_id, r.family_name, r.given_name, r.organization, r.department) if r.host_id else None,
        )
        for r in room_rows
    }
    hosted: dict[int, list[int]] = {}
    for room in rooms.values():
        if room.host is not None:
            hosted.setdefault(room.host.id, []).append(room.id)
    by_round: dict[int, dict[int, int]] = {r: {} for r in round_ids}
    members: dict[tuple[int, int], list[Person]] = {}
    seat_rows = db.session.execute(
        select(
            Seat.round_id,
            Seat.room_id,
            Participant.id,
            Participant.family_name,
            Participant.given_name,
            Participant.organization,
            Participant.department,
        )
        .join(Participant, Participant.id == Seat.participant_id)
        .where(Seat.round_id.in_(round_ids), Seat.published.is_(True))
        .order_by(Participant.family_kana, Participant.family_name, Participant.id)
    ).all()
    for r in seat_rows:
        by_round[r.round_id][r.id] = r.room_id
        members.setdefault((r.round_id, r.room_id), []).append(
            Person(r.id, r.family_name, r.given_name, r.organization, r.department)
        )
    kept = {k: tuple(v) for k, v in members.items()}
    digests = {
        (round_id, room_id): hashlib.blake2b(repr((rooms.get(room_id), people)).encode(), digest_size=8).hexdigest()
        for (round_id, room_id), people in kept.items()
    }
    return Seating(rooms, by_round, kept, {k: tuple(v) for k, v in hosted.items()}, digests)


def broadcasts(event_id: int, version: Hashable | None, limit: int = 5) -> list[BroadcastInfo]:
    """The latest messages, newest first; kept while `version` (live revision, broadcasts fingerprint) stands."""

    def load() -> list[BroadcastInfo]:
        rows = db.session.execute(
            select(Broadcast.id, Broadcast.body, Broadcast.urgent, Broadcast.created_at)
            .where(Broadcast.event_id == event_id)
            .order_by(Broadcast.id.desc())
            .limit(limit)
        ).all()
        return [BroadcastInfo(*r) for r in rows]

    return _broadcasts.get(event_id, version, load)


def notes(event_id: int, round_ids: list[int], fingerprint: Hashable) -> dict[tuple[int, int], NoteInfo]:
    """(round id, room id) → note, for every round of the event: one query per notes fingerprint.

    The fingerprint is the live check's (count, sum of versions, last update of the event's notes): any
    save moves it, so a kept snapshot is what a read would give now (the check is at most 1 s old).
    """
    version = None if fingerprint is None else (fingerprint, tuple(round_ids))
    return _notes.get(event_id, version, lambda: _load_notes(round_ids))


def _load_notes(round_ids: list[int]) -> dict[tuple[int, int], NoteInfo]:
    if not round_ids:
        return {}
    rows = db.session.execute(
        select(
            RoundNote.round_id,
            RoundNote.room_id,
            RoundNote.summary,
            RoundNote.publishable,
            RoundNote.submitted,
            RoundNote.version,
            RoundNote.updated_at,
            Participant.id,
            Participant.family_name,
            Participant.given_name,
            Participant.organization,
            Participant.department,
            Organizer.id,
            Organizer.display_name,
        )
        .outerjoin(Participant, Participant.id == RoundNote.updated_by_id)
        .outerjoin(Organizer, Organizer.id == RoundNote.updated_by_organizer_id)
        .where(RoundNote.round_id.in_(round_ids))
    ).all()
    found: dict[tuple[int, int], NoteInfo] = {}
    for r in rows:
        by = Person(r[7], r[8], r[9], r[10], r[11]) if r[7] is not None else None
        by_organizer = OrganizerName(r[13] or "") if r[12] is not None else None
        found[(r[0], r[1])] = NoteInfo(*r[:7], by, by_organizer)
    return found


def forget(event_id: int) -> None:
    """Drop this process's snapshots of an event (after a change made here)."""
    _seatings.forget(event_id)
    _broadcasts.forget(event_id)
    _notes.forget(event_id)


def forget_all() -> None:
    """Drop every snapshot of this process (tests)."""
    _seatings.clear()
    _broadcasts.clear()
    _notes.clear()
