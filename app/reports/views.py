"""The organisers' report editor: harvest, edit, preview, publish."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.domain.report_digest import quoted
from app.events import queries as event_queries
from app.events.models import Event
from app.extensions import db
from app.forms import ConfirmForm
from app.jobs import queue
from app.reports import building, queries, services
from app.reports import jobs as report_jobs
from app.reports.adapters import image_response
from app.reports.forms import ItemSummaryForm, PointForm, SettingsForm
from app.reports.models import Report, ReportPoint
from app.reports.rendering import point_kind_labels, reader_context

bp = Blueprint("reports", __name__, url_prefix="/manage/events/<slug>/report")

Page = str | tuple[str, int] | Response


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"point_kinds": point_kind_labels()}


bp.app_template_filter("quoted")(quoted)


def _owned(slug: str) -> tuple[Event, Report]:
    event = event_queries.owned_event_or_404(slug, current_organizer())
    return event, queries.report_or_404(event)


def _point(report: Report, point_id: int) -> ReportPoint:
    point = next((p for p in report.points if p.id == point_id), None)
    if point is None:
        abort(404)
    return point


def _back(event: Event, point: ReportPoint | None = None) -> Response:
    if point is None:
        return redirect(url_for("reports.edit", slug=event.slug))
    return redirect(url_for("reports.edit", slug=event.slug, round=point.round_id) + f"#point-{point.id}")


@bp.route("")
@login_required
def edit(slug: str) -> str:
    """The report editor: settings, talk summaries, one café round's points at a time, gallery, versions."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    report = queries.report_for(event, points=False)
    job = report_jobs.shown(event)
    if report is None or (job is not None and job.kind == report_jobs.CREATE and report_jobs.running(job)):
        return render_template(
            "reports/start.html", event=event, confirm=ConfirmForm(), job=queue.as_json(job) if job else None
        )
    settings = SettingsForm(obj=report, tags=", ".join(report.tag_list))
    return render_template(
        "reports/edit.html",
        event=event,
        report=report,
        settings=settings,
        confirm=ConfirmForm(),
        job=queue.as_json(job) if job else None,
        **queries.editor_view(
            report,
            request.args.get("round", type=int),
            page=request.args.get("page", type=int),
            theme_page=request.args.get("tpage", type=int),
            open_theme=request.args.get("open", type=int),
        ),
    )


@bp.route("/create", methods=["POST"])
@login_required
def create(slug: str) -> Response:
    """Start the draft report from the event and its publishable notes."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    if ConfirmForm().validate_on_submit():
        if queries.report_for(event, points=False) is not None:
            pass  # created already (a second click): the editor shows it
        elif report_jobs.in_background(event):
            _job, created = report_jobs.start_create(event, current_organizer())
            db.session.commit()
            if not created:
                flash(_("The draft report is already being created; nothing is done twice."), "info")
        else:
            services.create_report(event, current_organizer())
            db.session.commit()
            flash(_("The draft report was created from the programme and the facilitators' notes."), "success")
    return redirect(url_for("reports.edit", slug=event.slug))


@bp.route("/job.json")
@login_required
def job_progress(slug: str) -> Response:
    """The report job the editor shows (creating, grouping, a PDF), for its progress script."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    job = report_jobs.shown(event)
    response = jsonify({"job": queue.as_json(job) if job is not None else None})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/settings", methods=["POST"])
@login_required
def save_settings(slug: str) -> Page:
    """Save the overview, the organisers' summary, tags and the names choice."""
    event, report = _owned(slug)
    form = SettingsForm()
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields."), "error")
        return render_template(
            "reports/edit.html",
            event=event,
            report=report,
            settings=form,
            confirm=ConfirmForm(),
            **queries.editor_view(report, None),
        ), 400
    services.update_settings(
        report,
        overview=form.overview.data or "",
        summary=form.summary.data or "",
        tags=(form.tags.data or "").replace("、", ",").split(","),
        show_names=bool(form.show_names.data),
    )
    db.session.commit()
    flash(_("Saved."), "success")
    return _back(event)


@bp.route("/items/<int:item_id>", methods=["POST"])
@login_required
def save_item_summary(slug: str, item_id: int) -> Response:
    """Save the summary of one talk or panel."""
    event, _report = _owned(slug)
    item = next((i for i in building.programme_items(event) if i.id == item_id), None)
    form = ItemSummaryForm(prefix=f"item{item_id}")
    if item is None:
        abort(404)
    if form.validate_on_submit():
        services.update_item_summary(item, form.summary.data or "")
        db.session.commit()
        flash(_("Saved."), "success")
    else:
        flash(_("The summary is too long."), "error")
    return redirect(url_for("reports.edit", slug=event.slug) + f"#item-{item.id}")


@bp.route("/points/<int:point_id>/<action>", methods=["POST"])
@login_required
def change_point(slug: str, point_id: int, action: str) -> Response:
    """Highlight, hide, move or restore a point."""
    event, report = _owned(slug)
    point = _point(report, point_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.change_point(report, point, action)
            db.session.commit()
        except services.ReportError as error:
            flash(str(error), "error")
    return _back(event, point)


@bp.route("/points/<int:point_id>/edit", methods=["GET", "POST"])
@login_required
def edit_point(slug: str, point_id: int) -> Page:
    """Edit or redact a point's text (the report's copy only)."""
    event, report = _owned(slug)
    point = _point(report, point_id)
    form = PointForm(obj=point if request.method == "GET" else None)
    if form.validate_on_submit():
        services.edit_point(report, point, form.text.data or "")
        db.session.commit()
        flash(_("Saved."), "success")
        return _back(event, point)
    return render_template("reports/point_form.html", event=event, report=report, point=point, form=form), (
        400 if form.errors else 200
    )


@bp.route("/gallery/<int:image_id>/<action>", methods=["POST"])
@login_required
def change_image(slug: str, image_id: int, action: str) -> Response:
    """Include a graphic recording in the gallery, or leave it out."""
    event, report = _owned(slug)
    entry = next((i for i in report.images if i.image_id == image_id), None)
    if entry is None or action not in ("include", "exclude"):
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.set_image(report, entry, action == "include")
        db.session.commit()
    return redirect(url_for("reports.edit", slug=event.slug) + "#gallery")


@bp.route("/gallery/<int:image_id>/file")
@login_required
def image_file(slug: str, image_id: int) -> Response:
    """An image of the report's gallery for its organisers (thumbnails and preview)."""
    _event, report = _owned(slug)
    entry = next((i for i in report.images if i.image_id == image_id), None)
    if entry is None:
        abort(404)
    return image_response(entry.image)


@bp.route("/refresh", methods=["GET", "POST"])
@login_required
def refresh(slug: str) -> Page:
    """Show what the notes hold that the report does not, and add it on confirmation."""
    event, report = _owned(slug)
    if request.method == "POST" and ConfirmForm().validate_on_submit():
        added = services.refresh_from_notes(report, current_organizer())
        db.session.commit()
        flash(_("%(count)s new items were added to the report.", count=added), "success")
        return _back(event)
    return render_template(
        "reports/refresh.html", event=event, report=report, found=services.pending(report), confirm=ConfirmForm()
    )


@bp.route("/preview")
@login_required
def preview(slug: str) -> str:
    """The draft exactly as readers would see it once published (the readers' template)."""
    event, report = _owned(slug)
    doc = building.document_dict(report)
    return render_template("reports/show.html", **reader_context(event, doc, None, preview_of=report))


@bp.route("/publish", methods=["POST"])
@login_required
def publish(slug: str) -> Response:
    """Publish the draft as a new version."""
    event, report = _owned(slug)
    confirmed = ConfirmForm().validate_on_submit()
    if confirmed and report_jobs.in_background(event):  # seconds at 400 rooms: the worker publishes
        _job, created = report_jobs.start_publish(report, current_organizer())
        db.session.commit()
        if not created:
            flash(_("This draft is already being published; nothing is done twice."), "info")
    elif confirmed:
        try:
            version = services.publish(report, current_organizer())
        except services.ReportError as error:
            db.session.commit()  # the refusal noted the draft's fingerprint (nothing to publish): keep it
            flash(str(error), "error")
        else:
            report_jobs.start_pdfs(report, version)  # large reports: the worker lays the PDFs out now
            db.session.commit()
            flash(_("The report is public (version %(number)s).", number=version.number), "success")
    return _back(event)


@bp.route("/unpublish", methods=["POST"])
@login_required
def unpublish(slug: str) -> Response:
    """Hide the report from readers (its versions are kept)."""
    event, report = _owned(slug)
    if ConfirmForm().validate_on_submit():
        services.unpublish(report, current_organizer())
        db.session.commit()
        flash(_("The report is no longer public."), "success")
    return _back(event)
