"""Demo invitations and webhooks: invites sent (no SMTP connection: marked as sent), a cancellation, attendance
answers, and a
Slack endpoint whose log shows a delivery that failed once and then went through."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.models import Organizer
from app.db import utcnow
from app.events.models import Event
from app.extensions import db
from app.invites import calendars, outbox, rsvp, services
from app.invites.calendars import uid_domain
from app.invites.models import Invitation, MessageStatus, OutboxMessage
from app.participants.models import Participant, Rsvp, Status
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
    if db.session.scalar(select(Invitation.id).where(Invitation.event_id == event.id)):
        return
    now = utcnow()
    first = now - timedelta(days=3)
    name = services.organizer_name(event, organizer)
    withdrawn = db.session.scalars(
        select(Participant)
        .where(Participant.event_id == event.id, Participant.status == Status.CANCELLED)
        .order_by(Participant.id)
    ).first()
    if withdrawn is not None:  # invited before they withdrew: the next send cancels their invitation
        services.queue_one(calendars.load(event), withdrawn, None, name, first, cancel=False)
        db.session.commit()
    # The demo never has a real sender address (MAIL_FROM), and nothing leaves the machine: history only.
    try:
        services.queue_invites(event, organizer, services.Audience.ALL, first, enforce_readiness=False)
    except services.InviteError:
        db.session.rollback()
        return
    db.session.commit()
    _mark_sent(event, first + timedelta(minutes=2))
    _answer(event, first)
    try:
        services.queue_invites(
            event, organizer, services.Audience.CHANGED, now - timedelta(days=1), enforce_readiness=False
        )
        db.session.commit()
    except services.InviteError:
        db.session.rollback()
    _mark_sent(event, now - timedelta(days=1) + timedelta(minutes=1))
    log.info("demo invites recorded for %s", event.slug)


def _answer(event: Event, invited_at: datetime) -> None:
    """Most people answered on their personal page after the invitation; some did not (yet)."""
    people = db.session.scalars(
        select(Participant)
        .where(Participant.event_id == event.id, Participant.status != Status.CANCELLED)
        .order_by(Participant.id)
    ).all()
    for index, person in enumerate(people):
        if index % 10 in (0, 1, 2, 3, 4, 5, 6):
            answer = Rsvp.YES
        elif index % 10 == 7:
            answer = Rsvp.MAYBE
        elif index % 20 == 8:
            answer = Rsvp.NO
        else:
            continue  # no answer yet
        rsvp.answer(person, answer, invited_at + timedelta(hours=2 + index % 40))
    db.session.commit()


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
