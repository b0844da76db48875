"""What the readers' template needs: the document, charts, image addresses and time formatting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from app.domain import report as domain
from app.domain import report_digest as digest
from app.events.models import Event
from app.reports.adapters import render_markdown
from app.reports.models import Report, ReportVersion
from app.templating import local_datetime


def charts(doc: dict[str, Any]) -> list[str]:
    """Server-made SVG charts (no JavaScript): where people came from, and how many new people they met."""
    stats = doc["stats"]
    out = []
    if stats["by_prefecture"]:
        rows = [(label or _("Other"), count) for label, count in stats["by_prefecture"]]
        out.append(domain.bar_chart(_("Participants by prefecture"), rows))
    if stats["new_people_histogram"]:
        out.append(
            domain.bar_chart(
                _("New people met during the café (people per range)"),
                [tuple(r) for r in stats["new_people_histogram"]],
            )
        )
    return out


def point_kind_labels() -> dict[str, str]:
    """Labels of the kinds of report points, in the current language."""
    return {
        "summary": _("Summary"),
        "point": _("Point"),
        "idea": _("Idea"),
        "quote": _("Quote"),
        "note": _("Notes"),
    }


def when(iso: str, tz: str, fmt: str = "medium") -> str:
    """A report's stored ISO time shown in the event's time zone and the current locale."""
    return local_datetime(datetime.fromisoformat(iso), tz, fmt)


def reader_context(
    event: Event,
    doc: dict[str, Any],
    version: ReportVersion | None,
    *,
    preview_of: Report | None = None,
    image_src: Callable[[dict[str, Any]], str] | None = None,
    standalone: bool = False,
    compact: bool = False,
) -> dict[str, Any]:
    """Everything reports/_body.html uses, the same for readers, the preview and the exports."""
    if image_src is None:
        if preview_of is not None:
            image_src = lambda g: url_for("reports.image_file", slug=event.slug, image_id=g["id"])  # noqa: E731
        else:
            image_src = lambda g: url_for("public_reports.image", slug=event.slug, image_id=g["id"])  # noqa: E731
    document = domain.document_from_dict(doc)
    return {
        "doc": doc,
        "digests": {r.number: digest.digest(r) for r in document.rounds},
        "event": event,
        "version": version,
        "preview": preview_of is not None,
        "report": preview_of,
        "charts": charts(doc),
        "image_src": image_src,
        "md": render_markdown,
        "when": when,
        "standalone": standalone,
        "compact": compact,
    }


# Above this many points a PDF lists each room's points as one paragraph: a 2,000-person summit would
# otherwise run to 500 pages and take WeasyPrint minutes.
COMPACT_PDF_POINTS = 1500


def point_count(doc: dict[str, Any]) -> int:
    """How many points all the rooms of all rounds hold in a report document."""
    return sum(len(room["points"]) for rnd in doc["rounds"] for room in rnd["rooms"])
