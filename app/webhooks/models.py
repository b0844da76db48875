"""Webhook endpoints of an event and the deliveries made to them (each one an outbox message)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.events.models import Event
from app.extensions import db
from app.outbox.models import OutboxMessage


class WebhookEndpoint(db.Model):
    """A URL an organiser registered, the secret that signs each call and the topics it wants."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(200))
    topics: Mapped[str] = mapped_column(String(200))  # space-separated, e.g. "rounds.published report.published"
    # How the body is laid out: "json" (plain), "slack" (Block Kit) or "teams" (an Adaptive Card).
    format: Mapped[str] = mapped_column(String(10), default="json", server_default="json")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint", cascade="all, delete-orphan", order_by="WebhookDelivery.id.desc()"
    )

    @property
    def topic_list(self) -> list[str]:
        return self.topics.split()

    @property
    def secret_hint(self) -> str:
        return "…" + self.secret[-4:]

    @property
    def display_url(self) -> str:
        """The URL without its secret parts (Slack's and Teams' webhook URLs are credentials): the host and
        first path segment, then the last four characters — enough to tell endpoints apart on a shared screen."""
        parts = urlsplit(self.url)
        first = parts.path.strip("/").split("/", 1)[0]
        shown = f"{parts.scheme}://{parts.netloc}/{first}"
        return shown if shown == self.url.rstrip("/") else f"{shown}/…{self.url[-4:]}"


class WebhookDelivery(db.Model):
    """One call of one topic to one endpoint; its state (attempts, status code, error) is the outbox row's."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), unique=True)
    topic: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")
    outbox: Mapped[OutboxMessage] = relationship()
