"""Reads for the organiser's live console: check-in list, re-plan call to action, notes per round, links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from app.cafe.models import Room, Seat
from app.day.models import Broadcast, ClockEntry
from app.day.queries import event_moment
from app.day.timetable import Programme, RoundInfo
from app.domain.attendance import RosterEntry
from app.domain.live import Moment, Phase
from app.domain.schedule import Slot
from app.events.models import Event, EventStatus
from app.extensions import db
from app.notes import queries as notes_queries
from app.participants import queries as participant_queries
from app.participants.models import Participant, Role, Rsvp, Status

CHECKIN_LIMIT = 300


@dataclass(frozen=True)
class Replan:
    """How far attendance has drifted from round k's seating plan."""

    round: RoundInfo
    absent: int
    late: int
    planned: bool
    expected: int = 0  # seated in round k, said "can't attend" on their page, not marked absent yet

    @property
    def needed(self) -> bool:
        return self.planned and (self.absent > 0 or self.late > 0)


@dataclass(frozen=True)
class TimelineRow:
    """A round on the console's timeline: planned and live times, and where it stands now."""

    round: RoundInfo
    state: str  # "held" | "running" | "next" | "later"


@dataclass(frozen=True)
class Console:
    programme: Programme
    moment: Moment
    finished: bool  # the event has ended (by its status or its time): no clock, no re-plan prompts
    running: RoundInfo | None  # the round running now
    coming: RoundInfo | None  # the next round to start (the console's "start it now")
    timeline: list[TimelineRow]
    clock_log: list[ClockEntry]
    replan: Replan | None
    rooms: list[Room]
    notes: set[tuple[int, int]]
    broadcasts: list[Broadcast]
    counts: dict[str, int]

    @property
    def note_slots(self) -> int:
        """How many (round, room) pairs could have notes."""
        return sum(1 for room in self.rooms for r in self.programme.rounds.values() if r.item_id == room.item_id)


def console(event: Event, now: datetime) -> Console:
    """Everything on the console except the check-in list."""
    prog, moment, _ = event_moment(event.id, Slot(event.id, event.starts_at, event.ends_at), now)
    finished = event.status == EventStatus.FINISHED or moment.phase == Phase.AFTER
    rooms = list(
        db.session.scalars(
            select(Room).where(Room.item_id.in_(list(prog.items) or [0])).order_by(Room.item_id, Room.position, Room.id)
        )
    )
    counts = dict(
        db.session.execute(
            select(Participant.status, func.count())
            .where(Participant.event_id == event.id)
            .group_by(Participant.status)
        ).all()
    )
    return Console(
        programme=prog,
        moment=moment,
        finished=finished,
        running=None if finished else prog.rounds.get(moment.round),  # type: ignore[arg-type]
        coming=None if finished else coming_round(prog, now),
        timeline=timeline(prog, moment, now),
        clock_log=list(
            db.session.scalars(
                select(ClockEntry)
                .where(ClockEntry.event_id == event.id)
                .options(selectinload(ClockEntry.round), selectinload(ClockEntry.organizer))
                .order_by(ClockEntry.at, ClockEntry.id)
            )
        ),
        replan=None if finished else replan(event, prog, moment, now),
        rooms=rooms,
        notes=rooms_with_notes(list(prog.rounds)),
        broadcasts=list(
            db.session.scalars(select(Broadcast).where(Broadcast.event_id == event.id).order_by(Broadcast.id.desc()))
        ),
        counts={str(getattr(k, "value", k)): v for k, v in counts.items()},
    )


def rooms_with_notes(round_ids: list[int]) -> set[tuple[int, int]]:
    """(round id, room id) pairs that have a round note, as the notes feature reports them."""
    return notes_queries.rooms_with_notes(round_ids) if round_ids else set()


def coming_round(prog: Programme, now: datetime) -> RoundInfo | None:
    """The first round by the live timetable that has not started."""
    coming = [r for r in prog.rounds.values() if not r.has_started(now)]
    return min(coming, key=lambda r: (r.starts_at, r.number), default=None)


def timeline(prog: Programme, moment: Moment, now: datetime) -> list[TimelineRow]:
    """Every round of the programme in order, each held, running, next or later by the live timetable."""
    rows = []
    coming = coming_round(prog, now)
    for rnd in sorted(prog.rounds.values(), key=lambda r: (r.starts_at, r.number)):
        if rnd.id == moment.round:
            state = "running"
        elif rnd.has_started(now):
            state = "held"
        elif coming is not None and rnd.id == coming.id:
            state = "next"
        else:
            state = "later"
        rows.append(TimelineRow(rnd, state))
    return rows


def replan(event: Event, prog: Programme, moment: Moment, now: datetime) -> Replan | None:
    """The next round that has not started, and how many people its plan now misses (None: every round started)."""
    rnd = coming_round(prog, now)
    if rnd is None:
        return None
    published = rnd.published_at is not None
    seated = set(
        db.session.scalars(select(Seat.participant_id).where(Seat.round_id == rnd.id, Seat.published.is_(published)))
    )
    hosts = set(db.session.scalars(select(Room.host_id).where(Room.item_id == rnd.item_id, Room.host_id.is_not(None))))
    people = db.session.execute(
        select(Participant.id, Participant.status, Participant.joins_round, Participant.role, Participant.rsvp).where(
            Participant.event_id == event.id
        )
    ).all()
    absent = sum(1 for p in people if p.id in seated and p.status in (Status.ABSENT, Status.CANCELLED))
    late = sum(
        1
        for p in people
        if p.id not in seated
        and p.id not in hosts
        and p.role == Role.PARTICIPANT
        and p.status not in (Status.ABSENT, Status.CANCELLED)
        and (p.joins_round is None or p.joins_round <= rnd.number)
    )
    expected = sum(
        1 for p in people if p.id in seated and p.rsvp == Rsvp.NO and p.status not in (Status.ABSENT, Status.CANCELLED)
    )
    return Replan(rnd, absent, late, planned=bool(seated), expected=expected)


def checkin_list(event: Event, query: str = "", status: str = "") -> tuple[list[Participant], int]:
    """People of the event matching a search (name, kana, organisation, email), and how many matched."""
    stmt = select(Participant).where(Participant.event_id == event.id)
    if query.strip():
        like = f"%{query.strip()}%"
        stmt = stmt.where(
            or_(
                (Participant.family_name + Participant.given_name).ilike(like),
                Participant.family_name.ilike(like),
                Participant.given_name.ilike(like),
                (Participant.family_kana + Participant.given_kana).ilike(like),
                Participant.organization.ilike(like),
                Participant.email.ilike(like),
            )
        )
    if status in Status._value2member_map_:
        stmt = stmt.where(Participant.status == Status(status))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    people = db.session.scalars(
        stmt.order_by(Participant.family_kana, Participant.family_name, Participant.id).limit(CHECKIN_LIMIT)
    ).all()
    return list(people), total


def roster(event: Event) -> tuple[list[RosterEntry], dict[int, Participant]]:
    """Everyone expected (not cancelled), as roster entries for matching a Zoom report."""
    people = db.session.scalars(
        select(Participant).where(Participant.event_id == event.id, Participant.status != Status.CANCELLED)
    ).all()
    entries = [
        RosterEntry(
            p.id,
            (
                p.family_name + p.given_name,
                f"{p.given_name} {p.family_name}",
                p.family_kana + p.given_kana,
            ),
            p.email,
            (p.zoom_email,) if p.zoom_email else (),
        )
        for p in people
    ]
    return entries, {p.id: p for p in people}


def people_of(event: Event, text: str = "") -> Select[tuple[Participant]]:
    """The event's people for the links page (those matching the search), by role then reading."""
    return (
        participant_queries.search_query(event, text)
        .order_by(None)
        .order_by(Participant.role, Participant.family_kana, Participant.family_name, Participant.id)
    )


def person_or_none(event: Event, participant_id: int) -> Participant | None:
    """The participant with this id if they belong to this event, else None (ids from a form are not trusted)."""
    return db.session.scalar(
        select(Participant).where(Participant.id == participant_id, Participant.event_id == event.id)
    )
