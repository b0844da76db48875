"""Calendar entries (what each UID last said), invitations sent, and the durable outbox of emails and webhook calls."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import enum_type, utcnow
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant


class EntryKind(StrEnum):
    """Where a UID is published: the public feed, a personal feed, or an emailed invitation."""

    PUBLIC = "public"
    PERSONAL = "personal"
    INVITE = "invite"


class MessageStatus(StrEnum):
    """pending → sending (claimed under a lease) → sent; failed once out of attempts."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One email or webhook call to make, written in the same transaction as the change behind it."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "email" or "webhook": picks the sender
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    status: Mapped[MessageStatus] = mapped_column(enum_type(MessageStatus), default=MessageStatus.PENDING)
    # Recognises duplicates: the email's Message-ID, or the webhook's X-Tsunagu-Delivery header.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(300), default="")
    payload: Mapped[str] = mapped_column(Text)  # the whole MIME message, or the JSON body
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=8)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lock_token: Mapped[str | None] = mapped_column(String(40))
    locked_until: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_status_code: Mapped[int | None]
    response_excerpt: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    participant: Mapped[Participant | None] = relationship()


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
