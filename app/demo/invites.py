"""Demo invitations: invites sent (no SMTP connection: marked as sent) and a cancellation."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Organizer
from app.db import utcnow
from app.events.models import Event
from app.extensions import db
from app.invites import services
from app.invites.models import CalendarEntry, EntryKind, MessageStatus, OutboxMessage
from app.participants.models import Participant, Status

log = logging.getLogger(__name__)

Events = tuple[Event, Event]


def _mark_sent(event: Event, at: object) -> None:
    """The demo never talks to an SMTP server: what it queued is recorded as delivered."""
    for message in db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.event_id == event.id,
            OutboxMessage.kind == "email",
            OutboxMessage.status == MessageStatus.PENDING,
        )
    ):
        message.status, message.attempts, message.sent_at, message.last_status_code = MessageStatus.SENT, 1, at, 250
        message.last_attempt_at = at
    db.session.commit()


def _seed_invites(event: Event, organizer: Organizer) -> None:
    if db.session.scalar(
        select(CalendarEntry.id).where(CalendarEntry.event_id == event.id, CalendarEntry.kind == EntryKind.INVITE)
    ):
        return
    now = utcnow()
    first = now - timedelta(days=3)
    withdrawn = db.session.scalars(
        select(Participant)
        .where(Participant.event_id == event.id, Participant.status == Status.CANCELLED)
        .order_by(Participant.id)
    ).first()
    if withdrawn is not None:  # invited before they withdrew: the next send cancels their invitation
        services.queue_one(event, withdrawn, organizer, None, False, first)
        db.session.commit()
    try:
        services.queue_invites(event, organizer, services.Audience.ALL, first)
    except services.InviteError:
        return
    _mark_sent(event, first + timedelta(minutes=2))
    with contextlib.suppress(services.InviteError):
        services.queue_invites(event, organizer, services.Audience.CHANGED, now - timedelta(days=1))
    _mark_sent(event, now - timedelta(days=1) + timedelta(minutes=1))
    log.info("demo invites recorded for %s", event.slug)


def seed_invites(organizer: Organizer, events: Events | None) -> Events | None:
    """Invitations (sent, one cancelled) for the upcoming demo event."""
    if not events:
        return events
    upcoming, _finished = events
    _seed_invites(upcoming, organizer)
    return events
