"""The demo's notes: every room of every round of the finished summit, idempotent, with a picture."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.auth.models import Organizer
from app.cafe.models import Room
from app.demo import notes as demo_notes
from app.demo import programme
from app.events.models import ItemKind
from app.extensions import db
from app.notes.models import NoteImage, NoteRevision, RoundNote
from app.notes.storage import image_path, public_image_path
from app.participants.models import Participant, Role


def _rooms_for_finished_event(count: int) -> list[Room]:
    finished = db.session.scalar(select(programme.Event).where(programme.Event.slug == programme.FINISHED_SLUG))
    cafe = next(i for i in finished.items if i.kind == ItemKind.CAFE)
    rooms = []
    for n in range(count):
        host = Participant(
            event=finished,
            family_name=f"進行{n}",
            given_name="役",
            email=f"host{n}@example.lg.jp",
            role=Role.FACILITATOR,
        )
        rooms.append(Room(item=cafe, name=f"ルーム{n + 1}", host=host, position=n))
    db.session.add_all(rooms)
    db.session.commit()
    return rooms


def test_demo_notes_cover_every_room_and_round_once(app: Flask, db: object) -> None:
    organizer: Organizer = programme.demo_organizer("pw")
    events = programme.seed_events(organizer, None)
    assert demo_notes.seed_notes(organizer, events) == events  # no rooms yet: nothing to do, no error
    assert db.session.query(RoundNote).count() == 0  # type: ignore[attr-defined]

    rooms = _rooms_for_finished_event(7)
    demo_notes.seed_notes(organizer, programme.seed_events(organizer, None))
    db.session.commit()  # type: ignore[attr-defined]
    demo_notes.seed_notes(organizer, programme.seed_events(organizer, None))  # twice: nothing duplicated
    db.session.commit()  # type: ignore[attr-defined]

    notes = db.session.query(RoundNote).all()  # type: ignore[attr-defined]
    assert len(notes) == 3 * len(rooms)
    assert len({(n.round_id, n.room_id) for n in notes}) == len(notes)
    assert all(n.summary and n.key_points and n.revisions and n.revisions[-1].version == n.version for n in notes)
    assert len({n.summary + n.key_points for n in notes}) == len(notes)  # every table reads differently
    assert sum(not n.publishable for n in notes) == 2
    assert sum(not n.submitted for n in notes) == 1
    assert sum(len(n.revisions) == 2 for n in notes) == 3
    assert db.session.query(NoteRevision).count() == len(notes) + 3  # type: ignore[attr-defined]
    image = db.session.query(NoteImage).one()  # type: ignore[attr-defined]
    assert image_path(image).read_bytes().startswith(b"\x89PNG") and public_image_path(image) is not None
    assert image.note.round.number == 2 and "グラフィックレコーディング" in image.caption
