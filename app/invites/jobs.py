"""Sending invitations as a background job: the confirm step queues one job, the worker builds the emails.

The job is keyed by the confirmation's request key (a double click finds the same job). Its first step
fixes who gets what (the plan, kept in the job's payload), then each batch of people is built and put in
the outbox in one transaction together with the job's progress, so a job that stops and starts again
carries on after the last batch and emails nobody twice (each email's Message-ID also comes from the
request key, and the outbox's Message-ID is unique).
"""

from __future__ import annotations

from typing import Any

from app.auth.models import Organizer
from app.db import utcnow
from app.events.models import Event
from app.extensions import db
from app.invites import calendars, feeds, services
from app.invites.models import EntryKind
from app.jobs import queue
from app.jobs.job_context import N_, JobContext, JobFailed
from app.jobs.models import Job

KIND = "invites.send"
BATCH = 100  # people per step: one transaction, one progress report
# SQLite has one writer at a time: a short step lets the outbox record its sends in between.
SQLITE_BATCH = 20


def batch_size() -> int:
    """People per step for this database: smaller on SQLite, whose single writer the outbox shares."""
    return BATCH if db.engine.dialect.name == "postgresql" else SQLITE_BATCH


EVENT_GONE = N_("The event was deleted before its invitations were prepared.")


def job_key(event_id: int, request_key: str) -> str:
    """The job's unique key: one send job per event and confirmation, so a double click finds the same job."""
    return f"{KIND}:{event_id}:{request_key}"


def start(event: Event, organizer: Organizer | None, audience: str, request_key: str) -> tuple[Job, bool]:
    """Queue the send of one confirmation (or find it, when the confirmation comes twice)."""
    return queue.enqueue(
        KIND,
        job_key(event.id, request_key),
        {
            "audience": audience,
            "request_key": request_key,
            "organizer_id": organizer.id if organizer is not None else None,
        },
        event_id=event.id,
        created_by_id=organizer.id if organizer is not None else None,
    )


def latest(event: Event) -> Job | None:
    """The event's most recent invitation job (for the progress shown on the invites page), or None."""
    return queue.latest(KIND, event.id)


def run(context: JobContext) -> dict[str, Any]:
    """The job: fix who gets what on the first run, then queue the emails batch by batch from where it stopped."""
    event = db.session.get(Event, context.event_id) if context.event_id is not None else None
    if event is None:
        raise JobFailed(EVENT_GONE)
    organizer = db.session.get(Organizer, context.payload.get("organizer_id") or 0)
    request_key = str(context.payload["request_key"])
    data = calendars.load(event)
    if "people" not in context.payload:
        chosen = services.plan(event, str(context.payload["audience"]), None, data)
        people = [[row.person.id, 1] for row in chosen.cancel] + [[row.person.id, 0] for row in chosen.invite]
        context.remember(people=people, unchanged=chosen.unchanged)
        context.progress(0, len(people))
    people = context.payload["people"]
    name = services.organizer_name(event, organizer)
    tracked = feeds.tracked_by_person(event, EntryKind.INVITE)
    size = batch_size()
    for start_at in range(context.done, len(people), size):
        chunk = people[start_at : start_at + size]
        ids = [person_id for person_id, _cancel in chunk]
        sent, found = services.invitations_of(ids), services.participants(ids)
        now = utcnow()
        for person_id, cancel in chunk:
            person = found.get(person_id)
            if person is None:  # removed from the event since the confirmation
                continue
            services.queue_one(
                data,
                person,
                sent.get(person_id),
                name,
                now,
                cancel=bool(cancel),
                tracked=tracked.get(person_id, {}),
                request_key=request_key,
            )
        context.progress(start_at + len(chunk), len(people))
    cancels = sum(1 for _id, cancel in people if cancel)
    return {
        "invitations": len(people) - cancels,
        "cancellations": cancels,
        "unchanged": int(context.payload.get("unchanged", 0)),
    }


queue.register(KIND, run)
