"""State changes of reports: harvest, refresh, edits, publish and unpublish. Each function writes (flushes);
its caller — the view, the job handler — commits once."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.db import utcnow
from app.domain import report as domain
from app.domain import report_digest as digest
from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.notes.models import NoteImage, RoundNote
from app.reports import themes, versions
from app.reports.building import build_document, cafe_rounds, draft_fingerprint, publishable_notes
from app.reports.models import Report, ReportImage, ReportPoint, ReportState, ReportVersion
from app.signals import report_published

log = logging.getLogger(__name__)


class ReportError(ValueError):
    """A request the report cannot honour; the message is shown to the organiser."""


@dataclass(frozen=True)
class Pending:
    """What the notes hold that the report does not have yet."""

    points: list[tuple[RoundNote, domain.Point]]
    images: list[NoteImage]
    changed: list[ReportPoint]  # the report's points whose text is no longer in their note

    @property
    def empty(self) -> bool:
        return not self.points and not self.images


def _harvest(note: RoundNote) -> list[domain.Point]:
    return domain.harvest(note.summary, note.key_points, note.ideas, note.quotes, note.body_md)


def pending(report: Report) -> Pending:
    """Compare the publishable notes with the report's own copy: new points and images, vanished ones."""
    notes = publishable_notes(report.event)
    have = {(p.note_id, p.kind, p.original) for p in report.points}
    new_points = [(n, pt) for n in notes for pt in _harvest(n) if (n.id, pt.kind, pt.text) not in have]
    current = {(n.id, pt.kind, pt.text) for n in notes for pt in _harvest(n)}
    changed = [p for p in report.points if p.note_id is not None and (p.note_id, p.kind, p.original) not in current]
    have_images = {ri.image_id for ri in report.images}
    images = [i for n in notes for i in n.images if i.publishable and i.id not in have_images]
    return Pending(points=new_points, images=images, changed=changed)


@dataclass(frozen=True)
class PendingCounts:
    """How much pending() would find, counted from plain rows (no objects): for the editor's banner."""

    points: int
    images: int
    changed: int


def pending_counts(report: Report) -> PendingCounts:
    """The sizes of pending(report), read as plain rows: three statements whatever the event's size."""
    round_ids = [r.id for r in cafe_rounds(report.event)]
    if not round_ids:
        return PendingCounts(0, 0, 0)
    publishable = (RoundNote.round_id.in_(round_ids), RoundNote.publishable.is_(True))
    notes = db.session.execute(
        select(
            RoundNote.id, RoundNote.summary, RoundNote.key_points, RoundNote.ideas, RoundNote.quotes, RoundNote.body_md
        ).where(*publishable)
    ).all()
    current = {
        (row.id, pt.kind, pt.text)
        for row in notes
        for pt in domain.harvest(row.summary, row.key_points, row.ideas, row.quotes, row.body_md)
    }
    have = [
        (note_id, kind, original)
        for note_id, kind, original in db.session.execute(
            select(ReportPoint.note_id, ReportPoint.kind, ReportPoint.original).where(
                ReportPoint.report_id == report.id
            )
        )
    ]
    images = db.session.scalar(
        select(func.count())
        .select_from(NoteImage)
        .join(RoundNote, NoteImage.note_id == RoundNote.id)
        .where(
            *publishable,
            NoteImage.publishable.is_(True),
            NoteImage.id.not_in(select(ReportImage.image_id).where(ReportImage.report_id == report.id)),
        )
    )
    return PendingCounts(
        points=len(current - set(have)),
        images=images or 0,
        changed=sum(1 for key in have if key[0] is not None and key not in current),
    )


def _add_pending(report: Report, found: Pending) -> None:
    position = max((p.position for p in report.points), default=0)
    notes_order = sorted(found.points, key=lambda np: (np[0].round.number, np[0].room.position, np[0].room_id))
    for note, point in notes_order:
        position += 1
        report.points.append(
            ReportPoint(
                round_id=note.round_id,
                room_id=note.room_id,
                note_id=note.id,
                kind=point.kind,
                original=point.text,
                text=point.text,
                position=position,
            )
        )
    start = max((i.position for i in report.images), default=0)
    for offset, image in enumerate(found.images, start=1):
        report.images.append(ReportImage(image_id=image.id, position=start + offset))


def create_report(event: Event, actor: Organizer | None, *, group: bool = True) -> Report:
    """Start the event's draft report from its programme and the facilitators' publishable notes, and group
    its points into themes (group=False: the background job groups them a round at a time)."""
    existing = db.session.scalar(select(Report).where(Report.event_id == event.id))
    if existing is not None:
        return existing
    report = Report(event=event, overview=event.description)
    db.session.add(report)
    _add_pending(report, pending(report))
    db.session.flush()
    if group:
        themes.regroup(report)
    log.info(
        "report created for event %s by organiser %s (%d points)",
        event.slug,
        actor.id if actor else None,
        len(report.points),
    )
    return report


def refresh_from_notes(report: Report, actor: Organizer) -> int:
    """Add the points and images written in the notes since the last harvest; returns how many."""
    found = pending(report)
    _add_pending(report, found)
    db.session.flush()
    if found.points:
        themes.regroup(report, {note.round_id for note, _point in found.points})
    log.info(
        "report %s refreshed by organiser %s: %d points, %d images",
        report.id,
        actor.id,
        len(found.points),
        len(found.images),
    )
    return len(found.points) + len(found.images)


def update_settings(report: Report, *, overview: str, summary: str, tags: list[str], show_names: bool) -> None:
    """Save the report's texts, tags (cleaned, duplicates dropped) and whether names are shown."""
    report.overview = overview.strip()
    report.summary = summary.strip()
    report.tags = ",".join(dict.fromkeys(t.strip().replace(",", " ").replace("|", " ") for t in tags if t.strip()))
    report.show_names = show_names
    db.session.flush()
    log.info("report %s settings saved (show_names=%s)", report.id, show_names)


def update_item_summary(item: ProgrammeItem, summary: str) -> None:
    """A talk's or panel's summary lives on the programme item (also shown on the event page later)."""
    item.summary = summary.strip()
    db.session.flush()
    log.info("summary of programme item %s saved", item.id)


POINT_ACTIONS = ("highlight", "unhighlight", "hide", "show", "up", "down", "restore")


def change_point(report: Report, point: ReportPoint, action: str) -> None:
    """Highlight, hide, move or restore one point of the report's copy."""
    if action not in POINT_ACTIONS:
        raise ReportError(_l("Unknown action."))
    if action in ("up", "down"):
        same_cell = [p for p in report.points if p.round_id == point.round_id and p.room_id == point.room_id]
        index = same_cell.index(point)
        other_index = index - 1 if action == "up" else index + 1
        if 0 <= other_index < len(same_cell):
            other = same_cell[other_index]
            point.position, other.position = other.position, point.position
    elif action == "restore":
        point.text = point.original
    else:
        point.highlight = {"highlight": True, "unhighlight": False}.get(action, point.highlight)
        point.hidden = {"hide": True, "show": False}.get(action, point.hidden)
    db.session.flush()
    log.info("report %s point %s: %s", report.id, point.id, action)


def edit_point(report: Report, point: ReportPoint, text: str) -> None:
    """Edit or redact a point's text in the report only; an empty text hides the point."""
    point.text = text.strip()
    point.hidden = point.hidden or not point.text
    db.session.flush()
    log.info("report %s point %s edited", report.id, point.id)


def set_image(report: Report, entry: ReportImage, included: bool) -> None:
    """Include or leave out one note image in the report."""
    entry.included = included
    db.session.flush()
    log.info("report %s image %s included=%s", report.id, entry.image_id, included)


def latest_version(report: Report) -> ReportVersion | None:
    """The version readers see (or saw, before an unpublish); withdrawn versions never count."""
    return next((v for v in report.versions if v.number == report.current_version and not v.withdrawn), None)


def has_unpublished_changes(report: Report) -> bool:
    """True when publishing now would show readers something different from the latest version.

    Compares what the draft is built from (a fingerprint) when the version recorded it; builds and
    compares the whole document only for versions published before fingerprints existed.
    """
    latest = latest_version(report)
    if latest is None:
        return True
    if latest.fingerprint:
        return latest.fingerprint != draft_fingerprint(report)
    draft = json.loads(json.dumps(build_document(report).to_dict(), ensure_ascii=False))
    return _without_live_counts(draft) != _without_live_counts(json.loads(latest.data))


# Numbers of the network section that participants move after the event (sharing contacts, "talk again"):
# never a reason on their own to tell the organiser there is something to publish.
LIVE_NETWORK_COUNTS = ("sharing", "mutual")


def _without_live_counts(data: dict[str, Any]) -> dict[str, Any]:
    section = data.get("network")
    if isinstance(section, dict):
        data = {**data, "network": {k: v for k, v in section.items() if k not in LIVE_NETWORK_COUNTS}}
    return data


def publish(report: Report, actor: Organizer) -> ReportVersion:
    """Snapshot the draft as a new immutable version and make it the one readers see."""
    doc = build_document(report)
    data = json.dumps(doc.to_dict(), ensure_ascii=False)
    latest = latest_version(report)
    if latest is not None and json.loads(latest.data) == json.loads(data):
        if report.state == ReportState.PUBLISHED:
            # What changed does not show: nothing to publish. The fingerprint is noted (flushed) all the same,
            # so the editor stops offering to publish; the caller commits it with the refusal.
            latest.fingerprint = draft_fingerprint(report)
            db.session.flush()
            raise ReportError(_l("Nothing changed since version %(number)s.", number=latest.number))
        version = latest  # republishing after an unpublish: same content, same version
    else:
        version = ReportVersion(
            number=max((v.number for v in report.versions), default=0) + 1,
            published_at=utcnow(),
            published_by=actor,
            title=doc.title,
            year=doc.year,
            tags="|" + "|".join(doc.tags) + "|" if doc.tags else "",
            excerpt=(doc.overview or doc.summary)[:400],
            search_text=digest.fold(digest.search_text(doc)),
            data=data,
            fingerprint=draft_fingerprint(report),
        )
        report.versions.append(version)
    report.state = ReportState.PUBLISHED
    report.current_version = version.number
    db.session.flush()
    versions.reindex(report, texts=False)
    # Subscribers (webhooks) add their outbox rows to this transaction: both land or neither.
    report_published.send(report.event, report=report, version=version)
    db.session.flush()
    log.info("report %s published as version %s by organiser %s", report.id, version.number, actor.id)
    return version


def unpublish(report: Report, actor: Organizer) -> None:
    """Hide the report from readers; its versions are kept for a later publish."""
    report.state = ReportState.DRAFT
    versions.reindex(report, texts=False)
    db.session.flush()
    log.info("report %s unpublished by organiser %s", report.id, actor.id)
