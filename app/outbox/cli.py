"""`flask outbox send-now` and `flask outbox status` (the worker itself is in app.jobs.cli)."""

from __future__ import annotations

import logging

import click
from flask import Flask

from app import outbox

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    """Add the `flask outbox` commands."""

    @app.cli.group("outbox")
    def outbox_group() -> None:
        """The queue of emails and webhook calls."""

    @outbox_group.command("send-now")
    @click.option("--all", "force", is_flag=True, help="Also those waiting for their next retry.")
    def send_now(force: bool) -> None:
        """Send everything that is due (or, with --all, everything pending) and report."""
        totals = outbox.DrainResult()
        while True:
            result = outbox.drain(limit=50, force=force)
            if not result.total:
                break
            totals.sent += result.sent
            totals.retrying += result.retrying
            totals.failed += result.failed
            force = False  # a message that just failed waits for its backoff
        click.echo(f"sent {totals.sent}, retrying later {totals.retrying}, failed {totals.failed}")

    @outbox_group.command("status")
    def status() -> None:
        """How many messages of each kind are in each state."""
        counts = outbox.status_counts()
        if not counts:
            click.echo("outbox empty")
        for (kind, state), count in sorted(counts.items()):
            click.echo(f"{kind:8} {state:8} {count}")
