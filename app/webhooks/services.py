"""Webhook endpoints and deliveries: register, enqueue on signals, send signed bodies, retry.

Changes to endpoints write (flush); the caller — the view — commits once. Sending runs in the outbox worker.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import requests
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import outbox
from app.db import utcnow
from app.domain import delivery
from app.domain import webhook_payloads as payloads
from app.events.models import Event
from app.extensions import db
from app.invites.calendars import uid_domain
from app.outbox.models import OutboxMessage
from app.webhooks import transport
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
    try:
        transport.resolve(url, allow_private=bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE")))
    except transport.RefusedTarget as refused:
        return refused.reason
    return None


def _format(fmt: str, url: str) -> str:
    return fmt if fmt in payloads.FORMATS else payloads.guess_format(url)


def add_endpoint(event: Event, url: str, topics: list[str], secret: str = "", fmt: str = "") -> WebhookEndpoint:
    """Register an endpoint (secret generated when none is given; format guessed from the URL when not chosen)."""
    url = url.strip()
    if problem := unsafe_target(url):
        raise WebhookError(problem)
    chosen = [t for t in TOPICS if t in topics]
    if not chosen:
        raise WebhookError(_l("Choose at least one."))
    endpoint = WebhookEndpoint(
        event_id=event.id,
        url=url,
        topics=" ".join(chosen),
        secret=secret.strip() or secrets.token_urlsafe(32),
        format=_format(fmt, url),
    )
    db.session.add(endpoint)
    db.session.flush()
    log.info(
        "webhook endpoint %s added to event %s (%s, %s)", endpoint.id, event.slug, endpoint.format, endpoint.topics
    )
    return endpoint


def set_format(endpoint: WebhookEndpoint, fmt: str) -> WebhookEndpoint:
    """Change how an endpoint's calls are laid out; calls already queued keep their body."""
    if fmt not in payloads.FORMATS:
        raise WebhookError(_l("Choose a format from the list."))
    endpoint.format = fmt
    db.session.flush()
    log.info("webhook endpoint %s now receives %s", endpoint.id, fmt)
    return endpoint


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint with its log; its calls still waiting are dropped."""
    outbox_ids = [d.outbox_id for d in endpoint.deliveries]
    db.session.delete(endpoint)
    if outbox_ids:
        for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(outbox_ids))):
            db.session.delete(message)
    db.session.flush()
    log.info("webhook endpoint %s deleted", endpoint.id)


def endpoints_of(event: Event) -> list[WebhookEndpoint]:
    """The event's webhook endpoints, oldest first."""
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


def notice(
    event: Event,
    topic: str,
    text: str,
    data: Mapping[str, Any],
    now: datetime,
    *,
    link: str = "",
    link_label: str = "",
    facts: Iterable[tuple[str, str]] = (),
) -> payloads.Notice:
    """What happened to `event`, ready to be laid out in each endpoint's format."""
    return payloads.Notice(
        topic=topic,
        text=text,
        occurred_at=now,
        event_slug=event.slug,
        event_title=event.title,
        data=dict(data),
        link=link,
        link_label=link_label,
        facts=tuple((str(label), str(value)) for label, value in facts),
    )


def _queue(endpoint: WebhookEndpoint, found: payloads.Notice, now: datetime) -> None:
    body = json.dumps(payloads.build(endpoint.format, found), ensure_ascii=False, sort_keys=True)
    message = outbox.enqueue(
        kind="webhook",
        event_id=endpoint.event_id,
        recipient=endpoint.url,
        subject=found.topic,
        payload=body,
        message_id=outbox.new_message_id(uid_domain()),
        now=now,
    )
    db.session.add(WebhookDelivery(endpoint=endpoint, outbox=message, topic=found.topic))


def enqueue(event: Event, found: payloads.Notice, now: datetime | None = None) -> int:
    """Add one delivery per subscribed endpoint to the current session WITHOUT committing."""
    now = now or utcnow()
    count = 0
    for endpoint in endpoints_of(event):
        if not endpoint.active or found.topic not in endpoint.topic_list:
            continue
        _queue(endpoint, found, now)
        count += 1
    if count:
        log.info("%s webhook deliveries of %s queued for event %s", count, found.topic, event.slug)
    return count


def send_test(endpoint: WebhookEndpoint, now: datetime, text: str) -> None:
    """Queue a `ping` to one endpoint (to check the receiver, the format and the signature)."""
    _queue(endpoint, notice(endpoint.event, "ping", text, {"endpoint": endpoint.id}, now), now)
    db.session.flush()


def _describe(error: requests.RequestException, target: transport.Target) -> str:
    """A short, readable reason for a failed call (the exception's own text is a long repr)."""
    where = f"{target.host} ({target.address})"
    if isinstance(error, requests.Timeout):
        return f"{type(error).__name__}: no answer from {where} within {TIMEOUT} s"
    if isinstance(error, requests.exceptions.SSLError):
        return f"SSLError: the TLS certificate of {target.host} could not be verified"
    if isinstance(error, requests.ConnectionError):
        return f"ConnectionError: could not connect to {where}"
    return f"{type(error).__name__}: {error}"[:300]


def send_webhook(envelope: outbox.Envelope, config: Mapping[str, Any]) -> outbox.Outcome:
    """POST one delivery: signed, 5 s timeout, no redirects, only to the public address checked just now."""
    endpoint = db.session.scalar(
        select(WebhookEndpoint).join(WebhookDelivery).where(WebhookDelivery.outbox_id == envelope.id)
    )
    if endpoint is None:
        raise outbox.DeliveryError("the endpoint was removed", retry=False)
    secret, url = endpoint.secret, endpoint.url
    # The outbox worker is the edge here: end the read before the network call, no transaction stays open.
    db.session.commit()
    # Resolved and checked now, and the call goes to that address: a name pointed at an internal address
    # after registration, or answering differently a second time (DNS rebinding), reaches nothing.
    try:
        target = transport.resolve(url, allow_private=bool(config.get("WEBHOOK_ALLOW_PRIVATE")))
    except transport.RefusedTarget as refused:
        with force_locale(config["BABEL_DEFAULT_LOCALE"]):
            raise outbox.DeliveryError(str(refused), retry=refused.retry) from refused
    body = envelope.payload.encode("utf-8")
    timestamp = int(utcnow().timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Tsunagu-Webhooks/1",
        SIGNATURE_HEADER: delivery.sign(secret, body, timestamp),
        TIMESTAMP_HEADER: str(timestamp),
        DELIVERY_HEADER: envelope.message_id,
        TOPIC_HEADER: envelope.subject,
    }
    try:
        response = transport.post(
            target, body, headers, timeout=TIMEOUT, verify=config.get("WEBHOOK_CA_BUNDLE") or True
        )
    except requests.RequestException as error:
        raise outbox.DeliveryError(_describe(error, target)) from error
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
