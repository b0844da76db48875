"""Events and their programme: items, speakers and world-café rounds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organizer
from app.db import enum_type, revision_column, utcnow
from app.domain import clock
from app.extensions import db


class EventStatus(StrEnum):
    """Life cycle of an event: only published and finished events are public."""

    DRAFT = "draft"
    PUBLISHED = "published"
    FINISHED = "finished"


class ItemKind(StrEnum):
    """What a programme item is."""

    TALK = "talk"
    PANEL = "panel"
    CAFE = "cafe"
    BREAK = "break"
    SOCIAL = "social"


class SpeakerRole(StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"


event_organizers = Table(
    "event_organizer",
    db.metadata,
    Column("event_id", Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("organizer_id", Integer, ForeignKey("organizer.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    """A summit: a time window in one time zone, a meeting link and a programme."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Tokyo")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    # Off: the meeting link reaches registered people only (their personal page, invitation, calendar).
    meeting_url_public: Mapped[bool] = mapped_column(default=False)
    status: Mapped[EventStatus] = mapped_column(
        enum_type(EventStatus),
        default=EventStatus.DRAFT,
    )
    # Self-registration (participants issue).
    registration_open: Mapped[bool] = mapped_column(default=False)
    registration_capacity: Mapped[int | None]
    registration_consent: Mapped[str] = mapped_column(Text, default="")
    registration_domains: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    organizers: Mapped[list[Organizer]] = relationship(secondary=event_organizers)
    organizer_invites: Mapped[list[OrganizerInvite]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="OrganizerInvite.id"
    )
    items: Mapped[list[ProgrammeItem]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="ProgrammeItem.position"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_public(self) -> bool:
        return self.status != EventStatus.DRAFT

    @property
    def public_meeting_url(self) -> str:
        """The meeting link as public pages, feeds and the public API may show it: only if the organiser chose so."""
        return self.meeting_url if self.meeting_url_public else ""

    def is_organized_by(self, organizer: Organizer | None) -> bool:
        return organizer is not None and any(o.id == organizer.id for o in self.organizers)


class OrganizerInvite(db.Model):
    """A colleague's email added to an event's organisers. It becomes an organiser of the event when an
    account with this email signs in; until then it is listed by email, whether or not such an account
    exists, so adding an email never tells who has an account."""

    __tablename__ = "organizer_invite"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProgrammeItem(db.Model):
    """One slot of the programme. A café item carries rounds and (in the cafe feature) rooms."""

    __tablename__ = "programme_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    position: Mapped[int] = mapped_column(default=0)
    # Written after the event, for the report.
    summary: Mapped[str] = mapped_column(Text, default="")
    # Café settings: people per room, the host included, and the rotation seed.
    room_size_min: Mapped[int] = mapped_column(default=4)
    room_size_max: Mapped[int] = mapped_column(default=6)
    rotation_seed: Mapped[int] = mapped_column(default=0)
    # Goes up on every real change, for calendar updates (SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    # Goes up on every UPDATE: personal pages notice any change within their live check (app/day/holders.py).
    revision: Mapped[int] = revision_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="items")
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Speaker.position"
    )
    rounds: Mapped[list[CafeRound]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="CafeRound.number"
    )

    @property
    def moderator(self) -> Speaker | None:
        return next((s for s in self.speakers if s.role == SpeakerRole.MODERATOR), None)


class Speaker(db.Model):
    """A speaker or moderator of a talk or panel."""

    __tablename__ = "speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    role: Mapped[SpeakerRole] = mapped_column(
        enum_type(SpeakerRole),
        default=SpeakerRole.SPEAKER,
    )
    family_name: Mapped[str] = mapped_column(String(80))
    given_name: Mapped[str] = mapped_column(String(80), default="")
    organization: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[ProgrammeItem] = relationship(back_populates="speakers")


class CafeRound(db.Model):
    """One world-café round: its own question and time slot inside the café item."""

    __tablename__ = "cafe_round"
    __table_args__ = (UniqueConstraint("item_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    question: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # Set when the organiser publishes this round's seating (cafe feature).
    published_at: Mapped[datetime | None]
    # The live timetable: set when the organiser's clock moves the round (starts it by hand, extends it…);
    # starts_at/ends_at stay the planned times. See app/domain/clock.py.
    live_starts_at: Mapped[datetime | None]
    live_ends_at: Mapped[datetime | None]
    # Goes up on every UPDATE (times, question, publication): personal pages notice within their live check.
    revision: Mapped[int] = revision_column()

    item: Mapped[ProgrammeItem] = relationship(back_populates="rounds")

    @property
    def times(self) -> clock.RoundTimes:
        """Planned and live times, for the clock's maths."""
        return clock.RoundTimes(
            self.id, self.number, self.starts_at, self.ends_at, self.live_starts_at, self.live_ends_at
        )

    @property
    def actual_starts_at(self) -> datetime:
        return self.times.starts_at

    @property
    def actual_ends_at(self) -> datetime:
        return self.times.ends_at

    def has_started(self, now: datetime) -> bool:
        """Whether the round has started by the live timetable (by the programme or by the organiser's hand)."""
        return clock.has_started(self.starts_at, self.live_starts_at, now)
