"""Demo webhooks: a Slack endpoint (Block Kit messages) whose log shows a delivery that failed once and then
went through, and a Teams Workflows endpoint (Adaptive Cards) for rounds starting and notes coming in."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from app import outbox
from app.auth.models import Organizer
from app.db import utcnow
from app.domain import webhook_payloads as payloads
from app.events.models import Event
from app.extensions import db
from app.invites.calendars import external, uid_domain
from app.outbox.models import MessageStatus
from app.webhooks import services
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

Events = tuple[Event, Event]
# Shaped like real addresses (the page shows their ends); the demo never calls them.
SLACK_HOOK = "https://hooks.slack.com/services/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"
TEAMS_HOOK = (
    "https://prod-27.japaneast.logic.azure.com:443/workflows/8f2c41d07b3e4a9c9e51b6d2a7c0f3e1/triggers/manual/paths/"
    "invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Xk3vQ9pL2mZ7rT5wY8bN1cF4hJ6dS0aG"
)
# What demos loaded before used; renamed to the above on the next run.
LEGACY_HOOKS = {
    "https://hooks.slack.com/services/T0DEMO000/B0DEMO000/tsunagu-demo": SLACK_HOOK,
    "https://prod-27.japaneast.logic.azure.com:443/workflows/0d3e5f1tsunagudemo/triggers/manual/paths/invoke"
    "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=demo-signature-not-real": TEAMS_HOOK,
}


def _delivery(
    endpoint: WebhookEndpoint, notice: payloads.Notice, *, failed_first: bool, answer: tuple[int, str]
) -> None:
    """A delivery as the worker would have recorded it (the demo never calls Slack or Teams)."""
    at = notice.occurred_at
    body = json.dumps(payloads.build(endpoint.format, notice), ensure_ascii=False, sort_keys=True)
    message = outbox.enqueue(
        kind="webhook",
        event_id=endpoint.event_id,
        recipient=endpoint.url,
        subject=notice.topic,
        payload=body,
        message_id=outbox.new_message_id(uid_domain()),
        now=at,
    )
    message.status, message.sent_at, message.last_attempt_at = MessageStatus.SENT, at, at
    message.attempts = 2 if failed_first else 1
    message.last_status_code, message.response_excerpt = answer
    if failed_first:
        message.last_error = "HTTP 503"
    db.session.add(WebhookDelivery(endpoint=endpoint, outbox=message, topic=notice.topic, created_at=at))


def _endpoint(event: Event, url: str, fmt: str, topics: str, secret: str) -> WebhookEndpoint | None:
    """A new demo endpoint, or None when it is already there."""
    legacy = [old for old, new in LEGACY_HOOKS.items() if new == url]
    found = db.session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.event_id == event.id, WebhookEndpoint.url.in_([url, *legacy]))
    )
    if found is not None:
        found.format = fmt  # demos loaded before endpoints had a format
        found.url = url
        return None
    endpoint = WebhookEndpoint(event=event, url=url, topics=topics, secret=secret, format=fmt)
    db.session.add(endpoint)
    db.session.flush()
    return endpoint


def _notice(event: Event, topic: str, text: str, at: datetime, **extra: object) -> payloads.Notice:
    return services.notice(event, topic, text, extra.pop("data", {}), at, **extra)  # type: ignore[arg-type]


def _seed_slack(event: Event, now: datetime) -> None:
    endpoint = _endpoint(
        event, SLACK_HOOK, "slack", "rounds.published round.started notes.submitted report.published",
        "demo-secret-not-for-production-use",
    )  # fmt: skip
    if endpoint is None:
        return
    page = external("events.show", slug=event.slug)
    _delivery(
        endpoint,
        _notice(
            event,
            "ping",
            f"Tsunagu: テスト送信（{event.title}）",
            now - timedelta(days=2),
            data={"endpoint": endpoint.id},
        ),
        failed_first=False,
        answer=(200, "ok"),
    )
    cafe = next((i for i in event.items if i.rounds), None)
    rounds = [r.number for r in cafe.rounds] if cafe else []
    title = cafe.title if cafe else "ワールドカフェ"
    _delivery(
        endpoint,
        _notice(
            event,
            "rounds.published",
            f"{event.title}: {title}の部屋割りを公開しました（ラウンド {', '.join(map(str, rounds))}）。",
            now - timedelta(days=1),
            data={"item": {"id": cafe.id if cafe else None, "title": title}, "rounds": rounds},
            link=page,
            link_label="イベントページを開く",
            facts=[("プログラム", title), ("ラウンド", ", ".join(map(str, rounds)))],
        ),
        failed_first=True,
        answer=(200, "ok"),
    )


def _seed_teams(event: Event, now: datetime) -> None:
    endpoint = _endpoint(
        event, TEAMS_HOOK, "teams", "round.started notes.submitted", "demo-teams-secret-not-for-production"
    )
    if endpoint is None:
        return
    cafe = next((i for i in event.items if i.rounds), None)
    question = cafe.rounds[0].question if cafe else ""
    _delivery(
        endpoint,
        _notice(
            event,
            "ping",
            f"Tsunagu: テスト送信（{event.title}）",
            now - timedelta(hours=20),
            data={"endpoint": endpoint.id},
        ),
        failed_first=False,
        answer=(202, ""),
    )
    _delivery(
        endpoint,
        _notice(
            event,
            "round.started",
            f"{event.title}: ラウンド1が始まりました。{question}",
            now - timedelta(hours=19),
            data={"round": {"number": 1, "question": question, "item_id": cafe.id if cafe else None}},
            link=external("events.show", slug=event.slug),
            link_label="イベントページを開く",
            facts=[("ラウンド", "1"), ("問い", question)],
        ),
        failed_first=False,
        answer=(202, ""),
    )


def seed_webhooks(organizer: Organizer, events: Events | None) -> Events | None:
    """A Slack-format and a Teams-format endpoint with their delivery logs, on the upcoming demo event."""
    if not events:
        return events
    upcoming, _finished = events
    now = utcnow()
    _seed_slack(upcoming, now)
    _seed_teams(upcoming, now)
    db.session.commit()
    log.info("demo webhook endpoints and deliveries on %s", upcoming.slug)
    return events
