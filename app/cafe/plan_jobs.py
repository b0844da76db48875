"""Making and re-making a large café's plan as a background job (docs/jobs.md).

At 2,000 people a new plan takes seconds (about 4 s on a shared 2-core machine), a re-plan a few: for
events of more than CAFE_BACKGROUND_PEOPLE people (400 by default) the buttons queue a job keyed by the
form's request key (a double click finds the same job) and the plan page shows its progress, then its
outcome. Smaller cafés are planned at once, as before. A plan is written in one transaction, so a job
that stops before the end leaves the previous plan untouched and simply runs again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.cafe import services
from app.db import utcnow
from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.jobs import job_context, queue
from app.jobs.job_context import N_, JobContext, JobFailed
from app.jobs.models import Job
from app.participants.models import Participant

GENERATE = "cafe.generate"
REPLAN = "cafe.replan"
SHOW_FINISHED_FOR = timedelta(minutes=10)  # how long the plan page still shows a finished job's outcome

ITEM_GONE = N_("The world café was deleted before its plan was made.")


def in_background(event: Event) -> bool:
    """Whether this event's plans are made by the worker (large events) or at once."""
    limit = int(current_app.config.get("CAFE_BACKGROUND_PEOPLE", 400))
    people = db.session.scalar(select(func.count()).where(Participant.event_id == event.id)) or 0
    return people > limit


def _key(kind: str, item: ProgrammeItem, request_key: str) -> str:
    return f"{kind}:{item.id}:{request_key}"


def start(
    kind: str, item: ProgrammeItem, organizer: Organizer | None, request_key: str, **payload: Any
) -> tuple[Job, bool]:
    """Queue a new plan (GENERATE, payload seed) or a re-plan (REPLAN, payload from_round)."""
    return queue.enqueue(
        kind,
        _key(kind, item, request_key),
        {"item_id": item.id, "organizer_id": organizer.id if organizer else None, **payload},
        event_id=item.event_id,
        created_by_id=organizer.id if organizer else None,
        total=1,
    )


def shown(item: ProgrammeItem) -> Job | None:
    """The plan job the plan page shows: one waiting or running, or one that finished a moment ago."""
    job = db.session.scalar(
        select(Job)
        .where(Job.kind.in_((GENERATE, REPLAN)), Job.event_id == item.event_id, Job.key.like(f"cafe.%:{item.id}:%"))
        .order_by(Job.id.desc())
        .limit(1)
    )
    if job is None or (job.finished_at is not None and utcnow() - job.finished_at > SHOW_FINISHED_FOR):
        return None
    return job


def _item(context: JobContext) -> tuple[ProgrammeItem, Organizer | None]:
    item = db.session.get(ProgrammeItem, context.payload.get("item_id") or 0)
    if item is None:
        raise JobFailed(ITEM_GONE)
    return item, db.session.get(Organizer, context.payload.get("organizer_id") or 0)


def _run(context: JobContext, make: Callable[[ProgrammeItem, Organizer | None], dict[str, Any]]) -> dict[str, Any]:
    """Make the plan and commit it with the job's outcome, in one transaction (the progress report commits)."""
    if context.done:  # the plan was made and recorded; the job only stopped before saying so
        return dict(context.payload.get("outcome", {}))
    item, organizer = _item(context)
    try:
        outcome = make(item, organizer)
    except services.PlanError as error:
        raise job_context.failed_with(error.args[0] if error.args else str(error)) from error
    context.remember(outcome=outcome)
    context.progress(1, 1)
    return dict(outcome)


def run_generate(context: JobContext) -> dict[str, Any]:
    """The job: a new plan for every round not yet started."""
    seed = context.payload.get("seed")

    def make(item: ProgrammeItem, organizer: Organizer | None) -> dict[str, Any]:
        result = services.generate(item, seed, organizer, now=utcnow())
        return {"seconds": round(result.stats.seconds, 2)}

    return _run(context, make)


def run_replan(context: JobContext) -> dict[str, Any]:
    """The job: re-plan from a round around who is here now."""
    from_round = int(context.payload["from_round"])

    def make(item: ProgrammeItem, organizer: Organizer | None) -> dict[str, Any]:
        result = services.replan(item, from_round, actor=organizer, now=utcnow())
        return {"from_round": from_round, "changed": result.changed}

    return _run(context, make)


queue.register(GENERATE, run_generate)
queue.register(REPLAN, run_replan)
