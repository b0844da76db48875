"""Reads for personal pages: the holder of a token, the event's programme now, their seats and room-mates."""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.day import holders
from app.day import seating as snapshots
from app.day.holders import EventInfo, Holder, LiveCheck
from app.day.models import LiveState
from app.day.seating import BroadcastInfo, Person
from app.day.timetable import Programme, RoundInfo, programme
from app.domain.live import Moment, Phase, moment
from app.domain.schedule import Slot
from app.extensions import db
from app.participants.models import Role


class LinkNotValid(NotFound):
    """A personal link that does not exist (any more): a friendly 404."""

    custom = True


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
    # round id → a digest of what the holder's room shows in that round (name, link, host, everyone seated).
    seat_digests: dict[int, str] = field(default_factory=dict)

    @property
    def is_facilitator(self) -> bool:
        return self.participant.role == Role.FACILITATOR or any(s.hosting for s in self.seats.values())

    def etag(self, lang: str) -> str:
        """Changes with anything the page shows: the slot, the timetable, the holder's rooms and who is in them,
        their answer, broadcasts and the clock (live revision), the event's details, facilitators' notes, the language.
        """
        seats = ";".join(
            f"{s.round_id}:{s.room_id}:{s.room_name}:{s.breakout_url}:{s.host.id if s.host else ''}"
            for s in sorted(self.seats.values(), key=lambda s: s.round_id)
        )
        event = self.participant.event
        notes = self.check.notes if self.check is not None and self.is_facilitator else ()
        raw = "|".join(
            (
                str(self.participant.id),
                self.participant.role.value,
                self.participant.rsvp,
                self.participant.family_name,
                self.participant.given_name,
                lang,
                str(self.revision),
                repr(self.check.broadcasts if self.check is not None else ()),
                self.now.signature(),
                self.programme.signature(),
                seats,
                ";".join(f"{k}:{v}" for k, v in sorted(self.seat_digests.items())),
                f"{event.title}|{event.status}|{event.meeting_url}|{event.timezone}",
                repr(notes),
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


# ---- live state, seats, room-mates ------------------------------------------------------------------


def live_revision(event_id: int) -> int:
    """The revision of the event's live state (it moves with every clock move and broadcast)."""
    return db.session.scalar(select(LiveState.revision).where(LiveState.event_id == event_id)) or 0


def event_moment(event_id: int, window: Slot, at: datetime) -> tuple[Programme, Moment, int]:
    """The programme and what is on at `at` by the live timetable (the organiser's clock included)."""
    prog = programme(event_id, window)
    return prog, moment(window, prog.slots, at), live_revision(event_id)


def seating_of(prog: Programme, event_id: int, key: Hashable | None) -> snapshots.Seating:
    """The published seating; `key` (the live check's seating fingerprint) keeps it until anything in it moves."""
    return snapshots.seating(event_id, sorted(prog.rounds), None if key is None else (key, prog.signature()))


def seats_of(person: Holder, prog: Programme, key: Hashable | None = None) -> dict[int, SeatInfo]:
    """round id → where the person is: their published seat, or the room they host in a published round."""
    plan = seating_of(prog, person.event_id, key)
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
    prog: Programme, event_id: int, pairs: Iterable[tuple[int, int]], key: Hashable | None = None
) -> dict[tuple[int, int], list[Person]]:
    """(round id, room id) → the people seated there (published), in a stable order."""
    plan = seating_of(prog, event_id, key)
    return {pair: list(plan.members.get(pair, ())) for pair in pairs}


def personal_state(person: Holder, at: datetime, check: LiveCheck) -> Personal:
    """The cheap part of a personal page: enough to compute its ETag without rendering."""
    event = person.event
    window = Slot(event.id, event.starts_at, event.ends_at)
    prog = programme(event.id, window, check.programme)
    now = moment(window, prog.slots, at)
    plan = seating_of(prog, event.id, check.seating_key)
    state = Personal(person, prog, now, at, check.revision, seats_of(person, prog, check.seating_key), check=check)
    state.seat_digests = {sid: plan.digests.get((s.round_id, s.room_id), "") for sid, s in state.seats.items()}
    return state


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
    key = state.check.seating_key if state.check is not None else None
    members = room_members(state.programme, state.participant.event_id, pairs, key)
    for rnd, room in pairs:
        host = state.seats[rnd].host
        state.members[(rnd, room)] = tuple(members.get((rnd, room), ()))
        state.mates[rnd] = [
            p
            for p in members.get((rnd, room), [])
            if p.id != state.participant.id and (host is None or p.id != host.id)
        ]
    version = (state.revision, state.check.broadcasts) if state.check is not None else None
    state.broadcasts = snapshots.broadcasts(state.participant.event_id, version)
    if state.is_facilitator:
        state.notes = _notes_of(state)
        state.previous_summaries = previous_summaries(state)
        # What the notes partial reads of a round and a room, as plain values (no query for them).
        event_view = _ItemView(state.participant.event)
        state.round_models = {r: _RoundView(r, state.programme.rounds[r].number, event_view) for r in state.seats}
        plan = seating_of(state.programme, state.participant.event_id, key)
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
