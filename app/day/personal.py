"""Personal-link pages: "where am I now" for participants, the facilitator page, and their update endpoint."""

from __future__ import annotations

from flask import current_app, jsonify, make_response, render_template, request, url_for
from werkzeug.wrappers import Response

from app.day import queries
from app.day.blueprint import bp
from app.db import utcnow
from app.i18n import current_language

# Seconds between update checks of the page's script; the <noscript> refresh is slower.
POLL_SECONDS = 5


def _private(response: Response, etag: str) -> Response:
    """Personal pages: never cached by proxies, never indexed, and the token never leaves in a Referer."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def _not_modified(etag: str) -> Response | None:
    if etag in request.if_none_match:
        return _private(make_response("", 304), etag)
    return None


def _context(state: queries.Personal, etag: str) -> dict[str, object]:
    event = state.participant.event
    return {
        "etag": etag,
        "event": event,
        "person": state.participant,
        "state": state,
        "notes_enabled": "notes.edit" in current_app.view_functions,
        "report_url": _report_url(event.slug),
        "poll_seconds": POLL_SECONDS,
    }


def _report_url(slug: str) -> str | None:
    if "reports.show" not in current_app.view_functions:
        return None
    return url_for("reports.show", slug=slug)


def _template(state: queries.Personal, fragment: bool) -> str:
    kind = "facilitator" if state.is_facilitator else "participant"
    return f"day/_{kind}_live.html" if fragment else f"day/{kind}.html"


@bp.get("/p/<token>")
def personal(token: str) -> Response:
    """The holder's own page: where to go now, in large type; facilitators get their hosting view."""
    state = queries.state_for_token(token, utcnow())
    etag = state.etag(current_language())
    if (cached := _not_modified(etag)) is not None:
        return cached
    html = render_template(_template(state, fragment=False), **_context(queries.fill_page(state), etag))
    return _private(make_response(html), etag)


@bp.get("/p/<token>/state.json")
def personal_state(token: str) -> Response:
    """The page's live part as HTML inside JSON; 304 with no body while nothing changed (ETag)."""
    state = queries.state_for_token(token, utcnow())
    etag = state.etag(current_language())
    if (cached := _not_modified(etag)) is not None:
        return cached
    html = render_template(_template(state, fragment=True), **_context(queries.fill_page(state), etag))
    return _private(jsonify(etag=etag, html=html, poll=POLL_SECONDS), etag)
