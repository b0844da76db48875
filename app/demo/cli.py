"""`flask demo`: load (or refresh) the realistic Japanese demo, idempotently."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import click
from flask import Flask

from app.demo import (
    cafe,
    connections,
    day,
    history,
    invites,
    notes,
    participants,
    programme,
    reports,
    webhooks,
    zoom,
)
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
    history.restamp_finished,
)


def _remembered_file(app: Flask) -> Path:
    return Path(app.config.get("DEMO_PASSWORD_FILE") or Path(app.instance_path) / "demo_password")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _remember(path: Path, password: str) -> None:
    """Keep a generated password in the instance folder (owner-only), so the next run shows it again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")


def _choose_password(app: Flask, given: str | None) -> tuple[str | None, str]:
    """(the password to set or None to keep the current one, what to print as the login's password).

    An explicit --password is set. Otherwise a run never changes an existing demo organiser's password: it
    prints the one it generated earlier (kept in the instance folder), or says the password was set
    elsewhere. A first run generates one and remembers it.
    """
    if given:
        return given, given
    path = _remembered_file(app)
    remembered = _read(path)
    organizer = programme.existing_demo_organizer()
    if organizer is not None:
        if remembered and programme.opens_with(organizer, remembered):
            return None, remembered
        return None, "(unchanged: the password set with --password or on the account page)"
    password = remembered or secrets.token_urlsafe(9)
    if not remembered:
        _remember(path, password)
    return password, password


def register(app: Flask) -> None:
    """Add the `flask demo` command."""

    @app.cli.command("demo")
    @click.option(
        "--password",
        default=None,
        help="Password for the demo organiser (default: keep the current one; a first run makes one up and "
        "remembers it in the instance folder).",
    )
    def demo(password: str | None) -> None:
        """Load the demo summit (Japanese data): one upcoming event and one finished one."""
        password, shown = _choose_password(app, password)
        # The services log every change (120 invitations…); the demo says what matters at the end.
        app_log = logging.getLogger("app")
        level = app_log.level
        app_log.setLevel(logging.WARNING)
        try:
            organizer = programme.demo_organizer(password)
            events = None
            # Say what is being loaded as it goes (the whole demo takes half a minute or more).
            for number, step in enumerate(STEPS, start=1):
                click.echo(f"Loading the demo ({number}/{len(STEPS)}): {step.__module__.rsplit('.', 1)[-1]}…")
                events = step(organizer, events)
                db.session.commit()  # the command is the edge: each step is saved once it is whole
        finally:
            app_log.setLevel(level)
        click.echo("Demo loaded.")
        click.echo(f"  Organiser login: {programme.DEMO_EMAIL} / {shown}")
        if events:
            for event in events:
                click.echo(f"  Event: /events/{event.slug}  ({event.title})")
