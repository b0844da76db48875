"""Reads for personal pages: the holder of a token, the event's programme now, their seats and room-mates."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import false, select
from werkzeug.exceptions import NotFound

from app.day import holders
from app.day import seating as snapshots
from app.day.holders import EventInfo, Holder, LiveCheck
from app.day.models import LiveState
from app.day.seating import BroadcastInfo, Person
from app.domain.live import ItemSlot, Moment, Override, Phase, RoundSlot, moment
from app.domain.schedule import Slot
from app.events.models import CafeRound, ItemKind, ProgrammeItem
from app.extensions import db
from app.participants.models import Role


class LinkNotValid(NotFound):
    """A personal link that does not exist (any more): a friendly 404."""

    custom = True


@dataclass(frozen=True)
class ItemInfo:
    id: int
    kind: ItemKind
    title: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class RoundInfo:
    id: int
    item_id: int
    number: int
    question: str
    starts_at: datetime
    ends_at: datetime
    published_at: datetime | None


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
        published = ",".join(
            f"{r.id}:{r.published_at.timestamp() if r.published_at else 0}" for r in self.rounds.values()
        )
        return f"{self.window.starts_at.timestamp()}|{self.window.ends_at.timestamp()}|{published}|{self.content}"


@dataclass(frozen=True)
class SeatInfo:
    """Where one person is in one round."""

    round_id: int
    room_id: int
    room_name: str
    breakout_url: str
    host: Person | None
    hosting: bool


@dataclass(frozen=True)
class _ItemView:
    event: EventInfo


@dataclass(frozen=True)
class _RoundView:
    id: int
    number: int
    item: _ItemView


class MomentRounds:
    """The running and the next round of a moment, for views that hold `programme` and `now`."""

    programme: Programme
    now: Moment

    @property
    def current_round(self) -> RoundInfo | None:
        return self.programme.rounds.get(self.now.round) if isinstance(self.now.round, int) else None

    @property
    def next_round(self) -> RoundInfo | None:
        return self.programme.rounds.get(self.now.next_round) if isinstance(self.now.next_round, int) else None


@dataclass
class Personal(MomentRounds):
    """Everything a personal page or its update endpoint needs, cheapest parts first."""

    participant: Holder
    programme: Programme
    now: Moment
    at: datetime
    revision: int
    seats: dict[int, SeatInfo]
    mates: dict[int, list[Person]] = field(default_factory=dict)
    # (round id, room id) → everyone seated there, for the room's shared list (fill_page).
    members: dict[tuple[int, int], tuple[Person, ...]] = field(default_factory=dict)
    broadcasts: list[BroadcastInfo] = field(default_factory=list)
    # Facilitators: round id → what their table said in the round before (the host briefs newcomers).
    previous_summaries: dict[int, str] = field(default_factory=dict)
    # Facilitators: what the notes feature's partial template reads of a round (id, number, item.event) and a room.
    round_models: dict[int, _RoundView] = field(default_factory=dict)
    room_models: dict[int, snapshots.RoomInfo] = field(default_factory=dict)
    # Facilitators: (round id, room id) → the room's note, read once for the page (the notes partial asks per round).
    notes: dict[tuple[int, int], snapshots.NoteInfo] = field(default_factory=dict)
    check: LiveCheck | None = None
    filled: bool = False  # fill_page has run

    @property
    def is_facilitator(self) -> bool:
        return self.participant.role == Role.FACILITATOR or any(s.hosting for s in self.seats.values())

    def etag(self, lang: str) -> str:
        """Changes when the slot, the holder's published seats or answer, the broadcasts or the language change."""
        seats = ";".join(
            f"{s.round_id}:{s.room_id}:{s.room_name}:{s.breakout_url}:{s.host.id if s.host else ''}"
            for s in sorted(self.seats.values(), key=lambda s: s.round_id)
        )
        raw = "|".join(
            (
                str(self.participant.id),
                self.participant.role.value,
                self.participant.rsvp,
                lang,
                str(self.revision),
                self.now.signature(),
                self.programme.signature(),
                seats,
            )
        )
        return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()

    @property
    def focus_round(self) -> RoundInfo | None:
        """The round to show big: the running one, else the next one of the same café (between rounds)."""
        if self.current_round:
            return self.current_round
        nxt = self.next_round
        if (
            nxt is not None
            and self.now.phase != Phase.AFTER
            and (self.now.item == nxt.item_id or self.now.phase == Phase.BEFORE)
        ):
            return nxt
        return None

    def rounds(self) -> list[RoundInfo]:
        return sorted(self.programme.rounds.values(), key=lambda r: (r.starts_at, r.number))


# ---- the holder of a link -----------------------------------------------------------------------


def holder_or_404(token: str) -> tuple[Holder, LiveCheck]:
    """The holder with their event and the event's live check; unknown or revoked tokens get a friendly 404."""
    # Tokens are 43 characters; refuse odd lengths before touching the database.
    if not 20 <= len(token) <= 64:
        raise LinkNotValid(_link_message())
    found = holders.holder(token)
    if found is None:
        raise LinkNotValid(_link_message())
    return found


def _link_message() -> str:
    from flask_babel import gettext as _

    return _("This personal link is no longer valid. Please contact the organisers for a new one.")


# ---- the programme, cached briefly per process ------------------------------------------------------

_cache: dict[int, tuple[float, Programme]] = {}
_cache_lock = threading.Lock()


def _cache_seconds() -> float:
    default = 0.0 if current_app.testing else 2.0
    return float(current_app.config.get("DAY_CACHE_SECONDS", default))


def programme(event_id: int, window: Slot) -> Programme:
    """The event's timetable; kept a couple of seconds so a crowd at a round change costs one read."""
    ttl = _cache_seconds()
    now = time.monotonic()
    if ttl > 0:
        hit = _cache.get(event_id)
        if hit is not None and hit[0] > now and hit[1].window == window:
            return hit[1]
    loaded = _load_programme(event_id, window)
    if ttl > 0:
        with _cache_lock:
            _cache[event_id] = (now + ttl, loaded)
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
        ).where(CafeRound.item_id.in_(list(items)) if items else false())
    ).all()
    rounds = {r.id: RoundInfo(*r) for r in round_rows}
    slots = tuple(
        ItemSlot(
            item.id,
            item.starts_at,
            item.ends_at,
            tuple(
                RoundSlot(r.id, r.number, r.starts_at, r.ends_at)
                for r in sorted(rounds.values(), key=lambda r: r.number)
                if r.item_id == item.id
            ),
        )
        for item in sorted(items.values(), key=lambda i: i.starts_at)
    )
    content = hashlib.blake2b(repr((sorted(items.items()), sorted(rounds.items()))).encode(), digest_size=8)
    return Programme(window, items, rounds, slots, content.hexdigest())


# ---- live state, seats, room-mates ------------------------------------------------------------------


def live_override(event_id: int) -> tuple[Override | None, int]:
    """The organiser's manual round (if any) and the revision of the live state."""
    row = db.session.execute(
        select(LiveState.round_id, LiveState.started_at, LiveState.revision).where(LiveState.event_id == event_id)
    ).first()
    if row is None:
        return None, 0
    override = Override(row.round_id, row.started_at) if row.round_id and row.started_at else None
    return override, row.revision


def event_moment(event_id: int, window: Slot, at: datetime) -> tuple[Programme, Moment, int]:
    """The programme and what is on at `at`, the organiser's override included."""
    prog = programme(event_id, window)
    override, revision = live_override(event_id)
    return prog, moment(window, prog.slots, at, override), revision


def seating_of(prog: Programme, event_id: int) -> snapshots.Seating:
    return snapshots.seating(event_id, sorted(prog.rounds), prog.signature())


def seats_of(person: Holder, prog: Programme) -> dict[int, SeatInfo]:
    """round id → where the person is: their published seat, or the room they host in a published round."""
    plan = seating_of(prog, person.event_id)
    seats: dict[int, SeatInfo] = {}
    for rnd in prog.rounds.values():
        room_id = plan.by_round.get(rnd.id, {}).get(person.id)
        if room_id is None and rnd.published_at is not None:
            room_id = next((r for r in plan.hosted.get(person.id, ()) if plan.rooms[r].item_id == rnd.item_id), None)
        if room_id is None:
            continue
        room = plan.rooms[room_id]
        hosting = room.host is not None and room.host.id == person.id
        seats[rnd.id] = SeatInfo(rnd.id, room.id, room.name, room.breakout_url, room.host, hosting)
    return seats


def room_members(
    prog: Programme, event_id: int, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], list[Person]]:
    """(round id, room id) → the people seated there (published), in a stable order."""
    plan = seating_of(prog, event_id)
    return {pair: list(plan.members.get(pair, ())) for pair in pairs}


def personal_state(person: Holder, at: datetime, check: LiveCheck) -> Personal:
    """The cheap part of a personal page: enough to compute its ETag without rendering."""
    event = person.event
    window = Slot(event.id, event.starts_at, event.ends_at)
    prog = programme(event.id, window)
    now = moment(window, prog.slots, at, check.override)
    return Personal(person, prog, now, at, check.revision, seats_of(person, prog), check=check)


def state_for_token(token: str, at: datetime) -> Personal:
    """The holder of `token` and what they should see at `at`; a friendly 404 for unknown links."""
    person, check = holder_or_404(token)
    return personal_state(person, at, check)


def fill_page(state: Personal, *, all_rounds: bool = False) -> Personal:
    """Load what only a full render needs: room-mates (of the focus round, or all) and broadcasts."""
    if state.is_facilitator or all_rounds:
        pairs = [(s.round_id, s.room_id) for s in state.seats.values()]
    else:
        focus = state.focus_round
        seat = state.seats.get(focus.id) if focus else None
        pairs = [(seat.round_id, seat.room_id)] if seat else []
    members = room_members(state.programme, state.participant.event_id, pairs)
    for rnd, room in pairs:
        host = state.seats[rnd].host
        state.members[(rnd, room)] = tuple(members.get((rnd, room), ()))
        state.mates[rnd] = [
            p
            for p in members.get((rnd, room), [])
            if p.id != state.participant.id and (host is None or p.id != host.id)
        ]
    state.broadcasts = snapshots.broadcasts(state.participant.event_id, state.revision)
    if state.is_facilitator:
        state.notes = _notes_of(state)
        state.previous_summaries = previous_summaries(state)
        # What the notes partial reads of a round and a room, as plain values (no query for them).
        event_view = _ItemView(state.participant.event)
        state.round_models = {r: _RoundView(r, state.programme.rounds[r].number, event_view) for r in state.seats}
        plan = seating_of(state.programme, state.participant.event_id)
        state.room_models = {s.room_id: plan.rooms[s.room_id] for s in state.seats.values()}
    state.filled = True
    return state


def _notes_of(state: Personal) -> dict[tuple[int, int], snapshots.NoteInfo]:
    """(round id, room id) → note, for every round of the programme in the rooms the facilitator hosts.

    From the event's notes snapshot (one query per notes fingerprint), filtered to the holder's rooms only.
    """
    rooms = {s.room_id for s in state.seats.values()}
    if not rooms:
        return {}
    fingerprint = state.check.notes if state.check is not None else None
    event_notes = snapshots.notes(state.participant.event_id, sorted(state.programme.rounds), fingerprint)
    return {pair: note for pair, note in event_notes.items() if pair[1] in rooms}


def previous_summaries(state: Personal) -> dict[int, str]:
    """round id → the summary of the previous round's note of the same room (from `state.notes`)."""
    found: dict[int, str] = {}
    for seat in state.seats.values():
        rnd = state.programme.rounds[seat.round_id]
        before = next(
            (r for r in state.programme.rounds.values() if r.item_id == rnd.item_id and r.number == rnd.number - 1),
            None,
        )
        note = state.notes.get((before.id, seat.room_id)) if before is not None else None
        if note is not None and note.summary.strip():
            found[seat.round_id] = note.summary
    return found
