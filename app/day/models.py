"""Live state of an event on the day (a revision for personal pages), broadcast messages and the clock's log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organizer
from app.db import enum_type, utcnow
from app.events.models import CafeRound
from app.extensions import db


class LiveState(db.Model):
    """One per event. `revision` goes up on every change of the day that personal pages show (clock, broadcasts).

    The clock itself lives on the rounds (CafeRound.live_starts_at / live_ends_at): see app/domain/clock.py.
    """

    __tablename__ = "live_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Broadcast(db.Model):
    """A short message from the organisers shown at the top of every personal page of the event."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(String(500))
    urgent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))


class ClockAction(StrEnum):
    """What the organiser did to the clock of a café."""

    START = "start"  # started the next round now
    EXTEND = "extend"  # the running round ends later
    SHORTEN = "shorten"  # the running round ends earlier
    END = "end"  # the running round ended now
    POSTPONE = "postpone"  # between rounds: the next round starts later
    ADVANCE = "advance"  # between rounds: the next round starts earlier


class ClockEntry(db.Model):
    """One move of the organiser's clock, for the console's timeline: which round, what, by how much, by whom."""

    __tablename__ = "clock_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("cafe_round.id", ondelete="CASCADE"))
    action: Mapped[ClockAction] = mapped_column(enum_type(ClockAction))
    minutes: Mapped[int] = mapped_column(default=0)
    # The round's end as it stood after the move (what every countdown then showed).
    ends_at: Mapped[datetime]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))

    round: Mapped[CafeRound] = relationship()
    organizer: Mapped[Organizer | None] = relationship()
