"""save_note against the real database: the version guard holds even when the row changed under us."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.domain.notes import NoteContent
from app.notes import queries, services
from app.notes.models import NoteRevision, RoundNote
from tests.factories_notes import make_notes_cafe


@pytest.mark.committed_db  # another connection commits under the service
def test_a_save_racing_a_concurrent_commit_is_refused(db: object) -> None:
    cafe = make_notes_cafe()
    rnd, room = cafe.rounds[0], cafe.rooms[0]
    actor = services.Actor(participant_id=cafe.hosts[0].id)
    services.save_note(rnd, room, NoteContent(summary="v1"), 0, actor)
    db.session.commit()  # type: ignore[attr-defined]  (the service writes; its caller commits)
    note = queries.note_for(rnd.id, room.id)
    assert note is not None and note.version == 1
    # Another request commits version 2 on its own connection while this session still holds version 1.
    with db.engine.begin() as other:  # type: ignore[attr-defined]
        other.execute(text("UPDATE round_note SET version = 2, summary = 'other' WHERE id = :id"), {"id": note.id})
    with pytest.raises(services.NoteConflict):
        services.save_note(rnd, room, NoteContent(summary="mine"), 1, actor)
    db.session.expire_all()  # type: ignore[attr-defined]
    stored = db.session.get(RoundNote, note.id)  # type: ignore[attr-defined]
    assert (stored.summary, stored.version) == ("other", 2)
    assert db.session.query(NoteRevision).count() == 1  # type: ignore[attr-defined]


def test_saving_nothing_creates_no_note(db: object) -> None:
    cafe = make_notes_cafe()
    assert (
        services.save_note(
            cafe.rounds[0], cafe.rooms[0], NoteContent(summary="  "), 0, services.Actor(organizer_id=None)
        )
        is None
    )
    assert db.session.query(RoundNote).count() == 0  # type: ignore[attr-defined]
