"""`flask demo`: load (or refresh) the realistic Japanese demo, idempotently."""

from __future__ import annotations

import logging
import secrets

import click
from flask import Flask

from app.demo import cafe, connections, day, invites, notes, participants, programme, reports, webhooks, zoom
from app.extensions import db

# Each step takes the demo organiser and both events (upcoming, finished) and adds its feature's
# data without duplicating anything when run again. Features append their step here.
STEPS = (
    programme.seed_events,
    participants.seed_participants,
    zoom.seed_zoom_emails,
    cafe.seed_cafe,
    notes.seed_notes,
    invites.seed_invites,
    webhooks.seed_webhooks,
    connections.seed_connections,
    reports.seed_report,
    day.seed_day,
)


def register(app: Flask) -> None:
    """Add the `flask demo` command."""

    @app.cli.command("demo")
    @click.option("--password", default=None, help="Password for the demo organiser (default: a new random one).")
    def demo(password: str | None) -> None:
        """Load the demo summit (Japanese data): one upcoming event and one finished one."""
        password = password or secrets.token_urlsafe(9)
        # The services log every change (120 invitations…); the demo says what matters at the end.
        app_log = logging.getLogger("app")
        level = app_log.level
        app_log.setLevel(logging.WARNING)
        try:
            organizer = programme.demo_organizer(password)
            events = None
            for step in STEPS:
                events = step(organizer, events)
            db.session.commit()
        finally:
            app_log.setLevel(level)
        click.echo("Demo loaded.")
        click.echo(f"  Organiser login: {programme.DEMO_EMAIL} / {password}")
        if events:
            for event in events:
                click.echo(f"  Event: /events/{event.slug}  ({event.title})")
