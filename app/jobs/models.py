"""The job table: one row per piece of background work, claimed under a lease like the outbox's messages."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db


class JobState(StrEnum):
    """queued → running (claimed under a lease) → done, or failed once out of attempts.

    A running job whose worker stops politely goes back to queued at once, keeping its progress.
    """

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """One background job: what to do (kind + JSON payload), how far it got, and how it ended."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_due", "state", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # picks the handler (app.jobs.queue.register)
    # Idempotency: the same key never makes a second job (a double click, a retried request).
    key: Mapped[str] = mapped_column(String(200), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    payload: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    state: Mapped[JobState] = mapped_column(
        Enum(JobState, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=JobState.QUEUED,
    )
    done: Mapped[int] = mapped_column(default=0)  # progress: `done` of `total` steps
    total: Mapped[int] = mapped_column(default=0)
    # What went wrong, as a message id translated when shown (so in the reader's language) and its values.
    error: Mapped[str] = mapped_column(Text, default="")
    error_params: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    detail: Mapped[str] = mapped_column(Text, default="")  # technical detail for the operator (not translated)
    result: Mapped[str] = mapped_column(Text, default="{}")  # JSON: what the job wants to tell the page
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    lock_token: Mapped[str | None] = mapped_column(String(40))
    locked_until: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
