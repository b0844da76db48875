"""`kill -TERM` on a busy worker (a real `flask worker` process) loses nothing and delays nothing.

The worker is mid-email (the SMTP server holds the message until the test lets it go) and mid-job when
SIGTERM arrives. It must finish that email and that step, hand the rest of its claims back due at once,
and exit 0; a second worker started straight away then does everything left, exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from app import outbox
from app.db import utcnow
from app.extensions import db as _db
from app.jobs import queue
from app.jobs.models import Job, JobState
from app.outbox.models import MessageStatus, OutboxMessage
from tests import factories
from tests.smtp_server import Recorder, SMTPServer
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
EMAILS = 30
STEPS = 200


class GatedRecorder(Recorder):
    """Holds every message at DATA until `gate` opens; `waiting` is set once one is held."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.waiting = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.waiting.set()
        await asyncio.get_running_loop().run_in_executor(None, self.gate.wait)
        return await super().handle_DATA(server, session, envelope)


def _worker(app: Flask, smtp_port: int, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="test-secret",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        SMTP_TLS="none",
        MAIL_FROM="summit@city.kobe.lg.jp",
    )
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "tests.worker_app",
                "worker",
                "--interval",
                "0.2",
                "--batch",
                "10",
                *extra,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _job_done() -> int:
    _db.session.expire_all()
    return int(_db.session.scalar(select(Job.done)) or 0)


def test_sigterm_mid_batch_loses_and_delays_nothing(app: Flask, committed_db: object, tmp_path: Path) -> None:
    event = factories.make_event()
    for n in range(EMAILS):
        outbox.enqueue(
            kind="email",
            event_id=event.id,
            recipient=f"person{n}@example.lg.jp",
            subject="テスト",
            payload=f"Subject: test {n}\r\nMessage-ID: <m{n}@tsunagu>\r\n\r\nbody {n}\r\n",
            message_id=f"m{n}@tsunagu",
            now=utcnow() - timedelta(seconds=1),
        )
    _db.session.commit()
    written = tmp_path / "written.txt"
    queue.enqueue(
        "test.count", "count-once", {"file": str(written), "n": STEPS, "step_seconds": 0.01}, event_id=event.id
    )
    _db.session.commit()

    recorder = GatedRecorder()
    server = SMTPServer()
    server.recorder = recorder
    server.start()
    log = tmp_path / "worker.log"
    busy = _worker(app, server.port, log)
    try:
        assert recorder.waiting.wait(timeout=60), "the worker never got inside an email"
        wait_until(lambda: _job_done() >= 5, "the job to make progress")
        busy.send_signal(signal.SIGTERM)
        stopped_at = time.monotonic()
        recorder.gate.set()  # the email being sent goes through
        assert busy.wait(timeout=30) == 0, log.read_text()
        assert time.monotonic() - stopped_at < 15, "the worker took too long to stop"
    finally:
        if busy.poll() is None:
            busy.kill()
            busy.wait()

    # Nothing is left claimed, nothing was counted as a failed attempt, nothing waits for a later time.
    _db.session.expire_all()
    now = utcnow()
    messages = list(_db.session.scalars(select(OutboxMessage)))
    sent = [m for m in messages if m.status == MessageStatus.SENT]
    waiting = [m for m in messages if m.status != MessageStatus.SENT]
    assert 1 <= len(sent) < EMAILS, log.read_text()
    assert all(m.status == MessageStatus.PENDING and m.lock_token is None for m in waiting)
    assert all(m.attempts == 0 and m.next_attempt_at <= now for m in waiting)
    job = _db.session.scalar(select(Job))
    assert job is not None
    assert (job.state, job.lock_token, job.locked_until, job.attempts) == (JobState.QUEUED, None, None, 0)
    assert 5 <= job.done < STEPS and job.run_after <= now

    # A new worker, started at once, does all the rest: every email once, every step once.
    follower = _worker(app, server.port, log, "--once")
    try:
        assert follower.wait(timeout=120) == 0, log.read_text()
    finally:
        if follower.poll() is None:
            follower.kill()
            follower.wait()
        server.stop()
    ids = [r.message["Message-ID"] for r in recorder.received]
    assert len(ids) == EMAILS and len(set(ids)) == EMAILS
    _db.session.expire_all()
    assert {m.status for m in _db.session.scalars(select(OutboxMessage))} == {MessageStatus.SENT}
    assert _db.session.scalar(select(Job.state)) == JobState.DONE
    assert written.read_text().split() == [str(n) for n in range(STEPS)]
