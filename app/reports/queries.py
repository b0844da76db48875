"""Reads for the report pages: the organiser's report, published reports and the archive search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from app.domain import report as domain
from app.events.models import Event
from app.extensions import db
from app.reports import building, services
from app.reports.forms import ItemSummaryForm
from app.reports.models import Report, ReportImage, ReportPoint, ReportState, ReportVersion


def report_for(event: Event) -> Report | None:
    """An event's report (draft or published), with its points and images loaded."""
    return db.session.scalar(
        select(Report)
        .where(Report.event_id == event.id)
        .options(selectinload(Report.points), selectinload(Report.images).selectinload(ReportImage.image))
    )


def report_or_404(event: Event) -> Report:
    report = report_for(event)
    if report is None:
        abort(404)
    return report


def published_report_or_404(slug: str) -> Report:
    """A published report by its event's slug; drafts and unpublished reports look missing."""
    report = db.session.scalar(select(Report).join(Report.event).where(Event.slug == slug))
    if report is None or not report.is_published:
        abort(404)
    return report


def version_or_404(report: Report, number: int | None = None) -> ReportVersion:
    """The given version of a published report, or its latest."""
    wanted = number if number is not None else report.current_version
    version = db.session.scalar(
        select(ReportVersion).where(ReportVersion.report_id == report.id, ReportVersion.number == wanted)
    )
    if version is None or wanted > report.current_version:
        abort(404)
    return version


@dataclass(frozen=True)
class ArchiveEntry:
    slug: str
    version: ReportVersion


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _latest_published():  # type: ignore[no-untyped-def]
    return (
        select(ReportVersion, Event.slug)
        .join(Report, and_(Report.id == ReportVersion.report_id, Report.current_version == ReportVersion.number))
        .join(Event, Event.id == Report.event_id)
        .where(Report.state == ReportState.PUBLISHED)
    )


def archive(keyword: str = "", year: int | None = None, tag: str = "") -> list[ArchiveEntry]:
    """The latest version of every published report, newest event first, filtered.

    ILIKE on the snapshot's plain text works the same on SQLite (case-folding ASCII) and PostgreSQL.
    """
    query = _latest_published()
    for word in keyword.split()[:5]:
        query = query.where(ReportVersion.search_text.ilike(_like_pattern(word), escape="\\"))
    if year:
        query = query.where(ReportVersion.year == year)
    if tag:
        query = query.where(ReportVersion.tags.like(_like_pattern(f"|{tag}|"), escape="\\"))
    rows = db.session.execute(query.order_by(Event.starts_at.desc())).all()
    return [ArchiveEntry(slug=slug, version=version) for version, slug in rows]


def archive_facets() -> tuple[list[int], list[str]]:
    """The years and tags of published reports, for the archive's filters."""
    rows = db.session.execute(_latest_published()).all()
    years = sorted({version.year for version, _ in rows}, reverse=True)
    tags = sorted({t for version, _ in rows for t in version.tags.split("|") if t})
    return years, tags


def editor_view(report: Report, round_id: int | None) -> dict[str, Any]:
    """What the editor page shows: rounds as tabs, the chosen round's points by room, versions, changes."""
    event = report.event
    rounds = building.cafe_rounds(event)
    current = next((r for r in rounds if r.id == round_id), rounds[0] if rounds else None)
    cells: dict[int, list[ReportPoint]] = {}
    for point in report.points:
        if current is not None and point.round_id == current.id:
            cells.setdefault(point.room_id, []).append(point)
    rooms = sorted({p.room for ps in cells.values() for p in ps}, key=lambda m: (m.position, m.name))
    counts = {r.id: sum(1 for p in report.points if p.round_id == r.id and not p.hidden) for r in rounds}
    found = services.pending(report)
    secrets = domain.Secrets(building.secrets_of(event))
    shown = [p for points in cells.values() for p in points]
    return {
        "auto_redacted": {p.id for p in shown if domain.redact(p.text, secrets) != p.text},
        "rounds": rounds,
        "current_round": current,
        "round_counts": counts,
        "cells": [(room, cells[room.id]) for room in rooms],
        "items": building.programme_items(event),
        "item_form": ItemSummaryForm,
        "versions": list(reversed(report.versions)),
        "has_changes": services.has_unpublished_changes(report),
        "pending_count": len(found.points) + len(found.images),
        "changed_count": len(found.changed),
    }
