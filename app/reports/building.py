"""Turns an event and its report draft into the pure Document (queries only, no writes)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.cafe.models import Room, Seat
from app.connections import network
from app.connections import queries as connection_queries
from app.db import utcnow
from app.domain import report as domain
from app.domain import report_digest as digest
from app.events.models import CafeRound, Event, ItemKind, ProgrammeItem
from app.extensions import db
from app.notes.models import RoundNote
from app.participants.models import Participant, Status
from app.reports.models import Report, ReportPoint


def iso(value: Any, tz: str) -> str:
    """An aware datetime as ISO 8601 in the event's time zone, as the report document stores times."""
    return str(value.astimezone(ZoneInfo(tz)).isoformat())


def cafe_rounds(event: Event) -> list[CafeRound]:
    """Every café round of the event, in programme order."""
    return [r for item in event.items if item.kind == ItemKind.CAFE for r in item.rounds]


def publishable_notes(event: Event) -> list[RoundNote]:
    """Notes the facilitators allowed in the report."""
    round_ids = [r.id for r in cafe_rounds(event)]
    if not round_ids:
        return []
    return list(
        db.session.scalars(
            select(RoundNote)
            .where(RoundNote.round_id.in_(round_ids), RoundNote.publishable.is_(True))
            .options(selectinload(RoundNote.images), selectinload(RoundNote.room), selectinload(RoundNote.round))
        )
    )


def attendees(event: Event) -> list[Participant]:
    """The event's participants who took part: everyone not cancelled or absent."""
    return list(
        db.session.scalars(
            select(Participant).where(
                Participant.event_id == event.id, Participant.status.not_in([Status.CANCELLED, Status.ABSENT])
            )
        )
    )


def everyone(event: Event) -> list[Participant]:
    """Every person registered for the event, whatever their status."""
    return list(db.session.scalars(select(Participant).where(Participant.event_id == event.id)))


def secrets_of(event: Event) -> list[str]:
    """Strings that must never appear in public: every personal-link token and email of the event."""
    rows = db.session.execute(select(Participant.token, Participant.email).where(Participant.event_id == event.id))
    return [value for row in rows for value in row if value] + [o.email for o in event.organizers]


def _seating(rounds: list[CafeRound], rooms: dict[int, Room]) -> list[tuple[int, int, int]]:
    """Published seats as (round, room, person); a room's host counts as present in every round it ran."""
    if not rounds:
        return []
    rows = db.session.execute(
        select(Seat.round_id, Seat.room_id, Seat.participant_id).where(
            Seat.round_id.in_([r.id for r in rounds]), Seat.published.is_(True)
        )
    ).all()
    seating = [(r, m, p) for r, m, p in rows]
    seated = {(r, p) for r, _m, p in seating}
    for round_id, room_id in {(r, m) for r, m, _p in seating}:
        host = rooms[room_id].host_id if room_id in rooms else None
        if host is not None and (round_id, host) not in seated:
            seating.append((round_id, room_id, host))
    return seating


def _name(person: Any) -> str:
    return " ".join(p for p in (person.family_name, person.given_name) if p)


def _affiliation(person: Any) -> str:
    return " ".join(p for p in (person.organization, person.department) if p)


def _programme(event: Event) -> list[domain.ProgrammeSection]:
    tz = event.timezone
    return [
        domain.ProgrammeSection(
            kind=item.kind.value,
            title=item.title,
            starts_at=iso(item.starts_at, tz),
            ends_at=iso(item.ends_at, tz),
            description=item.description,
            summary=item.summary,
            speakers=[domain.SpeakerInfo(_name(s), _affiliation(s), s.role.value) for s in item.speakers],
        )
        for item in event.items
        if item.kind in (ItemKind.TALK, ItemKind.PANEL)
    ]


def visible(point: ReportPoint, notes: dict[int, RoundNote]) -> bool:
    """Whether readers may see a point: not hidden or redacted, not empty, its note still publishable."""
    if point.hidden or point.redacted or not point.text.strip():
        return False
    return point.note_id is None or point.note_id in notes  # else the facilitator has made the note private


def points_by_theme(report: Report) -> dict[int, list[ReportPoint]]:
    """The report's points per theme id, in report order (from the loaded points: no query per theme)."""
    out: dict[int, list[ReportPoint]] = defaultdict(list)
    for point in report.points:
        if point.theme_id is not None:
            out[point.theme_id].append(point)
    return out


def _themes(
    report: Report, rnd: CafeRound, room_index: dict[int, int], shown: set[int], members: dict[int, list[ReportPoint]]
) -> list[domain.ThemeSection]:
    """The round's themes as readers see them: visible ones with their visible points, most rooms first."""
    out = []
    for theme in report.themes:
        if theme.round_id != rnd.id or theme.hidden:
            continue
        points = [p for p in members.get(theme.id, []) if p.id in shown and p.room_id in room_index]
        if not points:
            continue
        label = next((p for p in points if not theme.named and p.text == theme.title), None)
        if label is not None:
            points = [label] + [p for p in points if p is not label]
        entries = [domain.ThemeEntry(room_index[p.room_id], p.id, p.kind, p.text) for p in points]
        title = theme.title if theme.named or label is not None else ""
        out.append(
            digest.theme_section(
                title, theme.kind.value, theme.highlight, 0 if theme.named else (label.id if label else 0), entries
            )
        )
    order = {id(t): k for k, t in enumerate(out)}
    return sorted(out, key=lambda t: (not t.highlight, -len(t.room_indices), -len(t.entries), order[id(t)]))


def _rounds(
    report: Report, rounds: list[CafeRound], rooms: dict[int, Room], notes: dict[int, RoundNote]
) -> list[domain.RoundSection]:
    show_names = report.show_names
    by_cell: dict[tuple[int, int], list[domain.Point]] = defaultdict(list)
    shown: set[int] = set()
    for point in report.points:  # ordered by position
        if not visible(point, notes):
            continue
        shown.add(point.id)
        by_cell[(point.round_id, point.room_id)].append(domain.Point(point.kind, point.text, point.highlight, point.id))
    hosts = {}
    if show_names:
        host_ids = {room.host_id for room in rooms.values() if room.host_id}
        hosts = {p.id: _name(p) for p in db.session.scalars(select(Participant).where(Participant.id.in_(host_ids)))}
    sections = []
    members = points_by_theme(report)
    ordered_rooms = sorted(rooms.values(), key=lambda m: (m.position, m.name))
    for rnd in rounds:
        present = [room for room in ordered_rooms if room.item_id == rnd.item_id and by_cell[(rnd.id, room.id)]]
        room_sections = [
            domain.RoomSection(room.name, hosts.get(room.host_id or 0, ""), by_cell[(rnd.id, room.id)])
            for room in present
        ]
        room_index = {room.id: index for index, room in enumerate(present)}
        highlights = [p.text for room in room_sections for p in room.points if p.highlight]
        themes = _themes(report, rnd, room_index, shown, members)
        sections.append(domain.RoundSection(rnd.number, rnd.question, highlights, room_sections, themes))
    return sections


def build_document(report: Report) -> domain.Document:
    """The document readers would see if the draft were published now (already redacted)."""
    event = report.event
    rounds = cafe_rounds(event)
    item_ids = [i.id for i in event.items if i.kind == ItemKind.CAFE]
    rooms = {m.id: m for m in db.session.scalars(select(Room).where(Room.item_id.in_(item_ids)))} if item_ids else {}
    notes = {n.id: n for n in publishable_notes(event)}
    round_numbers = {r.id: r.number for r in rounds}
    gallery = [
        domain.GalleryImage(
            id=ri.image.id,
            caption=ri.image.caption,
            round=round_numbers.get(ri.image.note.round_id),
            room=ri.image.note.room.name,
        )
        for ri in report.images
        if ri.included and ri.image.publishable and ri.image.note_id in notes
    ]
    people = attendees(event)
    stats = domain.statistics(
        [domain.Person(p.id, p.organization, p.prefecture) for p in people],
        rooms=len(rooms),
        rounds=len(rounds),
        seating=_seating(rounds, rooms),
    )
    organisations = sorted({p.organization for p in people if p.organization})
    named = sorted((p for p in people), key=lambda p: (p.organization, p.family_kana or p.family_name))
    doc = domain.Document(
        title=event.title,
        slug=event.slug,
        starts_at=iso(event.starts_at, event.timezone),
        timezone=event.timezone,
        year=event.starts_at.astimezone(ZoneInfo(event.timezone)).year,
        overview=report.overview,
        summary=report.summary,
        tags=report.tag_list,
        show_names=report.show_names,
        programme=_programme(event),
        rounds=_rounds(report, rounds, rooms, notes),
        gallery=gallery,
        stats=stats,
        organisations=organisations,
        people=[(_name(p), p.organization) for p in named] if report.show_names else [],
        network=network.report_section(event, utcnow(), show_names=report.show_names),
    )
    if not report.show_names:  # names only where the organiser chose to show them
        doc = digest.without_names(doc, digest.Names((p.family_name, p.given_name) for p in everyone(event)))
    return domain.redact_document(doc, secrets_of(event))


def document_dict(report: Report) -> dict[str, Any]:
    """The draft's document in exactly the form a published version stores (a JSON round trip)."""
    return json.loads(json.dumps(build_document(report).to_dict(), ensure_ascii=False))  # type: ignore[no-any-return]


def programme_items(event: Event) -> list[ProgrammeItem]:
    """Talks and panels: the items that get a written summary."""
    return [i for i in event.items if i.kind in (ItemKind.TALK, ItemKind.PANEL)]


def draft_fingerprint(report: Report) -> str:
    """A digest of everything the draft document is built from, read cheaply (no document is built).

    Stored with each version, it tells the editor whether publishing now would show readers anything
    new, without building a 12,000-point document on every page view.
    """
    event = report.event
    rounds = cafe_rounds(event)
    round_ids = [r.id for r in rounds]
    notes = (
        sorted(
            db.session.scalars(
                select(RoundNote.id).where(RoundNote.round_id.in_(round_ids), RoundNote.publishable.is_(True))
            )
        )
        if round_ids
        else []
    )
    people = db.session.execute(
        select(Participant.status, func.count()).where(Participant.event_id == event.id).group_by(Participant.status)
    ).all()
    seats = (
        db.session.scalar(
            select(func.count()).select_from(Seat).where(Seat.round_id.in_(round_ids), Seat.published.is_(True))
        )
        if round_ids
        else 0
    )
    # The organiser's choices about the network section count; the numbers people make later by sharing contacts or
    # asking to talk again do not (they are refreshed whenever the organiser publishes for a real change).
    links = connection_queries.settings_for(event.id)
    state = {
        "event": [event.title, str(event.starts_at), event.timezone],
        "connections": [bool(links.in_report), bool(links.talk_again)],
        "settings": [report.overview, report.summary, report.tags, report.show_names],
        "items": [
            [i.id, i.kind.value, i.title, str(i.starts_at), str(i.ends_at), i.description, i.summary]
            + [[s.family_name, s.given_name, s.organization, s.department, s.role.value] for s in i.speakers]
            for i in event.items
            if i.kind in (ItemKind.TALK, ItemKind.PANEL)
        ],
        "rounds": [[r.id, r.number, r.question] for r in rounds],
        "points": [  # plain rows, not the report's point objects: the editor's page loads only a few of those
            list(row)
            for row in db.session.execute(
                select(
                    ReportPoint.id,
                    ReportPoint.kind,
                    ReportPoint.text,
                    ReportPoint.hidden,
                    ReportPoint.highlight,
                    ReportPoint.redacted,
                    ReportPoint.theme_id,
                    ReportPoint.position,
                    ReportPoint.note_id,
                )
                .where(ReportPoint.report_id == report.id)
                .order_by(ReportPoint.position, ReportPoint.id)
            )
        ],
        "themes": [[t.id, t.title, t.named, t.hidden, t.highlight, t.position, t.kind.value] for t in report.themes],
        "images": [[i.image_id, i.included, i.image.publishable, i.image.caption] for i in report.images],
        "notes": notes,
        "people": sorted([str(status), count] for status, count in people),
        "seats": seats,
    }
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, default=str).encode()).hexdigest()
