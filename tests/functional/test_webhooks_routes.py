"""Routes of the webhooks page: register (secret shown once), bad input, test call, retry, delete, authorisation."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import Organizer
from app.extensions import db
from app.outbox.models import MessageStatus, OutboxMessage
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.factories_invites import make_endpoint


def test_register_an_endpoint_and_see_the_secret_once(app: Flask, client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    try:
        response = client.post(
            f"/manage/events/{event.slug}/webhooks",
            data={"url": "http://127.0.0.1:9999/hook", "topics": ["rounds.published", "notes.submitted"]},
        )
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    assert response.status_code == 200
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.topics == "rounds.published notes.submitted"
    assert endpoint.secret in response.get_data(as_text=True)
    again = client.get(f"/manage/events/{event.slug}/webhooks").get_data(as_text=True)
    assert endpoint.secret not in again and endpoint.secret_hint in again


def test_bad_urls_are_refused_with_a_clear_message(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    url = f"/manage/events/{event.slug}/webhooks"
    for bad, message in (
        ("javascript:alert(1)", "https://"),
        ("ftp://example.com/hook", "https://"),
        ("http://127.0.0.1:8080/hook", "private or local network address"),
        ("http://192.168.1.10/hook", "private or local network address"),
    ):
        response = client.post(url, data={"url": bad, "topics": ["rounds.published"]})
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True), bad
    response = client.post(url, data={"url": "https://example.com/hook"})
    assert response.status_code == 400 and "Choose at least one." in response.get_data(as_text=True)
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_other_organisers_get_404(client: FlaskClient, organizer: Organizer) -> None:
    event = factories.make_event(organizer=organizer)
    endpoint = make_endpoint(event=event, url="https://example.com/hook")
    other = factories.make_organizer()
    client.post("/login", data={"email": other.email, "password": factories.PASSWORD})
    base = f"/manage/events/{event.slug}/webhooks"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/{endpoint.id}/delete").status_code == 404
    assert client.post(f"{base}/{endpoint.id}/test").status_code == 404
    # An endpoint of another event, reached through one's own event, is 404 too.
    own = factories.make_event(organizer=other)
    assert client.post(f"/manage/events/{own.slug}/webhooks/{endpoint.id}/delete").status_code == 404
    assert db.session.get(WebhookEndpoint, endpoint.id) is not None


def test_test_call_retry_and_delete(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    endpoint = make_endpoint(event=event, url="https://example.com/hook")
    base = f"/manage/events/{event.slug}/webhooks"
    assert client.post(f"{base}/{endpoint.id}/test").status_code == 302
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.topic == "ping" and delivery.outbox.status == MessageStatus.PENDING
    delivery.outbox.status = MessageStatus.FAILED
    delivery.outbox.last_error = "HTTP 500"
    db.session.commit()
    page = client.get(base).get_data(as_text=True)
    assert "ping" in page and "HTTP 500" in page and "Retry now" in page
    assert client.post(f"{base}/deliveries/{delivery.id}/retry").status_code == 302
    db.session.refresh(delivery.outbox)
    assert delivery.outbox.status == MessageStatus.PENDING
    assert client.post(f"{base}/{endpoint.id}/delete").status_code == 302
    assert db.session.scalar(select(WebhookEndpoint)) is None and db.session.scalar(select(OutboxMessage)) is None


def test_choose_and_change_the_format(app: Flask, client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    base = f"/manage/events/{event.slug}/webhooks"
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    try:
        client.post(base, data={"url": "http://127.0.0.1:9999/teams", "topics": ["round.started"], "format": "teams"})
        client.post(base, data={"url": "http://127.0.0.1:9999/auto", "topics": ["round.started"]})
        response = client.post(
            base, data={"url": "http://127.0.0.1:9999/x", "topics": ["round.started"], "format": "xml"}
        )
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    teams, auto = db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    assert (teams.format, auto.format) == ("teams", "json")
    page = client.get(base).get_data(as_text=True)
    assert "Microsoft Teams (Adaptive Card)" in page and "Plain JSON (programs)" in page
    assert client.post(f"{base}/{auto.id}/format", data={"format": "slack"}).status_code == 302
    assert client.post(f"{base}/{teams.id}/format", data={"format": "xml"}).status_code == 302
    db.session.expire_all()
    assert (teams.format, auto.format) == ("teams", "slack")
    other = factories.make_event()
    foreign = make_endpoint(event=other, url="https://example.com/hook")
    assert client.post(f"{base}/{foreign.id}/format", data={"format": "slack"}).status_code == 404
