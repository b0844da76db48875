"""Organiser accounts: creation, password checks with a brake on guessing, API tokens.

Each function writes (flushes); its caller — the view, the CLI command — commits. The brake's counters are
the exception: they commit on their own (app/auth/brake.py), so that a failed login still counts."""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth import brake
from app.auth.models import Organizer
from app.db import savepoint
from app.extensions import db

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


class AuthError(ValueError):
    """A login or account problem with a message fit for the person."""


def normalise_email(email: str) -> str:
    """Emails are stored and compared trimmed and lower-cased, so one person has one account."""
    return email.strip().lower()


def find_by_email(email: str) -> Organizer | None:
    """The organiser with this email (any case or surrounding spaces), or None."""
    return db.session.scalar(select(Organizer).where(Organizer.email == normalise_email(email)))


def create_organizer(email: str, password: str, display_name: str = "") -> Organizer:
    """Create an organiser account; raises AuthError if the email is taken or the password is short."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AuthError("Please give a valid email address.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if find_by_email(email):
        raise AuthError("An organiser with this email already exists.")
    # The same email created twice at once: the unique email decides.
    with savepoint(lambda _error: AuthError("An organiser with this email already exists.")):
        organizer = Organizer(email=email, display_name=display_name, password_hash=generate_password_hash(password))
        db.session.add(organizer)
    log.info("organiser created: id=%s", organizer.id)
    return organizer


class PasswordChangeError(AuthError):
    """A refused password change; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def change_password(organizer: Organizer, current: str, new: str) -> None:
    """Change the organiser's own password, proven by the current one; every other session ends once the caller
    commits."""
    if not check_password_hash(organizer.password_hash, current):
        raise PasswordChangeError(str(_l("The current password is not right.")), "current_password")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise PasswordChangeError(
            str(_l("The new password must have at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)),
            "new_password",
        )
    set_password(organizer, new)
    log.info("organiser %s changed their password; their other sessions end", organizer.id)


def set_password(organizer: Organizer, password: str) -> None:
    """Store a new password's hash after checking its minimum length (raises AuthError)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    organizer.password_hash = generate_password_hash(password)
    organizer.session_generation = organizer.session_generation + 1  # every session with the old password ends
    db.session.flush()


@dataclass(frozen=True)
class LoginResult:
    """A successful login: the organiser, and the device cookie to give the browser (see app/auth/brake.py)."""

    organizer: Organizer
    device_cookie: str


class TooManyAttempts(AuthError):
    """Login refused for a while because of repeated failures; `retry_after` in whole seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@cache
def _dummy_hash() -> str:
    """A hash checked when the email has no account, so that the answer takes as long as for a real one."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(
    email: str, password: str, address: str, *, now: datetime, device_cookie: str | None = None
) -> LoginResult:
    """Check a login behind the brake (app/domain/login_brake.py); raises TooManyAttempts or AuthError.

    The same work is done whether the email has an account or not (a password hash is always checked),
    and the same message is given, so neither the answer nor its time tells whether an account exists.
    """
    email = normalise_email(email)
    organizer = find_by_email(email)
    device = brake.device_of(device_cookie, organizer.id if organizer else None)
    if device is not None:
        keys = {brake.device_key(device): brake.account_policy()}
        reset = set(keys)
    else:
        keys = {brake.account_key(email): brake.account_policy(), brake.address_key(address): brake.address_policy()}
        reset = {brake.account_key(email)}
    attempt = brake.count_attempt(keys, now)
    if not attempt.decision.allowed:
        log.warning("login refused by the brake: address=%s", address)
        raise TooManyAttempts(
            "Too many failed attempts. Please wait a few minutes and try again.",
            max(1, math.ceil(attempt.decision.retry_after.total_seconds())),
        )
    valid = check_password_hash(organizer.password_hash if organizer else _dummy_hash(), password)
    if organizer is None or not valid:
        raise AuthError("The email or password is not right.")
    brake.forgive(attempt, reset, now)
    return LoginResult(organizer, device_cookie if device else brake.new_device_cookie(organizer.id))


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(organizer: Organizer) -> str:
    """Make a new API token (the old one stops working) and return it: it is shown only once."""
    token = "tsu_" + secrets.token_urlsafe(32)
    organizer.api_token_hash = _hash_token(token)
    db.session.flush()
    log.info("api token issued: organiser=%s", organizer.id)
    return token


def organizer_for_api_token(token: str) -> Organizer | None:
    """The organiser whose API token this is (compared by hash), or None for an empty or unknown token."""
    if not token:
        return None
    return db.session.scalar(select(Organizer).where(Organizer.api_token_hash == _hash_token(token)))
