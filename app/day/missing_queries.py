"""Reads for "Who is missing?": the café round to come, a people search, who is absent or late, the re-plan preview."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select

from app.cafe import planner, queries
from app.cafe.models import Room
from app.domain import clock, rotation
from app.domain.attendance import Matching
from app.events.models import CafeRound, Event, ItemKind, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Rsvp, Status

SEARCH_LIMIT = 20
LIST_LIMIT = 60


@dataclass(frozen=True)
class Preview:
    """The draft of the rounds to come against what people were told: the seats that change, the quality kept."""

    changes: list[tuple[Participant, int, Room | None, Room | None]]
    published: rotation.Stats
    draft: rotation.Stats
    problems: list[tuple[int, str, Participant]]  # rounds to come: attending without a seat, seated but absent

    @property
    def ready(self) -> bool:
        """A re-plan is waiting to be published."""
        return bool(self.changes)


@dataclass
class MissingFlow:
    """Everything the "Who is missing?" screen shows."""

    item: ProgrammeItem | None
    coming: CafeRound | None  # the next round to start: re-plans start there
    running: CafeRound | None
    counts: dict[str, int]
    q: str = ""
    results: list[Participant] = field(default_factory=list)
    total: int = 0
    absent: list[Participant] = field(default_factory=list)
    absent_total: int = 0
    expected: list[Participant] = field(default_factory=list)  # said "can't attend", not marked absent yet
    late: list[Participant] = field(default_factory=list)
    preview: Preview | None = None
    zoom: Matching | None = None
    zoom_people: dict[int, Participant] = field(default_factory=dict)
    zoom_rows: int = 0

    @property
    def zoom_absent(self) -> list[Participant]:
        """People of the roster not found in the Zoom report, not already marked absent."""
        if self.zoom is None:
            return []
        people = [self.zoom_people[int(k)] for k in self.zoom.absent if int(k) in self.zoom_people]  # type: ignore[call-overload]
        return [p for p in people if p.status != Status.ABSENT]


def cafe_and_rounds(event: Event, now: datetime) -> tuple[ProgrammeItem | None, CafeRound | None, CafeRound | None]:
    """The café the day is about (a round running, else the next round to start) with those two rounds."""
    cafes = [i for i in event.items if i.kind == ItemKind.CAFE]
    rounds = [r for item in cafes for r in item.rounds]
    running = next((r for r in rounds if r.times.is_running(now)), None)
    coming_all = [r for r in rounds if not r.has_started(now)]
    coming = None
    if running is not None:
        coming = next((r for r in coming_all if r.item_id == running.item_id), None)
    elif coming_all:
        coming = min(coming_all, key=lambda r: r.actual_starts_at)
    focus = running or coming
    item = next((i for i in cafes if focus is not None and i.id == focus.item_id), cafes[0] if cafes else None)
    return item, coming, running


def search(event: Event, q: str, limit: int = SEARCH_LIMIT) -> tuple[list[Participant], int]:
    """People of the event whose name, reading, organisation or email contains `q` (kana and kanji alike)."""
    text = q.strip()
    if not text:
        return [], 0
    like = f"%{text}%"
    stmt = select(Participant).where(
        Participant.event_id == event.id,
        or_(
            (Participant.family_name + Participant.given_name).ilike(like),
            (Participant.family_name + " " + Participant.given_name).ilike(like),
            (Participant.family_kana + Participant.given_kana).ilike(like),
            (Participant.family_kana + " " + Participant.given_kana).ilike(like),
            Participant.organization.ilike(like),
            Participant.email.ilike(like),
        ),
    )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    people = db.session.scalars(
        stmt.order_by(Participant.family_kana, Participant.family_name, Participant.id).limit(limit)
    ).all()
    return list(people), total


def _counts(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        select(Participant.status, func.count()).where(Participant.event_id == event.id).group_by(Participant.status)
    ).all()
    return {str(getattr(status, "value", status)): count for status, count in rows}


def preview(item: ProgrammeItem, now: datetime) -> Preview:
    """The rounds to come: what the draft changes against the published plan, and both plans' measures."""
    data = planner.load(item)
    started = planner.started_upto(data, now)
    draft = planner.frozen_draft(data, now)
    changes = queries.describe_changes(data, planner.pending_changes(data, since=started))
    return Preview(
        changes=changes,
        published=queries.measure(data, data.published),
        draft=queries.measure(data, draft),
        problems=planner.open_problems(data, now),
    )


def flow(event: Event, now: datetime, q: str = "") -> MissingFlow:
    """The "Who is missing?" screen at `now`, with the people matching `q`."""
    item, coming, running = cafe_and_rounds(event, now)
    results, total = search(event, q)
    absent_stmt = select(Participant).where(Participant.event_id == event.id, Participant.status == Status.ABSENT)
    absent_total = db.session.scalar(select(func.count()).select_from(absent_stmt.subquery())) or 0
    absent = db.session.scalars(absent_stmt.order_by(Participant.updated_at.desc()).limit(LIST_LIMIT)).all()
    late: list[Participant] = []
    if coming is not None:
        late = list(
            db.session.scalars(
                select(Participant)
                .where(
                    Participant.event_id == event.id,
                    Participant.joins_round.is_not(None),
                    Participant.joins_round >= coming.number,
                    Participant.status != Status.CANCELLED,
                )
                .order_by(Participant.id.desc())
                .limit(LIST_LIMIT)
            )
        )
    expected = db.session.scalars(
        select(Participant)
        .where(
            Participant.event_id == event.id,
            Participant.rsvp == Rsvp.NO,
            Participant.status.not_in((Status.ABSENT, Status.CANCELLED)),
        )
        .order_by(Participant.family_kana, Participant.family_name, Participant.id)
        .limit(LIST_LIMIT)
    ).all()
    return MissingFlow(
        item=item,
        coming=coming,
        running=running,
        counts=_counts(event),
        q=q,
        results=results,
        total=total,
        absent=list(absent),
        absent_total=absent_total,
        expected=list(expected),
        late=late,
        preview=preview(item, now) if item is not None and coming is not None else None,
    )


def started_round_numbers(item: ProgrammeItem, now: datetime) -> int:
    """The last round of the café that has started (0: none)."""
    return clock.last_started([r.times for r in item.rounds], now)
