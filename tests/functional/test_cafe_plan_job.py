"""A large café's plan is made by a background job: the button returns at once, a double click makes one
plan, the plan page shows the job and then its outcome; refusals come back in the reader's language; the plan
is committed with the job's outcome (one transaction)."""

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
from app.cafe import planner
from app.cafe.models import Seat
from app.extensions import db
from app.jobs.models import Job, JobState
from app.participants.models import Rsvp
from tests.factories_cafe import Cafe, make_cafe_event
from tests.jobs_helpers import work_off


@pytest.fixture()
def large(app: Flask) -> Iterator[None]:
    """Treat cafés of more than 10 people as large (2,000 in real life; tests stay small)."""
    old = app.config.get("CAFE_BACKGROUND_PEOPLE")
    app.config["CAFE_BACKGROUND_PEOPLE"] = 10
    yield
    app.config["CAFE_BACKGROUND_PEOPLE"] = old


@pytest.fixture()
def cafe(logged_in: Organizer, large: None) -> Cafe:
    return make_cafe_event(organizer=logged_in, people=20, facilitators=5, rounds=3)


def _url(cafe: Cafe, tail: str = "") -> str:
    return f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}{tail}"


def _jobs() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Job)) or 0)


def test_generate_queues_one_job_and_the_plan_page_follows_it(client: FlaskClient, cafe: Cafe) -> None:
    data = {"seed": "7", "request_key": "render-1234"}
    first = client.post(_url(cafe, "/generate"), data=data)
    assert first.status_code == 302 and first.headers["Location"].endswith("/plan#plan-job")
    second = client.post(_url(cafe, "/generate"), data=data)  # a double click
    assert second.status_code == 302 and _jobs() == 1
    assert not planner.load(cafe.item).has_draft()
    page = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert "Waiting for the worker" in page and "data-job-poll" in page and "There is no plan yet." in page
    assert client.get(_url(cafe, "/plan-job.json")).get_json()["job"]["state"] == "queued"
    assert work_off() == 1
    assert planner.load(cafe.item).has_draft() and cafe.item.rotation_seed == 7
    page = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert "A new draft plan was made in" in page and "data-job-poll" not in page
    assert "No one meets anyone twice." in page
    # Another rendering of the button is another plan.
    client.post(_url(cafe, "/generate"), data={"seed": "8", "request_key": "render-5678"})
    assert _jobs() == 2 and work_off() == 1 and cafe.item.rotation_seed == 8


def test_replan_queues_a_job_with_the_round(client: FlaskClient, cafe: Cafe) -> None:
    client.post(_url(cafe, "/generate"), data={"seed": "3", "request_key": "render-aaaa"})
    work_off()
    response = client.post(_url(cafe, "/replan"), data={"from_round": "2", "request_key": "render-bbbb"})
    assert response.status_code == 302
    page = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert "Re-plan from round 2" in page
    assert work_off() == 1
    page = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert "Rounds 2 onwards were re-planned" in page


def test_a_refused_plan_fails_with_the_reason_in_the_readers_language(
    client: FlaskClient, logged_in: Organizer, large: None
) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=20, facilitators=0, rooms=0)
    client.post(_url(cafe, "/generate"), data={"request_key": "render-cccc"})
    assert work_off() == 1
    assert db.session.scalar(select(Job.state)) == JobState.FAILED
    english = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert "Create the rooms first." in english
    japanese = client.get(_url(cafe, "/plan"), headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "Create the rooms first." not in japanese and "失敗" in japanese


def test_small_cafes_are_planned_at_once(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=20, facilitators=5, rounds=3)
    client.post(_url(cafe, "/generate"), data={"seed": "7"})
    assert _jobs() == 0 and planner.load(cafe.item).has_draft()


def test_taking_out_who_cant_attend_replans_in_the_background(client: FlaskClient, cafe: Cafe) -> None:
    client.post(_url(cafe, "/generate"), data={"seed": "5", "request_key": "render-dddd"})
    work_off()
    said_no = cafe.people[:2]
    for person in said_no:
        person.rsvp = Rsvp.NO
    db.session.commit()
    response = client.post(_url(cafe, "/rsvp-absent"), follow_redirects=True)
    assert "2 people who can&#39;t attend were marked absent." in response.get_data(as_text=True)
    assert "Re-plan from round 1" in response.get_data(as_text=True)
    again = client.post(_url(cafe, "/rsvp-absent"), follow_redirects=True)  # a second click: nobody left
    assert "Nobody to take out" in again.get_data(as_text=True) and _jobs() == 2
    assert work_off() == 1
    seated = {m for plan in planner.load(cafe.item).draft for members in plan.values() for m in members}
    assert not {str(p.id) for p in said_no} & seated


class WriteRefused(Exception):
    """What the database would raise if it refused a write (a full disk, a lost connection)."""


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


def test_a_plan_job_commits_the_plan_with_its_outcome(client: FlaskClient, cafe: Cafe) -> None:
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
