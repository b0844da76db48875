"""The `cafe` blueprint, shared by the rooms pages (room_views.py) and the plan's pages (plan_views.py), and the
helpers both use: the café an organiser owns, the way back to its pages, form errors and the person picker."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.cafe import queries
from app.cafe.planner import PlanError
from app.events import queries as event_queries
from app.events.models import Event, ProgrammeItem
from app.forms import Form
from app.participants import picker

bp = Blueprint("cafe", __name__, url_prefix="/manage/events/<slug>/cafe")

Page = str | tuple[str, int] | Response
GRID_ROOMS_PER_PAGE = 40
ROOMS_PER_PAGE = 50
PATHS_PER_PAGE = 100


def owned(slug: str, item_id: int) -> tuple[Event, ProgrammeItem]:
    """The event (owned by the signed-in organiser) and its café item, or 404."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    return event, queries.cafe_item_or_404(event, item_id)


def form_errors(form: Form) -> None:
    """Flash every field error of a form, each with its field's label."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}" if field.label.text else str(error), "error")


def back(event: Event, item: ProgrammeItem, page: str = "index", anchor: str = "") -> Response:
    """Back to the café's page ("index") or its plan ("plan"), at `anchor`."""
    if page == "plan":
        return redirect(url_for("cafe.plan", slug=event.slug, item_id=item.id) + anchor)
    return redirect(url_for("cafe.index", slug=event.slug, item=item.id) + anchor)


def picked(event: Event, text: str | None, group: str) -> int | None:
    """The id of the person a picker names (None: empty); PlanError with the picker's message otherwise."""
    try:
        person = picker.resolve(event, text or "", group)
    except picker.PickError as error:
        raise PlanError(str(error)) from error
    return person.id if person else None
