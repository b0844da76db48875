"""Exports of a published version: Markdown, a self-contained HTML file and a PDF (WeasyPrint)."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from app.connections import network
from app.domain import report as domain
from app.domain.report_markdown import NetworkText
from app.domain.report_markdown import to_markdown as document_markdown
from app.extensions import db
from app.notes.models import NoteImage
from app.reports.adapters import image_path

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parents[2] / "static"


def markdown_labels() -> dict[str, str]:
    """The headings and labels of the Markdown export, in the current language."""
    return {
        "overview": _("Overview"),
        "statistics": _("In numbers"),
        "participants": _("Participants"),
        "organisations": _("Organisations"),
        "prefectures": _("Prefectures"),
        "rooms": _("Rooms"),
        "rounds": _("Rounds"),
        "avg_new_people": _("New people met per participant (average)"),
        "programme": _("Programme"),
        "speaker": _("Speaker"),
        "moderator": _("Moderator"),
        "round": _("Round %(number)s"),
        "highlights": _("Highlights"),
        "gallery": _("Graphic recordings"),
        "summary": _("Summary"),
        "people": _("Participants"),
        "themes": _("What several rooms said"),
        "ideas": _("Ideas for next steps"),
        "rooms_count": _("%(num)s rooms"),
    }


def network_text(net: dict[str, Any] | None) -> NetworkText | None:
    """The network section of a version (connections/_report_network.html), worded for the Markdown export."""
    if not net:
        return None
    counts: list[tuple[str, object]] = [
        (_("New cross-organisation connections (pairs who shared a table)"), net.get("cross_pairs", 0)),
        (_("People from other organisations met, per person (average)"), net.get("avg_cross_people", 0)),
        (_("Pairs of prefectures that met"), net.get("prefectures_linked", 0)),
        (_("People who shared their contact with people they met"), net.get("sharing", 0)),
    ]
    if net.get("mutual") is not None:
        counts.append((_("Mutual “talk again” pairs"), net["mutual"]))
    tables = [(picture.title, picture.rows) for picture in network.pictures(net, draw=False)]
    return NetworkText(_("Connections across organisations"), counts, tables, unit=_(" pairs"))


def to_markdown(data: dict[str, Any]) -> str:
    """A stored report document (JSON data) as a Markdown file."""
    return document_markdown(domain.document_from_dict(data), markdown_labels(), network_text(data.get("network")))


def version_data(raw: str) -> dict[str, Any]:
    """The report document stored with a published version, parsed from its JSON."""
    return json.loads(raw)  # type: ignore[no-any-return]


def image_uris(doc: dict[str, Any]) -> Callable[[dict[str, Any]], str]:
    """Images of the gallery as data: URIs, read once, so the file stands alone."""
    ids = [g["id"] for g in doc["gallery"]]
    images = {i.id: i for i in db.session.scalars(select(NoteImage).where(NoteImage.id.in_(ids)))} if ids else {}

    def uri(entry: dict[str, Any]) -> str:
        image = images.get(entry["id"])
        if image is None:
            return ""
        path = image_path(image)
        if not path.is_file():
            log.warning("image file missing for note image %s", image.id)
            return ""
        return f"data:{image.content_type};base64,{base64.b64encode(path.read_bytes()).decode()}"

    return uri


def report_css() -> str:
    """The report's stylesheet, inlined into the standalone file (and allowed by hash in its CSP)."""
    return (STATIC / "css" / "report.css").read_text(encoding="utf-8")


def standalone_html(context: dict[str, Any]) -> str:
    """One HTML file with the stylesheet inlined and images embedded (see image_uris): offline, printable."""
    return render_template("reports/standalone.html", inline_css=report_css(), **context)


# Bump when the PDF layout changes, so that cached files are laid out again.
LAYOUT = "5"


def _cache_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]).parent / "report-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pdf_bytes(html: str) -> bytes:
    """Lay the standalone HTML out as A4 pages (fonts from the system: Noto CJK)."""
    import weasyprint  # imported here: loading pango takes a moment and most requests never need it

    # PDF/UA-1: a tagged PDF (headings, lists, reading order) that screen readers can follow.
    return weasyprint.HTML(string=html, base_url=str(STATIC)).write_pdf(  # type: ignore[no-any-return]
        pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True
    )


def _pdf_path(data: str, lang: str) -> Path:
    key = hashlib.sha256(f"{LAYOUT}|{lang}|{data}".encode()).hexdigest()
    return _cache_dir() / f"{key}.pdf"


def stored_pdf(data: str, lang: str) -> bytes | None:
    """The PDF laid out from this content in this language, if it is on disk already."""
    path = _pdf_path(data, lang)
    return path.read_bytes() if path.is_file() else None


def cached_pdf(data: str, lang: str, make_html: Callable[[], str]) -> bytes:
    """Versions never change, so each (content, language) is laid out once and kept on disk."""
    path = _pdf_path(data, lang)
    key = path.stem
    if path.is_file():
        return path.read_bytes()
    data = pdf_bytes(make_html())
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    log.info("report PDF %s laid out (%d bytes)", key, len(data))
    return data
