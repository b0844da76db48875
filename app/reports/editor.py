"""The report editor's review of themes, and taking things back: redact a point, withdraw a version.

The themes form works as a plain form (each click posts and comes back to the same place); with
JavaScript (static/js/report-themes.js) the same post answers with the themes section alone, which
replaces the old one without reloading the page.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.events import queries as event_queries
from app.events.models import Event
from app.extensions import db
from app.forms import ConfirmForm, Form
from app.reports import jobs as report_jobs
from app.reports import queries, themes, versions
from app.reports.building import cafe_rounds
from app.reports.models import Report, ReportPoint, ReportTheme
from app.reports.rendering import point_kind_labels

bp = Blueprint("report_editor", __name__, url_prefix="/manage/events/<slug>/report")

Page = str | tuple[str, int] | Response


def _owned(slug: str) -> tuple[Event, Report]:
    event = event_queries.owned_event_or_404(slug, current_organizer())
    report = queries.report_for(event, points=False)  # the actions read the points they change
    if report is None:
        abort(404)
    return event, report


def _ids(name: str) -> set[int]:
    return {int(v) for v in request.form.getlist(name) if v.isdigit() and len(v) < 12}


def _answer(event: Event, report: Report, round_id: int, status: int = 200) -> Page:
    """The themes section alone for a script, or back to the editor at the themes for a plain form."""
    if request.headers.get("X-Requested-With") == "fetch":
        view = queries.editor_view(
            report,
            round_id,
            theme_page=request.args.get("tpage", type=int),
            open_theme=request.args.get("open", type=int),
        )
        return render_template(
            "reports/_themes.html", event=event, report=report, point_kinds=point_kind_labels(), inline=True, **view
        ), status
    page = request.args.get("tpage", type=int)
    opened = request.args.get("open", type=int)
    return redirect(url_for("reports.edit", slug=event.slug, round=round_id, tpage=page, open=opened) + "#themes")


@bp.route("/themes", methods=["POST"])
@login_required
def change_themes(slug: str) -> Page:
    """One action on one theme (a button in its row) or on every ticked theme (the bulk bar)."""
    event, report = _owned(slug)
    round_id = request.form.get("round", type=int) or 0
    if not Form().validate_on_submit():
        flash(_("The form expired. Please reload the page and try again."), "error")
        return _answer(event, report, round_id, 400)
    of_round = {t.id: t for t in report.themes if t.round_id == round_id}
    one = request.form.get("one", "")
    try:
        if one:
            _one(report, of_round, one)
        else:
            chosen = [of_round[i] for i in sorted(_ids("theme")) if i in of_round]
            themes.change_themes(report, chosen, request.form.get("action", ""), current_organizer())
            flash(_("Done: %(count)s themes changed.", count=len(chosen)), "success")
    except themes.ThemeError as error:
        flash(str(error), "error")
        return _answer(event, report, round_id, 400)
    db.session.commit()
    return _answer(event, report, round_id)


def _one(report: Report, of_round: dict[int, ReportTheme], one: str) -> None:
    """Apply "<theme id>:<action>" (or "<point id>:out" to take a point out of its theme)."""
    raw_id, _sep, action = one.partition(":")
    if not raw_id.isdigit() or len(raw_id) > 12:
        abort(400)
    actor = current_organizer()
    if action == "out":
        point = db.session.get(ReportPoint, int(raw_id))
        if point is None or point.report_id != report.id or point.theme_id not in of_round:
            abort(404)
        themes.remove_point(report, point, actor)
        flash(_("The point was taken out of the theme."), "success")
        return
    theme = of_round.get(int(raw_id))
    if theme is None:
        abort(404)
    if action == "rename":
        themes.rename(report, theme, request.form.get(f"title-{theme.id}", ""), actor)
        flash(_("The theme was renamed."), "success")
    elif action == "split":
        chosen = [p for p in themes.members(theme) if p.id in _ids(f"point-{theme.id}")]
        themes.split(report, theme, chosen, actor)
        flash(_("The ticked points are now a theme of their own."), "success")
    else:
        themes.change_themes(report, [theme], action, actor)
        flash(_("Saved."), "success")


@bp.route("/themes/regroup", methods=["POST"])
@login_required
def regroup(slug: str) -> Page:
    """Group the round's points again; themes already reviewed stay as they are."""
    event, report = _owned(slug)
    round_id = request.form.get("round", type=int) or 0
    if round_id not in {r.id for r in cafe_rounds(event)}:
        abort(404)
    if ConfirmForm().validate_on_submit():
        if report_jobs.in_background(event):
            _job, created = report_jobs.start_regroup(report, round_id, current_organizer())
            db.session.commit()
            if not created:
                flash(_("This round is already being grouped; nothing is done twice."), "info")
            # the editor's page shows the progress (a plain form: this answer is a redirect)
            return redirect(url_for("reports.edit", slug=event.slug, round=round_id) + "#rounds")
        found = themes.regroup(report, [round_id])
        db.session.commit()
        flash(_("%(count)s themes found.", count=found), "success")
    return _answer(event, report, round_id)


def _point(report: Report, point_id: int) -> ReportPoint:
    point = db.session.get(ReportPoint, point_id)
    if point is None or point.report_id != report.id:
        abort(404)
    return point


@bp.route("/points/<int:point_id>/redact", methods=["GET", "POST"])
@login_required
def redact_point(slug: str, point_id: int) -> Page:
    """Confirm, then take a point out of the draft and of every published version and its downloads."""
    event, report = _owned(slug)
    point = _point(report, point_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        versions.redact_point(report, point, current_organizer())
        db.session.commit()
        flash(_("The point was removed from the report and from every published version."), "success")
        return redirect(url_for("reports.edit", slug=event.slug, round=point.round_id))
    return render_template(
        "reports/redact.html", event=event, report=report, point=point, form=form, kinds=point_kind_labels()
    )


@bp.route("/versions/<int:number>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_version(slug: str, number: int) -> Page:
    """Confirm, then withdraw one published version: it can no longer be read or downloaded."""
    event, report = _owned(slug)
    version = next((v for v in report.versions if v.number == number), None)
    if version is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        versions.withdraw_version(report, version, current_organizer())
        db.session.commit()
        flash(_("Version %(number)s was withdrawn.", number=number), "success")
        return redirect(url_for("reports.edit", slug=event.slug) + "#versions")
    return render_template("reports/withdraw.html", event=event, report=report, version=version, form=form)
