"""Language choice (browser first, then the switch's cookie) and name formatting."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_request_context, redirect, request
from flask_babel import get_locale, refresh

from app.extensions import babel

LANG_COOKIE = "lang"


def select_locale() -> str:
    """The switch's cookie wins; otherwise the browser's Accept-Language; Japanese by default."""
    if not has_request_context():  # CLI commands and workers: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


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
