"""Who holds which personal link, and the event's live state, kept as plain values in each process.

Polling pages ask every few seconds; most answers are "nothing changed" (304). So each worker keeps, per
event, the roster token → holder (plain values, never ORM objects) and a "live check" of the event: its live
revision and fingerprints of its people, its own row, its round notes, its programme (items and rounds) and
its rooms. The live check is the key of the day's one read model: every snapshot (timetable, seating,
broadcasts, notes, roster) is keyed by it. It is re-read at most every DAY_LIVE_CHECK_SECONDS (1 s; 0 in
tests, i.e. on every request). Bounds this gives (documented in docs/day-caching.md):

- any change a personal page shows (seats, room names and links, round times, broadcasts, notes, names, the
  event's meeting link) reaches every worker within DAY_LIVE_CHECK_SECONDS, and at once in the worker that
  made it when its service's commit calls `forget` (app.db.after_commit); the page then shows it at its next poll;
- a re-issued token, a deleted person or a deleted event stops working within the same bound (a deleted person at
  once in the process that removed them: app.signals.participant_deleted);
- a token only ever maps to its own holder: the roster is keyed by the full token, read from the database.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from app.cafe.models import Room
from app.day.models import Broadcast, LiveState
from app.events.models import CafeRound, Event, EventStatus, ProgrammeItem
from app.extensions import db
from app.notes.models import RoundNote
from app.participants.models import Participant, Role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventInfo:
    """What personal pages show of an event."""

    id: int
    slug: str
    title: str
    status: EventStatus
    timezone: str
    starts_at: datetime
    ends_at: datetime
    meeting_url: str


@dataclass(frozen=True)
class Holder:
    """The holder of a personal link, enough for their pages (and the person_name/affiliation filters)."""

    id: int
    event_id: int
    token: str
    family_name: str
    given_name: str
    organization: str
    department: str
    role: Role
    event: EventInfo
    rsvp: str = ""  # the holder's attendance answer (yes / no / maybe), shown on their page
    joins_round: int | None = None  # a latecomer's first round (their earlier rounds say so)


@dataclass(frozen=True)
class LiveCheck:
    """The event's live state and fingerprints of everything a personal page shows: the one read model's key.

    Every snapshot of app/day (timetable, seating, broadcasts, notes, roster) is keyed by these fingerprints,
    so a change of any kind shows within one live check (DAY_LIVE_CHECK_SECONDS) in every worker.
    """

    revision: int  # the live state's: clock moves and broadcasts
    people: tuple[object, ...]  # count, max id, sum of versions, last update of the event's people
    event: tuple[object, ...]  # the event row's version and last update
    notes: tuple[object, ...]  # count, sum of versions, last update of the event's round notes
    programme: tuple[object, ...] = ()  # count and sum of revisions of the items, then of the rounds
    rooms: tuple[object, ...] = ()  # count and sum of revisions of the café rooms
    broadcasts: tuple[object, ...] = ()  # count and highest id of the event's broadcasts

    @property
    def roster_key(self) -> tuple[object, ...]:
        return (self.people, self.event)

    @property
    def seating_key(self) -> tuple[object, ...]:
        """What the published seating depends on: the rounds (publication), the rooms, the people's names."""
        return (self.programme, self.rooms, self.people)


class _Rosters:
    """token → holder for every event seen in this process, with the live check that validated it."""

    def __init__(self) -> None:
        self.by_token: dict[str, Holder] = {}
        self.tokens: dict[int, tuple[tuple[object, ...], frozenset[str]]] = {}  # event id → (roster key, tokens)
        self.checks: dict[int, tuple[float, LiveCheck | None]] = {}  # event id → (expiry, check)
        self.lock = threading.Lock()

    def drop(self, event_id: int) -> None:
        with self.lock:
            _key, tokens = self.tokens.pop(event_id, ((), frozenset()))
            for token in tokens:
                self.by_token.pop(token, None)
            self.checks.pop(event_id, None)

    def put(self, event_id: int, key: tuple[object, ...], holders: list[Holder]) -> None:
        with self.lock:
            _old, stale = self.tokens.pop(event_id, ((), frozenset()))
            for token in stale:
                self.by_token.pop(token, None)
            self.by_token.update((h.token, h) for h in holders)
            self.tokens[event_id] = (key, frozenset(h.token for h in holders))


_rosters = _Rosters()


def _check_seconds() -> float:
    return float(current_app.config["DAY_LIVE_CHECK_SECONDS"])


def live_check(event_id: int, *, fresh: bool = False) -> LiveCheck | None:
    """The event's live check, re-read at most every DAY_LIVE_CHECK_SECONDS; None if the event is gone."""
    now = time.monotonic()
    hit = _rosters.checks.get(event_id)
    if not fresh and hit is not None and hit[0] > now:
        return hit[1]
    check = _load_check(event_id)
    ttl = _check_seconds()
    if ttl > 0:
        with _rosters.lock:
            _rosters.checks[event_id] = (now + ttl, check)
    return check


def _load_check(event_id: int) -> LiveCheck | None:
    of_people = Participant.event_id == event_id
    people = [
        select(agg).where(of_people).scalar_subquery()
        for agg in (
            func.count(Participant.id),
            func.max(Participant.id),
            func.sum(Participant.version),
            func.max(Participant.updated_at),
        )
    ]
    of_event_notes = RoundNote.round_id.in_(
        select(CafeRound.id)
        .join(ProgrammeItem, ProgrammeItem.id == CafeRound.item_id)
        .where(ProgrammeItem.event_id == event_id)
    )
    notes = [
        select(agg).where(of_event_notes).scalar_subquery()
        for agg in (func.count(RoundNote.id), func.sum(RoundNote.version), func.max(RoundNote.updated_at))
    ]
    of_items = ProgrammeItem.event_id == event_id
    of_rounds = CafeRound.item_id.in_(select(ProgrammeItem.id).where(of_items))
    of_rooms = Room.item_id.in_(select(ProgrammeItem.id).where(of_items))
    programme = [
        select(func.count(ProgrammeItem.id)).where(of_items).scalar_subquery(),
        select(func.sum(ProgrammeItem.revision)).where(of_items).scalar_subquery(),
        select(func.count(CafeRound.id)).where(of_rounds).scalar_subquery(),
        select(func.sum(CafeRound.revision)).where(of_rounds).scalar_subquery(),
    ]
    rooms = [
        select(func.count(Room.id)).where(of_rooms).scalar_subquery(),
        select(func.sum(Room.revision)).where(of_rooms).scalar_subquery(),
    ]
    of_broadcasts = Broadcast.event_id == event_id
    broadcasts = [select(agg).where(of_broadcasts).scalar_subquery() for agg in (func.count(), func.max(Broadcast.id))]
    row = db.session.execute(
        select(
            Event.version,
            Event.updated_at,
            LiveState.revision,
            *people,
            *notes,
            *programme,
            *rooms,
            *broadcasts,
        )
        .outerjoin(LiveState, LiveState.event_id == Event.id)
        .where(Event.id == event_id)
    ).first()
    if row is None:
        return None
    version, updated, revision, *rest = row
    return LiveCheck(
        revision or 0,
        tuple(rest[:4]),
        (version, updated),
        tuple(rest[4:7]),
        tuple(rest[7:11]),
        tuple(rest[11:13]),
        tuple(rest[13:15]),
    )


def _load_roster(event_id: int) -> list[Holder]:
    event = db.session.execute(
        select(
            Event.id,
            Event.slug,
            Event.title,
            Event.status,
            Event.timezone,
            Event.starts_at,
            Event.ends_at,
            Event.meeting_url,
        ).where(Event.id == event_id)
    ).first()
    if event is None:
        return []
    info = EventInfo(*event)
    rows = db.session.execute(
        select(
            Participant.id,
            Participant.event_id,
            Participant.token,
            Participant.family_name,
            Participant.given_name,
            Participant.organization,
            Participant.department,
            Participant.role,
            Participant.rsvp,
            Participant.joins_round,
        ).where(Participant.event_id == event_id)
    ).all()
    return [Holder(*r[:-2], event=info, rsvp=r[-2].value if r[-2] else "", joins_round=r[-1]) for r in rows]


def holder(token: str) -> tuple[Holder, LiveCheck] | None:
    """The holder of `token` and their event's live check; None for a token nobody holds (any more)."""
    found = _rosters.by_token.get(token)
    if found is None:
        # Not in any roster here: ask the database which event (if any) it belongs to.
        event_id = db.session.scalar(select(Participant.event_id).where(Participant.token == token))
        if event_id is None:
            return None
        check = live_check(event_id, fresh=True)
    else:
        event_id = found.event_id
        check = live_check(event_id)
    if check is None:
        _rosters.drop(event_id)
        return None
    known = _rosters.tokens.get(event_id)
    if found is None or known is None or known[0] != check.roster_key:
        _rosters.put(event_id, check.roster_key, _load_roster(event_id))
        log.debug("personal-link roster loaded: event=%s", event_id)
        found = _rosters.by_token.get(token)
    if found is None:
        return None
    return found, check


def forget(event_id: int) -> None:
    """Drop this process's roster and live check of an event (after a change made here)."""
    _rosters.drop(event_id)


def forget_all() -> None:
    """Drop every roster and live check of this process (tests)."""
    with _rosters.lock:
        _rosters.by_token.clear()
        _rosters.tokens.clear()
        _rosters.checks.clear()
