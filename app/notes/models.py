"""Facilitators' round notes: one note per room per round, every revision kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organizer
from app.cafe.models import Room
from app.db import utcnow
from app.events.models import CafeRound
from app.extensions import db
from app.participants.models import Participant

# The text fields of a note, in the order they are shown.
CONTENT_FIELDS = ("summary", "key_points", "ideas", "quotes", "body_md")


class RoundNote(db.Model):
    """What a room said in a round. `version` counts content saves and guards against silent overwrites.

    Version 0 is a note that exists only to hold images; every content save moves the version on by one
    (a conditional UPDATE, see services.save_note) and adds a NoteRevision with the new number.
    """

    __tablename__ = "round_note"
    __table_args__ = (UniqueConstraint("round_id", "room_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("cafe_round.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    key_points: Mapped[str] = mapped_column(Text, default="")
    ideas: Mapped[str] = mapped_column(Text, default="")
    quotes: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    publishable: Mapped[bool] = mapped_column(default=True)
    submitted: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    updated_by_organizer_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))

    round: Mapped[CafeRound] = relationship()
    room: Mapped[Room] = relationship()
    updated_by: Mapped[Participant | None] = relationship()
    updated_by_organizer: Mapped[Organizer | None] = relationship()
    revisions: Mapped[list[NoteRevision]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="NoteRevision.version"
    )
    images: Mapped[list[NoteImage]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="NoteImage.id"
    )

    @property
    def has_content(self) -> bool:
        return any(getattr(self, name).strip() for name in CONTENT_FIELDS)


class NoteRevision(db.Model):
    """A saved state of a note; every save adds one."""

    __tablename__ = "note_revision"
    __table_args__ = (UniqueConstraint("note_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("round_note.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    summary: Mapped[str] = mapped_column(Text, default="")
    key_points: Mapped[str] = mapped_column(Text, default="")
    ideas: Mapped[str] = mapped_column(Text, default="")
    quotes: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    publishable: Mapped[bool] = mapped_column(default=True)
    submitted: Mapped[bool] = mapped_column(default=False)
    autosave: Mapped[bool] = mapped_column(default=False)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    saved_by_organizer_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))

    note: Mapped[RoundNote] = relationship(back_populates="revisions")
    saved_by: Mapped[Participant | None] = relationship()
    saved_by_organizer: Mapped[Organizer | None] = relationship()


class NoteImage(db.Model):
    """A graphic recording or whiteboard photo, stored under the upload folder with a random name."""

    __tablename__ = "note_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("round_note.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # stored name: random, with the checked extension
    original_name: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    caption: Mapped[str] = mapped_column(String(300), default="")
    publishable: Mapped[bool] = mapped_column(default=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    uploaded_by_organizer_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))

    note: Mapped[RoundNote] = relationship(back_populates="images")
