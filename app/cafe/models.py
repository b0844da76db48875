"""World-café rooms and seats (the rotation plan, draft and published), keep-apart pairs, the plan, its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organizer
from app.db import revision_column, utcnow
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
    # Goes up on every UPDATE (name, link, host): personal pages notice within their live check.
    revision: Mapped[int] = revision_column()

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


class KeepApart(db.Model):
    """Two people the organiser wants in different rooms (a manager and their staff, say)."""

    __tablename__ = "keep_apart"
    __table_args__ = (UniqueConstraint("item_id", "first_id", "second_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    # Stored with first_id < second_id so that a pair is recorded once.
    first_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    first: Mapped[Participant] = relationship(foreign_keys=[first_id])
    second: Mapped[Participant] = relationship(foreign_keys=[second_id])


class CafePlan(db.Model):
    """The draft plan of a café item: how it was made (seed, re-plan round) and its measures."""

    __tablename__ = "cafe_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), unique=True)
    seed: Mapped[int] = mapped_column(default=0)
    # 1 for a full plan; k when rounds k.. were re-planned around the rounds already held.
    planned_from: Mapped[int] = mapped_column(default=1)
    # The engine's measures when the plan was made (FORMAT.md names); hand edits are measured live.
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    item: Mapped[ProgrammeItem] = relationship()


@dataclass(frozen=True)
class NameAtTheTime:
    """A person's name as it was when a change was recorded (for the person_name filter)."""

    family_name: str
    given_name: str


class PlanChange(db.Model):
    """A line of the plan's history: what changed (an action and its values), when, and by whom.

    `data` holds plain values only — round numbers, counts, room names, and people as
    {"id", "family_name", "given_name"} as they were then — and templates/cafe/_change.html puts them
    into a sentence in the reader's language. Never a Python repr, never an id on the page.
    """

    __tablename__ = "cafe_plan_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    organizer: Mapped[Organizer | None] = relationship()

    @property
    def people(self) -> list[NameAtTheTime]:
        return self.names("people")

    def names(self, key: str) -> list[NameAtTheTime]:
        """The people kept under `key` (one person or a list), as names for the page."""
        value = self.data.get(key) or []
        found = [value] if isinstance(value, dict) else value
        return [NameAtTheTime(p.get("family_name", ""), p.get("given_name", "")) for p in found]


class PlanVersion(db.Model):
    """Each publish of a café's plan: who published it, which rounds changed, and the published seats after it.

    The snapshot lets the organiser undo the last publish for the rounds that have not started.
    `seats` is {round number: {room id: [participant ids]}} as plain JSON (keys are strings).
    """

    __tablename__ = "cafe_plan_version"
    __table_args__ = (UniqueConstraint("item_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    rounds: Mapped[list[int]] = mapped_column(JSON, default=list)
    changed: Mapped[int] = mapped_column(default=0)  # published seats that moved (0 for a first publication)
    seats: Mapped[dict[str, dict[str, list[int]]]] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))

    organizer: Mapped[Organizer | None] = relationship(foreign_keys=[organizer_id])
    undone_by: Mapped[Organizer | None] = relationship(foreign_keys=[undone_by_id])
