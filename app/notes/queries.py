"""Reads of round notes: by room and round, the organiser's overview, personal-link look-ups."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, NotFound

from app.cafe.models import Room
from app.events.models import CafeRound, Event, ItemKind, ProgrammeItem
from app.extensions import db
from app.notes.models import NoteImage, NoteRevision, RoundNote
from app.participants.models import Participant


def _friendly(error: type[Forbidden] | type[NotFound], message: str) -> Forbidden | NotFound:
    """An HTTP error whose description the error page shows (app/errors.py reads `custom`)."""
    exc = error(message)
    exc.custom = True  # type: ignore[attr-defined]
    return exc


def note_for(round_id: int, room_id: int) -> RoundNote | None:
    """The note of a room in a round, if anyone has written one."""
    return db.session.scalar(select(RoundNote).where(RoundNote.round_id == round_id, RoundNote.room_id == room_id))


def rooms_with_notes(round_ids: list[int]) -> set[tuple[int, int]]:
    """(round_id, room_id) of every note with some text in it, for the given rounds."""
    if not round_ids:
        return set()
    rows = db.session.execute(
        select(RoundNote.round_id, RoundNote.room_id).where(
            RoundNote.round_id.in_(round_ids),
            or_(
                RoundNote.summary != "",
                RoundNote.key_points != "",
                RoundNote.ideas != "",
                RoundNote.quotes != "",
                RoundNote.body_md != "",
            ),
        )
    )
    return {(round_id, room_id) for round_id, room_id in rows}


def participant_by_token_or_404(token: str) -> Participant:
    """The holder of a personal link; an unknown or re-issued token gets a friendly 404."""
    person = db.session.scalar(select(Participant).where(Participant.token == token)) if len(token) <= 64 else None
    if person is None:
        raise _friendly(
            NotFound,
            _(
                "This personal link is not valid. It may have been replaced: please use the newest link from the organisers."
            ),
        )
    return person


def hosted_round_and_room_or_404(person: Participant, round_number: int) -> tuple[CafeRound, Room]:
    """The room this person hosts in round N, and that round. Only a room's host may write its notes."""
    rooms = db.session.scalars(
        select(Room)
        .join(ProgrammeItem, Room.item_id == ProgrammeItem.id)
        .where(Room.host_id == person.id, ProgrammeItem.event_id == person.event_id)
        .order_by(ProgrammeItem.position, Room.position)
    ).all()
    if not rooms:
        raise _friendly(Forbidden, _("Only the table host of a room can write its notes."))
    for room in rooms:
        round_ = next((r for r in room.item.rounds if r.number == round_number), None)
        if round_ is not None:
            return round_, room
    raise _friendly(NotFound, _("There is no round %(number)s in this world café.", number=round_number))


def round_and_room_or_404(event: Event, round_id: int, room_id: int) -> tuple[CafeRound, Room]:
    """A round and a room of the same café item of this event; anything else is 404."""
    round_ = db.session.get(CafeRound, round_id)
    room = db.session.get(Room, room_id)
    if round_ is None or room is None or round_.item_id != room.item_id or round_.item.event_id != event.id:
        abort(404)
    return round_, room


def revision_or_404(note: RoundNote | None, version: int) -> NoteRevision:
    """This version of a note from its history; 404 if the note or version does not exist."""
    revision = next((r for r in note.revisions if r.version == version), None) if note else None
    if revision is None:
        abort(404)
    return revision


def revision_at(note: RoundNote | None, version: int) -> NoteRevision | None:
    """The saved state a client based its edit on (None for version 0, the empty note)."""
    if note is None or version <= 0:
        return None
    return db.session.scalar(
        select(NoteRevision).where(NoteRevision.note_id == note.id, NoteRevision.version == version)
    )


def hosted_image_or_404(person: Participant, image_id: int) -> NoteImage:
    """An image of a note of a room this person hosts."""
    image = db.session.get(NoteImage, image_id)
    if image is None or image.note.room.host_id != person.id:
        abort(404)
    return image


def event_image_or_404(event: Event, image_id: int) -> NoteImage:
    """An image of a note of this event."""
    image = db.session.get(NoteImage, image_id)
    if image is None or image.note.round.item.event_id != event.id:
        abort(404)
    return image


ROOMS_PER_PAGE = 40


@dataclass
class CafeNotes:
    """One café item's notes as a grid: a page of its rooms down, rounds across, and one round's notes in full."""

    item: ProgrammeItem
    rounds: list[CafeRound]
    rooms: list[Room]  # the rooms of this page
    notes: dict[tuple[int, int], RoundNote] = field(default_factory=dict)
    room_count: int = 0
    written: int = 0
    submitted: int = 0
    page: int = 1
    pages: int = 1
    current_round: CafeRound | None = None

    def note(self, round_id: int, room_id: int) -> RoundNote | None:
        return self.notes.get((round_id, room_id))

    @property
    def first_room_number(self) -> int:
        return (self.page - 1) * ROOMS_PER_PAGE + 1


def _counts(round_ids: list[int]) -> tuple[int, int]:
    """Notes with some text, and of those the submitted ones, over every room (not just one page)."""
    if not round_ids:
        return 0, 0
    has_text = or_(
        RoundNote.summary != "",
        RoundNote.key_points != "",
        RoundNote.ideas != "",
        RoundNote.quotes != "",
        RoundNote.body_md != "",
    )
    row = db.session.execute(
        select(func.count(), func.count().filter(RoundNote.submitted.is_(True))).where(
            RoundNote.round_id.in_(round_ids), has_text
        )
    ).one()
    return int(row[0]), int(row[1])


def overview(event: Event, page: int = 1, round_id: int | None = None) -> list[CafeNotes]:
    """Every café item of the event: a page of its rooms with their notes, counts over all rooms; programme order.

    A 400-room café stays a page of ROOMS_PER_PAGE rooms with a handful of queries, whatever its size.
    """
    result = []
    for item in event.items:
        if item.kind != ItemKind.CAFE:
            continue
        total = db.session.scalar(select(func.count()).select_from(Room).where(Room.item_id == item.id)) or 0
        pages = max(1, -(-total // ROOMS_PER_PAGE))
        current_page = min(max(1, page), pages)
        rooms = list(
            db.session.scalars(
                select(Room)
                .where(Room.item_id == item.id)
                .options(selectinload(Room.host))
                .order_by(Room.position, Room.id)
                .limit(ROOMS_PER_PAGE)
                .offset((current_page - 1) * ROOMS_PER_PAGE)
            )
        )
        rounds = list(item.rounds)
        round_ids = [r.id for r in rounds]
        room_ids = [r.id for r in rooms]
        notes = (
            db.session.scalars(
                select(RoundNote)
                .where(RoundNote.round_id.in_(round_ids), RoundNote.room_id.in_(room_ids))
                .options(selectinload(RoundNote.images))
            )
            if round_ids and room_ids
            else []
        )
        written, submitted = _counts(round_ids)
        current = next((r for r in rounds if r.id == round_id), rounds[0] if rounds else None)
        result.append(
            CafeNotes(
                item,
                rounds,
                rooms,
                {(n.round_id, n.room_id): n for n in notes},
                room_count=total,
                written=written,
                submitted=submitted,
                page=current_page,
                pages=pages,
                current_round=current,
            )
        )
    return result
