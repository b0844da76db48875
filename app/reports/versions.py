"""Published versions as readers may still see them: retracted points filtered out, redaction, withdrawal.

A published version is a snapshot, but what the facilitators or organisers take back after publishing
must leave every version: a note made internal, a point an organiser redacted. The snapshot stays as it
was stored; readers, exports, the API and the archive always get it through `readable`, which removes
those points (by their reference, or by their text for versions published before references existed).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import delete, insert, or_, select

from app.auth.models import Organizer
from app.db import utcnow
from app.domain import report as domain
from app.domain import report_digest as digest
from app.events.models import CafeRound
from app.extensions import db
from app.notes.models import RoundNote
from app.reports.models import Report, ReportPoint, ReportSearchGram, ReportState, ReportVersion
from app.signals import note_retracted

log = logging.getLogger(__name__)


Retracted = tuple[set[int], set[tuple[int, str]]]


def retracted_of(report_ids: list[int]) -> dict[int, Retracted]:
    """Per report: points taken back since they were published (ids, and (round number, text) for old versions).

    One query for many reports, usually answering no rows: readers' pages, downloads and the archive need it.
    """
    out: dict[int, Retracted] = {report_id: (set(), set()) for report_id in report_ids}
    if not report_ids:
        return out
    rows = db.session.execute(
        select(ReportPoint.report_id, ReportPoint.id, CafeRound.number, ReportPoint.text, ReportPoint.original)
        .join(CafeRound, CafeRound.id == ReportPoint.round_id)
        .outerjoin(RoundNote, RoundNote.id == ReportPoint.note_id)
        .where(
            ReportPoint.report_id.in_(report_ids),
            or_(ReportPoint.redacted.is_(True), RoundNote.publishable.is_(False)),
        )
    ).all()
    for report_id, point_id, number, text, original in rows:
        refs, texts = out[report_id]
        refs.add(point_id)
        texts.update((number, t) for t in (text, original) if t)
    return out


def retracted(report: Report) -> Retracted:
    """The points of one report taken back since they were published."""
    return retracted_of([report.id])[report.id]


def readable(report: Report, version: ReportVersion, gone: Retracted | None = None) -> dict[str, Any]:
    """A version's document as readers may see it today (retracted points removed; `gone` if already known)."""
    refs, texts = gone if gone is not None else retracted_of([report.id])[report.id]
    data: dict[str, Any] = json.loads(version.data)
    if not refs and not texts:
        return data
    doc = digest.withdraw(domain.document_from_dict(data), refs, texts)
    return json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))  # type: ignore[no-any-return]


def readable_version(report: Report) -> ReportVersion | None:
    """The version readers get by default: the current one, if the report is public."""
    if not report.is_published:
        return None
    return next((v for v in report.versions if v.number == report.current_version and not v.withdrawn), None)


def reindex(report: Report, *, texts: bool = True) -> None:
    """Refresh the archive's view of a report: each version's search text (unless `texts` is False: nothing
    was taken back), and the bigram index of the readable version."""
    for version in report.versions if texts else []:
        doc = domain.document_from_dict(readable(report, version))
        version.search_text = digest.fold(digest.search_text(doc))
    db.session.flush()
    db.session.execute(delete(ReportSearchGram).where(ReportSearchGram.report_id == report.id))
    current = readable_version(report)
    if current is not None:
        grams = sorted(digest.bigrams(current.search_text))
        if grams:
            db.session.execute(insert(ReportSearchGram), [{"gram": g, "report_id": report.id} for g in grams])


def redact_point(report: Report, point: ReportPoint, actor: Organizer) -> None:
    """Take a point out of the draft and of every published version, with its exports and the archive."""
    point.redacted = True
    point.hidden = True
    point.highlight = False
    point.theme = None
    db.session.flush()
    reindex(report)
    db.session.flush()
    log.info("report %s point %s redacted in every version by organiser %s", report.id, point.id, actor.id)


def withdraw_version(report: Report, version: ReportVersion, actor: Organizer) -> None:
    """Withdraw a published version: it can no longer be read or downloaded; readers fall back to the one before.

    Withdrawing the only readable version takes the report off the public pages.
    """
    if version.withdrawn:
        return
    version.withdrawn_at = utcnow()
    version.withdrawn_by_id = actor.id
    if version.number == report.current_version:
        earlier = [v.number for v in report.versions if not v.withdrawn and v.number < version.number]
        if earlier:
            report.current_version = max(earlier)
        else:
            report.state = ReportState.DRAFT
    db.session.flush()
    reindex(report)
    db.session.flush()
    log.info("report %s version %s withdrawn by organiser %s", report.id, version.number, actor.id)


def on_note_retracted(note: Any, **_kwargs: Any) -> None:
    """A note made internal after publishing: the archive must stop finding its text (same transaction)."""
    report = db.session.scalar(select(Report).where(Report.event_id == note.round.item.event_id))
    if report is not None and report.versions:
        reindex(report)


note_retracted.connect(on_note_retracted, weak=False)
