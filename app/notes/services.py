"""State changes of round notes: saves (optimistic versioning, one revision each) and images.

Each function writes (flushes) and its caller (a view) commits, and takes the acting person as an `Actor`.
A save's version check is made in a savepoint: a conflict undoes that save alone and the caller's
transaction stays usable. An image's file goes from the disk only once its row's deletion is committed, and
as soon as its new row is rolled back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.cafe.models import Room
from app.db import after_commit, after_rollback, savepoint, utcnow
from app.domain.notes import TEXT_FIELDS, NoteContent
from app.events.models import CafeRound
from app.extensions import db
from app.notes import queries, storage
from app.notes.models import NoteImage, NoteRevision, RoundNote
from app.signals import note_retracted, notes_submitted

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Actor:
    """Who is saving: a facilitator (by participant id) or an organiser (by organiser id)."""

    participant_id: int | None = None
    organizer_id: int | None = None

    def __str__(self) -> str:
        return f"participant {self.participant_id}" if self.participant_id else f"organiser {self.organizer_id}"


class NoteConflict(Exception):
    """The note was saved by someone else since the edit began; nothing was written."""

    def __init__(self, note: RoundNote | None) -> None:
        super().__init__("note changed since the edit began")
        self.note = note


def save_note(
    round_: CafeRound,
    room: Room,
    content: NoteContent,
    base_version: int,
    actor: Actor,
    *,
    submit: bool | None = None,
    autosave: bool = False,
) -> RoundNote | None:
    """Save a note edited from `base_version`; raise NoteConflict if the note has moved on since.

    `submit` True marks it final, False back to draft, None keeps the state. Saving exactly what is
    stored changes nothing and adds no revision. Returns the note (None if there is none and nothing to save).
    """
    content = content.normalised()
    note = queries.note_for(round_.id, room.id)
    current = note.version if note else 0
    if base_version != current:
        raise NoteConflict(note)
    unchanged = NoteContent.of(note).normalised() == content if note else content.is_empty
    if unchanged and (submit is None or (note is not None and submit == note.submitted)):
        return note
    was_public = note is not None and note.publishable and note.has_content
    try:
        with savepoint():
            note = _next_version(round_, room, note, current)
            newly_submitted = _apply(note, content, actor, submit)
            db.session.flush()
            db.session.add(_revision(note, actor, autosave))
    except (NoteConflict, IntegrityError):
        # Saved by someone else between our read and our write: the savepoint took this save back alone.
        raise NoteConflict(queries.note_for(round_.id, room.id)) from None
    if newly_submitted:
        # Subscribers (webhooks) add their outbox rows to this transaction: both land or neither.
        notes_submitted.send(note, actor=actor)
    if was_public and not note.publishable:
        note_retracted.send(note, actor=actor)  # published reports stop showing and finding it
    db.session.flush()
    log.info("note %s (round %s, room %s) saved as version %s by %s", note.id, round_.id, room.id, note.version, actor)
    if newly_submitted:
        log.info("note %s submitted by %s", note.id, actor)
    return note


def _next_version(round_: CafeRound, room: Room, note: RoundNote | None, current: int) -> RoundNote:
    """The note at version `current` + 1; NoteConflict (or, for a new note, IntegrityError) if it moved on."""
    if note is None:
        note = RoundNote(round_id=round_.id, room_id=room.id, version=current + 1)
        db.session.add(note)
        return note
    # The guard against a concurrent save: only one UPDATE can move the version on from `current`.
    moved = db.session.execute(
        update(RoundNote)
        .where(RoundNote.id == note.id, RoundNote.version == current)
        .values(version=current + 1)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise NoteConflict(note)
    note.version = current + 1
    return note


def restore_revision(round_: CafeRound, room: Room, version: int, base_version: int, actor: Actor) -> RoundNote:
    """Save an old version's content again, as a new version (nothing in between is lost: it stays in the history).

    Raises NoteConflict when the note moved on since the page was shown, LookupError for an unknown version.
    """
    note = queries.note_for(round_.id, room.id)
    revision = queries.revision_at(note, version) if note else None
    if note is None or revision is None:
        raise LookupError(version)
    content = NoteContent.of(revision)
    saved = save_note(round_, room, content, base_version, actor, submit=None)
    assert saved is not None
    if saved.version == base_version:  # the content was already the current one: nothing to add
        return saved
    log.info("note %s: version %s restored as version %s by %s", saved.id, version, saved.version, actor)
    return saved


def _apply(note: RoundNote, content: NoteContent, actor: Actor, submit: bool | None) -> bool:
    """Copy the content onto the note; True if this save turns a draft into a submitted note."""
    for name in TEXT_FIELDS:
        setattr(note, name, getattr(content, name))
    note.publishable = content.publishable
    note.updated_at = utcnow()
    note.updated_by_id = actor.participant_id
    note.updated_by_organizer_id = actor.organizer_id
    newly_submitted = bool(submit) and not note.submitted
    if submit is not None:
        note.submitted = submit
        if newly_submitted:
            note.submitted_at = note.updated_at
        elif not submit:
            note.submitted_at = None
    return newly_submitted


def _revision(note: RoundNote, actor: Actor, autosave: bool) -> NoteRevision:
    return NoteRevision(
        note_id=note.id,
        version=note.version,
        **{name: getattr(note, name) for name in TEXT_FIELDS},
        publishable=note.publishable,
        submitted=note.submitted,
        autosave=autosave,
        saved_at=note.updated_at,
        saved_by_id=actor.participant_id,
        saved_by_organizer_id=actor.organizer_id,
    )


def _note_for_images(round_: CafeRound, room: Room) -> RoundNote:
    """The note to hang an image on; a note created here has version 0 (no text saved yet)."""
    note = queries.note_for(round_.id, room.id)
    if note is None:
        try:
            with savepoint():
                note = RoundNote(round_id=round_.id, room_id=room.id, version=0)
                db.session.add(note)
        except IntegrityError:  # created at the same moment by another request: use that one
            note = queries.note_for(round_.id, room.id)
            assert note is not None
    return note


def add_image(
    round_: CafeRound, room: Room, stream: IO[bytes], original_name: str, caption: str, publishable: bool, actor: Actor
) -> NoteImage:
    """Check and store an uploaded image and attach it to the room's note; raises storage.ImageError."""
    stored = storage.store_image(stream)
    note = _note_for_images(round_, room)
    image = NoteImage(
        note_id=note.id,
        filename=stored.filename,
        original_name=(original_name or "")[:200],
        content_type=stored.content_type,
        size=stored.size,
        width=stored.width,
        height=stored.height,
        caption=caption.strip()[:300],
        publishable=publishable,
        uploaded_by_id=actor.participant_id,
        uploaded_by_organizer_id=actor.organizer_id,
    )
    try:
        with savepoint():
            db.session.add(image)
    except Exception:
        storage.remove_file(stored.filename)  # no row, no file: the two stay consistent
        raise
    after_rollback(lambda: storage.remove_file(stored.filename))  # nor when the caller's commit never comes
    log.info("image %s added to note %s by %s", image.id, note.id, actor)
    return image


def update_image(image: NoteImage, caption: str, publishable: bool, actor: Actor) -> None:
    """Change an image's caption and whether the public report may show it."""
    image.caption = caption.strip()[:300]
    image.publishable = publishable
    db.session.flush()
    log.info("image %s updated by %s", image.id, actor)


def delete_image(image: NoteImage, actor: Actor) -> None:
    """Remove an image and its file."""
    filename, image_id = image.filename, image.id
    db.session.delete(image)
    db.session.flush()
    after_commit(lambda: storage.remove_file(filename))  # a deletion rolled back keeps its file
    log.info("image %s deleted by %s", image_id, actor)
