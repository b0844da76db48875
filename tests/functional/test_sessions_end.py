"""Sessions end at logout everywhere (a copied cookie too), at a password change, and after a maximum age."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth import services
from app.auth.models import Organizer
from app.extensions import db
from tests.factories import PASSWORD
from tests.instants import BEFORE_SUMMIT

SESSION_COOKIE = "session"


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of this browser's session cookie."""
    other = app.test_client()
    cookie = client.get_cookie(SESSION_COOKIE, domain=app.config["SERVER_NAME"])
    assert cookie is not None
    other.set_cookie(SESSION_COOKIE, cookie.value, domain=cookie.domain)
    return other


def test_a_cookie_copied_before_logout_no_longer_opens_the_manage_pages(
    app: Flask, client: FlaskClient, logged_in: Organizer
) -> None:
    stolen = copy_of(app, client)
    assert stolen.get("/manage/").status_code == 200
    client.post("/logout")
    response = stolen.get("/manage/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/manage/").status_code == 302


def test_logout_ends_the_sessions_of_other_browsers_and_a_new_login_works(
    app: Flask, client: FlaskClient, logged_in: Organizer
) -> None:
    laptop = app.test_client()
    assert laptop.post("/login", data={"email": logged_in.email, "password": PASSWORD}).status_code == 302
    client.post("/logout")
    assert laptop.get("/manage/").status_code == 302
    assert laptop.post("/login", data={"email": logged_in.email, "password": PASSWORD}).status_code == 302
    assert laptop.get("/manage/").status_code == 200


def test_a_password_change_ends_every_session(client: FlaskClient, logged_in: Organizer) -> None:
    assert client.get("/manage/").status_code == 200
    services.set_password(db.session.get(Organizer, logged_in.id), "a brand new password")
    assert client.get("/manage/").status_code == 302


def test_a_session_has_a_maximum_age(
    app: Flask, client: FlaskClient, organizer: Organizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SESSION_MAX_AGE_SECONDS", 12 * 3600)
    with freeze_time(BEFORE_SUMMIT) as frozen:
        assert client.post("/login", data={"email": organizer.email, "password": PASSWORD}).status_code == 302
        frozen.tick(timedelta(seconds=app.config["SESSION_MAX_AGE_SECONDS"] - 60))
        assert client.get("/manage/").status_code == 200
        frozen.tick(timedelta(seconds=120))
        assert client.get("/manage/").status_code == 302


def test_logout_needs_no_session(client: FlaskClient, db: object) -> None:
    assert client.post("/logout").status_code == 302
