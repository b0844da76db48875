"""Reads for the report pages: the organiser's report and its editor, published reports and their versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Gone

from app.cafe.models import Room
from app.domain import report as domain
from app.events.models import Event
from app.extensions import db
from app.reports import building, services
from app.reports.forms import ItemSummaryForm
from app.reports.models import Report, ReportImage, ReportPoint, ReportTheme, ReportVersion


def report_for(event: Event, *, points: bool = True) -> Report | None:
    """An event's report (draft or published), with its themes, versions and images loaded, and its points
    (with their rooms) unless points=False: the editor's page reads only the points it shows."""
    options = [
        selectinload(Report.themes),
        selectinload(Report.versions),
        selectinload(Report.images).selectinload(ReportImage.image),
    ]
    if points:
        options.append(selectinload(Report.points).selectinload(ReportPoint.room))
    return db.session.scalar(select(Report).where(Report.event_id == event.id).options(*options))


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
POINTS_FOLDED = 6  # a theme's points shown in its fold until the organiser asks for all of them


@dataclass(frozen=True)
class ThemeRow:
    """A theme in the editor: the theme, the points shown (all of them, hidden ones too, when it is the open
    theme; else the first few), how many points it has, and how many rooms raised it."""

    theme: ReportTheme
    points: list[ReportPoint]
    rooms: int
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.points)


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


def _points(*where: Any) -> list[ReportPoint]:
    """Report points (with their rooms) matching the conditions, in report order."""
    return list(
        db.session.scalars(
            select(ReportPoint)
            .where(*where)
            .options(selectinload(ReportPoint.room))
            .order_by(ReportPoint.position, ReportPoint.id)
        )
    )


def editor_view(
    report: Report,
    round_id: int | None,
    page: int | None = None,
    theme_page: int | None = None,
    open_theme: int | None = None,
) -> dict[str, Any]:
    """What the editor shows for one round: its themes (a page of them, a few points folded under each, all
    of them under the open theme), then the points in no theme by room (a page of rooms), plus versions and
    what the notes hold that is new.

    Reads a fixed number of statements and only the rows it shows: counts come from the database, the
    points from the page's themes and rooms (a 400-room round has 2,400 points; a page shows a few hundred).
    """
    event = report.event
    rounds = building.cafe_rounds(event)
    current = next((r for r in rounds if r.id == round_id), rounds[0] if rounds else None)
    mine = ReportPoint.report_id == report.id
    counts = dict(
        db.session.execute(
            select(ReportPoint.round_id, func.count())
            .where(mine, ReportPoint.hidden.is_(False))
            .group_by(ReportPoint.round_id)
        ).all()
    )
    counts = {r.id: counts.get(r.id, 0) for r in rounds}
    theme_counts = {r.id: sum(1 for t in report.themes if t.round_id == r.id and not t.hidden) for r in rounds}
    rows: list[ThemeRow] = []
    cells: dict[int, list[ReportPoint]] = {}
    theme_pager = _pager(0, THEMES_PER_PAGE, None)
    room_pager = _pager(0, ROOMS_PER_PAGE, None)
    shown_rooms: list[Room] = []
    loose = 0
    unreviewed = 0
    if current is not None:
        in_round = (mine, ReportPoint.round_id == current.id)
        sizes = {
            theme_id: (total, rooms)
            for theme_id, total, rooms in db.session.execute(
                select(
                    ReportPoint.theme_id,
                    func.count(),
                    func.count(distinct(case((ReportPoint.hidden.is_(False), ReportPoint.room_id)))),
                )
                .where(*in_round, ReportPoint.theme_id.is_not(None))
                .group_by(ReportPoint.theme_id)
            )
        }
        themes = [t for t in report.themes if t.round_id == current.id]
        unreviewed = sum(1 for t in themes if not t.accepted)
        themes.sort(key=lambda t: (t.hidden, -sizes.get(t.id, (0, 0))[1], -sizes.get(t.id, (0, 0))[0], t.position))
        theme_pager = _pager(len(themes), THEMES_PER_PAGE, theme_page)
        start = (theme_pager.page - 1) * THEMES_PER_PAGE
        page_themes = themes[start : start + THEMES_PER_PAGE]
        members: dict[int, list[ReportPoint]] = {}
        if page_themes:
            for point in _points(*in_round, ReportPoint.theme_id.in_([t.id for t in page_themes])):
                members.setdefault(point.theme_id or 0, []).append(point)
        for theme in page_themes:
            points = members.get(theme.id, [])
            total, rooms = sizes.get(theme.id, (0, 0))
            shown = points if theme.id == open_theme else points[:POINTS_FOLDED]
            rows.append(ThemeRow(theme, shown, rooms, total))
        room_rows = db.session.execute(
            select(Room.id, func.count())
            .join(ReportPoint, ReportPoint.room_id == Room.id)
            .where(*in_round, ReportPoint.theme_id.is_(None))
            .group_by(Room.id, Room.position, Room.name)
            .order_by(Room.position, Room.name)
        ).all()
        loose = sum(n for _room, n in room_rows)
        room_pager = _pager(len(room_rows), ROOMS_PER_PAGE, page)
        wanted = [
            room for room, _n in room_rows[(room_pager.page - 1) * ROOMS_PER_PAGE : room_pager.page * ROOMS_PER_PAGE]
        ]
        if wanted:
            for point in _points(*in_round, ReportPoint.theme_id.is_(None), ReportPoint.room_id.in_(wanted)):
                cells.setdefault(point.room_id, []).append(point)
        shown_rooms = [cells[room_id][0].room for room_id in wanted if room_id in cells]
    found = services.pending_counts(report)
    secrets = domain.Secrets(building.secrets_of(event))
    shown = [p for room in shown_rooms for p in cells[room.id]] + [p for row in rows for p in row.points]
    return {
        "auto_redacted": {p.id for p in shown if domain.redact(p.text, secrets) != p.text},
        "rounds": rounds,
        "current_round": current,
        "round_counts": counts,
        "theme_counts": theme_counts,
        "theme_rows": rows,
        "theme_pager": theme_pager,
        "open_theme": open_theme,
        "unreviewed": unreviewed,
        "cells": [(room, cells[room.id]) for room in shown_rooms],
        "room_pager": room_pager,
        "loose_points": loose,
        "items": building.programme_items(event),
        "item_form": ItemSummaryForm,
        "versions": list(reversed(report.versions)),
        "has_changes": services.has_unpublished_changes(report),
        "pending_count": found.points + found.images,
        "changed_count": found.changed,
    }
