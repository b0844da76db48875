"""Exports for the meeting platform: Zoom's breakout pre-assignment CSV, and the mover sheet and seating chart
as printable pages and as Excel workbooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.auth.guard import current_organizer
from app.cafe import planner, queries, workbooks
from app.cafe.models import Room
from app.domain import seating, spreadsheet
from app.domain import zoom as zoom_limits
from app.events import queries as event_queries
from app.events.models import CafeRound, Event, ProgrammeItem

bp = Blueprint("cafe_exports", __name__, url_prefix="/manage/events/<slug>/cafe/<int:item_id>/rounds/<int:number>")

ZOOM_HEADER = ("Pre-assign Room Name", "Email Address")
MAX_CO_HOSTS = 100


def _context(slug: str, item_id: int, number: int) -> tuple[Event, ProgrammeItem, planner.CafeData, CafeRound, bool]:
    """The round and whether to read the draft (asked for with ?draft=1) or the published seats."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    item = queries.cafe_item_or_404(event, item_id)
    data = planner.load(item)
    round_ = next((r for r in data.rounds if r.number == number), None)
    if round_ is None:
        abort(404)
    return event, item, data, round_, request.args.get("draft") == "1"


def _not_published(event: Event, item: ProgrammeItem, number: int) -> Response:
    flash(
        _("Round %(number)s is not published yet. Publish it, or use the draft version of this export.", number=number),
        "error",
    )
    return redirect(url_for("cafe.plan", slug=event.slug, item_id=item.id) + "#exports")


@dataclass(frozen=True)
class Section:
    """The part of a printout one co-host handles: a run of rooms (and what happens in them)."""

    number: int  # 1..count; 0: the whole printout in one part
    count: int
    first: Room | None
    last: Room | None
    rows: list[Any]


def _co_hosts() -> tuple[int, int]:
    """?cohosts=N (how many co-hosts share the rooms) and ?cohost=k (print only theirs; 0: everyone's)."""
    parts, only = request.args.get("cohosts", ""), request.args.get("cohost", "")
    count = min(int(parts), MAX_CO_HOSTS) if parts.isdigit() and len(parts) < 4 and int(parts) > 0 else 1
    single = int(only) if only.isdigit() and len(only) < 4 and int(only) <= count else 0
    return count, single


def _sections(rooms: list[Room], rows: list[Any], room_of: Callable[[Any], Room | None]) -> tuple[list[Section], int]:
    """Rows cut into co-hosts' runs of rooms (by the room each row is about); rows of no room stay apart."""
    count, single = _co_hosts()
    index = {room.id: i for i, room in enumerate(rooms)}
    runs = seating.split_evenly(len(rooms), count)
    count = len(runs) or 1
    sections = []
    for number, run in enumerate(runs, start=1):
        if single and number != single:
            continue
        inside = [row for row in rows if (room := room_of(row)) is not None and index.get(room.id, -1) in run]
        sections.append(Section(number if count > 1 else 0, count, rooms[run.start], rooms[run.stop - 1], inside))
    rest = [row for row in rows if room_of(row) is None]
    if rest and not single:
        sections.append(Section(0, count, None, None, rest))
    return sections, count


def zoom_csv(rows: list[tuple[str, str]]) -> bytes:
    """The CSV Zoom accepts for breakout-room pre-assignment (header exactly as Zoom's template, no BOM).

    Room names and emails come from organisers and public registration: formula cells are neutralised."""
    return spreadsheet.csv_bytes(rows, ZOOM_HEADER, bom=False)


@bp.get("/zoom.csv")
@login_required
def zoom(slug: str, item_id: int, number: int) -> Response:
    """Zoom breakout pre-assignment for one round: one row per person, the host included."""
    event, item, data, round_, draft = _context(slug, item_id, number)
    if not draft and round_.published_at is None:
        return _not_published(event, item, number)
    plan = (data.draft if draft else data.published)[number - 1]
    rows = queries.zoom_rows(data, plan)
    part = ""
    meeting = request.args.get("meeting", "")
    if meeting.isdigit() and len(meeting) < 4:
        # One of the meetings a large café is cut into (the Zoom page lists them): only its rooms.
        runs = zoom_limits.meetings([len(plan.get(str(room.id), ())) for room in data.rooms])
        if not 1 <= int(meeting) <= len(runs):
            abort(404)
        names = {data.rooms[i].name for i in runs[int(meeting) - 1]}
        rows, part = [row for row in rows if row[0] in names], f"-meeting{meeting}"
    body = zoom_csv(rows)
    name = f"{event.slug}-round{number}{part}{'-draft' if draft else ''}-zoom.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.get("/roster")
@login_required
def roster(slug: str, item_id: int, number: int) -> Response | str:
    """A printable seating chart (座席表) of one round: rooms as boxes with host and members."""
    event, item, data, round_, draft = _context(slug, item_id, number)
    if not draft and round_.published_at is None:
        return _not_published(event, item, number)
    plans = data.draft if draft else data.published
    cells = [(room, cells[number - 1]) for room, cells in queries.grid(data, plans)]
    sections, count = _sections(data.rooms, cells, lambda row: row[0])
    return render_template(
        "cafe/roster.html", event=event, item=item, round=round_, sections=sections, co_hosts=count, draft=draft
    )


@bp.get("/movers")
@login_required
def movers(slug: str, item_id: int, number: int) -> Response | str:
    """A printable mover sheet for co-hosts: between round k and k+1, who goes from which room to which."""
    event, item, data, round_, draft = _context(slug, item_id, number)
    if number >= len(data.rounds):
        abort(404)
    following = data.rounds[number]
    if not draft and (round_.published_at is None or following.published_at is None):
        return _not_published(event, item, following.number if round_.published_at else number)
    plans = data.draft if draft else data.published
    groups = queries.mover_sheet(data, plans, number)
    sections, count = _sections(data.rooms, groups, lambda group: group.room)
    return render_template(
        "cafe/movers.html",
        event=event,
        item=item,
        round=round_,
        following=following,
        sections=sections,
        co_hosts=count,
        moving=sum(len(g.arrivals) for g in groups),
        draft=draft,
    )


def _workbook(body: bytes, name: str) -> Response:
    return Response(
        body,
        mimetype=workbooks.MIME,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.get("/roster.xlsx")
@login_required
def roster_xlsx(slug: str, item_id: int, number: int) -> Response:
    """The seating chart of one round as an Excel workbook: one row per person, room by room."""
    event, item, data, round_, draft = _context(slug, item_id, number)
    if not draft and round_.published_at is None:
        return _not_published(event, item, number)
    plans = data.draft if draft else data.published
    cells = [(room, cells[number - 1]) for room, cells in queries.grid(data, plans)]
    body = workbooks.seating_chart(event, item, round_, cells, draft=draft)
    return _workbook(body, f"{event.slug}-round{number}{'-draft' if draft else ''}-seating.xlsx")


@bp.get("/movers.xlsx")
@login_required
def movers_xlsx(slug: str, item_id: int, number: int) -> Response:
    """The mover sheet between round k and k+1 as an Excel workbook."""
    event, item, data, round_, draft = _context(slug, item_id, number)
    if number >= len(data.rounds):
        abort(404)
    following = data.rounds[number]
    if not draft and (round_.published_at is None or following.published_at is None):
        return _not_published(event, item, following.number if round_.published_at else number)
    plans = data.draft if draft else data.published
    body = workbooks.mover_sheet(event, item, round_, following, queries.mover_sheet(data, plans, number), draft=draft)
    return _workbook(body, f"{event.slug}-round{number}-to-{number + 1}{'-draft' if draft else ''}-movers.xlsx")
