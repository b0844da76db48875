"""`flask worker`: the one background process (outbox and jobs); `flask jobs status` and `flask jobs prune`."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from app.db import utcnow
from app.extensions import db
from app.jobs import queue
from app.jobs import worker as worker_module
from app.jobs.models import Job


def register(app: Flask) -> None:
    """Add the `flask worker` command."""

    @app.cli.command("worker")
    @click.option("--interval", default=5.0, show_default=True, help="Seconds to wait when nothing is due.")
    @click.option("--batch", default=20, show_default=True, help="Outbox messages claimed at a time.")
    @click.option("--once", is_flag=True, help="Work off what is due now, then stop.")
    def worker(interval: float, batch: int, once: bool) -> None:
        """Send the outbox's emails and webhook calls and run background jobs, until stopped.

        SIGTERM or Ctrl-C: the current email and the current step of a job are finished, the rest is
        handed back at once (nothing waits out a lease); a second signal stops at once.
        """
        settings = worker_module.Settings(interval=interval, batch=batch, once=once)
        worker_module.run(current_app._get_current_object(), settings, echo=click.echo)  # type: ignore[attr-defined]

    @app.cli.group("jobs")
    def jobs_group() -> None:
        """Background jobs (invitations, imports, plans)."""

    @jobs_group.command("status")
    def status() -> None:
        """How many jobs of each kind are in each state."""
        rows = db.session.execute(select(Job.kind, Job.state, func.count()).group_by(Job.kind, Job.state)).all()
        if not rows:
            click.echo("no jobs")
        for kind, state, count in sorted(rows, key=lambda r: (r[0], str(r[1]))):
            click.echo(f"{kind:24} {getattr(state, 'value', state):8} {count}")

    @jobs_group.command("prune")
    @click.option("--days", default=90, show_default=True, help="Keep jobs that ended fewer days ago than this.")
    def prune(days: int) -> None:
        """Delete finished jobs (done or failed) older than --days (the pages show only recent ones)."""
        removed = queue.prune(utcnow() - timedelta(days=days))
        click.echo(f"{removed} finished jobs deleted")
