"""Sessions end at logout everywhere (a copied cookie too), at a password change, and after a maximum age."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth import services
from app.auth.models import Organizer
from app.db import utcnow
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


def test_the_password_page_changes_it_keeps_this_session_and_ends_the_others(
    app: Flask, client: FlaskClient, logged_in: Organizer
) -> None:
    laptop = copy_of(app, client)
    assert "Change password" in client.get("/account/password").get_data(as_text=True)
    new = "kobe-summit-2027"
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 200, "the browser that changed it stays signed in"
    assert laptop.get("/manage/").status_code == 302, "a session from before the change has ended"
    other = app.test_client()
    assert other.post("/login", data={"email": logged_in.email, "password": PASSWORD}).status_code == 401
    assert other.post("/login", data={"email": logged_in.email, "password": new}).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", "kobe-summit-2027", "kobe-summit-2027", "The current password is not right."),
        (PASSWORD, "short", "short", "The new password must have at least 10 characters."),
        (PASSWORD, "kobe-summit-2027", "kobe-summit-2028", "The two new passwords are not the same."),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    client: FlaskClient, logged_in: Organizer, current: str, new: str, confirm: str, message: str
) -> None:
    response = client.post(
        "/account/password", data={"current_password": current, "new_password": new, "confirm": confirm}
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert client.get("/manage/").status_code == 200
    db.session.expire_all()
    assert services.authenticate(logged_in.email, PASSWORD, "127.0.0.1", now=utcnow()).organizer.id == logged_in.id


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
