"""A report's editable draft (its own copy of the harvested points) and its immutable published versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organizer
from app.cafe.models import Room
from app.db import enum_type, utcnow
from app.events.models import CafeRound, Event
from app.extensions import db
from app.notes.models import NoteImage, RoundNote


class ReportState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Report(db.Model):
    """One event's report. Readers see its latest version while it is published."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    state: Mapped[ReportState] = mapped_column(
        enum_type(ReportState),
        default=ReportState.DRAFT,
    )
    overview: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    show_names: Mapped[bool] = mapped_column(default=False)
    tags: Mapped[str] = mapped_column(String(500), default="")  # comma-separated
    current_version: Mapped[int] = mapped_column(default=0)  # 0: never published
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    points: Mapped[list[ReportPoint]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by=lambda: (ReportPoint.position, ReportPoint.id)
    )
    images: Mapped[list[ReportImage]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by=lambda: (ReportImage.position, ReportImage.id)
    )
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportVersion.number"
    )
    themes: Mapped[list[ReportTheme]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by=lambda: (ReportTheme.position, ReportTheme.id)
    )

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def is_published(self) -> bool:
        return self.state == ReportState.PUBLISHED and self.current_version > 0


class ReportPoint(db.Model):
    """The report's own copy of one harvested point: editing it never touches the facilitator's note."""

    __tablename__ = "report_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("cafe_round.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("round_note.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="point")
    original: Mapped[str] = mapped_column(Text, default="")  # the text as harvested, to spot new points
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    highlight: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    # Redacted by an organiser: gone from the draft and from every published version (and its exports).
    redacted: Mapped[bool] = mapped_column(default=False)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("report_theme.id", ondelete="SET NULL"), index=True)

    report: Mapped[Report] = relationship(back_populates="points")
    theme: Mapped[ReportTheme | None] = relationship(back_populates="points")
    round: Mapped[CafeRound] = relationship()
    room: Mapped[Room] = relationship()
    note: Mapped[RoundNote | None] = relationship()

    @property
    def edited(self) -> bool:
        return self.text != self.original


class ThemeKind(StrEnum):
    OPINION = "opinion"
    IDEA = "idea"


class ReportTheme(db.Model):
    """What several rooms of one round said, grouped from their points; the organiser reviews and names it."""

    __tablename__ = "report_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("cafe_round.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ThemeKind] = mapped_column(
        enum_type(ThemeKind),
        default=ThemeKind.OPINION,
    )
    title: Mapped[str] = mapped_column(String(300), default="")  # its most central point's text, or the organiser's
    named: Mapped[bool] = mapped_column(default=False)  # the organiser gave the title
    position: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[bool] = mapped_column(default=False)  # reviewed: regrouping keeps it as it is
    hidden: Mapped[bool] = mapped_column(default=False)
    highlight: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[Report] = relationship(back_populates="themes")
    round: Mapped[CafeRound] = relationship()
    points: Mapped[list[ReportPoint]] = relationship(
        back_populates="theme", order_by=lambda: (ReportPoint.position, ReportPoint.id)
    )


class ReportImage(db.Model):
    """A graphic recording offered to the report's gallery; the organiser may leave it out."""

    __tablename__ = "report_image"
    __table_args__ = (UniqueConstraint("report_id", "image_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("note_image.id", ondelete="CASCADE"), index=True)
    included: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    report: Mapped[Report] = relationship(back_populates="images")
    image: Mapped[NoteImage] = relationship()


class ReportVersion(db.Model):
    """An immutable published snapshot: the document as JSON plus the columns the archive searches."""

    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(index=True)
    tags: Mapped[str] = mapped_column(String(500), default="")  # "|tag1|tag2|" for exact LIKE matches
    excerpt: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text)  # the Document as JSON
    # What the draft was built from when this version was published (building.draft_fingerprint).
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    # Withdrawn by an organiser: no longer readable or downloadable; the row stays as a record.
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("organizer.id", ondelete="SET NULL"))

    report: Mapped[Report] = relationship(back_populates="versions")
    published_by: Mapped[Organizer | None] = relationship(foreign_keys=[published_by_id])

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ReportSearchGram(db.Model):
    """The archive's index: each pair of adjacent characters (bigram) of a readable report's searchable text.

    Japanese has no spaces, so words cannot be indexed; a keyword's bigrams all being present narrows the
    reports to check to a few, on SQLite and PostgreSQL alike, before the exact substring test.
    """

    __tablename__ = "report_search_gram"

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), primary_key=True, index=True)
