""" "Who is missing?": one screen for the minutes between rounds — absentees, latecomers, Zoom, re-plan, publish."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.auth.guard import current_organizer
from app.cafe import publishing
from app.cafe import services as cafe_services
from app.day import console_queries, missing_queries, services
from app.day.blueprint import bp
from app.day.forms import ApplyAttendanceForm, LateListForm, PersonStatusForm, ZoomReportForm
from app.db import utcnow
from app.domain import late_arrivals
from app.domain.attendance import match
from app.events.models import Event
from app.events.queries import owned_event_or_404
from app.extensions import db
from app.forms import ConfirmForm
from app.participants.models import Status

Page = str | tuple[str, int] | Response

_LINE_PROBLEMS = {
    late_arrivals.Problem.NO_EMAIL: lambda: _("no email address"),
    late_arrivals.Problem.BAD_EMAIL: lambda: _("the email address is not valid"),
    late_arrivals.Problem.NO_NAME: lambda: _("no name"),
    late_arrivals.Problem.DUPLICATE: lambda: _("the same email as a line above"),
    late_arrivals.Problem.TOO_LONG: lambda: _("the list is too long: at most 200 people at a time"),
}


def _url(slug: str, anchor: str = "", q: str = "") -> str:
    return url_for("day.missing", slug=slug, **({"q": q} if q else {})) + (f"#{anchor}" if anchor else "")


def _late_form(flow: missing_queries.MissingFlow, form: LateListForm | None = None) -> LateListForm:
    form = form or LateListForm()
    rounds = [r for r in (flow.item.rounds if flow.item else []) if flow.coming and r.number >= flow.coming.number]
    form.joins_round.choices = [(r.number, _("Round %(number)s", number=r.number)) for r in rounds]
    if form.joins_round.data is None and rounds:
        form.joins_round.data = rounds[0].number
    return form


def _render(event: Event, status: int = 200, **extra: object) -> tuple[str, int]:
    now = utcnow()
    flow = extra.pop("flow", None) or missing_queries.flow(event, now, request.args.get("q", ""))
    context = {
        "late_form": _late_form(flow, extra.pop("late_form", None)),  # type: ignore[arg-type]
        "report_form": extra.pop("report_form", None) or ZoomReportForm(),
        "apply_form": extra.pop("apply_form", None),
        "line_problems": extra.pop("line_problems", []),
    }
    template = "day/_missing_results.html" if request.args.get("partial") == "results" else "day/missing.html"
    return render_template(
        template,
        event=event,
        flow=flow,
        now=now,
        status_form=PersonStatusForm(),
        confirm=ConfirmForm(),
        **context,
        **extra,
    ), status


@bp.route("/manage/events/<slug>/live/missing")
@login_required
def missing(slug: str) -> Page:
    """Who is missing? Search people as you type, mark absentees, add latecomers, preview the re-plan, publish."""
    event = owned_event_or_404(slug, current_organizer())
    return _render(event)


@bp.post("/manage/events/<slug>/live/missing/status")
@login_required
def missing_status(slug: str) -> Page:
    """Mark one person absent, present or not checked in; back to the same search."""
    event = owned_event_or_404(slug, current_organizer())
    form = PersonStatusForm()
    q = form.q.data or ""
    if form.validate_on_submit() and form.status.data in services.CHECKIN_VALUES:
        try:
            services.set_attendance(event, [form.participant_id.data], Status(form.status.data), current_organizer())
            db.session.commit()
        except services.DayError as error:
            flash(str(error), "error")
    else:
        flash(_("Unknown check-in status."), "error")
    if request.headers.get("X-Requested-With") == "fetch":
        # The page's script swaps the results and the absent list in place; no reload, the search stays.
        flow = missing_queries.flow(event, utcnow(), q)
        return render_template(
            "day/_missing_live.html", event=event, flow=flow, status_form=PersonStatusForm(), confirm=ConfirmForm()
        )
    return redirect(_url(slug, "search", q))


@bp.post("/manage/events/<slug>/live/missing/late")
@login_required
def missing_late(slug: str) -> Page:
    """Add the latecomers of a pasted list: all of them, or none if a line is wrong."""
    event = owned_event_or_404(slug, current_organizer())
    flow = missing_queries.flow(event, utcnow())
    form = _late_form(flow, LateListForm())
    if not form.validate_on_submit():
        return _render(event, 400, flow=flow, late_form=form)
    parsed = late_arrivals.parse(form.people.data or "")
    if parsed.problems:
        problems = [(p.line, p.text, _LINE_PROBLEMS[p.problem]()) for p in parsed.problems]
        form.people.errors = [*form.people.errors, _("Nothing was added: fix the lines below and try again.")]
        return _render(event, 400, flow=flow, late_form=form, line_problems=problems)
    arrivals = [services.LateArrival(a.family_name, a.given_name, a.email, a.organization) for a in parsed.arrivals]
    try:
        added = services.add_late_arrivals(event, arrivals, form.joins_round.data, current_organizer(), utcnow())
    except services.DayError as error:
        form.people.errors = [*form.people.errors, str(error)]
        return _render(event, 400, flow=flow, late_form=form)
    db.session.commit()
    flash(_("%(count)s late arrivals added and checked in. Re-plan to give them a room.", count=len(added)), "success")
    return redirect(_url(slug, "late"))


@bp.post("/manage/events/<slug>/live/missing/zoom")
@login_required
def missing_zoom(slug: str) -> Page:
    """Read Zoom's participant report: who is not in the meeting, ready to be marked absent in one click."""
    event = owned_event_or_404(slug, current_organizer())
    form = ZoomReportForm()
    if (rows := form.read_rows()) is None:
        return _render(event, 400, report_form=form)
    entries, people = console_queries.roster(event)
    result = match(rows, entries)
    flow = missing_queries.flow(event, utcnow(), request.args.get("q", ""))
    flow.zoom, flow.zoom_people, flow.zoom_rows = result, people, len(rows)
    apply_form = ApplyAttendanceForm(
        present=",".join(str(k) for k in result.present), absent=",".join(str(p.id) for p in flow.zoom_absent)
    )
    return _render(event, flow=flow, apply_form=apply_form)


def apply_zoom_attendance(event: Event) -> None:
    """Apply a previewed Zoom reconcile posted back (ids of who was found and who was not), and say so."""
    form = ApplyAttendanceForm()
    if form.validate_on_submit():
        present = [int(i) for i in (form.present.data or "").split(",") if i.isdigit()]
        absent = [int(i) for i in (form.absent.data or "").split(",") if i.isdigit()]
        marked = services.apply_attendance(event, present, absent, current_organizer())
        db.session.commit()
        flash(
            _("Attendance updated: %(present)s present, %(absent)s absent.", present=marked[0], absent=marked[1]),
            "success",
        )


@bp.post("/manage/events/<slug>/live/missing/zoom/apply")
@login_required
def missing_zoom_apply(slug: str) -> Response:
    """Mark the people found in the report present and those not found absent."""
    event = owned_event_or_404(slug, current_organizer())
    apply_zoom_attendance(event)
    return redirect(_url(slug, "absent"))


@bp.post("/manage/events/<slug>/live/missing/replan")
@login_required
def missing_replan(slug: str) -> Response:
    """Re-plan from the next round to start, as a draft to review before publishing."""
    event = owned_event_or_404(slug, current_organizer())
    now = utcnow()
    item, coming, _running = missing_queries.cafe_and_rounds(event, now)
    if ConfirmForm().validate_on_submit():
        if item is None or coming is None:
            flash(_("Every round has started: nothing is left to re-plan."), "error")
        else:
            try:
                result = cafe_services.replan(item, coming.number, actor=current_organizer(), now=now)
            except cafe_services.PlanError as error:
                flash(str(error), "error")
            else:
                db.session.commit()
                flash(
                    _(
                        "Rounds %(number)s onwards were re-planned: %(changed)s seats changed. "
                        "Review the changes, then publish.",
                        number=coming.number,
                        changed=result.changed,
                    ),
                    "success",
                )
    return redirect(_url(slug, "preview"))


@bp.post("/manage/events/<slug>/live/missing/publish")
@login_required
def missing_publish(slug: str) -> Response:
    """Publish the re-plan: every personal page shows the new rooms within seconds."""
    event = owned_event_or_404(slug, current_organizer())
    now = utcnow()
    item, _coming, _running = missing_queries.cafe_and_rounds(event, now)
    if ConfirmForm().validate_on_submit() and item is not None:
        try:
            numbers = publishing.publish(item, len(item.rounds), confirm=True, actor=current_organizer(), now=now)
        except cafe_services.PlanError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            if numbers:
                flash(_("Published: rounds %(rounds)s.", rounds=", ".join(map(str, numbers))), "success")
            else:
                flash(_("Nothing changed: the published rounds already match the plan."), "info")
    return redirect(_url(slug, "preview"))


@bp.post("/manage/events/<slug>/live/missing/discard")
@login_required
def missing_discard(slug: str) -> Response:
    """Throw the re-plan away: back to the published plan."""
    event = owned_event_or_404(slug, current_organizer())
    now = utcnow()
    item, _coming, _running = missing_queries.cafe_and_rounds(event, now)
    if ConfirmForm().validate_on_submit() and item is not None:
        try:
            count = publishing.discard_draft(item, current_organizer(), now=now)
            db.session.commit()
            flash(_("The draft was discarded: %(count)s seats are back as published.", count=count), "success")
        except cafe_services.PlanError as error:
            flash(str(error), "error")
    return redirect(_url(slug, "preview"))
