"""Every response carries the security headers; personal pages send no Referer; the CSP has no inline code."""

from __future__ import annotations

from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.security.headers import CONTENT_SECURITY_POLICY
from tests import factories


def _policy(response: object) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_pages_carry_a_strict_policy_and_cannot_be_framed(client: FlaskClient) -> None:
    for path in ("/", "/login", "/reports", "/no-such-page"):
        response = client.get(path)
        policy = _policy(response)
        assert policy["script-src"] == "script-src 'self'", path
        assert policy["style-src"] == "style-src 'self'", path
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert policy["object-src"] == "object-src 'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_static_files_and_json_carry_them_too(client: FlaskClient) -> None:
    for path in ("/static/css/app.css", "/static/js/day-poll.js", "/api/v1/events"):
        response = client.get(path)
        response.close()
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path


def test_personal_pages_send_no_referrer(client: FlaskClient) -> None:
    event = factories.make_event()
    person = factories.make_participant(event=event)
    for path in (f"/p/{person.token}", f"/p/{person.token}/calendar.ics", "/p/not-a-token"):
        response = client.get(path)
        assert response.headers["Referrer-Policy"] == "no-referrer", path


def test_organiser_pages_have_the_policy(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    response = client.get(f"/manage/events/{event.slug}")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
