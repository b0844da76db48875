"""Organiser pages of the world café: rooms and hosts, keep-apart pairs (the plan's pages: app/cafe/plan_views.py).

Each action calls one service, which writes without committing, and commits once here on success."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.cafe import planner, queries, services
from app.cafe.blueprint import ROOMS_PER_PAGE, Page, back, bp, form_errors, owned, picked
from app.cafe.forms import (
    CreateRoomsForm,
    GenerateForm,
    KeepApartForm,
    RoomForm,
)
from app.cafe.models import KeepApart, Room
from app.events import queries as event_queries
from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.forms import ConfirmForm
from app.pagination import page_arg, pager
from app.participants import picker
from app.participants.models import Role


def _back_to_room(event: Event, item: ProgrammeItem, room_id: int) -> Response:
    """The rooms table again, at the page that holds the room (or where it was)."""
    ids = list(db.session.scalars(select(Room.id).where(Room.item_id == item.id).order_by(Room.position, Room.id)))
    index = next((i for i, rid in enumerate(ids) if rid >= room_id), len(ids) - 1) if ids else 0
    number = index // ROOMS_PER_PAGE + 1
    url = url_for("cafe.index", slug=event.slug, item=item.id, rooms=number if number > 1 else None)
    return redirect(url + (f"#row-{room_id}" if room_id in ids else "#rooms"))


def _room_matches(room: Room, host: str, text: str) -> bool:
    """Whether every word of the rooms search is in the room's name or its host's name."""
    haystack = f"{room.name} {host}".lower()
    return all(word.lower() in haystack for word in text.replace("\u3000", " ").split())


def _room_form(room: Room, hosts: dict[int, str]) -> RoomForm:
    form = RoomForm(prefix=f"room{room.id}", obj=room if request.method == "GET" else None)
    if request.method == "GET":
        form.host.data = hosts.get(room.host_id or 0, "")
    return form


@bp.route("")
@login_required
def index(slug: str) -> Page:
    """The café of an event: pick the café item, set up rooms, hosts and keep-apart pairs, see the plan."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    items = queries.cafe_items(event)
    item = next((i for i in items if str(i.id) == request.args.get("item")), items[0] if items else None)
    if item is None:
        return render_template("cafe/index.html", event=event, items=items, item=None)
    data = planner.load(item)
    proposal = services.proposed_room_count(data)
    hosts = {p.id: picker.label(p) for p in data.people if p.role == Role.FACILITATOR}
    # 400 rooms are pages of 50 rows: a 400-form table took seconds to build and to lay out in the browser.
    room_q = request.args.get("room_q", "").strip()[:100]
    shown = [r for r in data.rooms if _room_matches(r, hosts.get(r.host_id or 0, ""), room_q)]
    room_pages = pager(len(shown), ROOMS_PER_PAGE, page_arg("rooms"))
    return render_template(
        "cafe/index.html",
        event=event,
        items=items,
        item=item,
        data=data,
        attendance=services.attendance(data),
        proposal=proposal,
        facilitators=[p for p in data.people if p.role == Role.FACILITATOR and p.attends],
        rooms_form=CreateRoomsForm(count=proposal or len(data.rooms) or 1),
        max_rooms=services.MAX_ROOMS,
        room_forms=[(room, _room_form(room, hosts)) for room in room_pages.slice(shown)],
        room_pages=room_pages,
        room_q=room_q,
        keep_form=KeepApartForm(),
        generate_form=GenerateForm(),
        confirm=ConfirmForm(),
        record=queries.plan_record(item),
    )


@bp.post("/<int:item_id>/rooms")
@login_required
def create_rooms(slug: str, item_id: int) -> Response:
    """Create rooms up to the number asked for, named Room 1, Room 2, …"""
    event, item = owned(slug, item_id)
    form = CreateRoomsForm()
    if not form.validate_on_submit():
        form_errors(form)
    else:
        try:
            added = services.create_rooms(item, form.count.data or 0, _("Room %(number)s"), current_organizer())
        except services.PlanError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            if added:
                flash(_("%(count)s rooms were created.", count=added), "success")
            else:
                flash(_("There are already %(count)s rooms or more.", count=form.count.data), "info")
    return back(event, item, anchor="#rooms")


@bp.post("/<int:item_id>/rooms/<int:room_id>")
@login_required
def save_room(slug: str, item_id: int, room_id: int) -> Response:
    """Rename a room, set its breakout link and host."""
    event, item = owned(slug, item_id)
    room = db.get_or_404(Room, room_id)
    if room.item_id != item.id:
        return back(event, item)
    form = _room_form(room, {})
    if not form.validate_on_submit():
        form_errors(form)
        return _back_to_room(event, item, room.id)
    try:
        services.update_room(
            item,
            room,
            name=form.name.data or "",
            breakout_url=(form.breakout_url.data or "").strip(),
            host_id=picked(event, form.host.data, "facilitators"),
            actor=current_organizer(),
        )
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(room)s was saved.", room=room.name), "success")
    return _back_to_room(event, item, room.id)


@bp.post("/<int:item_id>/rooms/<int:room_id>/delete")
@login_required
def delete_room(slug: str, item_id: int, room_id: int) -> Response:
    """Delete one room of the café after confirmation (the plan must then be regenerated or re-planned)."""
    event, item = owned(slug, item_id)
    room = db.get_or_404(Room, room_id)
    # The Delete button submits the room's own form (one form per row): its CSRF token carries the row's prefix.
    if room.item_id == item.id and ConfirmForm(prefix=f"room{room.id}").validate_on_submit():
        try:
            services.delete_room(item, room, current_organizer())
            db.session.commit()
            flash(_("The room was deleted. Generate or re-plan so that nobody is left without a room."), "success")
        except services.PlanError as error:
            flash(str(error), "error")
    return _back_to_room(event, item, room_id)


@bp.post("/<int:item_id>/hosts")
@login_required
def assign_hosts(slug: str, item_id: int) -> Response:
    """Give every room without a host one of the free facilitators."""
    event, item = owned(slug, item_id)
    if ConfirmForm().validate_on_submit():
        count = services.assign_hosts(item, current_organizer())
        db.session.commit()
        flash(_("%(count)s facilitators were assigned to rooms.", count=count), "success")
    return back(event, item, anchor="#rooms")


@bp.post("/<int:item_id>/keep-apart")
@login_required
def add_keep_apart(slug: str, item_id: int) -> Response:
    """Record two people the planner must never seat in the same room."""
    event, item = owned(slug, item_id)
    form = KeepApartForm()
    if not form.validate_on_submit():
        flash(_("Please pick two people."), "error")
    else:
        try:
            first, second = picked(event, form.first.data, "seated"), picked(event, form.second.data, "seated")
            if first is None or second is None:
                raise services.PlanError(_("Please pick two people."))
            services.add_keep_apart(item, first, second, current_organizer())
            db.session.commit()
            flash(_("These two will be kept in different rooms."), "success")
        except services.PlanError as error:
            flash(str(error), "error")
    return back(event, item, anchor="#keep-apart")


@bp.post("/<int:item_id>/keep-apart/<int:pair_id>/delete")
@login_required
def delete_keep_apart(slug: str, item_id: int, pair_id: int) -> Response:
    """Remove a keep-apart pair after confirmation."""
    event, item = owned(slug, item_id)
    pair = db.get_or_404(KeepApart, pair_id)
    if pair.item_id == item.id and ConfirmForm().validate_on_submit():
        services.delete_keep_apart(item, pair, current_organizer())
        db.session.commit()
        flash(_("The pair was removed."), "success")
    return back(event, item, anchor="#keep-apart")
