"""The login brake in the database (rules: app/domain/login_brake.py).

The counters live in `login_counter`, so every worker and every app server shares them. An attempt is
counted before its password is checked, in one short transaction that locks the counters' rows
(PostgreSQL: INSERT … ON CONFLICT DO NOTHING, then SELECT … FOR UPDATE in key order; SQLite: the insert
takes the database's write lock): concurrent guesses are counted one after the other, never all let
through on the same old count.

These functions commit on their own, unlike the services: an attempt must stay counted when the login then
fails (nothing else of the request is saved), and the rows' locks must be held for a moment only.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.auth.models import LoginCounter
from app.domain.login_brake import Counter, Decision, Policy, decide
from app.extensions import db

DEVICE_COOKIE = "tsunagu_device"
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600
_DEVICE_SALT = "tsunagu-login-device"


def account_policy() -> Policy:
    """The brake for one email address, from the LOGIN_* settings (a guessed password slows only that account)."""
    config = current_app.config
    return Policy(
        free_failures=config["LOGIN_MAX_FAILURES"],
        base_delay=timedelta(seconds=config["LOGIN_BACKOFF_SECONDS"]),
        max_delay=timedelta(seconds=config["LOGIN_BACKOFF_MAX_SECONDS"]),
        forget_after=timedelta(seconds=config["LOGIN_WINDOW_SECONDS"]),
    )


def address_policy() -> Policy:
    """The brake for one client address: more free failures than an account, since offices share addresses."""
    config = current_app.config
    return Policy(
        free_failures=config["LOGIN_ADDRESS_MAX_FAILURES"],
        base_delay=timedelta(seconds=config["LOGIN_BACKOFF_SECONDS"]),
        max_delay=timedelta(seconds=config["LOGIN_BACKOFF_MAX_SECONDS"]),
        forget_after=timedelta(seconds=config["LOGIN_WINDOW_SECONDS"]),
    )


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def account_key(email: str) -> str:
    """The counter key of an email address (hashed: the table keeps no addresses)."""
    return _key("account", email)


def address_key(address: str) -> str:
    """The counter key of a client IP address (hashed)."""
    return _key("address", address)


def device_key(nonce: str) -> str:
    """The counter key of a known browser's device id (hashed)."""
    return _key("device", nonce)


@dataclass(frozen=True)
class Attempt:
    """The counters an attempt was counted on (to forgive it if the password was right)."""

    decision: Decision
    keys: dict[str, Policy]


def _lock_rows(keys: list[str]) -> dict[str, LoginCounter]:
    """Make sure a row exists for every key and lock them all, in key order (no deadlock between attempts)."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(LoginCounter).values([{"key": k, "failures": 0, "last_at": None} for k in keys]).on_conflict_do_nothing()
    )
    rows = db.session.scalars(
        select(LoginCounter).where(LoginCounter.key.in_(keys)).order_by(LoginCounter.key).with_for_update()
    ).all()
    return {row.key: row for row in rows}


def count_attempt(keys: dict[str, Policy], now: datetime) -> Attempt:
    """Count one attempt on these counters (committed at once); the decision says whether it may go on."""
    db.session.commit()  # start from a clean transaction: the lock below must be short
    rows = _lock_rows(sorted(keys))
    counters = {
        k: (policy, Counter(rows[k].failures, rows[k].last_at, rows[k].blocked_until)) for k, policy in keys.items()
    }
    decision, stored = decide(counters, now)
    for key, counter in stored.items():
        row = rows[key]
        row.failures, row.last_at, row.blocked_until = counter.failures, counter.last_at or now, counter.blocked_until
    if decision.allowed:
        # Counters quiet for long are forgotten anyway: drop them (bounded table, no made-up emails kept).
        oldest = max(policy.forget_after for policy in keys.values())
        db.session.execute(
            delete(LoginCounter).where(LoginCounter.last_at < now - 2 * oldest, LoginCounter.key.not_in(list(keys)))
        )
    db.session.commit()
    return Attempt(decision, keys)


def forgive(attempt: Attempt, reset: set[str], now: datetime) -> None:
    """The password was right: reset the account's or device's counter, take the attempt back from the others."""
    rows = _lock_rows(sorted(attempt.keys))
    for key, policy in attempt.keys.items():
        row = rows[key]
        if key in reset:
            row.failures, row.blocked_until = 0, None
        else:
            counter = Counter(row.failures, row.last_at, row.blocked_until).forgiven_once(policy, now)
            row.failures, row.blocked_until = counter.failures, counter.blocked_until
    db.session.commit()


# A browser that signed in before: a signed cookie naming the organiser and a random device id.


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_DEVICE_SALT)


def new_device_cookie(organizer_id: int) -> str:
    """A signed cookie marking this browser as one the organiser signed in from (a fresh random device id)."""
    return _serializer().dumps({"o": organizer_id, "n": secrets.token_urlsafe(16)})


def device_of(cookie: str | None, organizer_id: int | None) -> str | None:
    """The device id of a valid cookie issued to this organiser, else None."""
    if not cookie or organizer_id is None:
        return None
    try:
        data = _serializer().loads(cookie, max_age=DEVICE_COOKIE_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") != organizer_id or not isinstance(data.get("n"), str):
        return None
    return data["n"]
