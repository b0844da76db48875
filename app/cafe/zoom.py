"""The Zoom page of a world café: the pre-assignment CSV per round, who it will and will not place
automatically, and the Excel files for looking at and printing the seating."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from app.auth.guard import current_organizer
from app.cafe import planner, queries
from app.domain import zoom
from app.events import queries as event_queries

bp = Blueprint("cafe_zoom", __name__, url_prefix="/manage/events/<slug>/cafe/<int:item_id>")


@bp.get("/zoom")
@login_required
def page(slug: str, item_id: int) -> str:
    """Round ?round=N (1 by default): the published seats when published, else the draft."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    item = queries.cafe_item_or_404(event, item_id)
    data = planner.load(item)
    if not data.rounds:
        abort(404)
    number = request.args.get("round", "1")
    round_ = next((r for r in data.rounds if str(r.number) == number), None)
    if round_ is None:
        abort(404)
    draft = round_.published_at is None
    plan = (data.draft if draft else data.published)[round_.number - 1]
    expected = [
        p.id
        for p in data.people
        if p.role in planner.SEATED_ROLES and p.attends and (p.joins_round or 1) <= round_.number
    ]
    check = zoom.preassignment(queries.zoom_seated(data, plan), expected)
    # Beyond one pre-assignment: the meetings the round could be cut into, and how many rooms have their own link.
    sizes = [len(plan.get(str(room.id), ())) for room in data.rooms]
    meetings = [
        (number, data.rooms[run.start], data.rooms[run.stop - 1], len(run), sum(sizes[i] for i in run))
        for number, run in enumerate(zoom.meetings(sizes), start=1)
    ]
    return render_template(
        "cafe/zoom.html",
        event=event,
        item=item,
        rounds=data.rounds,
        round=round_,
        draft=draft,
        check=check,
        people={p.id: p for p in data.people},
        meetings=meetings,
        rooms_with_links=sum(1 for room in data.rooms if room.breakout_url),
        room_count=len(data.rooms),
        meeting_limit=zoom.MEETING_LIMIT,
        limits={"rooms": zoom.ROOM_LIMIT, "people": zoom.PEOPLE_LIMIT, "large_rooms": zoom.LARGE_ROOM_LIMIT,
                "large_people": zoom.LARGE_PEOPLE_LIMIT},
    )  # fmt: skip
