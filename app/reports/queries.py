"""Reads for the report pages: the organiser's report and its editor, published reports and their versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Gone

from app.domain import report as domain
from app.events.models import Event
from app.extensions import db
from app.reports import building, services
from app.reports.forms import ItemSummaryForm
from app.reports.models import Report, ReportImage, ReportPoint, ReportTheme, ReportVersion


def report_for(event: Event) -> Report | None:
    """An event's report (draft or published), with its points (and their rooms), themes and images loaded."""
    return db.session.scalar(
        select(Report)
        .where(Report.event_id == event.id)
        .options(
            selectinload(Report.points).selectinload(ReportPoint.room),
            selectinload(Report.themes),
            selectinload(Report.versions),
            selectinload(Report.images).selectinload(ReportImage.image),
        )
    )


def report_or_404(event: Event) -> Report:
    """The event's report, or 404 if none was started."""
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
    """The given version of a published report, or its latest; a withdrawn version answers 410 Gone."""
    wanted = number if number is not None else report.current_version
    version = db.session.scalar(
        select(ReportVersion).where(ReportVersion.report_id == report.id, ReportVersion.number == wanted)
    )
    if version is not None and version.withdrawn:
        gone = Gone(_("The organisers have withdrawn this version of the report."))
        gone.custom = True  # type: ignore[attr-defined]
        raise gone
    if version is None or wanted > report.current_version:
        abort(404)
    return version


def readable_versions(report: Report) -> list[ReportVersion]:
    """The versions readers may open, oldest first."""
    return [v for v in report.versions if v.number <= report.current_version and not v.withdrawn]


ROOMS_PER_PAGE = 20
THEMES_PER_PAGE = 30


@dataclass(frozen=True)
class ThemeRow:
    """A theme in the editor: the theme, all its points (hidden ones too), and how many rooms raised it."""

    theme: ReportTheme
    points: list[ReportPoint]
    rooms: int


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    total: int

    @property
    def numbers(self) -> list[int]:
        return list(range(1, self.pages + 1))


def _pager(total: int, per: int, wanted: int | None) -> Pager:
    pages = max(1, -(-total // per))
    return Pager(page=min(max(1, wanted or 1), pages), pages=pages, total=total)


def editor_view(
    report: Report, round_id: int | None, page: int | None = None, theme_page: int | None = None
) -> dict[str, Any]:
    """What the editor shows for one round: its themes (a page of them, points folded under each), then the
    points in no theme by room (a page of rooms), plus versions and what the notes hold that is new."""
    event = report.event
    rounds = building.cafe_rounds(event)
    current = next((r for r in rounds if r.id == round_id), rounds[0] if rounds else None)
    members = building.points_by_theme(report)
    rows = []
    for theme in report.themes:
        if current is not None and theme.round_id == current.id:
            points = members.get(theme.id, [])
            rows.append(ThemeRow(theme, points, len({p.room_id for p in points if not p.hidden})))
    rows.sort(key=lambda r: (r.theme.hidden, -r.rooms, -len(r.points), r.theme.position))
    theme_pager = _pager(len(rows), THEMES_PER_PAGE, theme_page)
    start = (theme_pager.page - 1) * THEMES_PER_PAGE
    cells: dict[int, list[ReportPoint]] = {}
    for point in report.points:
        if current is not None and point.round_id == current.id and point.theme_id is None:
            cells.setdefault(point.room_id, []).append(point)
    rooms = sorted({p.room for ps in cells.values() for p in ps}, key=lambda m: (m.position, m.name))
    room_pager = _pager(len(rooms), ROOMS_PER_PAGE, page)
    shown_rooms = rooms[(room_pager.page - 1) * ROOMS_PER_PAGE : room_pager.page * ROOMS_PER_PAGE]
    counts = {r.id: sum(1 for p in report.points if p.round_id == r.id and not p.hidden) for r in rounds}
    theme_counts = {r.id: sum(1 for t in report.themes if t.round_id == r.id and not t.hidden) for r in rounds}
    found = services.pending(report)
    secrets = domain.Secrets(building.secrets_of(event))
    shown = [p for room in shown_rooms for p in cells[room.id]] + [p for row in rows for p in row.points]
    return {
        "auto_redacted": {p.id for p in shown if domain.redact(p.text, secrets) != p.text},
        "rounds": rounds,
        "current_round": current,
        "round_counts": counts,
        "theme_counts": theme_counts,
        "theme_rows": rows[start : start + THEMES_PER_PAGE],
        "theme_pager": theme_pager,
        "unreviewed": sum(1 for r in rows if not r.theme.accepted),
        "cells": [(room, cells[room.id]) for room in shown_rooms],
        "room_pager": room_pager,
        "loose_points": sum(len(ps) for ps in cells.values()),
        "items": building.programme_items(event),
        "item_form": ItemSummaryForm,
        "versions": list(reversed(report.versions)),
        "has_changes": services.has_unpublished_changes(report),
        "pending_count": len(found.points) + len(found.images),
        "changed_count": len(found.changed),
    }
