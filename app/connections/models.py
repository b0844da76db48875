"""What people keep of the café: contact cards shared by consent, private notes, "talk again", and settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import enum_type, utcnow
from app.domain.connections import Audience
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant


class ContactCard(db.Model):
    """What one person shares with people they met, and with whom. No row (or audience "nobody"): nothing."""

    __tablename__ = "contact_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), unique=True)
    audience: Mapped[Audience] = mapped_column(
        enum_type(Audience),
        default=Audience.NOBODY,
    )
    share_email: Mapped[bool] = mapped_column(default=False)
    # Free text: a phone extension, a chat handle, "Teams で 山田 と検索" …
    text: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Two tabs of the same person: the second save of an old form is refused, not silently applied.
    version: Mapped[int] = mapped_column(default=1)

    participant: Mapped[Participant] = relationship()

    __mapper_args__ = {"version_id_col": version}


class ContactPick(db.Model):
    """A person picked to see the owner's contact (used while the owner's audience is "picked")."""

    __tablename__ = "contact_pick"
    __table_args__ = (UniqueConstraint("owner_id", "recipient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersonNote(db.Model):
    """A private note one person keeps about someone they met; only its author ever sees it."""

    __tablename__ = "person_note"
    __table_args__ = (UniqueConstraint("author_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class TalkAgain(db.Model):
    """One person's wish to talk again with someone they met (only while the organiser allows it)."""

    __tablename__ = "talk_again"
    __table_args__ = (UniqueConstraint("from_id", "to_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    to_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TalkAgainMatch(db.Model):
    """A mutual wish, recorded once per pair: its row is what guarantees the emails go out only once."""

    __tablename__ = "talk_again_match"
    __table_args__ = (
        UniqueConstraint("first_id", "second_id"),
        CheckConstraint("first_id < second_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    second_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    matched_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConnectionSettings(db.Model):
    """The organiser's choices for an event's connections. No row: the defaults."""

    __tablename__ = "connection_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    # The one-click "I'd like to talk again" (off unless the organiser turns it on).
    talk_again: Mapped[bool] = mapped_column(default=False)
    # The network picture in the published report (counts and groups only, never people).
    in_report: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
