"""Webhook endpoints and deliveries: register, enqueue on signals, send signed JSON, retry."""

from __future__ import annotations

import json
import logging
import secrets
import socket
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.db import utcnow
from app.domain import delivery
from app.events.models import Event
from app.extensions import db
from app.invites import outbox
from app.invites.calendars import uid_domain
from app.invites.models import OutboxMessage
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

TIMEOUT = 5
TOPICS = ("rounds.published", "round.started", "notes.submitted", "report.published")
SIGNATURE_HEADER = "X-Tsunagu-Signature"
TIMESTAMP_HEADER = "X-Tsunagu-Timestamp"
DELIVERY_HEADER = "X-Tsunagu-Delivery"
TOPIC_HEADER = "X-Tsunagu-Event"


class WebhookError(ValueError):
    """An endpoint that cannot be registered; the message (lazy, translated when shown) is for the organiser."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.lazy = message

    def __str__(self) -> str:
        return str(self.lazy)


def unsafe_target(url: str) -> Any:
    """Why `url` must not be called (scheme, unresolvable, private address), or None when it is fine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _l("Use a link that starts with https://")
    if current_app.config.get("WEBHOOK_ALLOW_PRIVATE"):
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError):
        return _l("The address %(host)s could not be found.", host=parts.hostname)
    addresses = {info[4][0] for info in infos}
    if not addresses or any(delivery.blocked_address(str(a)) for a in addresses):
        return _l(
            "%(host)s points to a private or local network address; webhooks can only go to public internet addresses.",
            host=parts.hostname,
        )
    return None


def add_endpoint(event: Event, url: str, topics: list[str], secret: str = "") -> WebhookEndpoint:
    """Register an endpoint (the secret is generated when none is given). Commits."""
    url = url.strip()
    if problem := unsafe_target(url):
        raise WebhookError(problem)
    chosen = [t for t in TOPICS if t in topics]
    if not chosen:
        raise WebhookError(_l("Choose at least one."))
    endpoint = WebhookEndpoint(
        event_id=event.id, url=url, topics=" ".join(chosen), secret=secret.strip() or secrets.token_urlsafe(32)
    )
    db.session.add(endpoint)
    db.session.commit()
    log.info("webhook endpoint %s added to event %s (%s)", endpoint.id, event.slug, endpoint.topics)
    return endpoint


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint with its log; its calls still waiting are dropped. Commits."""
    outbox_ids = [d.outbox_id for d in endpoint.deliveries]
    db.session.delete(endpoint)
    if outbox_ids:
        for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(outbox_ids))):
            db.session.delete(message)
    db.session.commit()
    log.info("webhook endpoint %s deleted", endpoint.id)


def endpoints_of(event: Event) -> list[WebhookEndpoint]:
    return list(
        db.session.scalars(
            select(WebhookEndpoint).where(WebhookEndpoint.event_id == event.id).order_by(WebhookEndpoint.id)
        )
    )


def deliveries_of(event: Event, limit: int = 100) -> list[WebhookDelivery]:
    """The delivery log, newest first."""
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .join(WebhookEndpoint)
            .where(WebhookEndpoint.event_id == event.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def payload(event: Event, topic: str, text: str, data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The JSON body: Slack/Teams read `text`; programs read the rest."""
    return {
        "text": text,
        "topic": topic,
        "occurred_at": now.isoformat(),
        "event": {"slug": event.slug, "title": event.title},
        "data": dict(data),
    }


def enqueue(event: Event, topic: str, text: str, data: Mapping[str, Any], now: datetime | None = None) -> int:
    """Add one delivery per subscribed endpoint to the current session WITHOUT committing."""
    now = now or utcnow()
    count = 0
    for endpoint in endpoints_of(event):
        if not endpoint.active or topic not in endpoint.topic_list:
            continue
        body = json.dumps(payload(event, topic, text, data, now), ensure_ascii=False, sort_keys=True)
        message = outbox.enqueue(
            kind="webhook",
            event_id=event.id,
            recipient=endpoint.url,
            subject=topic,
            payload=body,
            message_id=outbox.new_message_id(uid_domain()),
            now=now,
        )
        db.session.add(WebhookDelivery(endpoint=endpoint, outbox=message, topic=topic))
        count += 1
    if count:
        log.info("%s webhook deliveries of %s queued for event %s", count, topic, event.slug)
    return count


def send_test(endpoint: WebhookEndpoint, now: datetime) -> None:
    """Queue a `ping` to one endpoint (to check the receiver and the signature). Commits."""
    event = endpoint.event
    body = json.dumps(
        payload(event, "ping", f"Tsunagu: test from “{event.title}”", {"endpoint": endpoint.id}, now),
        ensure_ascii=False,
        sort_keys=True,
    )
    message = outbox.enqueue(
        kind="webhook",
        event_id=event.id,
        recipient=endpoint.url,
        subject="ping",
        payload=body,
        message_id=outbox.new_message_id(uid_domain()),
        now=now,
    )
    db.session.add(WebhookDelivery(endpoint=endpoint, outbox=message, topic="ping"))
    db.session.commit()


def send_webhook(envelope: outbox.Envelope, config: Mapping[str, Any]) -> outbox.Outcome:
    """POST one delivery: signed, 5 s timeout, no redirects, never to a private address (checked again now)."""
    endpoint = db.session.scalar(
        select(WebhookEndpoint).join(WebhookDelivery).where(WebhookDelivery.outbox_id == envelope.id)
    )
    if endpoint is None:
        raise outbox.DeliveryError("the endpoint was removed", retry=False)
    secret, url = endpoint.secret, endpoint.url
    db.session.commit()  # end the read before the network call
    # Checked at send time too: a name can be pointed at an internal address after registration.
    if problem := unsafe_target(url):
        with force_locale(config["BABEL_DEFAULT_LOCALE"]):
            raise outbox.DeliveryError(str(problem), retry=False)
    body = envelope.payload.encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Tsunagu-Webhooks/1",
        SIGNATURE_HEADER: delivery.sign(secret, body),
        TIMESTAMP_HEADER: str(int(utcnow().timestamp())),
        DELIVERY_HEADER: envelope.message_id,
        TOPIC_HEADER: envelope.subject,
    }
    try:
        response = requests.post(url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        raise outbox.DeliveryError(f"{type(error).__name__}: {error}") from error
    excerpt = response.text[:500]
    if 200 <= response.status_code < 300:
        return outbox.Outcome(response.status_code, excerpt)
    retry = delivery.retryable_status(response.status_code)
    raise outbox.DeliveryError(
        f"HTTP {response.status_code}",
        retry=retry,
        retry_after=delivery.retry_after(response.headers.get("Retry-After"), utcnow()) if retry else None,
        status_code=response.status_code,
        excerpt=excerpt,
    )


outbox.register_sender("webhook", send_webhook)
