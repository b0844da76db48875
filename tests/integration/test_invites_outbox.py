"""The outbox under concurrency: leases, disjoint claims, no double sending, the CLI."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app import outbox
from app.db import utcnow
from app.extensions import db
from app.outbox.models import MessageStatus, OutboxMessage
from tests import factories
from tests.smtp_server import SMTPServer


def _queue(event_id: int, count: int) -> None:
    for n in range(count):
        outbox.enqueue(
            kind="email",
            event_id=event_id,
            recipient=f"person{n}@example.lg.jp",
            subject="テスト",
            payload=f"Subject: test {n}\r\nMessage-ID: <m{n}@tsunagu>\r\n\r\nbody {n}\r\n",
            message_id=f"m{n}@tsunagu",
            now=utcnow() - timedelta(seconds=1),
        )
    db.session.commit()


def test_claims_are_disjoint_and_leases_expire(db: object) -> None:
    event = factories.make_event()
    _queue(event.id, 3)
    now = utcnow()
    token, ids = outbox.claim(now, limit=2)
    other_token, other_ids = outbox.claim(now, limit=10)
    assert len(ids) == 2 and len(other_ids) == 1 and not set(ids) & set(other_ids)
    assert outbox.claim(now)[1] == []
    # The first worker died: after the lease its messages are taken over, and its late result is ignored.
    later = now + outbox.LEASE + timedelta(seconds=1)
    taken_token, taken = outbox.claim(later)
    assert sorted(taken) == sorted(ids + other_ids)
    assert outbox.deliver(ids[0], token, later) is None


@pytest.mark.committed_db  # two worker threads claim from their own connections
def test_two_workers_send_each_message_exactly_once(app: Flask, db: object) -> None:
    server = SMTPServer().start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TLS="none", SMTP_USER="")
    try:
        event = factories.make_event()
        _queue(event.id, 24)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                with app.app_context():
                    while outbox.drain(utcnow(), limit=3).total:
                        pass
            except BaseException as error:  # surfaced below
                errors.append(error)

        workers = [threading.Thread(target=work) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert not errors
        ids = [r.message["Message-ID"] for r in server.received]
        assert len(ids) == 24 and len(set(ids)) == 24
        db.session.expire_all()
        assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {MessageStatus.SENT}
    finally:
        server.stop()


def test_cli_send_now_and_status(app: Flask, runner: FlaskCliRunner) -> None:
    server = SMTPServer().start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TLS="none", SMTP_USER="")
    try:
        event = factories.make_event()
        _queue(event.id, 2)
        assert "email    pending  2" in runner.invoke(args=["outbox", "status"]).output
        result = runner.invoke(args=["outbox", "send-now"])
        assert "sent 2" in result.output, result.output
        assert "email    sent     2" in runner.invoke(args=["outbox", "status"]).output
        assert runner.invoke(args=["worker", "--once"]).exit_code == 0
        assert len(server.received) == 2
    finally:
        server.stop()
