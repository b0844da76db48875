"""Organiser pages of a café's plan: generating, reviewing, adjusting by hand, publishing, re-planning, undoing.

Each action is one transaction: its services write (flush), and the view commits once on success (a large
café's plan is queued as a job instead, committed with the job's row).
"""

from __future__ import annotations

import json

from flask import current_app, flash, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.cafe import plan_jobs, planner, publishing, queries, services
from app.cafe.blueprint import GRID_ROOMS_PER_PAGE, PATHS_PER_PAGE, Page, back, bp, form_errors, owned, picked
from app.cafe.forms import (
    AbsentForm,
    GenerateForm,
    MoveForm,
    PublishForm,
    ReplanForm,
    SwapForm,
)
from app.db import utcnow
from app.domain import zoom
from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.forms import ConfirmForm, new_request_key
from app.jobs import queue as jobs
from app.pagination import page_arg, pager


def queued(event: Event, item: ProgrammeItem, kind: str, request_key: str | None, **payload: object) -> Response:
    """Queue a large café's plan job (GENERATE or REPLAN; committed with this request's work) and go back to
    the plan page, which shows the job's progress. A second click (the same request key) finds the job."""
    _job, created = plan_jobs.start(kind, item, current_organizer(), request_key or new_request_key(), **payload)
    db.session.commit()
    if created:
        flash(_("The plan is being made in the background. This page shows when it is ready."), "success")
    return back(event, item, "plan", "#plan-job")


@bp.post("/<int:item_id>/generate")
@login_required
def generate(slug: str, item_id: int) -> Response:
    """Make a new draft plan (with the seed given, or a new one: re-roll)."""
    event, item = owned(slug, item_id)
    form = GenerateForm()
    if not form.validate_on_submit():
        form_errors(form)
        return back(event, item)
    if plan_jobs.in_background(event):
        return queued(event, item, plan_jobs.GENERATE, form.request_key.data, seed=form.seed.data)
    try:
        result = services.generate(item, form.seed.data, current_organizer(), now=utcnow())
    except services.PlanError as error:
        flash(str(error), "error")
        return back(event, item)
    db.session.commit()
    flash(_("A new draft plan was made in %(seconds)s s.", seconds=f"{result.stats.seconds:.2f}"), "success")
    return back(event, item, "plan")


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
    _event, item = owned(slug, item_id)
    job = plan_jobs.shown(item)
    response = jsonify({"job": jobs.as_json(job) if job is not None else None})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:item_id>/plan")
@login_required
def plan(slug: str, item_id: int) -> Page:
    """Review the draft: rooms × rounds, everyone's path, the measures; adjust, publish, re-plan."""
    event, item = owned(slug, item_id)
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
    event, item = owned(slug, item_id)
    form = MoveForm(prefix="move")
    if not form.validate_on_submit() or form.room.data is None:
        flash(_("Please pick a round, a person and a room."), "error")
        return back(event, item, "plan", "#adjust")
    try:
        person = picked(event, form.person.data, "seated")
        if person is None:
            raise services.PlanError(_("Please pick a round, a person and a room."))
        notes = services.move_person(item, form.round.data, person, form.room.data, current_organizer(), now=utcnow())
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Moved. The measures below are updated."), "success")
        for note in notes:
            flash(note, "info")
    return back(event, item, "plan", "#measures")


@bp.post("/<int:item_id>/swap")
@login_required
def swap(slug: str, item_id: int) -> Response:
    """Exchange the rooms of two people in one round."""
    event, item = owned(slug, item_id)
    form = SwapForm(prefix="swap")
    if not form.validate_on_submit():
        flash(_("Please pick a round and two people."), "error")
        return back(event, item, "plan", "#adjust")
    try:
        first, second = picked(event, form.first.data, "seated"), picked(event, form.second.data, "seated")
        if first is None or second is None:
            raise services.PlanError(_("Please pick a round and two people."))
        services.swap_people(item, form.round.data, first, second, current_organizer(), now=utcnow())
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Swapped. The measures below are updated."), "success")
    return back(event, item, "plan", "#measures")


@bp.post("/<int:item_id>/publish")
@login_required
def publish(slug: str, item_id: int) -> Page:
    """Publish rounds 1..k; if that changes rounds already published, show the changes and ask first."""
    event, item = owned(slug, item_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return back(event, item, "plan")
    try:
        numbers = publishing.publish(
            item, form.upto.data, confirm=form.confirm.data, actor=current_organizer(), now=utcnow()
        )
    except publishing.NeedsConfirmation as pending:
        changes = queries.describe_changes(planner.load(item), pending.changes)
        return render_template("cafe/publish_confirm.html", event=event, item=item, form=form, changes=changes), 409
    except services.PlanError as error:
        flash(str(error), "error")
        return back(event, item, "plan")
    db.session.commit()
    if numbers:
        flash(_("Published: rounds %(rounds)s.", rounds=", ".join(map(str, numbers))), "success")
    else:
        flash(_("Nothing changed: the published rounds already match the plan."), "info")
    return back(event, item, "plan")


@bp.post("/<int:item_id>/replan")
@login_required
def replan(slug: str, item_id: int) -> Response:
    """Re-plan rounds k.. around who is here now, keeping earlier rounds as they were held."""
    event, item = owned(slug, item_id)
    form = ReplanForm()
    if not form.validate_on_submit():
        return back(event, item, "plan")
    if plan_jobs.in_background(event):
        return queued(event, item, plan_jobs.REPLAN, form.request_key.data, from_round=form.from_round.data)
    try:
        result = services.replan(item, form.from_round.data, actor=current_organizer(), now=utcnow())
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _(
                "Rounds %(number)s onwards were re-planned: %(changed)s seats changed. Review the changes, then publish.",
                number=form.from_round.data,
                changed=result.changed,
            ),
            "success",
        )
    return back(event, item, "plan", "#changes")


@bp.post("/<int:item_id>/absent")
@login_required
def absent(slug: str, item_id: int) -> Response:
    """On the day: mark the people who did not come (or left) as absent."""
    event, item = owned(slug, item_id)
    form = AbsentForm()
    if not form.validate_on_submit() or not form.people.data:
        flash(_("Please pick at least one person."), "error")
    else:
        count = services.mark_absent(item, form.people.data, current_organizer())
        db.session.commit()
        flash(_("%(count)s people were marked absent. Now re-plan the coming rounds.", count=count), "success")
    return back(event, item, "plan", "#on-the-day")


@bp.post("/<int:item_id>/rsvp-absent")
@login_required
def take_out_cant_attend(slug: str, item_id: int) -> Response:
    """Before the café: the people who said they can't attend are marked absent and the plan is re-planned."""
    event, item = owned(slug, item_id)
    if not ConfirmForm().validate_on_submit():
        return back(event, item, "plan")
    now = utcnow()
    data = planner.load(item)
    started = planner.started_upto(data, now)
    people, _hosts = queries.said_cant_attend(data)
    if started or not people:
        flash(_("Nobody to take out: the answers have changed or the café has started. Please look again."), "info")
        return back(event, item, "plan")
    # Marking them absent and re-planning around them is one transaction: a re-plan that fails marks nobody.
    count = services.mark_absent(item, [p.id for p in people], current_organizer(), now=now)
    if not data.has_draft():
        db.session.commit()
        flash(_("%(count)s people who can't attend were marked absent.", count=count), "success")
        return back(event, item, "plan")
    if plan_jobs.in_background(event):  # a second click finds nobody left to take out: one key per click is enough
        plan_jobs.start(plan_jobs.REPLAN, item, current_organizer(), new_request_key(), from_round=1)
        db.session.commit()  # the absences and the re-plan's job together
        flash(_("%(count)s people who can't attend were marked absent.", count=count), "success")
        return back(event, item, "plan", "#plan-job")
    try:
        result = services.replan(item, 1, actor=current_organizer(), now=now)
    except services.PlanError as error:
        db.session.rollback()
        flash(str(error), "error")
        return back(event, item, "plan")
    db.session.commit()
    flash(
        _(
            "%(count)s people who can't attend were taken out of the plan: %(changed)s seats changed. "
            "Review the changes, then publish.",
            count=count,
            changed=result.changed,
        ),
        "success",
    )
    return back(event, item, "plan", "#changes")


@bp.post("/<int:item_id>/discard")
@login_required
def discard(slug: str, item_id: int) -> Response:
    """Throw the draft away: back to the published plan."""
    event, item = owned(slug, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            count = publishing.discard_draft(item, current_organizer(), now=utcnow())
        except services.PlanError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The draft was discarded: %(count)s seats are back as published.", count=count), "success")
    return back(event, item, "plan", "#changes")


@bp.post("/<int:item_id>/undo")
@login_required
def undo(slug: str, item_id: int) -> Response:
    """Undo the last publish for the rounds that have not started."""
    event, item = owned(slug, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            version = publishing.undo_last_publish(item, current_organizer(), now=utcnow())
        except services.PlanError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Publish %(number)s was undone: participants see the plan as it was before it. "
                    "The undone plan stays in the draft: publish it again or discard it.",
                    number=version.number,
                ),
                "success",
            )
    return back(event, item, "plan", "#history")
