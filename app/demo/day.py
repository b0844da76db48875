"""Demo step for the day: a broadcast on the upcoming event; check-ins and a clock move on the finished one; links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
from flask import current_app
from sqlalchemy import select

from app.auth.models import Organizer
from app.day.models import Broadcast, ClockAction, ClockEntry, LiveState
from app.db import utcnow
from app.demo.programme import Events
from app.domain import clock
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant, Role, Status

WELCOME = "ようこそ！開始10分前からZoomに入室できます。ワールドカフェの部屋はこのページに表示されます。"


def _office_hours_before() -> datetime:
    """The last 10:00 in Tokyo (an organiser posts in office hours, not when the demo happens to load)."""
    tokyo = ZoneInfo("Asia/Tokyo")
    now = utcnow().astimezone(tokyo)
    ten = now.replace(hour=10, minute=0, second=0, microsecond=0)
    return (ten if ten <= now else ten - timedelta(days=1)).astimezone(UTC)


def _people(event: Event, role: Role) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.event_id == event.id, Participant.role == role)
            .order_by(Participant.id)
        )
    )


def _finished_clock(organizer: Organizer, finished: Event) -> None:
    """The finished café's timeline: round 2 ran 5 minutes over (the rooms were lively), so round 3 moved too."""
    if db.session.scalar(select(ClockEntry.id).where(ClockEntry.event_id == finished.id).limit(1)) is not None:
        return
    rounds = [r for item in finished.items for r in item.rounds]
    if len(rounds) < 3:
        return
    second = rounds[1]
    when = second.ends_at - timedelta(minutes=3)
    moved = clock.extend([r.times for r in rounds if r.item_id == second.item_id], 5, when)
    by_id = {r.id: r for r in rounds}
    for times in clock.changed([r.times for r in rounds], moved):
        row = by_id[int(times.key)]  # type: ignore[call-overload]
        row.live_starts_at, row.live_ends_at = times.live_start, times.live_end
    db.session.add(
        ClockEntry(
            event_id=finished.id,
            round_id=second.id,
            action=ClockAction.EXTEND,
            minutes=5,
            ends_at=second.actual_ends_at,
            at=when,
            organizer_id=organizer.id,
        )
    )


def seed_day(organizer: Organizer, events: Events | None) -> Events | None:
    """Idempotent: the broadcast is added once; check-ins are set, not appended."""
    if events is None:
        return events
    upcoming, finished = events
    exists = db.session.scalar(select(Broadcast).where(Broadcast.event_id == upcoming.id, Broadcast.body == WELCOME))
    if exists is None:
        db.session.add(
            Broadcast(event_id=upcoming.id, body=WELCOME, created_by_id=organizer.id, created_at=_office_hours_before())
        )
        state = db.session.scalar(select(LiveState).where(LiveState.event_id == upcoming.id))
        if state is None:
            db.session.add(LiveState(event_id=upcoming.id, revision=1))
        else:
            state.revision += 1
    _finished_clock(organizer, finished)
    # The finished event: nearly everyone came; every 15th person did not.
    for i, person in enumerate(_people(finished, Role.PARTICIPANT) + _people(finished, Role.FACILITATOR)):
        if person.status != Status.CANCELLED:
            person.status = Status.ABSENT if i % 15 == 7 else Status.PRESENT
    db.session.flush()
    base = (current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    participant = next(iter(_people(upcoming, Role.PARTICIPANT)), None)
    facilitator = next(iter(_people(upcoming, Role.FACILITATOR)), None)
    if participant is not None:
        click.echo(f"  Participant's personal page: {base}/p/{participant.token}")
    if facilitator is not None:
        click.echo(f"  Facilitator's personal page: {base}/p/{facilitator.token}")
    click.echo(f"  Live console: {base}/manage/events/{upcoming.slug}/live")
    return events
