"""Demo round notes: every room of every round of the finished summit, modelled on the seed report.

Each room writes its own sentences (app/demo/notes_text.py): several rooms of a round reach the same
thought in different words, which the report groups into themes, and no sentence appears twice. Most notes are submitted and publishable; two are internal, one is still a
draft, a few have two revisions, and one carries a graphic recording (app/demo/notes_picture.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Organizer
from app.cafe.models import Room
from app.demo import notes_text as text
from app.demo.notes_picture import graphic_recording
from app.demo.programme import Events
from app.domain.report_digest import quoted
from app.events.models import CafeRound, ItemKind
from app.extensions import db
from app.notes import storage
from app.notes.models import NoteImage, NoteRevision, RoundNote

log = logging.getLogger(__name__)

INTERNAL = {(1, 3), (3, 5)}  # (round, room index): a personal story, not for the public report
DRAFT = {(3, 2)}  # still a draft: the host meant to tidy it up
TWO_REVISIONS = {(1, 0), (2, 1), (3, 0)}
PICTURE = (2, 0)
PICTURE_CAPTION = "グラフィックレコーディング：リアルとオンラインの価値（第2ラウンド・ホワイトボード）"


def _content(number: int, index: int, rooms: int) -> dict[str, str]:
    """The note of room `index` (of `rooms`) in round `number`: its own points, never another room's sentences."""
    key_points = text.deal(text.KEY_POINTS[number], rooms)[index]
    ideas = text.deal(text.IDEAS[number], rooms, start=rooms // 2)[index]
    quotes = text.QUOTES[number]
    quote = quotes[index // 3] if index % 3 == 0 and index // 3 < len(quotes) else ""
    said = key_points + ideas
    summary = ""
    if len(said) > 1 or (said and quote):
        first, second = said[0], said[1] if len(said) > 1 else quote
        summary = text.OPENERS[index % len(text.OPENERS)].format(a=first, qa=quoted(first), b=second)
    elif said:
        summary = text.SINGLE.format(qa=quoted(said[0]))
    content = {
        "summary": summary,
        "key_points": "\n".join(f"・{p}" for p in key_points),
        "ideas": "\n".join(ideas),
        "quotes": quote,
        "body_md": text.BODY[number] if index == 0 else "",
    }
    if (number, index) in INTERNAL:
        content["summary"] += "（職場の人間関係に触れた発言があったため、内部メモとする）"
    return content


def _add_note(round_: CafeRound, room: Room, index: int, rooms: int) -> RoundNote | None:
    number = (round_.number - 1) % len(text.KEY_POINTS) + 1  # a fourth round reuses the first round's material
    content = _content(number, index, rooms)
    if not any(content.values()):
        return None  # more rooms than the material: this host wrote nothing
    saved_at = round_.ends_at + timedelta(minutes=2 + index % 5)
    note = RoundNote(
        round_id=round_.id,
        room_id=room.id,
        publishable=(number, index) not in INTERNAL,
        updated_by_id=room.host_id,
        created_at=round_.ends_at - timedelta(minutes=5),
    )
    versions = []
    if (number, index) in TWO_REVISIONS:  # a short draft typed during the round, completed afterwards
        versions.append(
            {**content, "ideas": "", "quotes": "", "body_md": "", "key_points": content["key_points"].split("\n")[0]}
        )
    versions.append(content)
    db.session.add(note)
    for version, values in enumerate(versions, start=1):
        last = version == len(versions)
        for name, value in values.items():
            setattr(note, name, value)
        note.version = version
        note.submitted = last and (number, index) not in DRAFT
        note.submitted_at = saved_at if note.submitted else None
        note.updated_at = saved_at if last else round_.ends_at - timedelta(minutes=1)
        db.session.flush()
        db.session.add(
            NoteRevision(
                note_id=note.id,
                version=version,
                **values,
                publishable=note.publishable,
                submitted=note.submitted,
                autosave=not last,
                saved_at=note.updated_at,
                saved_by_id=room.host_id,
            )
        )
    return note


def _add_picture(note: RoundNote) -> None:
    data = graphic_recording()
    filename = "demo-graphic-recording-round2.png"
    path = storage.folder() / filename
    if not path.exists():
        path.write_bytes(data)
    db.session.add(
        NoteImage(
            note_id=note.id,
            filename=filename,
            original_name="ホワイトボード_第2ラウンド.png",
            content_type="image/png",
            size=len(data),
            width=800,
            height=500,
            caption=PICTURE_CAPTION,
            publishable=True,
            uploaded_at=note.updated_at,
            uploaded_by_id=note.updated_by_id,
        )
    )


def seed_notes(organizer: Organizer, events: Events | None) -> Events | None:
    """Notes for every room of every round of the finished demo event; skipped while it has no rooms."""
    if events is None:
        return events
    _upcoming, finished = events
    for item in finished.items:
        if item.kind != ItemKind.CAFE:
            continue
        rooms = list(db.session.scalars(select(Room).where(Room.item_id == item.id).order_by(Room.position, Room.id)))
        if not rooms:
            log.info("demo notes skipped: the café %s has no rooms yet", item.id)
            continue
        added = 0
        for round_ in item.rounds:
            existing = {n.room_id for n in db.session.scalars(select(RoundNote).where(RoundNote.round_id == round_.id))}
            for index, room in enumerate(rooms):
                if room.id in existing:
                    continue
                note = _add_note(round_, room, index, len(rooms))
                if note is None:
                    continue
                if (round_.number, index) == PICTURE:
                    _add_picture(note)
                added += 1
        db.session.flush()
        log.info("demo notes: %d added for café %s", added, item.id)
    return events
