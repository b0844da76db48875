"""Demo step for the day: a broadcast on the upcoming event, check-ins on the finished one, two personal links."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from app.auth.models import Organizer
from app.day.models import Broadcast, LiveState
from app.demo.programme import Events
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant, Role, Status

WELCOME = "ようこそ！開始10分前からZoomに入室できます。ワールドカフェの部屋はこのページに表示されます。"


def _people(event: Event, role: Role) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.event_id == event.id, Participant.role == role)
            .order_by(Participant.id)
        )
    )


def seed_day(organizer: Organizer, events: Events | None) -> Events | None:
    """Idempotent: the broadcast is added once; check-ins are set, not appended."""
    if events is None:
        return events
    upcoming, finished = events
    exists = db.session.scalar(select(Broadcast).where(Broadcast.event_id == upcoming.id, Broadcast.body == WELCOME))
    if exists is None:
        db.session.add(Broadcast(event_id=upcoming.id, body=WELCOME, created_by_id=organizer.id))
        state = db.session.scalar(select(LiveState).where(LiveState.event_id == upcoming.id))
        if state is None:
            db.session.add(LiveState(event_id=upcoming.id, revision=1))
        else:
            state.revision += 1
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
