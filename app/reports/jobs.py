"""Long report work as background jobs (docs/jobs.md): creating the draft, grouping a round again, and
laying out the PDF of a published version.

At 400 rooms the draft's harvest and theme grouping take tens of seconds, publishing (building the
document, its statistics and search index) several, the PDF a minute: for cafés of more than
REPORT_BACKGROUND_ROOMS rooms (60 by default) the editor's buttons queue a job and the editor shows its
progress; smaller events are served at once, as before. Keys make a double click find the job already
queued:

- creating: one job per event (a new one only after a failed one);
- grouping a round again: one per round until it has finished (the number of finished ones is in the key);
- publishing: one per draft state (published or not, current version, the draft's fingerprint);
- a PDF: one per version, language and content (the same text is laid out once and kept on disk).

Each job is idempotent: creating finds the draft it already made and groups the rounds not yet grouped
(one round per step, each committed with its progress); grouping replaces the round's unreviewed themes;
a PDF already on disk is not laid out again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.cafe.models import Room
from app.db import utcnow
from app.events.models import Event, ItemKind
from app.extensions import db
from app.jobs import job_context, queue
from app.jobs.job_context import N_, JobContext, JobFailed
from app.jobs.models import Job, JobState
from app.reports import building, exports, services, themes, versions
from app.reports.models import Report, ReportVersion
from app.reports.rendering import COMPACT_PDF_POINTS, point_count, reader_context

CREATE = "report.create"
REGROUP = "report.regroup"
PUBLISH = "report.publish"
PDF = "report.pdf"
KINDS = (CREATE, REGROUP, PUBLISH, PDF)
SHOW_FAILED_FOR = timedelta(minutes=30)  # how long the editor still shows a failed job's message
SHOW_DONE_FOR = timedelta(minutes=2)  # and a finished one (the page that reloads by itself says it is done)

EVENT_GONE = N_("The event was deleted before its report was made.")
REPORT_GONE = N_("The report was deleted before this work was done.")
VERSION_GONE = N_("This version of the report is no longer available.")


def in_background(event: Event) -> bool:
    """Whether this event's report is created and regrouped by the worker (many rooms) or at once."""
    limit = int(current_app.config.get("REPORT_BACKGROUND_ROOMS", 60))
    cafes = [i.id for i in event.items if i.kind == ItemKind.CAFE]
    rooms = db.session.scalar(select(func.count()).select_from(Room).where(Room.item_id.in_(cafes))) if cafes else 0
    return (rooms or 0) > limit


def _count(kind: str, event_id: int, like: str, state: JobState) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.kind == kind, Job.event_id == event_id, Job.key.like(like), Job.state == state)
        )
        or 0
    )


def start_create(event: Event, organizer: Organizer | None) -> tuple[Job, bool]:
    """Queue the creation of the draft (or find the one queued)."""
    failed = _count(CREATE, event.id, f"{CREATE}:{event.id}:%", JobState.FAILED)
    return queue.enqueue(
        CREATE,
        f"{CREATE}:{event.id}:{failed}",
        {"organizer_id": organizer.id if organizer else None},
        event_id=event.id,
        created_by_id=organizer.id if organizer else None,
        total=1 + len(building.cafe_rounds(event)),
    )


def start_regroup(report: Report, round_id: int, organizer: Organizer | None) -> tuple[Job, bool]:
    """Queue grouping one round again (or find the one queued for it)."""
    prefix = f"{REGROUP}:{report.id}:{round_id}:"
    finished = sum(_count(REGROUP, report.event_id, prefix + "%", s) for s in (JobState.DONE, JobState.FAILED))
    return queue.enqueue(
        REGROUP,
        prefix + str(finished),
        {"report_id": report.id, "round_id": round_id},
        event_id=report.event_id,
        created_by_id=organizer.id if organizer else None,
        total=1,
    )


def start_publish(report: Report, organizer: Organizer | None) -> tuple[Job, bool]:
    """Queue publishing the draft as it is now (or find the job queued for this very draft)."""
    state = f"{report.state.value}:{report.current_version}:{building.draft_fingerprint(report)[:24]}"
    return queue.enqueue(
        PUBLISH,
        f"{PUBLISH}:{report.id}:{state}",
        {"report_id": report.id, "organizer_id": organizer.id if organizer else None},
        event_id=report.event_id,
        created_by_id=organizer.id if organizer else None,
        total=1,
    )


def pdf_in_background(doc: dict[str, Any]) -> bool:
    """Whether a version's PDF is laid out by the worker (large reports: seconds to minutes) or at once."""
    return point_count(doc) > COMPACT_PDF_POINTS


def pdf_data(doc: dict[str, Any]) -> str:
    """What a PDF is laid out from (and what its file on disk is named after)."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def start_pdf(report: Report, version: ReportVersion, lang: str, doc: dict[str, Any]) -> tuple[Job, bool]:
    """Queue laying out a version's PDF in a language (or find the job already queued)."""
    digest = hashlib.sha256(pdf_data(doc).encode()).hexdigest()[:24]
    return queue.enqueue(
        PDF,
        f"{PDF}:{version.id}:{lang}:{exports.LAYOUT}:{digest}",
        {"report_id": report.id, "version_id": version.id, "lang": lang},
        event_id=report.event_id,
        total=1,
    )


def start_pdfs(report: Report, version: ReportVersion) -> None:
    """After publishing a large report: lay its PDF out in every language now, so readers find it ready."""
    doc = versions.readable(report, version)
    if pdf_in_background(doc):
        for lang in current_app.config["LANGUAGES"]:
            start_pdf(report, version, lang, doc)


def running(job: Job) -> bool:
    """Whether a job is still to be done (waiting for the worker, or running)."""
    return job.state in (JobState.QUEUED, JobState.RUNNING)


def shown(event: Event) -> Job | None:
    """The report job the editor shows: one waiting or running, or one that finished a moment ago."""
    job = db.session.scalar(
        select(Job).where(Job.kind.in_(KINDS), Job.event_id == event.id).order_by(Job.id.desc()).limit(1)
    )
    if job is None or running(job) or job.finished_at is None:
        return job
    shown_for = SHOW_DONE_FOR if job.state == JobState.DONE else SHOW_FAILED_FOR
    return job if utcnow() - job.finished_at <= shown_for else None


def version_html(report: Report, version: ReportVersion, doc: dict[str, Any]) -> str:
    """The standalone HTML a version's PDF is laid out from (needs a request context for the language)."""
    context = reader_context(
        report.event,
        doc,
        version,
        image_src=exports.image_uris(doc),
        standalone=True,
        compact=point_count(doc) > COMPACT_PDF_POINTS,
    )
    return exports.standalone_html(context)


def run_create(context: JobContext) -> dict[str, Any]:
    """The job: harvest the notes into a draft (step 1), then group each round's points (a step per round)."""
    event = db.session.get(Event, context.event_id or 0)
    if event is None:
        raise JobFailed(EVENT_GONE)
    organizer = db.session.get(Organizer, context.payload.get("organizer_id") or 0)
    rounds = [r.id for r in building.cafe_rounds(event)]
    total = 1 + len(rounds)
    report = services.create_report(event, organizer, group=False)  # finds the draft of an earlier attempt
    if context.done < 1:
        context.progress(1, total)
    for step in range(max(context.done, 1), total):
        themes.regroup(report, [rounds[step - 1]])
        context.progress(step + 1, total)
    return {"points": len(report.points), "themes": len(report.themes)}


def run_regroup(context: JobContext) -> dict[str, Any]:
    """The job: group one round's points again (reviewed themes stay)."""
    report = db.session.get(Report, context.payload.get("report_id") or 0)
    if report is None:
        raise JobFailed(REPORT_GONE)
    found = themes.regroup(report, [int(context.payload["round_id"])])
    context.progress(1, 1)
    return {"found": found}


def run_publish(context: JobContext) -> dict[str, Any]:
    """The job: publish the draft as a new version (one transaction), then queue its PDFs."""
    report = db.session.get(Report, context.payload.get("report_id") or 0)
    if report is None:
        raise JobFailed(REPORT_GONE)
    organizer = db.session.get(Organizer, context.payload.get("organizer_id") or 0)
    if organizer is None:
        organizer = report.event.organizers[0] if report.event.organizers else None
    if organizer is None:
        raise JobFailed(REPORT_GONE)
    try:
        version = services.publish(report, organizer)
    except services.ReportError as error:
        db.session.commit()  # the refusal noted the draft's fingerprint (nothing to publish): keep it
        raise job_context.failed_with(error.args[0] if error.args else str(error)) from error
    context.progress(1, 1)  # commits the new version
    start_pdfs(report, version)
    return {"version": version.number}


def run_pdf(context: JobContext) -> dict[str, Any]:
    """The job: lay out a version's PDF in a language and keep it on disk (exports.cached_pdf)."""
    report = db.session.get(Report, context.payload.get("report_id") or 0)
    version = db.session.get(ReportVersion, context.payload.get("version_id") or 0)
    if report is None or version is None or version.report_id != report.id or version.withdrawn:
        raise JobFailed(VERSION_GONE)
    lang = str(context.payload.get("lang") or "ja")
    with current_app.test_request_context("/"), force_locale(lang):
        doc = versions.readable(report, version)
        body = exports.cached_pdf(pdf_data(doc), lang, lambda: version_html(report, version, doc))
    context.progress(1, 1)
    return {"bytes": len(body)}


queue.register(CREATE, run_create)
queue.register(REGROUP, run_regroup)
queue.register(PUBLISH, run_publish)
queue.register(PDF, run_pdf)
