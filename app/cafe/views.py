"""Organiser pages of the world café: rooms and hosts, keep-apart pairs, the plan, adjusting, publishing, re-planning."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.cafe import plan_jobs, planner, publishing, queries, services
from app.cafe.forms import (
    AbsentForm,
    CreateRoomsForm,
    GenerateForm,
    KeepApartForm,
    MoveForm,
    PublishForm,
    ReplanForm,
    RoomForm,
    SwapForm,
)
from app.cafe.models import KeepApart, Room
from app.db import utcnow
from app.domain import zoom
from app.events import queries as event_queries
from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.forms import ConfirmForm, Form, new_request_key
from app.jobs import queue as jobs
from app.pagination import page_arg, pager
from app.participants import picker
from app.participants.models import Role

bp = Blueprint("cafe", __name__, url_prefix="/manage/events/<slug>/cafe")

Page = str | tuple[str, int] | Response
GRID_ROOMS_PER_PAGE = 40
ROOMS_PER_PAGE = 50
PATHS_PER_PAGE = 100


def _owned(slug: str, item_id: int) -> tuple[Event, ProgrammeItem]:
    event = event_queries.owned_event_or_404(slug, current_organizer())
    return event, queries.cafe_item_or_404(event, item_id)


def _form_errors(form: Form) -> None:
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}" if field.label.text else str(error), "error")


def _back(event: Event, item: ProgrammeItem, page: str = "index", anchor: str = "") -> Response:
    if page == "plan":
        return redirect(url_for("cafe.plan", slug=event.slug, item_id=item.id) + anchor)
    return redirect(url_for("cafe.index", slug=event.slug, item=item.id) + anchor)


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


def _picked(event: Event, text: str | None, group: str) -> int | None:
    """The id of the person a picker names (None: empty); PlanError with the picker's message otherwise."""
    try:
        person = picker.resolve(event, text or "", group)
    except picker.PickError as error:
        raise services.PlanError(str(error)) from error
    return person.id if person else None


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
    event, item = _owned(slug, item_id)
    form = CreateRoomsForm()
    if not form.validate_on_submit():
        _form_errors(form)
    else:
        try:
            added = services.create_rooms(item, form.count.data or 0, _("Room %(number)s"), current_organizer())
        except services.PlanError as error:
            flash(str(error), "error")
        else:
            if added:
                flash(_("%(count)s rooms were created.", count=added), "success")
            else:
                flash(_("There are already %(count)s rooms or more.", count=form.count.data), "info")
    return _back(event, item, anchor="#rooms")


@bp.post("/<int:item_id>/rooms/<int:room_id>")
@login_required
def save_room(slug: str, item_id: int, room_id: int) -> Response:
    """Rename a room, set its breakout link and host."""
    event, item = _owned(slug, item_id)
    room = db.get_or_404(Room, room_id)
    if room.item_id != item.id:
        return _back(event, item)
    form = _room_form(room, {})
    if not form.validate_on_submit():
        _form_errors(form)
        return _back_to_room(event, item, room.id)
    try:
        services.update_room(
            item,
            room,
            name=form.name.data or "",
            breakout_url=(form.breakout_url.data or "").strip(),
            host_id=_picked(event, form.host.data, "facilitators"),
            actor=current_organizer(),
        )
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        flash(_("%(room)s was saved.", room=room.name), "success")
    return _back_to_room(event, item, room.id)


@bp.post("/<int:item_id>/rooms/<int:room_id>/delete")
@login_required
def delete_room(slug: str, item_id: int, room_id: int) -> Response:
    """Delete one room of the café after confirmation (the plan must then be regenerated or re-planned)."""
    event, item = _owned(slug, item_id)
    room = db.get_or_404(Room, room_id)
    # The Delete button submits the room's own form (one form per row): its CSRF token carries the row's prefix.
    if room.item_id == item.id and ConfirmForm(prefix=f"room{room.id}").validate_on_submit():
        try:
            services.delete_room(item, room, current_organizer())
            flash(_("The room was deleted. Generate or re-plan so that nobody is left without a room."), "success")
        except services.PlanError as error:
            flash(str(error), "error")
    return _back_to_room(event, item, room_id)


@bp.post("/<int:item_id>/hosts")
@login_required
def assign_hosts(slug: str, item_id: int) -> Response:
    """Give every room without a host one of the free facilitators."""
    event, item = _owned(slug, item_id)
    if ConfirmForm().validate_on_submit():
        count = services.assign_hosts(item, current_organizer())
        flash(_("%(count)s facilitators were assigned to rooms.", count=count), "success")
    return _back(event, item, anchor="#rooms")


@bp.post("/<int:item_id>/keep-apart")
@login_required
def add_keep_apart(slug: str, item_id: int) -> Response:
    """Record two people the planner must never seat in the same room."""
    event, item = _owned(slug, item_id)
    form = KeepApartForm()
    if not form.validate_on_submit():
        flash(_("Please pick two people."), "error")
    else:
        try:
            first, second = _picked(event, form.first.data, "seated"), _picked(event, form.second.data, "seated")
            if first is None or second is None:
                raise services.PlanError(_("Please pick two people."))
            services.add_keep_apart(item, first, second, current_organizer())
            flash(_("These two will be kept in different rooms."), "success")
        except services.PlanError as error:
            flash(str(error), "error")
    return _back(event, item, anchor="#keep-apart")


@bp.post("/<int:item_id>/keep-apart/<int:pair_id>/delete")
@login_required
def delete_keep_apart(slug: str, item_id: int, pair_id: int) -> Response:
    """Remove a keep-apart pair after confirmation."""
    event, item = _owned(slug, item_id)
    pair = db.get_or_404(KeepApart, pair_id)
    if pair.item_id == item.id and ConfirmForm().validate_on_submit():
        services.delete_keep_apart(item, pair, current_organizer())
        flash(_("The pair was removed."), "success")
    return _back(event, item, anchor="#keep-apart")


@bp.post("/<int:item_id>/generate")
@login_required
def generate(slug: str, item_id: int) -> Response:
    """Make a new draft plan (with the seed given, or a new one: re-roll)."""
    event, item = _owned(slug, item_id)
    form = GenerateForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return _back(event, item)
    if plan_jobs.in_background(event):
        _job, created = plan_jobs.start(
            plan_jobs.GENERATE,
            item,
            current_organizer(),
            form.request_key.data or new_request_key(),
            seed=form.seed.data,
        )
        if created:
            flash(_("The plan is being made in the background. This page shows when it is ready."), "success")
        return _back(event, item, "plan", "#plan-job")
    try:
        result = services.generate(item, form.seed.data, current_organizer(), now=utcnow())
    except services.PlanError as error:
        flash(str(error), "error")
        return _back(event, item)
    flash(_("A new draft plan was made in %(seconds)s s.", seconds=f"{result.stats.seconds:.2f}"), "success")
    return _back(event, item, "plan")


def _plan_job(item: ProgrammeItem) -> dict[str, object] | None:
    """A large café's plan job as the plan page shows it (waiting, running, or just finished)."""
    job = plan_jobs.shown(item)
    if job is None:
        return None
    payload = json.loads(job.payload or "{}")
    return jobs.as_json(job) | {"kind": job.kind, "created_at": job.created_at, "from_round": payload.get("from_round")}


@bp.get("/<int:item_id>/plan-job.json")
@login_required
def plan_job(slug: str, item_id: int) -> Response:
    """The plan job's state and progress for the plan page's script."""
    _event, item = _owned(slug, item_id)
    job = plan_jobs.shown(item)
    response = jsonify({"job": jobs.as_json(job) if job is not None else None})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:item_id>/plan")
@login_required
def plan(slug: str, item_id: int) -> Page:
    """Review the draft: rooms × rounds, everyone's path, the measures; adjust, publish, re-plan."""
    event, item = _owned(slug, item_id)
    review = queries.review(item, utcnow(), published=request.args.get("view") == "published")
    rounds = [(r.number, _("Round %(number)s", number=r.number)) for r in review.data.rounds]
    move, swap = MoveForm(prefix="move"), SwapForm(prefix="swap")
    move.round.choices = swap.round.choices = rounds
    move.room.choices = [(r.id, r.name) for r in review.data.rooms]
    publish = PublishForm()
    publish.upto.choices = [(n, _("rounds 1–%(number)s", number=n)) for n, _label in rounds]
    publish.upto.data = len(rounds)
    replan = ReplanForm()
    # Rounds that have started cannot be re-planned; the next round to start is the default.
    replan.from_round.choices = rounds[review.started :]
    if replan.from_round.choices:
        replan.from_round.data = replan.from_round.choices[0][0]
    # 400 rooms and 2,000 paths are pages of the grid and of the paths (searchable), not one 2 MB page.
    grid_pages = pager(len(review.grid), GRID_ROOMS_PER_PAGE, page_arg("rooms"))
    text = request.args.get("q", "").strip()[:100]
    paths = [row for row in review.paths if queries.person_matches(row[0], text)]
    path_pages = pager(len(paths), PATHS_PER_PAGE, page_arg("people"))
    open_numbers = {r.number for r in review.open_rounds}
    move.round.choices = swap.round.choices = [(n, label) for n, label in rounds if n in open_numbers]
    # Before the café: people who said they can't attend, offered to be taken out of the plan.
    cant_attend, hosts_cant_attend = queries.said_cant_attend(review.data) if review.started == 0 else ([], [])
    return render_template(
        "cafe/plan.html",
        event=event,
        item=item,
        plan_job=_plan_job(item),
        review=review,
        zoom_limits=(zoom.ROOM_LIMIT, zoom.PEOPLE_LIMIT, zoom.LARGE_ROOM_LIMIT, zoom.LARGE_PEOPLE_LIMIT),
        seated=len({pid for plan in review.plans for members in plan.values() for pid in members}),
        grid_rows=grid_pages.slice(review.grid),
        grid_pages=grid_pages,
        path_rows=path_pages.slice(paths),
        path_pages=path_pages,
        q=text,
        cant_attend=cant_attend,
        hosts_cant_attend=hosts_cant_attend,
        record=queries.plan_record(item),
        log=queries.recent_changes(item),
        versions=queries.versions(item),
        confirm=ConfirmForm(),
        view=request.args.get("view", "draft"),
        move_form=move,
        swap_form=swap,
        publish_form=publish,
        replan_form=replan,
        # The day feature's "Who is missing?" screen (search, Zoom, latecomers), when the day feature is on.
        missing_endpoint="day.missing" if "day.missing" in current_app.view_functions else None,
        generate_form=GenerateForm(),
    )


@bp.post("/<int:item_id>/move")
@login_required
def move(slug: str, item_id: int) -> Response:
    """Move one person to another room for one round."""
    event, item = _owned(slug, item_id)
    form = MoveForm(prefix="move")
    if not form.validate_on_submit() or form.room.data is None:
        flash(_("Please pick a round, a person and a room."), "error")
        return _back(event, item, "plan", "#adjust")
    try:
        person = _picked(event, form.person.data, "seated")
        if person is None:
            raise services.PlanError(_("Please pick a round, a person and a room."))
        notes = services.move_person(item, form.round.data, person, form.room.data, current_organizer(), now=utcnow())
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        flash(_("Moved. The measures below are updated."), "success")
        for note in notes:
            flash(note, "info")
    return _back(event, item, "plan", "#measures")


@bp.post("/<int:item_id>/swap")
@login_required
def swap(slug: str, item_id: int) -> Response:
    """Exchange the rooms of two people in one round."""
    event, item = _owned(slug, item_id)
    form = SwapForm(prefix="swap")
    if not form.validate_on_submit():
        flash(_("Please pick a round and two people."), "error")
        return _back(event, item, "plan", "#adjust")
    try:
        first, second = _picked(event, form.first.data, "seated"), _picked(event, form.second.data, "seated")
        if first is None or second is None:
            raise services.PlanError(_("Please pick a round and two people."))
        services.swap_people(item, form.round.data, first, second, current_organizer(), now=utcnow())
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        flash(_("Swapped. The measures below are updated."), "success")
    return _back(event, item, "plan", "#measures")


@bp.post("/<int:item_id>/publish")
@login_required
def publish(slug: str, item_id: int) -> Page:
    """Publish rounds 1..k; if that changes rounds already published, show the changes and ask first."""
    event, item = _owned(slug, item_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return _back(event, item, "plan")
    try:
        numbers = publishing.publish(
            item, form.upto.data, confirm=form.confirm.data, actor=current_organizer(), now=utcnow()
        )
    except publishing.NeedsConfirmation as pending:
        changes = queries.describe_changes(planner.load(item), pending.changes)
        return render_template("cafe/publish_confirm.html", event=event, item=item, form=form, changes=changes), 409
    except services.PlanError as error:
        flash(str(error), "error")
        return _back(event, item, "plan")
    if numbers:
        flash(_("Published: rounds %(rounds)s.", rounds=", ".join(map(str, numbers))), "success")
    else:
        flash(_("Nothing changed: the published rounds already match the plan."), "info")
    return _back(event, item, "plan")


@bp.post("/<int:item_id>/replan")
@login_required
def replan(slug: str, item_id: int) -> Response:
    """Re-plan rounds k.. around who is here now, keeping earlier rounds as they were held."""
    event, item = _owned(slug, item_id)
    form = ReplanForm()
    if not form.validate_on_submit():
        return _back(event, item, "plan")
    if plan_jobs.in_background(event):
        _job, created = plan_jobs.start(
            plan_jobs.REPLAN,
            item,
            current_organizer(),
            form.request_key.data or new_request_key(),
            from_round=form.from_round.data,
        )
        if created:
            flash(_("The plan is being made in the background. This page shows when it is ready."), "success")
        return _back(event, item, "plan", "#plan-job")
    try:
        result = services.replan(item, form.from_round.data, actor=current_organizer(), now=utcnow())
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "Rounds %(number)s onwards were re-planned: %(changed)s seats changed. Review the changes, then publish.",
                number=form.from_round.data,
                changed=result.changed,
            ),
            "success",
        )
    return _back(event, item, "plan", "#changes")


@bp.post("/<int:item_id>/absent")
@login_required
def absent(slug: str, item_id: int) -> Response:
    """On the day: mark the people who did not come (or left) as absent."""
    event, item = _owned(slug, item_id)
    form = AbsentForm()
    if not form.validate_on_submit() or not form.people.data:
        flash(_("Please pick at least one person."), "error")
    else:
        count = services.mark_absent(item, form.people.data, current_organizer())
        flash(_("%(count)s people were marked absent. Now re-plan the coming rounds.", count=count), "success")
    return _back(event, item, "plan", "#on-the-day")


@bp.post("/<int:item_id>/rsvp-absent")
@login_required
def take_out_cant_attend(slug: str, item_id: int) -> Response:
    """Before the café: the people who said they can't attend are marked absent and the plan is re-planned."""
    event, item = _owned(slug, item_id)
    if not ConfirmForm().validate_on_submit():
        return _back(event, item, "plan")
    now = utcnow()
    data = planner.load(item)
    started = planner.started_upto(data, now)
    people, _hosts = queries.said_cant_attend(data)
    if started or not people:
        flash(_("Nobody to take out: the answers have changed or the café has started. Please look again."), "info")
        return _back(event, item, "plan")
    count = services.mark_absent(item, [p.id for p in people], current_organizer(), now=now)
    if not data.has_draft():
        flash(_("%(count)s people who can't attend were marked absent.", count=count), "success")
        return _back(event, item, "plan")
    if plan_jobs.in_background(event):  # a second click finds nobody left to take out: one key per click is enough
        plan_jobs.start(plan_jobs.REPLAN, item, current_organizer(), new_request_key(), from_round=1)
        flash(_("%(count)s people who can't attend were marked absent.", count=count), "success")
        return _back(event, item, "plan", "#plan-job")
    try:
        result = services.replan(item, 1, actor=current_organizer(), now=now)
    except services.PlanError as error:
        flash(str(error), "error")
        return _back(event, item, "plan")
    flash(
        _(
            "%(count)s people who can't attend were taken out of the plan: %(changed)s seats changed. "
            "Review the changes, then publish.",
            count=count,
            changed=result.changed,
        ),
        "success",
    )
    return _back(event, item, "plan", "#changes")


@bp.post("/<int:item_id>/discard")
@login_required
def discard(slug: str, item_id: int) -> Response:
    """Throw the draft away: back to the published plan."""
    event, item = _owned(slug, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            count = publishing.discard_draft(item, current_organizer(), now=utcnow())
        except services.PlanError as error:
            flash(str(error), "error")
        else:
            flash(_("The draft was discarded: %(count)s seats are back as published.", count=count), "success")
    return _back(event, item, "plan", "#changes")


@bp.post("/<int:item_id>/undo")
@login_required
def undo(slug: str, item_id: int) -> Response:
    """Undo the last publish for the rounds that have not started."""
    event, item = _owned(slug, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            version = publishing.undo_last_publish(item, current_organizer(), now=utcnow())
        except services.PlanError as error:
            flash(str(error), "error")
        else:
            flash(
                _(
                    "Publish %(number)s was undone: participants see the plan as it was before it. "
                    "The undone plan stays in the draft: publish it again or discard it.",
                    number=version.number,
                ),
                "success",
            )
    return _back(event, item, "plan", "#history")
