"""Calendar entries (what each UID last said) and invitations sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import enum_type, utcnow
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.participants.models import Participant


class EntryKind(StrEnum):
    """Where a UID is published: the public feed, a personal feed, or an emailed invitation."""

    PUBLIC = "public"
    PERSONAL = "personal"
    INVITE = "invite"


class CalendarEntry(db.Model):
    """What one calendar UID last said (for a feed) or what was last sent (for an invitation).

    SEQUENCE only ever goes up: a new fingerprint of the content gives the next number.
    Removed items keep their row, so feeds can mark them CANCELLED.
    """

    __tablename__ = "calendar_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None]  # no foreign key: the row outlives a removed item, to cancel it
    sequence: Mapped[int] = mapped_column(default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    last_modified: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled: Mapped[bool] = mapped_column(default=False)

    participant: Mapped[Participant | None] = relationship()


class Invitation(db.Model):
    """What one person was last emailed: the invitation's facts (to tell what changed next time) and the email."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    facts: Mapped[str] = mapped_column(Text, default="{}")  # JSON, language-free (calendars.person_facts)
    cancelled: Mapped[bool] = mapped_column(default=False)  # the last email withdrew the invitation
    sends: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship()
    outbox: Mapped[OutboxMessage | None] = relationship()
