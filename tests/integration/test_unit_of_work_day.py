"""The day's and the notes' services write (flush) and leave the commit to their caller; what this process
keeps of the day is dropped only once that commit is made (docs/day-caching.md)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import text

from app.auth.models import Organizer
from app.day import holders
from app.day import services as day_services
from app.day.models import Broadcast
from app.domain.notes import NoteContent
from app.extensions import db
from app.notes import queries as note_queries
from app.notes import services as note_services
from app.notes import storage
from app.notes.models import NoteImage
from app.participants.models import Status
from tests.factories_day import Day, make_day
from tests.factories_notes import NotesCafe, make_notes_cafe, png_bytes
from tests.instants import BETWEEN_ROUNDS, ROUND_1
from tests.unit_of_work import check_left_to_the_caller

LATE = day_services.LateArrival(family_name="森田", given_name="健", email="k.morita@city.kobe.lg.jp", organization="")


@pytest.fixture()
def day(organizer: Organizer) -> Day:
    return make_day(organizer=organizer)


def posted(day: Day, organizer: Organizer) -> None:
    day_services.post_broadcast(day.event, "ブレイクアウトへ", organizer)


DAY_ACTIONS: dict[str, tuple[Callable[[Day, Organizer], object], Callable[[Day, Organizer], object]]] = {
    "start the next round": (
        lambda d, o: None,
        lambda d, o: day_services.start_next_round(d.event, o, BETWEEN_ROUNDS),
    ),
    "extend the round": (lambda d, o: None, lambda d, o: day_services.extend_round(d.event, 5, o, ROUND_1)),
    "end the round": (lambda d, o: None, lambda d, o: day_services.end_round(d.event, o, ROUND_1)),
    "post a broadcast": (lambda d, o: None, posted),
    "delete a broadcast": (
        posted,
        lambda d, o: day_services.delete_broadcast(d.event, db.session.query(Broadcast).one().id, o),
    ),
    "re-issue a link": (
        lambda d, o: None,
        lambda d, o: day_services.reissue_token(d.event, d.people[0].id, o, ROUND_1),
    ),
    "check in": (
        lambda d, o: None,
        lambda d, o: day_services.set_attendance(d.event, [d.people[0].id], Status.PRESENT, o),
    ),
    "a late arrival": (lambda d, o: None, lambda d, o: day_services.add_late_arrival(d.event, LATE, 2, o, ROUND_1)),
    "late arrivals": (lambda d, o: None, lambda d, o: day_services.add_late_arrivals(d.event, [LATE], 2, o, ROUND_1)),
    "apply a Zoom report": (
        lambda d, o: None,
        lambda d, o: day_services.apply_attendance(d.event, [d.people[0].id], [d.people[1].id], o),
    ),
}


@pytest.mark.parametrize("name", DAY_ACTIONS)
def test_a_day_service_leaves_the_commit_to_its_caller(day: Day, organizer: Organizer, name: str) -> None:
    prepare, act = DAY_ACTIONS[name]
    with freeze_time(ROUND_1):
        check_left_to_the_caller(lambda: prepare(day, organizer), lambda: act(day, organizer), name)


@pytest.fixture()
def kept_checks(app: Flask) -> Iterator[None]:
    """Each process keeps the live check for a while, as the running site does (tests read it every time)."""
    old = app.config["DAY_LIVE_CHECK_SECONDS"]
    app.config["DAY_LIVE_CHECK_SECONDS"] = 3600
    yield
    app.config["DAY_LIVE_CHECK_SECONDS"] = old
    holders.forget_all()


def read_by_another_request(app: Flask, event_id: int) -> int:
    """The live revision another request of this process reads (its own session), and keeps."""
    with app.app_context():
        check = holders.live_check(event_id)
        assert check is not None
        return check.revision


@pytest.mark.committed_db  # another request reads on its own connection
def test_the_days_caches_are_dropped_after_the_commit_not_before(
    app: Flask, day: Day, organizer: Organizer, kept_checks: None
) -> None:
    """A request that reads between the service's write and its commit keeps the old state; the commit must
    drop it again, or this process shows the old state until its live check expires."""
    before = read_by_another_request(app, day.event.id)
    day_services.post_broadcast(day.event, "ブレイクアウトへ", organizer)
    assert read_by_another_request(app, day.event.id) == before  # not committed: the old state, kept again
    db.session.commit()
    assert read_by_another_request(app, day.event.id) == before + 1


@pytest.mark.committed_db  # another request reads on its own connection
def test_a_rolled_back_change_leaves_the_days_caches_alone(
    app: Flask, day: Day, organizer: Organizer, kept_checks: None
) -> None:
    before = read_by_another_request(app, day.event.id)
    day_services.post_broadcast(day.event, "取り消し", organizer)
    db.session.rollback()
    db.session.commit()  # a later commit of something else does not run the forgotten change's hook
    assert holders.live_check(day.event.id) is not None
    assert read_by_another_request(app, day.event.id) == before


# ---- notes --------------------------------------------------------------------------------------


@pytest.fixture()
def notes(db: object) -> NotesCafe:
    return make_notes_cafe()


def saved(cafe: NotesCafe) -> None:
    note_services.save_note(cafe.rounds[0], cafe.rooms[0], NoteContent(summary="v1"), 0, actor(cafe))


def actor(cafe: NotesCafe) -> note_services.Actor:
    return note_services.Actor(participant_id=cafe.hosts[0].id)


def with_image(cafe: NotesCafe) -> None:
    note_services.add_image(cafe.rounds[0], cafe.rooms[0], io.BytesIO(png_bytes()), "board.png", "", True, actor(cafe))


def image() -> NoteImage:
    return db.session.query(NoteImage).one()


NOTE_ACTIONS: dict[str, tuple[Callable[[NotesCafe], object], Callable[[NotesCafe], object]]] = {
    "save a note": (lambda c: None, saved),
    "save a new version": (
        saved,
        lambda c: note_services.save_note(c.rounds[0], c.rooms[0], NoteContent(summary="v2"), 1, actor(c), submit=True),
    ),
    "restore a version": (
        lambda c: (saved(c), note_services.save_note(c.rounds[0], c.rooms[0], NoteContent(summary="v2"), 1, actor(c))),
        lambda c: note_services.restore_revision(c.rounds[0], c.rooms[0], 1, 2, actor(c)),
    ),
    "add an image": (lambda c: None, with_image),
    "update an image": (with_image, lambda c: note_services.update_image(image(), "板書", False, actor(c))),
    "delete an image": (with_image, lambda c: note_services.delete_image(image(), actor(c))),
}


@pytest.mark.parametrize("name", NOTE_ACTIONS)
def test_a_notes_service_leaves_the_commit_to_its_caller(notes: NotesCafe, name: str) -> None:
    prepare, act = NOTE_ACTIONS[name]
    check_left_to_the_caller(lambda: prepare(notes), lambda: act(notes), name)


def test_a_deleted_images_file_goes_only_with_the_commit(notes: NotesCafe) -> None:
    with_image(notes)
    db.session.commit()
    path = Path(storage.image_path(image()))
    note_services.delete_image(image(), actor(notes))
    db.session.rollback()
    assert path.exists() and image() is not None  # the deletion was rolled back: the row keeps its file
    note_services.delete_image(image(), actor(notes))
    assert path.exists()
    db.session.commit()
    assert not path.exists()


def test_an_added_images_file_goes_when_its_row_is_rolled_back(notes: NotesCafe) -> None:
    with_image(notes)
    path = Path(storage.image_path(image()))
    assert path.exists()
    db.session.rollback()  # the request's commit never came (a later step failed)
    assert not path.exists()
    with_image(notes)
    path = Path(storage.image_path(image()))
    db.session.commit()
    db.session.rollback()
    assert path.exists()  # committed: the file stays with its row


@pytest.mark.committed_db  # another connection commits under the service
def test_a_note_conflict_leaves_the_callers_transaction_usable(notes: NotesCafe) -> None:
    """The version check is made in a savepoint: a save refused by it is undone alone."""
    saved(notes)
    db.session.commit()
    note = note_queries.note_for(notes.rounds[0].id, notes.rooms[0].id)
    assert note is not None and note.version == 1
    # Another request commits version 2 on its own connection while this session still holds version 1.
    with db.engine.begin() as other:
        other.execute(text("UPDATE round_note SET version = 2, summary = 'other' WHERE id = :id"), {"id": note.id})
    notes.event.description = "残る変更"
    with pytest.raises(note_services.NoteConflict):
        note_services.save_note(notes.rounds[0], notes.rooms[0], NoteContent(summary="stale"), 1, actor(notes))
    db.session.commit()
    db.session.expire_all()
    assert notes.event.description == "残る変更" and (note.summary, note.version) == ("other", 2)
