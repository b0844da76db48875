"""Language choice (browser first, then the switch's cookie) and name formatting."""

from __future__ import annotations

from functools import cache, lru_cache
from urllib.parse import urlsplit

from babel import Locale
from flask import Flask, Response, current_app, has_request_context, redirect, request
from flask_babel import get_locale, refresh
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from app.extensions import babel

LANG_COOKIE = "lang"


def select_locale() -> Locale:
    """The switch's cookie wins; otherwise the browser's Accept-Language; Japanese by default."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI commands and workers: the default language
        return _locale(default)
    languages = tuple(current_app.config["LANGUAGES"])
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return _locale(chosen)
    return _locale(_best_match(request.headers.get("Accept-Language", ""), languages) or default)


# Every request asks for its language, and the polled personal pages ask thousands of times a second:
# babel's Locale.parse looks for the locale's data file on disk each time, and the browsers of one event
# send a handful of distinct Accept-Language headers. Both answers are kept (a few small objects).
_locale = cache(Locale.parse)


@lru_cache(maxsize=256)
def _best_match(header: str, languages: tuple[str, ...]) -> str | None:
    return parse_accept_header(header, LanguageAccept).best_match(languages)


def current_language() -> str:
    """The two-letter code of the language this request is shown in."""
    locale = get_locale()
    return locale.language if locale is not None else "ja"


def safe_next(target: str | None) -> str:
    """A same-site relative path to go back to, never an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def switch_language(code: str) -> Response:
    """Remember the chosen language for a year and go back where the visitor was."""
    response = redirect(safe_next(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def init_app(app: Flask) -> None:
    """Set up Flask-Babel, choosing the language per request, and the /lang/<code> switch."""
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel caches the locale on the app context, which outlives a request when one is already
    # pushed (CLI commands, tests): choose afresh for every request.
    app.before_request(refresh)
    app.add_url_rule("/lang/<code>", "switch_language", switch_language)
