"""Fixtures: app, db, client, runner and a logged-in organiser, on SQLite or TEST_DATABASE_URL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import MetaData

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
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture()
def db(app: Flask) -> Iterator[object]:
    """The database, emptied after each test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        # Ids start again on an emptied SQLite database: no per-process snapshot of the day may outlive it.
        forget_everything()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture()
def committed_db(db: object) -> object:
    """The database with real commits, seen by other connections, threads and processes; emptied after the test.

    For browser tests against a live server, worker subprocesses, several servers, threads that race each
    other and anything else that opens its own connection. Same as marking the test @pytest.mark.committed_db.
    (Today every test commits for real; tests that need it say so before `db` rolls back instead.)
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
