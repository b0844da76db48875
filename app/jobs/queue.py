"""Queue, claim and run background jobs (docs/jobs.md).

A job is a row in `job`: a kind (which handler runs it), a JSON payload, and a unique key so that a
second click or a retried request finds the first job instead of making another. The worker claims due
jobs under a lease (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED; SQLite: a conditional UPDATE per row,
made atomic by the database lock), runs the handler, and records the end. A handler reports progress
through its `JobContext`; each report commits the handler's work of that step together with the
progress and extends the lease, so a job that stops (the worker was told to, or died) starts again
from its last report. When the worker is stopping, `progress` raises `Stopped` and the job goes back in
line at once, keeping its progress, instead of waiting out its lease.

`enqueue` writes like a service (the request that queues a job commits it with its own work). The worker's
steps commit on their own, deliberately: a claim, a release and an end are what other workers must see at
once (the lease is the lock), and the handler runs between them.
"""

from __future__ import annotations

import json
import logging
import random
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.db import savepoint, utcnow
from app.domain import delivery
from app.extensions import db
from app.jobs.job_context import LEASE, N_, JobContext, JobFailed, LeaseLost, Stopped
from app.jobs.models import Job, JobState

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


UNEXPECTED = N_(
    "The work stopped because of an unexpected error. It will be tried again; if it keeps failing, the worker's log says why."
)
UNKNOWN_KIND = N_("This kind of work (%(kind)s) is unknown to this version of Tsunagu.")
GAVE_UP = N_("The work failed several times and was given up. The worker's log says why.")


Handler = Callable[[JobContext], Mapping[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """Say which function runs jobs of `kind`."""
    _HANDLERS[kind] = handler


def enqueue(
    kind: str,
    key: str,
    payload: Mapping[str, Any] | None = None,
    *,
    event_id: int | None = None,
    created_by_id: int | None = None,
    total: int = 0,
    now: datetime | None = None,
) -> tuple[Job, bool]:
    """Queue a job unless one with `key` exists; returns the job and whether it is new. The caller commits:
    the worker sees the job together with the work of the request that queued it, or neither.

    Safe under concurrency: the unique key decides (in a savepoint, so the caller's changes stay), and the
    loser of a race gets the winner's job once the winner commits.
    """
    existing = db.session.scalar(select(Job).where(Job.key == key))
    if existing is not None:
        return existing, False
    job = Job(
        kind=kind,
        key=key[:200],
        payload=json.dumps(dict(payload or {}), ensure_ascii=False),
        event_id=event_id,
        created_by_id=created_by_id,
        total=total,
        max_attempts=MAX_ATTEMPTS,
        run_after=now or utcnow(),
    )
    try:
        with savepoint():
            db.session.add(job)
    except IntegrityError:
        winner = db.session.scalar(select(Job).where(Job.key == key))
        if winner is None:
            raise
        return winner, False
    log.info("job %s (%s) queued", job.id, kind)
    return job, True


def _due(now: datetime) -> Any:
    queued = and_(Job.state == JobState.QUEUED, Job.run_after <= now)
    # A claim whose lease ran out belongs to a worker that died: take it over.
    stale = and_(Job.state == JobState.RUNNING, Job.locked_until < now, Job.attempts < Job.max_attempts)
    return or_(queued, stale)


def _give_up_abandoned(now: datetime) -> None:
    """Jobs whose worker died on every attempt (a job that kills its worker) fail instead of looping."""
    db.session.execute(
        update(Job)
        .where(Job.state == JobState.RUNNING, Job.locked_until < now, Job.attempts >= Job.max_attempts)
        .values(state=JobState.FAILED, error=GAVE_UP, lock_token=None, locked_until=None, finished_at=now)
    )


def claim(now: datetime | None = None, limit: int = 1) -> tuple[str, list[int]]:
    """Claim up to `limit` due jobs; returns the lease token and the ids. Commits."""
    now = now or utcnow()
    _give_up_abandoned(now)
    token = secrets.token_hex(16)
    query = select(Job.id).where(_due(now)).order_by(Job.run_after, Job.id)
    values = {
        "state": JobState.RUNNING,
        "lock_token": token,
        "locked_until": now + LEASE,
        "attempts": Job.attempts + 1,
    }
    if db.engine.dialect.name == "postgresql":
        ids = list(db.session.scalars(query.limit(limit).with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(update(Job).where(Job.id.in_(ids)).values(**values))
    else:
        ids = []
        for candidate in list(db.session.scalars(query.limit(limit))):
            result = db.session.execute(update(Job).where(Job.id == candidate, _due(now)).values(**values))
            if result.rowcount == 1:  # type: ignore[attr-defined]
                ids.append(candidate)
    db.session.commit()
    return token, ids


def release(token: str, ids: list[int], now: datetime | None = None) -> int:
    """Give claimed jobs back, due at once, without counting the attempt (the worker is stopping). Commits."""
    if not ids:
        return 0
    result = db.session.execute(
        update(Job)
        .where(Job.id.in_(ids), Job.lock_token == token, Job.state == JobState.RUNNING)
        .values(
            state=JobState.QUEUED,
            lock_token=None,
            locked_until=None,
            run_after=now or utcnow(),
            attempts=Job.attempts - 1,
        )
    )
    db.session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def _finish(job_id: int, token: str, values: dict[str, Any]) -> bool:
    values.update(lock_token=None, locked_until=None)
    result = db.session.execute(update(Job).where(Job.id == job_id, Job.lock_token == token).values(**values))
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


DONE, FAILED, RETRYING, HANDED_BACK = "done", "failed", "retrying", "handed back"


def run(job_id: int, token: str, stop: threading.Event | None = None) -> str | None:
    """Run one claimed job and record how it ended (DONE, FAILED, RETRYING, HANDED_BACK).

    None when this worker no longer holds the job's lease (another worker carries on).
    """
    row = db.session.get(Job, job_id)
    if row is None or row.lock_token != token or row.state != JobState.RUNNING:
        db.session.rollback()
        return None
    context = JobContext(
        id=row.id,
        kind=row.kind,
        key=row.key,
        event_id=row.event_id,
        payload=json.loads(row.payload or "{}"),
        done=row.done,
        total=row.total,
        attempts=row.attempts,
        token=token,
        stop=stop,
    )
    attempts, max_attempts = row.attempts, row.max_attempts
    if row.started_at is None:
        row.started_at = utcnow()
    db.session.commit()
    handler = _HANDLERS.get(context.kind)
    try:
        if handler is None:
            raise JobFailed(UNKNOWN_KIND, kind=context.kind)
        outcome = handler(context)
    except Stopped:
        db.session.rollback()
        release(token, [job_id])
        log.info(
            "job %s (%s) handed back at %s/%s: the worker is stopping",
            job_id,
            context.kind,
            context.done,
            context.total,
        )
        return HANDED_BACK
    except LeaseLost:
        log.warning("job %s (%s): lease lost, another worker carries on", job_id, context.kind)
        return None
    except JobFailed as failure:
        db.session.rollback()
        retry = failure.retry and attempts < max_attempts
        return _failed(job_id, token, context, attempts, retry, failure.message, failure.params, str(failure))
    except Exception as failure:  # a bug or an outage: keep the job, try later
        db.session.rollback()
        log.exception("job %s (%s): unexpected error", job_id, context.kind)
        retry = attempts < max_attempts
        detail = f"{type(failure).__name__}: {failure}"
        return _failed(job_id, token, context, attempts, retry, UNEXPECTED if retry else GAVE_UP, {}, detail)
    result = dict(outcome or context.result)
    total = context.total or context.done
    if not _finish(
        job_id,
        token,
        {
            "state": JobState.DONE,
            "done": total,
            "total": total,
            "result": json.dumps(result, ensure_ascii=False),
            "error": "",
            "error_params": "{}",
            "finished_at": utcnow(),
        },
    ):
        log.warning("job %s (%s): lease lost before recording the end", job_id, context.kind)
        return None
    log.info("job %s (%s) done: %s", job_id, context.kind, result)
    return DONE


def _failed(
    job_id: int,
    token: str,
    context: JobContext,
    attempts: int,
    retry: bool,
    message: str,
    params: Mapping[str, Any],
    detail: str,
) -> str | None:
    now = utcnow()
    state = JobState.QUEUED if retry else JobState.FAILED
    values: dict[str, Any] = {
        "state": state,
        "error": message,
        "error_params": json.dumps(dict(params), ensure_ascii=False, default=str),
        "detail": detail[:2000],
    }
    if retry:
        values["run_after"] = now + delivery.jittered(delivery.backoff(attempts), random.random())
    else:
        values["finished_at"] = now
    if not _finish(job_id, token, values):
        return None
    log.info("job %s (%s) attempt %s: %s (%s)", job_id, context.kind, attempts, state.value, detail)
    return RETRYING if retry else FAILED


@dataclass
class RunResult:
    done: int = 0
    failed: int = 0
    retrying: int = 0
    handed_back: int = 0

    @property
    def total(self) -> int:
        return self.done + self.failed + self.retrying + self.handed_back


def run_due(*, limit: int = 1, stop: threading.Event | None = None, now: datetime | None = None) -> RunResult:
    """Claim up to `limit` due jobs and run them one after the other; hand back the rest if told to stop."""
    token, ids = claim(now, limit)
    outcome = RunResult()
    for position, job_id in enumerate(ids):
        if stop is not None and stop.is_set():
            outcome.handed_back += release(token, ids[position:])
            break
        ended = run(job_id, token, stop)
        if ended == DONE:
            outcome.done += 1
        elif ended == FAILED:
            outcome.failed += 1
        elif ended == RETRYING:
            outcome.retrying += 1
        elif ended == HANDED_BACK:
            outcome.handed_back += 1
    return outcome


def prune(before: datetime) -> int:
    """Delete finished jobs (done or failed) that ended before `before`; their keys may then be used again. Commits."""
    result = db.session.execute(
        delete(Job).where(Job.state.in_((JobState.DONE, JobState.FAILED)), Job.finished_at < before)
    )
    db.session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def find(key: str) -> Job | None:
    """The job of an idempotency key, if any."""
    return db.session.scalar(select(Job).where(Job.key == key))


def latest(kind: str, event_id: int) -> Job | None:
    """The newest job of `kind` for an event (what its page shows)."""
    return db.session.scalar(
        select(Job).where(Job.kind == kind, Job.event_id == event_id).order_by(Job.id.desc()).limit(1)
    )


def error_text(job: Job) -> str:
    """The job's error in the reader's language."""
    if not job.error:
        return ""
    params = json.loads(job.error_params or "{}")
    return gettext(job.error, **params)


def as_json(job: Job) -> dict[str, Any]:
    """What a page polls: state, progress and the error in the reader's language (nothing private)."""
    percent = int(100 * job.done / job.total) if job.total else (100 if job.state == JobState.DONE else 0)
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state.value,
        "done": job.done,
        "total": job.total,
        "percent": min(percent, 100),
        "error": error_text(job) or None,
        "finished": job.state in (JobState.DONE, JobState.FAILED),
        "result": json.loads(job.result or "{}"),
    }
