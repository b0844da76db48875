"""The organiser's live console and links page: the clock, broadcasts, check-in, Zoom reconcile, QR codes."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.auth.guard import current_organizer
from app.day import console_queries, missing, services
from app.day.blueprint import bp
from app.day.forms import (
    ApplyAttendanceForm,
    AttendanceForm,
    BroadcastForm,
    EndRoundForm,
    ExtendForm,
    LateArrivalForm,
    NextRoundForm,
    ZoomReportForm,
)
from app.db import utcnow
from app.domain.attendance import match
from app.events.queries import owned_event_or_404
from app.extensions import db
from app.forms import ConfirmForm, Form
from app.pagination import page_arg, paginate
from app.participants.models import Status
from app.templating import local_datetime

Page = str | tuple[str, int] | Response

LINKS_PER_PAGE = 50


def _console_url(slug: str, anchor: str = "") -> str:
    return url_for("day.console", slug=slug) + (f"#{anchor}" if anchor else "")


def _render_console(slug: str, status: int = 200, **forms: object) -> tuple[str, int]:
    event = owned_event_or_404(slug, current_organizer())
    q, only = request.args.get("q", ""), request.args.get("status", "")
    people, total = console_queries.checkin_list(event, q, only)
    context = {
        "broadcast_form": BroadcastForm(),
        "late_form": LateArrivalForm(),
        "report_form": ZoomReportForm(),
        "attendance_form": AttendanceForm(),
        "next_form": NextRoundForm(),
        "extend_form": ExtendForm(),
        "end_form": EndRoundForm(),
        **forms,
    }
    return render_template(
        "day/console.html",
        event=event,
        c=console_queries.console(event, utcnow()),
        now=utcnow(),
        people=people,
        total=total,
        q=q,
        only=only,
        limit=console_queries.CHECKIN_LIMIT,
        replan_endpoint="cafe.index" if "cafe.index" in current_app.view_functions else None,
        confirm=ConfirmForm(),
        **context,
    ), status


@bp.route("/manage/events/<slug>/live")
@login_required
def console(slug: str) -> Page:
    """The live console: clock, now and next, rounds by hand, broadcasts, check-in, notes per round."""
    return _render_console(slug)


def _confirmed(form: Form) -> bool:
    """Clock moves reach every screen at once: they need the confirmation button, not just the first click."""
    if request.form.get("confirm") != "yes":
        flash(_("Nothing was changed: confirm with the button in the box."), "error")
        return False
    if form.validate_on_submit():
        return True
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")
    return False


@bp.post("/manage/events/<slug>/live/next")
@login_required
def next_round(slug: str) -> Response:
    """Start the next round now (the running one ends now): every personal page switches within seconds."""
    event = owned_event_or_404(slug, current_organizer())
    form = NextRoundForm()
    if _confirmed(form):
        try:
            rnd = services.start_next_round(event, current_organizer(), utcnow(), round_id=form.round_id.data)
            db.session.commit()
            flash(_("Round %(number)s started. Everyone's page switches within seconds.", number=rnd.number), "success")
        except services.DayError as error:
            flash(str(error), "error")
    return redirect(_console_url(slug, "clock"))


@bp.post("/manage/events/<slug>/live/extend")
@login_required
def extend_round(slug: str) -> Response:
    """Extend or shorten the running round (between rounds: postpone or advance the next one)."""
    event = owned_event_or_404(slug, current_organizer())
    form = ExtendForm()
    if _confirmed(form):
        minutes = (form.minutes.data or 0) * (-1 if form.direction.data == "earlier" else 1)
        try:
            rnd = services.extend_round(event, minutes, current_organizer(), utcnow())
            db.session.commit()
            flash(
                _(
                    "Round %(number)s now ends at %(time)s. Every countdown changes within seconds.",
                    number=rnd.number,
                    time=local_datetime(rnd.actual_ends_at, event.timezone, "time"),
                ),
                "success",
            )
        except services.DayError as error:
            flash(str(error), "error")
    return redirect(_console_url(slug, "clock"))


@bp.post("/manage/events/<slug>/live/end")
@login_required
def end_round(slug: str) -> Response:
    """End the running round now."""
    event = owned_event_or_404(slug, current_organizer())
    form = EndRoundForm()
    if _confirmed(form):
        try:
            rnd = services.end_round(event, current_organizer(), utcnow())
            db.session.commit()
            flash(_("Round %(number)s has ended.", number=rnd.number), "success")
        except services.DayError as error:
            flash(str(error), "error")
    return redirect(_console_url(slug, "clock"))


@bp.post("/manage/events/<slug>/live/broadcasts")
@login_required
def post_broadcast(slug: str) -> Page:
    """Post a message to every personal page."""
    event = owned_event_or_404(slug, current_organizer())
    form = BroadcastForm()
    if not form.validate_on_submit():
        return _render_console(slug, 400, broadcast_form=form)
    services.post_broadcast(event, form.body.data or "", current_organizer(), urgent=form.urgent.data)
    db.session.commit()
    flash(_("The message is on everyone's page."), "success")
    return redirect(_console_url(slug, "broadcasts"))


@bp.post("/manage/events/<slug>/live/broadcasts/<int:broadcast_id>/delete")
@login_required
def delete_broadcast(slug: str, broadcast_id: int) -> Response:
    """Take back a message broadcast to the event's participants, after confirmation."""
    event = owned_event_or_404(slug, current_organizer())
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_broadcast(event, broadcast_id, current_organizer())
            db.session.commit()
            flash(_("The message was removed."), "success")
        except services.DayError as error:
            flash(str(error), "error")
    return redirect(_console_url(slug, "broadcasts"))


@bp.post("/manage/events/<slug>/live/attendance")
@login_required
def attendance(slug: str) -> Response:
    """Check people in or out, one (button) or many (checkboxes)."""
    event = owned_event_or_404(slug, current_organizer())
    form = AttendanceForm()
    one = request.form.get("set", "")  # a row's own button: "present:12"
    if ":" in one:
        value, _sep, pid = one.partition(":")
        ids = [int(pid)] if pid.isdigit() else []
    else:
        value, ids = form.status.data, [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    if form.validate_on_submit() and value in Status._value2member_map_:
        try:
            changed = services.set_attendance(event, ids, Status(value), current_organizer())
            db.session.commit()
            flash(_("%(count)s people updated.", count=changed), "success")
        except services.DayError as error:
            flash(str(error), "error")
    else:
        flash(_("Unknown check-in status."), "error")
    # Back to the same search, so a run of check-ins does not lose the list.
    keep = {k: request.form.get(f, "") for k, f in (("q", "q"), ("status", "filter")) if request.form.get(f)}
    return redirect(url_for("day.console", slug=slug, **keep) + "#checkin")


@bp.post("/manage/events/<slug>/live/late")
@login_required
def late_arrival(slug: str) -> Page:
    """Add someone who arrived late; they join the plan from the given round."""
    event = owned_event_or_404(slug, current_organizer())
    form = LateArrivalForm()
    if not form.validate_on_submit():
        return _render_console(slug, 400, late_form=form)
    data = services.LateArrival(
        form.family_name.data or "", form.given_name.data or "", form.email.data or "", form.organization.data or ""
    )
    try:
        services.add_late_arrival(event, data, form.joins_round.data, current_organizer())
    except services.DayError as error:
        form.email.errors = [*form.email.errors, str(error)]
        return _render_console(slug, 400, late_form=form)
    db.session.commit()
    flash(_("Added and checked in. Re-plan the next round to seat them."), "success")
    return redirect(_console_url(slug, "late"))


@bp.post("/manage/events/<slug>/live/zoom")
@login_required
def zoom_preview(slug: str) -> Page:
    """Read a Zoom participant report and show who would be marked present or absent."""
    event = owned_event_or_404(slug, current_organizer())
    form = ZoomReportForm()
    if (rows := form.read_rows()) is None:
        return _render_console(slug, 400, report_form=form)
    entries, people = console_queries.roster(event)
    result = match(rows, entries)
    apply_form = ApplyAttendanceForm(
        present=",".join(str(k) for k in result.present), absent=",".join(str(k) for k in result.absent)
    )
    return render_template(
        "day/zoom_preview.html", event=event, result=result, people=people, form=apply_form, rows=len(rows)
    )


@bp.post("/manage/events/<slug>/live/zoom/apply")
@login_required
def zoom_apply(slug: str) -> Response:
    """Apply the previewed reconcile."""
    event = owned_event_or_404(slug, current_organizer())
    missing.apply_zoom_attendance(event)
    return redirect(_console_url(slug, "checkin"))


# ---- personal links -------------------------------------------------------------------------------


@bp.route("/manage/events/<slug>/links")
@login_required
def links(slug: str) -> str:
    """Everyone's personal link, with a QR code and re-issue."""
    event = owned_event_or_404(slug, current_organizer())
    text = request.args.get("q", "").strip()[:100]
    people, pages = paginate(console_queries.people_of(event, text), LINKS_PER_PAGE, page_arg())
    return render_template("day/links.html", event=event, people=people, pages=pages, q=text, confirm=ConfirmForm())


@bp.get("/manage/events/<slug>/links/<int:participant_id>/qr.svg")
@login_required
def qr(slug: str, participant_id: int) -> Response:
    """The person's personal link as a QR code (SVG), for organisers only."""
    event = owned_event_or_404(slug, current_organizer())
    person = console_queries.person_or_none(event, participant_id)
    if person is None:
        abort(404)
    buffer = io.BytesIO()
    segno.make(url_for("day.personal", token=person.token, _external=True), error="m").save(
        buffer, kind="svg", scale=6, border=2, title=""
    )
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/manage/events/<slug>/links/<int:participant_id>/reissue")
@login_required
def reissue(slug: str, participant_id: int) -> Response:
    """Revoke a person's link and issue a new one."""
    event = owned_event_or_404(slug, current_organizer())
    if ConfirmForm().validate_on_submit():
        try:
            services.reissue_token(event, participant_id, current_organizer(), utcnow())
            db.session.commit()
            flash(_("A new link was issued; the old one no longer works. Send the new one to the person."), "success")
        except services.DayError as error:
            flash(str(error), "error")
    return redirect(url_for("day.links", slug=slug) + f"#p{participant_id}")
