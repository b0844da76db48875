"""From models to calendar drafts: what each entry says, in the reader's language, and its fingerprint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.cafe.models import Room, Seat
from app.domain import calendar as rules
from app.events.models import CafeRound, Event, ProgrammeItem
from app.extensions import db
from app.invites.ics import Entry
from app.participants.models import Participant
from app.templating import affiliation, local_datetime, person_name


@dataclass(frozen=True)
class Draft:
    """An entry before its SEQUENCE is known: `facts` are language-free, so only real changes count."""

    uid: str
    item_id: int | None
    base_sequence: int
    fingerprint: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    description: str
    location: str
    url: str

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
        )


@dataclass(frozen=True)
class RoomInRound:
    """Where a person sits in one café round."""

    round: CafeRound
    room: Room


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
    return external("invites.public_ics", slug=event.slug)


def personal_calendar_url(person: Participant) -> str:
    return external("invites.personal_ics", token=person.token)


def rooms_of(person: Participant, items: list[ProgrammeItem]) -> dict[int, RoomInRound]:
    """The person's published room in each café round (round id → room); hosts stay in their room."""
    round_ids = [r.id for item in items for r in item.rounds]
    if not round_ids:
        return {}
    found: dict[int, RoomInRound] = {}
    seats = db.session.scalars(
        select(Seat).where(Seat.participant_id == person.id, Seat.published.is_(True), Seat.round_id.in_(round_ids))
    )
    for seat in seats:
        found[seat.round_id] = RoomInRound(seat.round, seat.room)
    hosted = db.session.scalars(select(Room).where(Room.host_id == person.id))
    for room in hosted:
        for round_ in room.item.rounds:
            found.setdefault(round_.id, RoomInRound(round_, room))
    return found


def _room_facts(place: RoomInRound | None) -> list[object] | None:
    if place is None:
        return None
    room = place.room
    return [room.id, room.name, room.breakout_url, room.host_id, room.host.family_name if room.host else ""]


def item_facts(event: Event, item: ProgrammeItem, rooms: dict[int, RoomInRound] | None) -> dict[str, object]:
    """Everything an item's entry says, language-free: its fingerprint changes only on a real change."""
    return {
        "title": item.title,
        "description": item.description,
        "kind": item.kind.value,
        "times": [item.starts_at.isoformat(), item.ends_at.isoformat()],
        "meeting": event.meeting_url,
        "speakers": [[s.role.value, s.family_name, s.given_name, s.organization] for s in item.speakers],
        "rounds": [
            [r.number, r.question, r.starts_at.isoformat(), r.ends_at.isoformat()]
            + ([_room_facts(rooms.get(r.id))] if rooms is not None else [])
            for r in item.rounds
        ],
    }


def _speaker_lines(item: ProgrammeItem) -> list[str]:
    lines = []
    for speaker in item.speakers:
        who = person_name(speaker)
        if speaker.organization:
            who += f"（{affiliation(speaker)}）"
        label = _("Moderator") if speaker.role.value == "moderator" else _("Speaker")
        lines.append(f"{label}: {who}")
    return lines


def round_lines(event: Event, round_: CafeRound, place: RoomInRound | None, *, personal: bool) -> list[str]:
    """A café round in text: time and question, then (personal) the room, its host and its link."""
    times = f"{local_datetime(round_.starts_at, event.timezone, 'time')}–{local_datetime(round_.ends_at, event.timezone, 'time')}"
    lines = [_("Round %(number)s, %(times)s", number=round_.number, times=times)]
    if round_.question:
        lines.append(f"  {round_.question}")
    if personal:
        if place is None:
            lines.append("  " + _("Your room: not assigned yet"))
        else:
            lines.append("  " + _("Your room: %(room)s", room=place.room.name))
            if place.room.host is not None:
                lines.append("  " + _("Host: %(name)s", name=person_name(place.room.host)))
            if place.room.breakout_url:
                lines.append("  " + _("Breakout link: %(url)s", url=place.room.breakout_url))
    return lines


def _location(event: Event, item: ProgrammeItem, rooms: dict[int, RoomInRound] | None) -> str:
    """The join link; for a café where the person has one breakout link for every round, that one."""
    if rooms is not None and item.rounds:
        links = {rooms[r.id].room.breakout_url for r in item.rounds if r.id in rooms}
        if len(links) == 1 and (link := links.pop()):
            return link
    return event.meeting_url


def item_draft(
    event: Event, item: ProgrammeItem, person: Participant | None, rooms: dict[int, RoomInRound] | None
) -> Draft:
    """One programme item as a calendar entry (public if `person` is None: the meeting link only if made public)."""
    location = _location(event, item, rooms) if person is not None else event.public_meeting_url
    lines: list[str] = []
    if item.description:
        lines += [item.description, ""]
    lines += _speaker_lines(item)
    for round_ in item.rounds:
        lines += round_lines(event, round_, (rooms or {}).get(round_.id), personal=person is not None)
    if location:
        lines += ["", _("Join: %(url)s", url=location)]
    if person is not None and event.meeting_url and event.meeting_url != location:
        lines.append(_("Main meeting: %(url)s", url=event.meeting_url))
    lines.append(_("Event page: %(url)s", url=external("events.show", slug=event.slug)))
    return Draft(
        uid=rules.item_uid(item.id, person.id if person else None, uid_domain()),
        item_id=item.id,
        base_sequence=item.sequence,
        fingerprint=rules.fingerprint(item_facts(event, item, rooms)),
        summary=f"{item.title}（{event.title}）",
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        description="\n".join(lines).strip(),
        location=location,
        url=location or external("events.show", slug=event.slug),
    )


def summit_draft(event: Event, person: Participant) -> Draft:
    """The emailed invitation: one entry for the whole summit, with the person's room in every round."""
    items = list(event.items)
    rooms = rooms_of(person, items)
    lines: list[str] = [_("Programme (%(zone)s)", zone=event.timezone)]
    for item in items:
        times = f"{local_datetime(item.starts_at, event.timezone, 'time')}–{local_datetime(item.ends_at, event.timezone, 'time')}"
        lines.append(f"{times} {item.title}")
        for round_ in item.rounds:
            lines += ["  " + line for line in round_lines(event, round_, rooms.get(round_.id), personal=True)]
    if event.meeting_url:
        lines += ["", _("Join: %(url)s", url=event.meeting_url)]
    lines.append(_("Your calendar (follows every change): %(url)s", url=personal_calendar_url(person)))
    lines.append(_("Event page: %(url)s", url=external("events.show", slug=event.slug)))
    facts = {
        "event": [event.title, event.starts_at.isoformat(), event.ends_at.isoformat(), event.meeting_url],
        "items": [item_facts(event, item, rooms) for item in items],
    }
    return Draft(
        uid=rules.invite_uid(event.id, person.id, uid_domain()),
        item_id=None,
        base_sequence=0,
        fingerprint=rules.fingerprint(facts),
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        description="\n".join(lines),
        location=event.meeting_url,
        url=event.meeting_url or external("events.show", slug=event.slug),
    )


def person_language(person: Participant) -> str:
    """The person's language if the participants feature records one; Japanese otherwise."""
    language = getattr(person, "language", None) or getattr(person, "locale", None) or "ja"
    return language if language in current_app.config["LANGUAGES"] else "ja"
