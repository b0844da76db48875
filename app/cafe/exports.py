"""Exports for the meeting platform: Zoom's breakout pre-assignment CSV, the mover sheet and the seating chart."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.auth.views import current_organizer
from app.cafe import planner, queries
from app.domain import spreadsheet
from app.events import queries as event_queries
from app.events.models import CafeRound, Event, ProgrammeItem

bp = Blueprint("cafe_exports", __name__, url_prefix="/manage/events/<slug>/cafe/<int:item_id>/rounds/<int:number>")

ZOOM_HEADER = ("Pre-assign Room Name", "Email Address")


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
    plans = data.draft if draft else data.published
    body = zoom_csv(queries.zoom_rows(data, plans[number - 1]))
    name = f"{event.slug}-round{number}{'-draft' if draft else ''}-zoom.csv"
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
    return render_template("cafe/roster.html", event=event, item=item, round=round_, cells=cells, draft=draft)


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
    return render_template(
        "cafe/movers.html", event=event, item=item, round=round_, following=following, groups=groups, draft=draft
    )
