"""Organiser accounts: creation, password checks with a brake on guessing, API tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import LoginAttempt, Organizer
from app.extensions import db

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


class AuthError(ValueError):
    """A login or account problem with a message fit for the person."""


class TooManyAttempts(AuthError):
    """Login refused for a while because of repeated failures."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> Organizer | None:
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
    organizer = Organizer(email=email, display_name=display_name, password_hash=generate_password_hash(password))
    db.session.add(organizer)
    db.session.commit()
    log.info("organiser created: id=%s", organizer.id)
    return organizer


def set_password(organizer: Organizer, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    organizer.password_hash = generate_password_hash(password)
    db.session.commit()


def authenticate(
    email: str, password: str, ip: str, *, now: datetime, max_failures: int, window: timedelta
) -> Organizer:
    """Check a login. After `max_failures` failures for this email or address within `window`, refuse."""
    email = normalise_email(email)
    since = now - window
    failures = db.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.at >= since, (LoginAttempt.email == email) | (LoginAttempt.ip == ip))
    )
    if failures is not None and failures >= max_failures:
        log.warning("login blocked for too many failures: ip=%s", ip)
        raise TooManyAttempts("Too many failed attempts. Please wait a few minutes and try again.")
    organizer = find_by_email(email)
    if organizer is None or not check_password_hash(organizer.password_hash, password):
        db.session.add(LoginAttempt(email=email, ip=ip, at=now))
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - window * 4))
        db.session.commit()
        raise AuthError("The email or password is not right.")
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    db.session.commit()
    return organizer


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(organizer: Organizer) -> str:
    """Make a new API token (the old one stops working) and return it: it is shown only once."""
    token = "tsu_" + secrets.token_urlsafe(32)
    organizer.api_token_hash = _hash_token(token)
    db.session.commit()
    log.info("api token issued: organiser=%s", organizer.id)
    return token


def organizer_for_api_token(token: str) -> Organizer | None:
    if not token:
        return None
    return db.session.scalar(select(Organizer).where(Organizer.api_token_hash == _hash_token(token)))
