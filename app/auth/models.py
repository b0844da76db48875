"""Organiser accounts and login attempts."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db


class Organizer(UserMixin, db.Model):
    """A person who schedules and runs events. Owns events through event_organizers."""

    __tablename__ = "organizer"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    # Only a hash is kept: the token itself is shown once, when it is made.
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session cookie; bumped at logout and password change, which ends every session at once
    # (copied cookies, other browsers, other app servers): app/auth/sessions.py.
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")

    def __repr__(self) -> str:
        return f"<Organizer {self.email}>"


class LoginCounter(db.Model):
    """One counter of the login brake (app/domain/login_brake.py): an account, a client address or a known
    browser. Shared by every worker and every app server; changed only under a row lock (app/auth/brake.py).
    The key is a hash, so made-up emails tried by a guesser are not kept."""

    __tablename__ = "login_counter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime | None] = mapped_column(index=True)
    blocked_until: Mapped[datetime | None]
