"""The outbox's rows: emails and webhook calls to make, written in the transaction of the change behind them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import enum_type, utcnow
from app.extensions import db

if TYPE_CHECKING:  # the outbox sits below the features: it names their tables, never imports them
    from app.events.models import Event
    from app.participants.models import Participant


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

    event: Mapped[Event] = relationship("Event")
    participant: Mapped[Participant | None] = relationship("Participant")
