"""Demo invitations and webhooks: invites sent (no SMTP connection: marked as sent), a cancellation, and a
Slack endpoint whose log shows a delivery that failed once and then went through."""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Organizer
from app.db import utcnow
from app.events.models import Event
from app.extensions import db
from app.invites import outbox, services
from app.invites.calendars import uid_domain
from app.invites.models import CalendarEntry, EntryKind, MessageStatus, OutboxMessage
from app.participants.models import Participant, Status
from app.webhooks import services as webhooks
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

Events = tuple[Event, Event]
DEMO_HOOK = "https://hooks.slack.com/services/T0DEMO000/B0DEMO000/tsunagu-demo"


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


def _delivery(
    endpoint: WebhookEndpoint, topic: str, text: str, data: dict[str, object], at: object, *, failed_first: bool
) -> None:
    event = endpoint.event
    body = json.dumps(webhooks.payload(event, topic, text, data, at), ensure_ascii=False, sort_keys=True)  # type: ignore[arg-type]
    message = outbox.enqueue(
        kind="webhook",
        event_id=event.id,
        recipient=endpoint.url,
        subject=topic,
        payload=body,
        message_id=outbox.new_message_id(uid_domain()),
        now=at,  # type: ignore[arg-type]
    )
    message.status, message.sent_at, message.last_attempt_at = MessageStatus.SENT, at, at
    message.attempts, message.last_status_code, message.response_excerpt = (2 if failed_first else 1), 200, "ok"
    if failed_first:
        message.last_error = "HTTP 503"
    db.session.add(WebhookDelivery(endpoint=endpoint, outbox=message, topic=topic, created_at=at))


def _seed_webhook(event: Event) -> None:
    if db.session.scalar(
        select(WebhookEndpoint.id).where(WebhookEndpoint.event_id == event.id, WebhookEndpoint.url == DEMO_HOOK)
    ):
        return
    now = utcnow()
    endpoint = WebhookEndpoint(
        event=event,
        url=DEMO_HOOK,
        topics="rounds.published round.started notes.submitted report.published",
        secret="demo-secret-not-for-production-use",
    )
    db.session.add(endpoint)
    db.session.flush()
    _delivery(
        endpoint,
        "ping",
        f"Tsunagu: テスト送信（{event.title}）",
        {"endpoint": endpoint.id},
        now - timedelta(days=2),
        failed_first=False,
    )
    cafe = next((i for i in event.items if i.rounds), None)
    _delivery(
        endpoint,
        "rounds.published",
        f"{event.title}: {cafe.title if cafe else 'ワールドカフェ'}の部屋割りを公開しました（ラウンド1〜{len(cafe.rounds) if cafe else 4}）。",
        {"item": {"id": cafe.id if cafe else None}, "rounds": [r.number for r in cafe.rounds] if cafe else []},
        now - timedelta(days=1),
        failed_first=True,
    )
    db.session.commit()
    log.info("demo webhook endpoint and deliveries added to %s", event.slug)


def seed_invites(organizer: Organizer, events: Events | None) -> Events | None:
    """Invitations (sent, one cancelled) and a webhook log for the upcoming demo event."""
    if not events:
        return events
    upcoming, _finished = events
    _seed_invites(upcoming, organizer)
    _seed_webhook(upcoming)
    return events
