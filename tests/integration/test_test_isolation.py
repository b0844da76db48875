"""How tests are kept apart (tests/conftest.py): each test's transaction is rolled back, commits inside it are
savepoint releases, and `committed_db` really commits and empties the tables afterwards.

The tests of this module run in order: a test that writes, then one that must not see what it wrote.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Organizer
from app.events.models import Event
from app.extensions import db as _db
from tests import factories

EVENT_FORM = {
    "title": "全国自治体職員ネットワークサミット",
    "description": "組織の壁を越えて。",
    "timezone": "Asia/Tokyo",
    "starts_at": "2026-07-25T13:00",
    "ends_at": "2026-07-25T18:30",
    "meeting_url": "https://zoom.us/j/81234567890",
}
WRITTEN: list[str] = []  # what the writing tests created, for the tests after them


def _events(slug: str) -> int:
    return int(_db.session.scalar(select(func.count()).select_from(Event).where(Event.slug == slug)) or 0)


def _seen_by_another_connection(slug: str) -> int:
    with _db.engine.connect() as other:
        return int(other.scalar(select(func.count()).select_from(Event).where(Event.slug == slug)) or 0)


@pytest.fixture()
def transactions() -> Iterator[dict[str, int]]:
    """How many real commits and savepoint releases reach the database while the test runs."""
    seen = {"commit": 0, "release_savepoint": 0}

    def on(name: str) -> Any:
        def count(*_args: object) -> None:
            seen[name] += 1

        return count

    listeners = [(name, on(name)) for name in seen]
    for name, listener in listeners:
        event.listen(_db.engine, name, listener)
    yield seen
    for name, listener in listeners:
        event.remove(_db.engine, name, listener)


def test_a_view_that_commits_releases_a_savepoint_and_no_other_connection_sees_it(
    client: FlaskClient, logged_in: Organizer, transactions: dict[str, int]
) -> None:
    response = client.post("/manage/events/new", data=EVENT_FORM | {"slug": "isolation-by-view"})
    assert response.status_code == 302, response.data
    assert _events("isolation-by-view") == 1  # the test's own session sees the request's data
    assert transactions["release_savepoint"] >= 1
    assert transactions["commit"] == 0  # nothing reached the database for good
    assert _seen_by_another_connection("isolation-by-view") == 0
    WRITTEN.append("isolation-by-view")


def test_the_next_test_finds_none_of_it(db: object) -> None:
    assert WRITTEN == ["isolation-by-view"], "runs after the test that writes through a view"
    assert _events("isolation-by-view") == 0
    assert _db.session.scalar(select(func.count()).select_from(Organizer)) == 0


def test_a_rollback_inside_the_test_undoes_only_what_came_after_the_last_commit(db: object) -> None:
    kept = factories.make_organizer(email="kept@city.kobe.lg.jp")
    _db.session.add(Organizer(email=kept.email, display_name="二人目", password_hash="x"))
    with pytest.raises(IntegrityError):
        _db.session.flush()
    _db.session.rollback()
    assert _db.session.scalars(select(Organizer.email)).all() == ["kept@city.kobe.lg.jp"]


def test_a_session_in_another_thread_is_refused_with_a_pointer_to_committed_db(app: Flask, db: object) -> None:
    errors: list[BaseException] = []

    def read() -> None:
        with app.app_context():
            try:
                _db.session.scalar(select(func.count()).select_from(Event))
            except RuntimeError as error:
                errors.append(error)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert len(errors) == 1
    assert "committed_db" in str(errors[0])


@pytest.mark.committed_db
def test_committed_db_commits_for_real(client: FlaskClient, logged_in: Organizer, transactions: dict[str, int]) -> None:
    response = client.post("/manage/events/new", data=EVENT_FORM | {"slug": "isolation-committed"})
    assert response.status_code == 302, response.data
    assert transactions["commit"] >= 1
    assert _seen_by_another_connection("isolation-committed") == 1
    WRITTEN.append("isolation-committed")


def test_after_a_committed_test_the_tables_are_empty(db: object) -> None:
    assert WRITTEN[-1] == "isolation-committed", "runs after the test that commits for real"
    assert _events("isolation-committed") == 0
    assert _seen_by_another_connection("isolation-committed") == 0
    assert _db.session.scalar(select(func.count()).select_from(Organizer)) == 0
