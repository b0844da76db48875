"""People taking part in an event: participants, facilitators, speakers and staff."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import enum_type, utcnow
from app.events.models import Event
from app.extensions import db


class Role(StrEnum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    SPEAKER = "speaker"
    STAFF = "staff"


class Rsvp(StrEnum):
    """The person's own attendance answer, given on their personal page (None: not answered)."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class Status(StrEnum):
    """Registered or cancelled beforehand; present or absent on the day."""

    REGISTERED = "registered"
    CANCELLED = "cancelled"
    PRESENT = "present"
    ABSENT = "absent"


def new_token() -> str:
    """An unguessable personal-link token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class Participant(db.Model):
    """One person in one event. Their personal link is /p/<token>; the token is private."""

    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    family_name: Mapped[str] = mapped_column(String(80))
    given_name: Mapped[str] = mapped_column(String(80), default="")
    family_kana: Mapped[str] = mapped_column(String(80), default="")
    given_kana: Mapped[str] = mapped_column(String(80), default="")
    email: Mapped[str] = mapped_column(String(254))
    # The email of the person's Zoom account, when it is not the registration email: Zoom places people
    # in pre-assigned breakout rooms by the account they are signed in with. Empty = same as `email`.
    zoom_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    organization: Mapped[str] = mapped_column(String(200), default="")
    prefecture: Mapped[str] = mapped_column(String(20), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(
        enum_type(Role),
        default=Role.PARTICIPANT,
    )
    status: Mapped[Status] = mapped_column(
        enum_type(Status),
        default=Status.REGISTERED,
    )
    # Attendance as the person answered it on their personal page (the organiser's Status is separate).
    rsvp: Mapped[Rsvp | None] = mapped_column(enum_type(Rsvp, 10))
    rsvp_at: Mapped[datetime | None]
    # First café round the person attends (late arrivals); None means from the start.
    joins_round: Mapped[int | None]
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    token_issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: two organisers editing the same person cannot silently overwrite each other.
    version: Mapped[int] = mapped_column(default=1)

    event: Mapped[Event] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def zoom_sign_in_email(self) -> str:
        """The address Zoom's pre-assignment needs: the Zoom sign-in email if given, else the registration email."""
        return self.zoom_email or self.email

    @property
    def attends(self) -> bool:
        return self.status not in (Status.CANCELLED, Status.ABSENT)
