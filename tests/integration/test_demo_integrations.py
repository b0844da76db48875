"""The demo shows the integrations: Zoom sign-in emails for some people, a Slack-format and a Teams-format
webhook with well-formed deliveries."""

from __future__ import annotations

import json

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.extensions import db
from app.outbox.models import OutboxMessage
from app.participants.models import Participant
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.http_receiver import slack_problems, teams_problems


def test_demo_has_zoom_emails_and_slack_and_teams_webhooks(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["demo", "--password", "demo-password-123"]).exit_code == 0
    with_zoom = db.session.scalar(select(func.count()).select_from(Participant).where(Participant.zoom_email != ""))
    total = db.session.scalar(select(func.count()).select_from(Participant))
    assert 0 < with_zoom < total / 3
    formats = {e.format: e for e in db.session.scalars(select(WebhookEndpoint))}
    assert set(formats) == {"slack", "teams"}
    for fmt, check in (("slack", slack_problems), ("teams", teams_problems)):
        bodies = db.session.scalars(
            select(OutboxMessage.payload).join(WebhookDelivery).where(WebhookDelivery.endpoint_id == formats[fmt].id)
        ).all()
        assert bodies and all(check(json.loads(body)) == [] for body in bodies), fmt
