"""World-café rooms and seats (the rotation plan, draft and published)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.events.models import CafeRound, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant


class Room(db.Model):
    """A breakout room of a café item. Its host (facilitator) stays in it every round."""

    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("item_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    breakout_url: Mapped[str] = mapped_column(String(500), default="")
    host_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[ProgrammeItem] = relationship()
    host: Mapped[Participant | None] = relationship()


class Seat(db.Model):
    """A person in a room in a round. Draft seats are the working plan; published ones are what people see."""

    __tablename__ = "seat"
    __table_args__ = (UniqueConstraint("round_id", "participant_id", "published"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("cafe_round.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[CafeRound] = relationship()
    room: Mapped[Room] = relationship()
    participant: Mapped[Participant] = relationship()
