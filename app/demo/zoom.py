"""Demo Zoom sign-in emails: some people use a Zoom account under another address than the one they
registered with (a personal or another office's account), as in real summits."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.auth.models import Organizer
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant

log = logging.getLogger(__name__)

Events = tuple[Event, Event]
EVERY = 6  # one person in six, so the Zoom page shows both kinds


def _zoom_address(person: Participant) -> str:
    local = person.email.split("@", 1)[0]
    return f"{local}.zoom@example.jp"


def seed_zoom_emails(organizer: Organizer, events: Events | None) -> Events | None:
    """Give every sixth person of each demo event a Zoom sign-in email of their own (idempotent)."""
    if not events:
        return events
    for event in events:
        people = db.session.scalars(
            select(Participant).where(Participant.event_id == event.id).order_by(Participant.id)
        ).all()
        for index, person in enumerate(people):
            if index % EVERY == 2 and not person.zoom_email:
                person.zoom_email = _zoom_address(person)
    db.session.commit()
    log.info("demo Zoom sign-in emails set")
    return events
