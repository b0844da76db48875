"""Webhooks against a real local HTTP server: signed JSON, retries on 5xx/429/timeouts, none on 4xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app import outbox, signals
from app.cafe.models import Room
from app.db import utcnow
from app.domain import delivery
from app.extensions import db
from app.notes.models import RoundNote
from app.outbox.models import MessageStatus, OutboxMessage
from app.webhooks import services
from app.webhooks.models import WebhookDelivery
from tests import factories
from tests.factories_invites import make_endpoint
from tests.http_receiver import Receiver, start_receiver

SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture()
def receiver(app: Flask) -> Iterator[Receiver]:
    found, server, thread = start_receiver()
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    yield found
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture()
def cafe_event(db: object):  # type: ignore[no-untyped-def]
    event = factories.make_event(title="全国自治体職員ネットワークサミット")
    cafe = factories.make_cafe(event=event)
    return event, cafe


def _publish(event, cafe) -> None:  # type: ignore[no-untyped-def]
    """What the café feature does: send the signal before its own commit."""
    signals.rounds_published.send(event, item=cafe, rounds=[1, 2])
    db.session.commit()


def _only_message() -> OutboxMessage:
    db.session.expire_all()
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "webhook"))
    return message


def test_signal_queues_a_signed_delivery_in_the_senders_transaction(receiver: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    make_endpoint(event=event, url=receiver.url, topics="rounds.published")
    signals.rounds_published.send(event, item=cafe, rounds=[1, 2])
    db.session.rollback()  # the sender's change failed: its webhook goes with it
    assert db.session.scalar(select(OutboxMessage)) is None
    _publish(event, cafe)
    assert outbox.drain(utcnow()).sent == 1
    [call] = receiver.calls
    stamp = call.headers["X-Tsunagu-Timestamp"]
    assert stamp.isdigit() and call.headers["X-Tsunagu-Signature"].startswith(f"t={stamp},v1=")
    assert delivery.verify(SECRET, call.body, call.headers["X-Tsunagu-Signature"], now=int(stamp))
    assert call.headers["X-Tsunagu-Event"] == "rounds.published"
    assert call.headers["Content-Type"].startswith("application/json")
    data = json.loads(call.body)
    assert data["topic"] == "rounds.published" and data["data"]["rounds"] == [1, 2]
    assert "全国自治体職員ネットワークサミット" in data["text"] and "ワールドカフェ" in data["text"]
    assert data["event"]["slug"] == event.slug
    message = _only_message()
    assert message.status == MessageStatus.SENT and message.last_status_code == 200
    assert call.headers["X-Tsunagu-Delivery"] == message.message_id
    assert '"ok"' in message.response_excerpt


def test_unsubscribed_topics_and_other_events_get_nothing(receiver: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    make_endpoint(event=event, url=receiver.url, topics="report.published")
    make_endpoint(event=factories.make_event(), url=receiver.url)
    _publish(event, cafe)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_500_then_429_then_200_is_retried_with_backoff_and_retry_after(receiver: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    make_endpoint(event=event, url=receiver.url)
    receiver.script = [(500, {}, 0.0), (429, {"Retry-After": "600"}, 0.0)]
    _publish(event, cafe)
    now = utcnow()
    assert outbox.drain(now).retrying == 1
    message = _only_message()
    assert message.status == MessageStatus.PENDING and message.last_status_code == 500
    # Back-off with jitter: at least the base delay, at most a quarter more.
    assert now + delivery.backoff(1) <= message.next_attempt_at <= now + delivery.jittered(delivery.backoff(1), 1.0)
    assert "upstream says no" in message.response_excerpt
    now = message.next_attempt_at
    assert outbox.drain(now).retrying == 1
    message = _only_message()
    assert message.last_status_code == 429 and message.next_attempt_at == now + timedelta(seconds=600)
    assert outbox.drain(now + timedelta(seconds=599)).total == 0  # Retry-After is respected
    assert outbox.drain(now + timedelta(seconds=600)).sent == 1
    message = _only_message()
    assert (message.status, message.attempts, message.last_status_code) == (MessageStatus.SENT, 3, 200)
    assert len(receiver.calls) == 3
    assert len({c.headers["X-Tsunagu-Delivery"] for c in receiver.calls}) == 1  # duplicates recognisable


def test_other_4xx_and_redirects_are_not_retried(receiver: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    make_endpoint(event=event, url=receiver.url)
    receiver.script = [(404, {}, 0.0)]
    _publish(event, cafe)
    assert outbox.drain(utcnow()).failed == 1
    message = _only_message()
    assert message.status == MessageStatus.FAILED and message.last_status_code == 404
    # A redirect is not followed (it could point inside the network).
    db.session.delete(message)
    db.session.commit()
    receiver.script = [(302, {"Location": "http://169.254.169.254/latest"}, 0.0)]
    _publish(event, cafe)
    assert outbox.drain(utcnow()).failed == 1
    assert len(receiver.calls) == 2 and _only_message().last_status_code == 302


def test_timeouts_and_refused_connections_are_retried(
    receiver: Receiver, cafe_event, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    endpoint = make_endpoint(event=event, url=receiver.url)
    monkeypatch.setattr(services, "TIMEOUT", 0.3)
    receiver.script = [(200, {}, 1.0)]
    _publish(event, cafe)
    assert outbox.drain(utcnow()).retrying == 1
    assert "Timeout" in _only_message().last_error
    endpoint.url = "http://127.0.0.1:9/closed"
    db.session.commit()
    assert outbox.drain(utcnow() + timedelta(hours=1)).retrying == 1
    assert "ConnectionError" in _only_message().last_error


def test_private_targets_are_refused_unless_allowed(app: Flask, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    with app.test_request_context():  # the messages are translated when shown
        for url in (
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://[::1]/x",
            "http://10.0.0.8/x",
            "http://169.254.169.254/latest",
        ):
            with pytest.raises(services.WebhookError, match="private or local"):
                services.add_endpoint(event, url, ["rounds.published"])
        with pytest.raises(services.WebhookError, match="https://"):
            services.add_endpoint(event, "ftp://example.com/x", ["rounds.published"])
    # An endpoint stored while allowed is still refused at send time once disallowed.
    make_endpoint(event=event, url="http://127.0.0.1:9/hook")
    _publish(event, cafe)
    assert outbox.drain(utcnow()).failed == 1
    assert "private or local" in _only_message().last_error


def test_add_endpoint_generates_a_secret(receiver: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, _ = cafe_event
    endpoint = services.add_endpoint(event, receiver.url, ["rounds.published", "bogus"])
    assert len(endpoint.secret) >= 32 and endpoint.topics == "rounds.published"
    own = services.add_endpoint(event, receiver.url, ["report.published"], secret="my-own-secret-1234")
    assert own.secret == "my-own-secret-1234"


def test_signals_queue_deliveries_in_the_senders_transaction(receiver: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    make_endpoint(event=event, url=receiver.url)
    room = Room(item=cafe, name="テーブルA")
    note = RoundNote(round=cafe.rounds[0], room=room, summary="学び", submitted=True)
    db.session.add(note)
    db.session.flush()
    signals.notes_submitted.send(note, actor=None)
    signals.report_published.send(event, report=None, version=None)
    db.session.rollback()  # the sender gave up: its deliveries go with it
    assert db.session.scalar(select(WebhookDelivery)) is None
    note = RoundNote(round=cafe.rounds[0], room=Room(item=cafe, name="テーブルA"), summary="学び", submitted=True)
    db.session.add(note)
    db.session.flush()
    signals.notes_submitted.send(note, actor=None)
    signals.report_published.send(event, report=None, version=None)
    db.session.commit()
    topics = sorted(d.topic for d in db.session.scalars(select(WebhookDelivery)))
    assert topics == ["notes.submitted", "report.published"]
    assert outbox.drain(utcnow()).sent == 2
    texts = [json.loads(c.body)["text"] for c in receiver.calls]
    assert any("テーブルA" in t for t in texts)


def test_retry_and_delete(receiver: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    event, cafe = cafe_event
    endpoint = make_endpoint(event=event, url=receiver.url)
    receiver.script = [(400, {}, 0.0)]
    _publish(event, cafe)
    outbox.drain(utcnow())
    message = _only_message()
    assert message.status == MessageStatus.FAILED
    assert outbox.retry(message, utcnow())
    assert outbox.drain(utcnow()).sent == 1
    services.delete_endpoint(endpoint)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_starting_a_round_by_hand_queues_round_started(receiver: Receiver, cafe_event) -> None:  # type: ignore[no-untyped-def]
    from app.day import services as day_services

    event, cafe = cafe_event
    make_endpoint(event=event, url=receiver.url)
    organizer = event.organizers[0]
    just_before_round_2 = cafe.rounds[1].starts_at - timedelta(seconds=30)
    day_services.start_next_round(event, organizer, just_before_round_2)
    db.session.commit()  # the service writes; its caller commits
    [delivery] = db.session.scalars(select(WebhookDelivery)).all()
    assert delivery.topic == "round.started"
    assert outbox.drain(utcnow()).sent == 1
    body = json.loads(receiver.calls[0].body)
    assert body["data"]["round"]["number"] == 2
