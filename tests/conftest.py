"""Fixtures: app, db, client, runner and a logged-in organiser, on SQLite or TEST_DATABASE_URL."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Connection, MetaData

from app import create_app
from app.auth.models import Organizer
from app.day.timetable import forget_everything
from app.extensions import db as _db
from tests import factories


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "WTF_CSRF_ENABLED": False,
            # Tests read English pages by default; test_i18n checks that Japanese is the real default.
            "BABEL_DEFAULT_LOCALE": "en",
            "SERVER_NAME": "tsunagu.test",
            "MAIL_FROM": "summit@city.kobe.lg.jp",  # a real-looking sender: placeholders are refused
            "UPLOAD_FOLDER": str(instance / "uploads"),
            # Tests move the clock by years (freezegun) within one login; test_sessions_end.py sets a real bound.
            "SESSION_MAX_AGE_SECONDS": 200 * 365 * 24 * 3600,
            "DEMO_PASSWORD_FILE": str(instance / "demo_password"),
        }
    )
    with application.app_context():
        existing = MetaData()
        existing.reflect(bind=_db.engine)
        existing.drop_all(bind=_db.engine)  # PostgreSQL keeps tables between runs
        _db.create_all()  # the migrations are checked against the models in test_migrations.py
    # Sessions may join a test's transaction (the db fixture): Flask-SQLAlchemy's session learns to honour that.
    factory = _db.session.session_factory
    factory.class_ = type(factory.class_.__name__, (factory.class_,), {"get_bind": _get_bind_of_a_joined_session})
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _get_bind_of_a_joined_session(
    self: FlaskSession, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any
) -> Any:
    """The test's connection when the session is joined to it, otherwise the engine of the bind key.

    Flask-SQLAlchemy 3 picks the engine of the model's bind key and ignores a session-level bind
    (pallets-eco/flask-sqlalchemy#1167), so a session joined to the test's transaction has to say so here.
    The connection is the test thread's: a session opened in another thread would share it mid-statement, so
    it fails at once and names what such a test needs.
    """
    if bind is None and isinstance(self.bind, Connection):
        if threading.get_ident() != _JOINED_THREAD[0]:
            raise RuntimeError(
                "a database session in another thread cannot join the test's rolled-back transaction: "
                "mark the test @pytest.mark.committed_db (docs/architecture.md, 'How tests are kept apart')"
            )
        return self.bind
    return FlaskSession.get_bind(self, mapper=mapper, clause=clause, bind=bind, **kwargs)


_JOINED_THREAD: list[int] = [0]


def _commits_for_real(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("committed_db") is not None or "committed_db" in request.fixturenames


@pytest.fixture()
def db(app: Flask, request: pytest.FixtureRequest) -> Iterator[object]:
    """The database, left as it was after each test.

    Each test runs in one transaction on one connection that is rolled back at the end; every session of the
    test (its own, each request's, each CLI command's) joins it with a savepoint, so a service's or a view's
    commit releases a savepoint and the next statement sees the data. Tests whose data must be seen by other
    connections, threads or processes ask for `committed_db` (or carry the marker): they commit for real and
    the tables are emptied afterwards.
    """
    with app.app_context():
        if _commits_for_real(request):
            yield from _committed()
        else:
            yield from _rolled_back()
        # Rolled-back or deleted ids come again: no per-process snapshot of the day may outlive the test.
        forget_everything()


def _rolled_back() -> Iterator[object]:
    factory = _db.session.session_factory
    before = dict(factory.kw)
    _db.session.remove()
    connection = _db.engine.connect()
    outer = connection.begin()
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    _JOINED_THREAD[0] = threading.get_ident()
    try:
        yield _db
    finally:
        _db.session.remove()
        factory.kw = before
        if outer.is_active:
            outer.rollback()
        connection.close()


def _committed() -> Iterator[object]:
    try:
        yield _db
    finally:
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture()
def committed_db(db: object) -> object:
    """The database with real commits, seen by other connections, threads and processes; emptied after the test.

    For browser tests against a live server, worker subprocesses, several servers, threads that race each
    other and anything else that opens its own connection. Same as marking the test @pytest.mark.committed_db.
    """
    return db


@pytest.fixture()
def client(app: Flask, db: object) -> FlaskClient:
    """A test client; pages come in English unless a test sends Accept-Language (see BABEL_DEFAULT_LOCALE)."""
    return app.test_client()


@pytest.fixture()
def runner(app: Flask, db: object) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture()
def organizer(db: object) -> Organizer:
    return factories.make_organizer(email="organiser@city.kobe.lg.jp")


@pytest.fixture()
def logged_in(client: FlaskClient, organizer: Organizer) -> Organizer:
    """Log the organiser in through the real login form."""
    response = client.post("/login", data={"email": organizer.email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.data
    return organizer


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page (for tests that keep CSRF on)."""
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no csrf token on the page"
    return match.group(1)
