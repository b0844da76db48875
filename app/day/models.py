"""Live state of an event on the day (manual round override) and broadcast messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.events.models import CafeRound
from app.extensions import db


class LiveState(db.Model):
    """One per event. `revision` goes up on every change personal pages show (override, broadcasts)."""

    __tablename__ = "live_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    # The round the organiser started by hand; None means "follow the timetable".
    round_id: Mapped[int | None] = mapped_column(ForeignKey("cafe_round.id", ondelete="SET NULL"))
    started_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[CafeRound | None] = relationship()


class Broadcast(db.Model):
    """A short message from the organisers shown at the top of every personal page of the event."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(String(500))
    urgent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))
