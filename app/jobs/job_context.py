"""What a job's handler works with: its context (payload, progress, lease) and the ways it stops or fails.

Handlers (registered with `queue.register`) import from here; `app/jobs/queue.py` queues, claims and runs them.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from app.db import utcnow
from app.extensions import db
from app.jobs.models import Job

LEASE = timedelta(minutes=2)  # extended by every progress report


def N_(message: str) -> str:  # the name pybabel looks for
    """Mark a message for translation without translating it now: jobs store the message id."""
    return message


class JobFailed(Exception):
    """A handler's way to fail with a message for the organiser: a msgid (marked with N_) and its values."""

    def __init__(self, message: str, *, retry: bool = False, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
        self.retry = retry


def failed_with(message: object, *, retry: bool = False) -> JobFailed:
    """A JobFailed from a service's lazily translated message (flask_babel's lazy_gettext), keeping its
    message id and values so that it is shown in the reader's language; other objects are kept as text."""
    args, kwargs = getattr(message, "_args", None), getattr(message, "_kwargs", None)
    if isinstance(args, tuple) and len(args) == 1 and isinstance(args[0], str) and isinstance(kwargs, dict):
        return JobFailed(args[0], retry=retry, **kwargs)
    return JobFailed(str(message).replace("%", "%%"), retry=retry)


class Stopped(Exception):
    """Raised by `JobContext.progress` when the worker is stopping: the job goes back in line."""


class LeaseLost(Exception):
    """Another worker took the job over (this one was too slow to report): stop without recording."""


@dataclass
class JobContext:
    """What a handler gets: the job's payload and progress so far, and a way to report progress."""

    id: int
    kind: str
    key: str
    event_id: int | None
    payload: dict[str, Any]
    done: int
    total: int
    attempts: int
    token: str
    stop: threading.Event | None = None
    result: dict[str, Any] = field(default_factory=dict)

    def remember(self, **values: Any) -> None:
        """Keep `values` in the job's payload (the handler's plan, say), committed with the next progress report,
        so that a job that starts again finds them."""
        self.payload.update(values)
        db.session.execute(
            update(Job)
            .where(Job.id == self.id, Job.lock_token == self.token)
            .values(payload=json.dumps(self.payload, ensure_ascii=False))
        )

    @property
    def stopping(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def progress(self, done: int, total: int | None = None) -> None:
        """Record `done` of `total` steps, commit the session (the step's work with it) and extend the lease.

        Raises `Stopped` (after committing) when the worker is stopping, `LeaseLost` if another worker
        took the job over (the step's work is rolled back then).
        """
        values: dict[str, Any] = {"done": done, "locked_until": utcnow() + LEASE}
        if total is not None:
            values["total"] = total
            self.total = total
        result = db.session.execute(update(Job).where(Job.id == self.id, Job.lock_token == self.token).values(**values))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            raise LeaseLost(f"job {self.id}: lease lost")
        db.session.commit()
        self.done = done
        if self.stopping and (not self.total or done < self.total):  # at the last step: let it finish
            raise Stopped
