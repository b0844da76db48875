"""Personal-link pages: "where am I now" for participants, the facilitator page, and their update endpoint."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import get_translations
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.day import live_parts, page_cache, page_frame, queries
from app.day.blueprint import bp
from app.db import utcnow
from app.domain.live import Phase
from app.i18n import current_language

# Seconds between update checks of the page's script while the event runs; the <noscript> refresh is slower.
POLL_SECONDS = 5
# Before the event and after it nothing moves every minute: ask less often (the answer says how often).
POLL_SECONDS_BEFORE = 15
POLL_SECONDS_AFTER = 60


def poll_seconds(state: queries.Personal) -> int:
    """How often the page's script should ask for updates: often while the event runs, rarely otherwise."""
    if state.now.phase == Phase.BEFORE:
        return POLL_SECONDS_BEFORE
    if state.now.phase == Phase.AFTER:
        return POLL_SECONDS_AFTER
    return POLL_SECONDS


_PRIVATE_HEADERS = (
    ("Cache-Control", "private, no-cache"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Robots-Tag", "noindex, nofollow"),
    ("Vary", "Cookie, Accept-Language"),
)


def _private(response: Response, etag: str) -> Response:
    """Personal pages: never cached by proxies, never indexed, and the token never leaves in a Referer.

    `response` is one the view has just made (none of these headers yet): they are added in one go.
    """
    response.headers.extend(_PRIVATE_HEADERS)
    response.set_etag(etag)
    return response


def _not_modified(etag: str) -> Response | None:
    if etag in request.if_none_match:
        return _private(current_app.response_class(status=304), etag)
    return None


def _quick_gettext() -> Callable[..., str]:
    """The templates' `_`, with this request's catalogue looked up once instead of on every string.

    Jinja's `_` calls the context's `gettext`; Flask-Babel's looks the catalogue up per call (~40 µs, about
    a third of a page's render). Same result as Jinja's new-style gettext: escaped, then %-formatted.
    """
    translations = get_translations()

    def gettext(string: str, **variables: object) -> str:
        return Markup(translations.ugettext(string)) % variables

    return gettext


def _context(state: queries.Personal, etag: str) -> dict[str, object]:
    event = state.participant.event
    return {
        "gettext": _quick_gettext(),
        "etag": etag,
        "event": event,
        "person": state.participant,
        "state": state,
        "notes_enabled": "notes.edit" in current_app.view_functions,
        # The notes partial's `room_note(round, room)`, answered from the notes read with the page.
        "room_note": lambda round_id, room_id: state.notes.get((round_id, room_id)),
        "report_url": _report_url(event.slug),
        "poll_seconds": poll_seconds(state),
    }


def _report_url(slug: str) -> str | None:
    if "reports.show" not in current_app.view_functions:
        return None
    return url_for("reports.show", slug=slug)


# What the live part's pieces may read besides their own values: nothing about the holder.
_SHARED_CONTEXT = ("gettext", "report_url", "notes_enabled")


def _template(state: queries.Personal) -> str:
    return "day/facilitator.html" if state.is_facilitator else "day/participant.html"


def _rendered(state: queries.Personal, etag: str, fragment: bool) -> str:
    """The page (or its live part), from this process's cache when an identical one was rendered lately.

    The full page embeds the live part exactly as the update endpoint sends it, so each is rendered once.
    """
    check = state.check
    notes = check.notes if check is not None and state.is_facilitator else ()
    roster = check.roster_key if check is not None else ()
    # The live part does not depend on the path; the full page does (the language switch links back to it).
    cache_key = page_cache.key(not fragment, state.participant.token, etag, fragment, roster, notes)
    use_cache = page_cache.cacheable()
    if use_cache and (body := page_cache.get(cache_key)) is not None:
        return body
    if fragment:
        filled = queries.fill_page(state)
        base = {key: value for key, value in _context(filled, etag).items() if key in _SHARED_CONTEXT}
        body = str(live_parts.live_html(filled, base))
    else:
        live = Markup(_rendered(state, etag, fragment=True))
        filled = state if state.filled else queries.fill_page(state)
        context = _context(filled, etag)
        if state.is_facilitator:
            base = {key: value for key, value in context.items() if key in _SHARED_CONTEXT}
            context["rounds_html"] = live_parts.host_rounds(filled, base)
        context["live_html"] = live
        if page_cache.anonymous():
            body = page_frame.page(_template(state), filled, context)
        else:
            body = render_template(_template(state), **context)
    if use_cache:
        page_cache.put(cache_key, body)
    return body


@bp.get("/p/<token>")
def personal(token: str) -> Response:
    """The holder's own page: where to go now, in large type; facilitators get their hosting view."""
    state = queries.state_for_token(token, utcnow())
    etag = state.etag(current_language())
    if (cached := _not_modified(etag)) is not None:
        return cached
    return _private(make_response(_rendered(state, etag, fragment=False)), etag)


@bp.get("/p/<token>/state.json")
def personal_state(token: str) -> Response:
    """The page's live part as HTML inside JSON; 304 with no body while nothing changed (ETag)."""
    state = queries.state_for_token(token, utcnow())
    etag = state.etag(current_language())
    if (cached := _not_modified(etag)) is not None:
        return cached
    html = _rendered(state, etag, fragment=True)
    return _private(jsonify(etag=etag, html=html, poll=poll_seconds(state)), etag)
