"""Reads of events for pages and the API."""

from __future__ import annotations

from datetime import datetime

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import Organizer
from app.events.models import Event, EventStatus, ProgrammeItem, event_organizers
from app.extensions import db


def _with_programme():  # type: ignore[no-untyped-def]
    return selectinload(Event.items).options(selectinload(ProgrammeItem.speakers), selectinload(ProgrammeItem.rounds))


def public_events(now: datetime) -> tuple[list[Event], list[Event]]:
    """Published and finished events: (upcoming or running, soonest first), (past, latest first)."""
    events = db.session.scalars(select(Event).where(Event.status != EventStatus.DRAFT)).all()
    upcoming = sorted((e for e in events if e.ends_at >= now), key=lambda e: e.starts_at)
    past = sorted((e for e in events if e.ends_at < now), key=lambda e: e.starts_at, reverse=True)
    return upcoming, past


def public_event_or_404(slug: str) -> Event:
    """A public event by slug; drafts look exactly like missing events."""
    event = db.session.scalar(select(Event).where(Event.slug == slug).options(_with_programme()))
    if event is None or not event.is_public:
        abort(404)
    return event


def organizer_events(organizer: Organizer) -> list[Event]:
    """The events this organiser helps run, newest first."""
    return list(
        db.session.scalars(
            select(Event)
            .join(event_organizers, event_organizers.c.event_id == Event.id)
            .where(event_organizers.c.organizer_id == organizer.id)
            .order_by(Event.starts_at.desc())
        )
    )


def owned_event_or_404(slug: str, organizer: Organizer) -> Event:
    """An event the organiser owns. Others get 404, not 403, so slugs of drafts do not leak."""
    event = db.session.scalar(select(Event).where(Event.slug == slug).options(_with_programme()))
    if event is None or not event.is_organized_by(organizer):
        abort(404)
    return event


def owned_item_or_404(event: Event, item_id: int) -> ProgrammeItem:
    """The event's programme item with this id; 404 for an item of another event."""
    item = next((i for i in event.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return item
