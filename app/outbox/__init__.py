"""The durable outbox of emails and webhook calls, shared by the features that send them (invites, webhooks,
connections): rows are added in the caller's transaction, claimed under a lease, sent, recorded.

The worker's own steps commit on their own, deliberately: a claim must be visible to the other workers
before the network call (its lease is the lock), the call runs outside any transaction, and its result is
recorded at once (a crash afterwards must not send the message again).

Delivery is at-least-once: a message marked sent is never sent again, but if the receiver accepted it
and the worker died before recording that, the lease runs out and the message goes once more with the
same Message-ID (emails) or X-Tsunagu-Delivery id (webhooks), so duplicates are recognisable.
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from app.db import utcnow
from app.domain import delivery
from app.extensions import db
from app.outbox.models import MessageStatus, OutboxMessage

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Envelope:
    """What a sender needs, copied out of the row so no transaction stays open during network calls."""

    id: int
    kind: str
    event_id: int
    recipient: str
    subject: str
    payload: str
    message_id: str
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """A successful delivery: the receiver's status code (webhooks) and the start of its answer."""

    status_code: int | None = None
    excerpt: str = ""


class DeliveryError(Exception):
    """A failed delivery: `retry` says whether another try could succeed."""

    def __init__(
        self,
        message: str,
        *,
        retry: bool = True,
        retry_after: timedelta | None = None,
        status_code: int | None = None,
        excerpt: str = "",
    ) -> None:
        super().__init__(message)
        self.retry = retry
        self.retry_after = retry_after
        self.status_code = status_code
        self.excerpt = excerpt


Sender = Callable[[Envelope, Mapping[str, Any]], Outcome]
_SENDERS: dict[str, Sender] = {}


def register_sender(kind: str, sender: Sender) -> None:
    """Say which function delivers messages of `kind` (email, webhook)."""
    _SENDERS[kind] = sender


def enqueue(
    *,
    kind: str,
    event_id: int,
    recipient: str,
    payload: str,
    message_id: str,
    subject: str = "",
    participant_id: int | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Add a message to the current session WITHOUT committing: it commits with the change behind it."""
    message = OutboxMessage(
        kind=kind,
        event_id=event_id,
        participant_id=participant_id,
        recipient=recipient,
        subject=subject[:300],
        payload=payload,
        message_id=message_id,
        max_attempts=MAX_ATTEMPTS,
        next_attempt_at=now or utcnow(),
    )
    db.session.add(message)
    return message


def new_message_id(domain: str) -> str:
    """A globally unique Message-ID (RFC 5322 form, without the angle brackets)."""
    return f"{secrets.token_hex(12)}@{domain}"


def _due(now: datetime, force: bool) -> Any:
    pending = OutboxMessage.status == MessageStatus.PENDING
    if not force:
        pending = and_(pending, OutboxMessage.next_attempt_at <= now)
    # A claim whose lease ran out belongs to a worker that died: take it over.
    stale = and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.locked_until < now)
    return or_(pending, stale)


def claim(now: datetime, limit: int = 20, *, force: bool = False) -> tuple[str, list[int]]:
    """Claim up to `limit` due messages for this worker; returns the lease token and the ids. Commits.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so concurrent workers take disjoint rows.
    SQLite: a conditional UPDATE per row (the database lock makes it atomic); losers match no row.
    """
    token = secrets.token_hex(16)
    query = select(OutboxMessage.id).where(_due(now, force)).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    values = {"status": MessageStatus.SENDING, "lock_token": token, "locked_until": now + LEASE}
    if db.engine.dialect.name == "postgresql":
        ids = list(db.session.scalars(query.limit(limit).with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(**values))
    else:
        ids = []
        for candidate in list(db.session.scalars(query.limit(limit))):
            result = db.session.execute(
                update(OutboxMessage).where(OutboxMessage.id == candidate, _due(now, force)).values(**values)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                ids.append(candidate)
    db.session.commit()
    return token, ids


def deliver(message_id: int, token: str, now: datetime | None = None) -> MessageStatus | None:
    """Send one claimed message and record the result, if this worker still holds its lease."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.lock_token != token or row.status != MessageStatus.SENDING:
        db.session.rollback()
        return None
    envelope = Envelope(
        row.id, row.kind, row.event_id, row.recipient, row.subject, row.payload, row.message_id, row.attempts
    )
    db.session.commit()
    sender = _SENDERS.get(envelope.kind)
    outcome: Outcome | None = None
    error: DeliveryError | None = None
    try:
        if sender is None:
            raise DeliveryError(f"no sender for messages of kind {envelope.kind!r}", retry=False)
        outcome = sender(envelope, current_app.config)
    except DeliveryError as failure:
        error = failure
    except Exception as failure:  # a bug or an unexpected network error: keep the row, try later
        log.exception("outbox message %s: unexpected error", envelope.id)
        error = DeliveryError(f"{type(failure).__name__}: {failure}")
    return _record(envelope, token, now or utcnow(), outcome, error)


def _record(
    envelope: Envelope, token: str, now: datetime, outcome: Outcome | None, error: DeliveryError | None
) -> MessageStatus | None:
    attempts = envelope.attempts + 1
    values: dict[str, Any] = {"attempts": attempts, "last_attempt_at": now, "lock_token": None, "locked_until": None}
    if error is None:
        assert outcome is not None
        status = MessageStatus.SENT
        # last_error stays: after a retry it tells what went wrong before the success.
        values.update(status=status, sent_at=now, last_status_code=outcome.status_code)
        values["response_excerpt"] = outcome.excerpt[:500]
    else:
        row_max = db.session.scalar(select(OutboxMessage.max_attempts).where(OutboxMessage.id == envelope.id))
        retry = error.retry and attempts < (row_max or MAX_ATTEMPTS)
        status = MessageStatus.PENDING if retry else MessageStatus.FAILED
        wait = max(delivery.jittered(delivery.backoff(attempts), random.random()), error.retry_after or timedelta(0))
        values.update(
            status=status,
            next_attempt_at=now + wait,
            last_error=str(error)[:1000],
            last_status_code=error.status_code,
            response_excerpt=error.excerpt[:500],
        )
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == envelope.id, OutboxMessage.lock_token == token).values(**values)
    )
    db.session.commit()
    if result.rowcount != 1:  # type: ignore[attr-defined]
        log.warning("outbox message %s: lease lost before recording the result", envelope.id)
        return None
    log.info("outbox message %s (%s) attempt %s: %s", envelope.id, envelope.kind, attempts, status.value)
    return status


def release(token: str, ids: list[int]) -> int:
    """Give claimed messages back untried, as due as they were (the worker is stopping). Commits."""
    if not ids:
        return 0
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.lock_token == token,
            OutboxMessage.status == MessageStatus.SENDING,
        )
        .values(status=MessageStatus.PENDING, lock_token=None, locked_until=None)
    )
    db.session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass
class DrainResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    handed_back: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retrying + self.failed


def drain(
    now: datetime | None = None, *, limit: int = 20, force: bool = False, stop: threading.Event | None = None
) -> DrainResult:
    """Claim one batch of due messages and deliver them; `force` includes those waiting for a retry.

    When `stop` is set (SIGTERM), the message being sent is finished and the rest of the batch is
    handed back at once, so nothing waits out the lease.
    """
    now = now or utcnow()
    token, ids = claim(now, limit, force=force)
    result = DrainResult()
    for position, message_id in enumerate(ids):
        if stop is not None and stop.is_set():
            result.handed_back = release(token, ids[position:])
            log.info("outbox: %s claimed messages handed back, the worker is stopping", result.handed_back)
            break
        status = deliver(message_id, token, now)
        if status == MessageStatus.SENT:
            result.sent += 1
        elif status == MessageStatus.PENDING:
            result.retrying += 1
        elif status == MessageStatus.FAILED:
            result.failed += 1
    return result


def status_counts(event_id: int | None = None) -> dict[tuple[str, str], int]:
    """How many messages of each kind are in each state."""
    query = select(OutboxMessage.kind, OutboxMessage.status, func.count()).group_by(
        OutboxMessage.kind, OutboxMessage.status
    )
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    return {(kind, MessageStatus(status).value): count for kind, status, count in db.session.execute(query)}


def retry(message: OutboxMessage, now: datetime) -> bool:
    """Put a failed or waiting message back in line for now, with a fresh set of attempts (the caller commits)."""
    if message.status not in (MessageStatus.FAILED, MessageStatus.PENDING):
        return False
    message.status = MessageStatus.PENDING
    message.next_attempt_at = now
    message.max_attempts = message.attempts + MAX_ATTEMPTS
    db.session.flush()
    log.info("outbox message %s queued again by an organiser", message.id)
    return True
