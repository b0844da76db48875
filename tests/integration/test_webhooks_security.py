"""Webhooks reach only the address that was checked: DNS rebinding, wrapped addresses, pinned HTTPS, signatures."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select

from app import outbox, signals
from app.domain import delivery
from app.extensions import db
from app.outbox.models import MessageStatus, OutboxMessage
from app.webhooks import services, transport
from tests import factories
from tests.factories_invites import make_endpoint
from tests.http_receiver import Receiver, start_receiver
from tests.net import LoopbackOnly, ScriptedDNS, guard_loopback, scripted_dns

SECRET = "s3cret-s3cret-s3cret"
PUBLIC = "93.184.215.14"  # a public address: the guard refuses it before any packet leaves
NOW = datetime(2026, 7, 25, 4, 0, tzinfo=UTC)


@pytest.fixture()
def dns(monkeypatch: pytest.MonkeyPatch) -> ScriptedDNS:
    return scripted_dns(monkeypatch)


@pytest.fixture()
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> LoopbackOnly:
    return guard_loopback(monkeypatch)


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    found, server, thread = start_receiver()
    yield found
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture()
def event(db: object):  # type: ignore[no-untyped-def]
    event = factories.make_event(title="全国自治体職員ネットワークサミット")
    return event, factories.make_cafe(event=event)


def _publish(event, cafe) -> None:  # type: ignore[no-untyped-def]
    signals.rounds_published.send(event, item=cafe, rounds=[1])
    db.session.commit()


def _message() -> OutboxMessage:
    db.session.expire_all()
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "webhook"))
    return message


def test_a_rebinding_name_never_reaches_the_loopback(
    app: Flask, event, receiver: Receiver, dns: ScriptedDNS, loopback_only: LoopbackOnly
) -> None:  # type: ignore[no-untyped-def]
    """The name answers a public address to the check and 127.0.0.1 to any later lookup."""
    event, cafe = event
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    dns.answer("rebind.example", [PUBLIC], ["127.0.0.1"])
    make_endpoint(event=event, url=f"http://rebind.example:{receiver.port}/hook")
    _publish(event, cafe)
    result = outbox.drain()
    assert receiver.calls == []  # nothing reached the receiver on the loopback
    assert dns.lookups == ["rebind.example"]  # looked up once, then the checked address was used
    assert loopback_only.attempts == [PUBLIC]
    assert result.retrying == 1
    message = _message()
    assert message.status == MessageStatus.PENDING and message.response_excerpt == ""
    assert "could not connect to rebind.example (93.184.215.14)" in message.last_error


def test_a_name_with_any_private_answer_is_refused(
    app: Flask, event, receiver: Receiver, dns: ScriptedDNS, loopback_only: LoopbackOnly
) -> None:  # type: ignore[no-untyped-def]
    event, cafe = event
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    dns.answer("mixed.example", [PUBLIC, "127.0.0.1"])
    dns.answer("sixtofour.example", ["2002:7f00:1::1"])  # 6to4 wrapping 127.0.0.1
    with app.test_request_context():
        for name in ("mixed.example", "sixtofour.example"):
            with pytest.raises(services.WebhookError, match="private or local"):
                services.add_endpoint(event, f"http://{name}:{receiver.port}/hook", ["rounds.published"])
    # Registered while the name was harmless, refused once it points inside: no call, no reply shown.
    make_endpoint(event=event, url=f"http://mixed.example:{receiver.port}/hook")
    _publish(event, cafe)
    assert outbox.drain().failed == 1
    message = _message()
    assert "private or local" in message.last_error and message.response_excerpt == ""
    assert receiver.calls == [] and loopback_only.attempts == []


def test_the_pinned_call_still_names_the_host(
    app: Flask, event, receiver: Receiver, dns: ScriptedDNS, loopback_only: LoopbackOnly
) -> None:  # type: ignore[no-untyped-def]
    event, cafe = event
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True  # a closed network: private targets allowed, still pinned
    try:
        dns.answer("hooks.example.test", ["127.0.0.1"], ["10.20.30.40"])
        make_endpoint(event=event, url=f"http://hooks.example.test:{receiver.port}/hook?x=1")
        _publish(event, cafe)
        assert outbox.drain().sent == 1
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    [call] = receiver.calls
    assert call.headers["Host"] == f"hooks.example.test:{receiver.port}"
    assert call.path == "/hook?x=1"
    assert loopback_only.attempts == ["127.0.0.1"]


@pytest.fixture()
def tls_receiver(app: Flask, tmp_path: Path) -> Iterator[Receiver]:
    """An HTTPS receiver on 127.0.0.1 whose certificate (from a test CA the app trusts) names hooks.example.test."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("hooks.example.test").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    app.config["WEBHOOK_CA_BUNDLE"] = str(bundle)
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    found, server, thread = start_receiver(tls=context)
    yield found
    app.config["WEBHOOK_CA_BUNDLE"] = ""
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_https_to_a_pinned_address_checks_the_certificate_of_the_name(
    event, tls_receiver: Receiver, dns: ScriptedDNS, loopback_only: LoopbackOnly
) -> None:  # type: ignore[no-untyped-def]
    event, cafe = event
    dns.answer("hooks.example.test", ["127.0.0.1"])
    dns.answer("other.example.test", ["127.0.0.1"])
    make_endpoint(event=event, url=f"https://hooks.example.test:{tls_receiver.port}/hook", topics="rounds.published")
    _publish(event, cafe)
    assert outbox.drain().sent == 1
    assert tls_receiver.server_names == ["hooks.example.test"]  # SNI names the host, not the address
    assert tls_receiver.calls[0].headers["Host"] == f"hooks.example.test:{tls_receiver.port}"
    # The same server under a name its certificate does not cover: the TLS check fails, nothing is posted.
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    other = make_endpoint(
        event=event, url=f"https://other.example.test:{tls_receiver.port}/hook", topics="rounds.published"
    )
    for endpoint in services.endpoints_of(event):
        endpoint.active = endpoint.id == other.id
    db.session.commit()
    _publish(event, cafe)
    assert outbox.drain().retrying == 1
    assert "SSLError" in _message().last_error and len(tls_receiver.calls) == 1


def test_the_signature_covers_the_timestamp_and_expires(event, receiver: Receiver, app: Flask) -> None:  # type: ignore[no-untyped-def]
    event, cafe = event
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    try:
        make_endpoint(event=event, url=receiver.url)
        with freeze_time(NOW):
            _publish(event, cafe)
            assert outbox.drain().sent == 1
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    [call] = receiver.calls
    stamp = int(NOW.timestamp())
    header = call.headers["X-Tsunagu-Signature"]
    assert call.headers["X-Tsunagu-Timestamp"] == str(stamp)
    assert header == delivery.sign(SECRET, call.body, stamp) and header.startswith(f"t={stamp},v1=")
    assert delivery.verify(SECRET, call.body, header, now=stamp + 299)
    assert not delivery.verify(SECRET, call.body, header, now=stamp + 301)  # a replay after the window
    assert not delivery.verify(SECRET, call.body + b" ", header, now=stamp)
    # Changing the timestamp breaks the signature: it is part of what is signed.
    forged = header.replace(f"t={stamp}", f"t={stamp + 600}")
    assert not delivery.verify(SECRET, call.body, forged, now=stamp + 600)
    assert json.loads(call.body)["topic"] == "rounds.published"


def test_retries_are_signed_afresh(event, receiver: Receiver, app: Flask) -> None:  # type: ignore[no-untyped-def]
    event, cafe = event
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    receiver.script = [(503, {}, 0.0)]
    try:
        make_endpoint(event=event, url=receiver.url)
        with freeze_time(NOW):
            _publish(event, cafe)
            assert outbox.drain().retrying == 1
        later = NOW + timedelta(hours=2)
        with freeze_time(later):
            assert outbox.drain().sent == 1
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    first, second = receiver.calls
    assert first.body == second.body
    assert second.headers["X-Tsunagu-Timestamp"] == str(int(later.timestamp()))
    assert delivery.verify(SECRET, second.body, second.headers["X-Tsunagu-Signature"], now=int(later.timestamp()))


def test_host_header_forms(app: Flask, dns: ScriptedDNS) -> None:
    dns.answer("xn--eckwd4c7c.jp", ["93.184.215.14"])
    with app.app_context():
        target = transport.resolve("https://ドメイン.jp/hook")
        assert (target.host, target.address, target.host_header) == ("xn--eckwd4c7c.jp", PUBLIC, "xn--eckwd4c7c.jp")
        literal = transport.resolve("http://[2606:4700:4700::1111]:8080/x")
        assert literal.host_header == "[2606:4700:4700::1111]:8080" and literal.address == "2606:4700:4700::1111"
        for bad in ("ftp://example.com/", "https:///nohost", "http://example.com:99999/"):
            with pytest.raises(transport.RefusedTarget):
                transport.resolve(bad)
