"""JSON API of published reports: GET /api/v1/events/<slug>/report."""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for
from werkzeug.wrappers import Response

from app.api import http
from app.api.http import event_summary, iso
from app.extensions import csrf
from app.reports import queries, versions

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/events/<slug>/report")
@http.public_read("reports_api.report")
def report(slug: str) -> Response:
    """The latest published version of an event's report (404 when none is public)."""
    found = queries.published_report_or_404(slug)
    version = queries.version_or_404(found)
    event = found.event
    downloads = {
        fmt: url_for("public_reports.export", slug=slug, number=version.number, fmt=fmt, _external=True)
        for fmt in ("md", "html", "pdf")
    }
    return jsonify(
        {
            "event": event_summary(event),
            "version": version.number,
            "published_at": iso(version.published_at, event.timezone),
            "versions": [
                {
                    "number": v.number,
                    "url": url_for("public_reports.show_version", slug=slug, number=v.number, _external=True),
                }
                for v in queries.readable_versions(found)
            ],
            "url": url_for("public_reports.show", slug=slug, _external=True),
            "downloads": downloads,
            "report": versions.readable(found, version),
        }
    )
