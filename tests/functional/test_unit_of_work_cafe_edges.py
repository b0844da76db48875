"""The edge commits once: each café action of the organiser's pages (and a large café's plan job) is one
transaction, committed by the view (or the job) after the services have written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.cafe import planner, publishing, services
from app.cafe.models import Seat
from app.extensions import db
from app.jobs.models import Job, JobState
from app.participants import picker
from app.participants.models import Participant, Rsvp, Status
from tests.factories_cafe import Cafe, make_cafe_event
from tests.jobs_helpers import work_off
from tests.unit_of_work import commits


class WriteRefused(Exception):
    """What the database would raise if it refused a write (a full disk, a lost connection)."""


@pytest.fixture()
def cafe(logged_in: Organizer) -> Cafe:
    return make_cafe_event(organizer=logged_in, people=20, facilitators=5, rounds=3)


@pytest.fixture()
def planned(cafe: Cafe) -> Cafe:
    services.generate(cafe.item, seed=5)
    db.session.commit()
    return cafe


@pytest.fixture()
def published(planned: Cafe) -> Cafe:
    publishing.publish(planned.item, 3, confirm=False)
    db.session.commit()
    return planned


def _url(cafe: Cafe, tail: str = "") -> str:
    return f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}{tail}"


def _post_once(client: FlaskClient, url: str, data: dict[str, Any] | None = None) -> str:
    """POST and check that the request committed exactly once; returns the page it leads to."""
    with commits() as count:
        response = client.post(url, data=data or {})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(count) == 1, f"{url}: {len(count)} commits"
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _two_in_different_rooms(cafe: Cafe) -> tuple[int, int]:
    hosts = {r.host_id for r in cafe.rooms}
    rooms = [members for members in planner.load(cafe.item).draft[1].values() if members]
    return (
        next(int(p) for p in rooms[0] if int(p) not in hosts),
        next(int(p) for p in rooms[1] if int(p) not in hosts),
    )


def _label(person_id: int) -> str:
    return picker.label(db.session.get(Participant, person_id))


def test_generate_and_publish_commit_once(client: FlaskClient, cafe: Cafe) -> None:
    assert "A new draft plan was made" in _post_once(client, _url(cafe, "/generate"), {"seed": "5"})
    assert "Published: rounds 1, 2, 3" in _post_once(client, _url(cafe, "/publish"), {"upto": "3"})


def test_move_swap_and_discard_commit_once(client: FlaskClient, published: Cafe) -> None:
    first, second = _two_in_different_rooms(published)
    page = _post_once(
        client,
        _url(published, "/swap"),
        {"swap-round": "2", "swap-first": _label(first), "swap-second": _label(second)},
    )
    assert "Swapped." in page
    page = _post_once(
        client,
        _url(published, "/move"),
        {"move-round": "3", "move-person": _label(first), "move-room": str(published.rooms[-1].id)},
    )
    assert "Moved." in page
    assert "The draft was discarded" in _post_once(client, _url(published, "/discard"))


def test_undo_commits_once(client: FlaskClient, published: Cafe) -> None:
    assert "Publish 1 was undone" in _post_once(client, _url(published, "/undo"))


def test_mark_absent_and_replan_commit_once(client: FlaskClient, published: Cafe) -> None:
    gone = published.people[:2]
    assert "2 people were marked absent" in _post_once(
        client, _url(published, "/absent"), {"people": [p.id for p in gone]}
    )
    assert "Rounds 2 onwards were re-planned" in _post_once(client, _url(published, "/replan"), {"from_round": "2"})


def test_taking_out_who_cant_attend_is_one_transaction(client: FlaskClient, published: Cafe) -> None:
    """Marking them absent and re-planning around them: one commit."""
    for person in published.people[:3]:
        person.rsvp = Rsvp.NO
    db.session.commit()
    assert "3 people who can&#39;t attend were taken out" in _post_once(client, _url(published, "/rsvp-absent"))


def test_a_failed_replan_marks_nobody_absent(client: FlaskClient, published: Cafe) -> None:
    """The re-plan is the second part of the action: when it is refused, the first (absent) is undone too."""
    said_no = published.people[:3]
    for person in said_no:
        person.rsvp = Rsvp.NO
    published.item.room_size_min = published.item.room_size_max = 40  # no room can be filled: the plan fails
    db.session.commit()
    with commits() as count:
        response = client.post(_url(published, "/rsvp-absent"), follow_redirects=True)
    assert "The rooms cannot hold this attendance" in response.get_data(as_text=True)
    assert count == []
    db.session.expire_all()
    assert all(p.status != Status.ABSENT for p in said_no)


@pytest.fixture()
def large(app: Flask) -> Iterator[None]:
    old = app.config.get("CAFE_BACKGROUND_PEOPLE")
    app.config["CAFE_BACKGROUND_PEOPLE"] = 10
    yield
    app.config["CAFE_BACKGROUND_PEOPLE"] = old


@contextmanager
def progress_refused() -> Iterator[None]:
    """The job's progress report (the UPDATE of its `done`) fails, as a write the database refuses would."""

    def refuse(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("UPDATE job SET done="):
            raise WriteRefused()

    sa_event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", refuse)


def _seats() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Seat)) or 0)


def test_a_plan_job_commits_the_plan_with_its_outcome(client: FlaskClient, cafe: Cafe, large: None) -> None:
    """The plan and the job's report of it are one transaction: a report that fails leaves no plan behind."""
    client.post(_url(cafe, "/generate"), data={"seed": "7", "request_key": "render-1"})
    with progress_refused():
        work_off()
    db.session.rollback()
    job = db.session.scalars(select(Job)).one()
    assert job.state == JobState.QUEUED and job.attempts == 1 and _seats() == 0  # to be tried again
    with freeze_time(job.run_after):
        assert work_off() == 1
    assert job.state == JobState.DONE and _seats() > 0
