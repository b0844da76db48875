"""Readers' pages (no login): the archive, a report and its older versions, exports and images."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request, url_for
from sqlalchemy import select

from app.events.models import Event
from app.extensions import db
from app.i18n import current_language
from app.jobs import queue as jobs_queue
from app.notes.models import NoteImage
from app.reports import exports, queries, search, versions
from app.reports import jobs as report_jobs
from app.reports.adapters import image_response, public_image_path
from app.reports.models import Report, ReportVersion
from app.reports.rendering import COMPACT_PDF_POINTS, point_count, reader_context
from app.security.headers import standalone_document_policy

bp = Blueprint("public_reports", __name__, url_prefix="/reports")

EXPORTS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@bp.route("")
def archive() -> str:
    """Published reports, newest first, with keyword search and year/tag filters."""
    keyword = (request.args.get("q") or "").strip()[:100]
    year = request.args.get("year", type=int)
    tag = (request.args.get("tag") or "").strip()[:100]
    years, tags = search.facets()
    found = search.search(keyword, year, tag, request.args.get("page", type=int) or 1)
    return render_template("reports/archive.html", found=found, q=keyword, year=year, tag=tag, years=years, tags=tags)


def _show(slug: str, number: int | None) -> str:
    report = queries.published_report_or_404(slug)
    version = queries.version_or_404(report, number)
    doc = versions.readable(report, version)
    return render_template(
        "reports/show.html",
        **reader_context(report.event, doc, version, compact=point_count(doc) > COMPACT_PDF_POINTS),
        all_versions=queries.readable_versions(report),
    )


@bp.route("/<slug>")
def show(slug: str) -> str:
    """The latest published version of an event's report."""
    return _show(slug, None)


@bp.route("/<slug>/v/<int:number>")
def show_version(slug: str, number: int) -> str:
    """An earlier (or the latest) version, kept as it was published."""
    return _show(slug, number)


def _export(report: Report, version: ReportVersion, fmt: str) -> Response:
    doc = versions.readable(report, version)
    name = f"{report.event.slug}-report-v{version.number}.{fmt}"

    def html(compact: bool = False) -> str:
        context = reader_context(
            report.event, doc, version, image_src=exports.image_uris(doc), standalone=True, compact=compact
        )
        return exports.standalone_html(context)

    if fmt == "md":
        body: str | bytes = exports.to_markdown(doc)
    elif fmt == "html":
        body = html()
    else:
        lang, data = current_language(), report_jobs.pdf_data(doc)
        stored = exports.stored_pdf(data, lang)
        if stored is None and report_jobs.pdf_in_background(doc):
            # A large report's PDF is laid out by the worker (queued when it was published): say so and
            # come back (the page reloads by itself, without script), never a request that runs for minutes.
            job, _created = report_jobs.start_pdf(report, version, lang, doc)
            db.session.commit()
            page = render_template(
                "reports/pdf_wait.html", event=report.event, version=version, job=jobs_queue.as_json(job)
            )
            return Response(page, status=202, content_type="text/html; charset=utf-8", headers={"Retry-After": "10"})
        body = stored or exports.cached_pdf(data, lang, lambda: html(compact=point_count(doc) > COMPACT_PDF_POINTS))
    response = Response(body, content_type=EXPORTS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    if fmt == "html":
        response.headers["Content-Security-Policy"] = standalone_document_policy(exports.report_css())
    return response


@bp.route("/<slug>/report.<fmt>")
@bp.route("/<slug>/v/<int:number>/report.<fmt>")
def export(slug: str, fmt: str, number: int | None = None) -> Response:
    """Download a version as Markdown, a self-contained HTML file or a PDF."""
    if fmt not in EXPORTS:
        abort(404)
    report = queries.published_report_or_404(slug)
    return _export(report, queries.version_or_404(report, number), fmt)


@bp.route("/<slug>/images/<int:image_id>")
def image(slug: str, image_id: int) -> Response:
    """A gallery image, only if a published version of this report shows it and it is still publishable."""
    report = queries.published_report_or_404(slug)
    shown = any(g["id"] == image_id for v in queries.readable_versions(report) for g in json.loads(v.data)["gallery"])
    found = db.session.get(NoteImage, image_id) if shown else None
    if found is None or public_image_path(found) is None:
        abort(404)
    response = image_response(found)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.app_template_global()
def published_report_url(event: Event) -> str | None:
    """The public report's address for an event page's link, when one is published."""
    report = db.session.scalar(select(Report).where(Report.event_id == event.id))
    return url_for("public_reports.show", slug=event.slug) if report is not None and report.is_published else None
