"""Importing a large participant file as a background job (docs/jobs.md).

Files of more than PARTICIPANT_IMPORT_BACKGROUND_ROWS rows (1,000 by default; up to 5,000 are allowed)
take seconds to save: the confirm step queues one job keyed by the upload (a double click finds the
same job) and the import's status page shows its progress. The worker reads the kept upload again,
checks it with the mapping the organiser confirmed, and saves it in batches of 500 rows, each committed
with its progress. A batch done twice changes nothing more (the email decides who is updated), so a job
that stops and starts again finishes the same import.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.auth.models import Organizer
from app.domain import participant_import as pi
from app.events.models import Event
from app.extensions import db
from app.jobs import queue
from app.jobs.job_context import N_, JobContext, JobFailed
from app.jobs.models import Job
from app.participants import services, uploads

KIND = "participants.import"
BATCH = 500

UPLOAD_GONE = N_("This upload is no longer available. Please upload the file again.")
FILE_CHANGED = N_("The file has errors; nothing was imported.")
EVENT_GONE = N_("The event was deleted before the file was imported.")


def background_rows() -> int:
    """Files with more rows than this are imported in the background."""
    return int(current_app.config.get("PARTICIPANT_IMPORT_BACKGROUND_ROWS", 1000))


def job_key(event_id: int, upload_key: str) -> str:
    """One job per upload: the idempotency key."""
    return f"{KIND}:{event_id}:{upload_key}"


def start(
    event: Event, upload_key: str, mapping: list[str], organizer: Organizer | None, rows: int
) -> tuple[Job, bool]:
    """Queue the import of a kept upload with the confirmed mapping (or find it when confirmed twice)."""
    return queue.enqueue(
        KIND,
        job_key(event.id, upload_key),
        {"upload": upload_key, "mapping": list(mapping), "organizer_id": organizer.id if organizer else None},
        event_id=event.id,
        created_by_id=organizer.id if organizer else None,
        total=rows,
    )


def find(event: Event, upload_key: str) -> Job | None:
    """The import job of an upload, if it was confirmed."""
    return queue.find(job_key(event.id, upload_key))


def run(context: JobContext) -> dict[str, Any]:
    """The job: read and check the kept file again, then save it batch by batch; returns the counts."""
    event = db.session.get(Event, context.event_id) if context.event_id is not None else None
    if event is None:
        raise JobFailed(EVENT_GONE)
    folder = current_app.config["UPLOAD_FOLDER"]
    upload_key = str(context.payload["upload"])
    data = uploads.load(folder, event.id, upload_key)
    if data is None:
        raise JobFailed(UPLOAD_GONE)
    try:
        parsed = pi.parse(pi.read_table(data), list(context.payload["mapping"]))
    except pi.ImportFileError as error:
        raise JobFailed(FILE_CHANGED) from error
    if not parsed.valid:
        raise JobFailed(FILE_CHANGED)
    if "plan" not in context.payload:  # counted once, before anything changes
        plan = services.plan_import(event, parsed)
        context.remember(plan={"new": plan.new, "updated": plan.updated})
        context.progress(0, len(parsed.rows))
    for start_at in range(context.done, len(parsed.rows), BATCH):
        services.import_rows(event, parsed, parsed.rows[start_at : start_at + BATCH])
        context.progress(min(start_at + BATCH, len(parsed.rows)), len(parsed.rows))
    uploads.discard(folder, event.id, upload_key)
    return dict(context.payload["plan"])


queue.register(KIND, run)
