"""From models to calendar drafts: one event's data read in a few queries, then each person's entries
(one per café round, with their room, host and link), their text in the reader's language, and their facts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cafe.models import Room, Seat
from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.invites.ics import Conference, Entry, Person
from app.participants.models import Participant


@dataclass(frozen=True)
class Draft:
    """An entry before its SEQUENCE is known: `fingerprint` covers language-free facts, so only real changes count."""

    uid: str
    key: str
    item_id: int | None
    base_sequence: int
    fingerprint: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    description: str
    location: str
    url: str
    conferences: tuple[Conference, ...] = ()

    def entry(self, sequence: int, last_modified: datetime | None) -> Entry:
        return Entry(
            uid=self.uid,
            sequence=sequence,
            summary=self.summary,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            description=self.description,
            location=self.location,
            url=self.url,
            last_modified=last_modified,
            conferences=self.conferences,
        )


@dataclass(frozen=True)
class Host:
    """A room's host, as names (the reader's language decides the order)."""

    id: int
    family_name: str
    given_name: str


@dataclass(frozen=True)
class RoomInfo:
    """A breakout room: its name, its own link and its host."""

    id: int
    item_id: int
    name: str
    link: str
    host: Host | None


@dataclass
class EventData:
    """What the calendars of one event read, loaded in a fixed number of queries whatever its size."""

    event: Event
    items: list[ProgrammeItem]
    rooms: dict[int, RoomInfo]
    seats: dict[int, dict[int, int]] = field(default_factory=dict)  # person id → round id → room id
    hosted: dict[int, dict[int, int]] = field(default_factory=dict)  # person id → item id → room id
    shared_digest: str | None = None  # person_fingerprint's digest of what everyone's invitation shares

    def places(self, person_id: int) -> dict[int, RoomInfo]:
        """The person's published room in each café round (round id → room); hosts stay in their room."""
        found = {round_id: self.rooms[room_id] for round_id, room_id in self.seats.get(person_id, {}).items()}
        for item in self.items:
            room_id = self.hosted.get(person_id, {}).get(item.id)
            if room_id is not None:
                for round_ in item.rounds:
                    found.setdefault(round_.id, self.rooms[room_id])
        return found


def load(event: Event, person_ids: Collection[int] | None = None) -> EventData:
    """The event's programme, rooms and hosts, and the published seats of `person_ids` (None: everyone)."""
    items = list(
        db.session.scalars(
            select(ProgrammeItem)
            .where(ProgrammeItem.event_id == event.id)
            .options(selectinload(ProgrammeItem.rounds), selectinload(ProgrammeItem.speakers))
            .order_by(ProgrammeItem.position, ProgrammeItem.starts_at, ProgrammeItem.id)
        )
    )
    item_ids = [item.id for item in items]
    rooms: dict[int, RoomInfo] = {}
    hosted: dict[int, dict[int, int]] = {}
    if item_ids:
        rows = db.session.execute(
            select(
                Room.id,
                Room.item_id,
                Room.name,
                Room.breakout_url,
                Room.host_id,
                Participant.family_name,
                Participant.given_name,
            )
            .outerjoin(Participant, Participant.id == Room.host_id)
            .where(Room.item_id.in_(item_ids))
        )
        for room_id, item_id, name, link, host_id, family, given in rows:
            host = Host(host_id, family, given) if host_id is not None else None
            rooms[room_id] = RoomInfo(room_id, item_id, name, link or "", host)
            if host_id is not None:
                hosted.setdefault(host_id, {}).setdefault(item_id, room_id)
    seats: dict[int, dict[int, int]] = {}
    round_ids = [r.id for item in items for r in item.rounds]
    if round_ids and (person_ids is None or person_ids):
        query = select(Seat.participant_id, Seat.round_id, Seat.room_id).where(
            Seat.published.is_(True), Seat.round_id.in_(round_ids)
        )
        if person_ids is not None:
            query = query.where(Seat.participant_id.in_(list(person_ids)))
        for person_id, round_id, room_id in db.session.execute(query):
            seats.setdefault(person_id, {})[round_id] = room_id
    return EventData(event, items, rooms, seats, hosted)


# ---- addresses ------------------------------------------------------------------------------------


def base_url() -> str:
    """The site's address for links in calendars and emails: PUBLIC_BASE_URL, else this request's host."""
    configured = current_app.config.get("PUBLIC_BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://localhost:5000"


def uid_domain() -> str:
    """The right-hand side of UIDs: fixed by configuration, never by whoever asks (so UIDs stay stable)."""
    configured = current_app.config.get("CALENDAR_UID_DOMAIN") or ""
    if configured:
        return str(configured)
    host = urlsplit(current_app.config.get("PUBLIC_BASE_URL") or "").hostname
    return host or "tsunagu"


def external(endpoint: str, **values: Any) -> str:
    """An absolute link under base_url(), also outside requests (worker, CLI)."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base_url() + path


def public_calendar_url(event: Event) -> str:
    """Absolute URL of the event's public .ics (the programme, no personal data)."""
    return external("invites.public_ics", slug=event.slug)


def personal_calendar_url(person: Participant) -> str:
    """Absolute URL of this person's own .ics feed (carries their personal token)."""
    return external("invites.personal_ics", token=person.token)


def personal_page_url(person: Participant) -> str:
    """The holder's own page (where am I now, attendance answer)."""
    return external("day.personal", token=person.token)


def organizer_of(event: Event) -> Person:
    """The ORGANIZER of every entry (RFC 5546 PUBLISH requires one): the event, at the sending address."""
    return Person(event.title, current_app.config.get("MAIL_FROM") or "")


def meeting_is_public(event: Event) -> bool:
    """Whether the event's meeting link may appear in public places (an organiser's choice per event)."""
    return bool(event.meeting_url_public)
