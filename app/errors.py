"""Error pages: friendly HTML for people, JSON under /api/; never a stack trace."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, Response, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from app.api.http import error as api_error

log = logging.getLogger(__name__)

# What SQLAlchemy raises when the database cannot be reached (refused, restarting, pool exhausted).
DATABASE_UNREACHABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please check what you entered and try again."),
        403: _("You do not have permission to see this page."),
        404: _("This page does not exist, or it is not public."),
        405: _("This action is not allowed here."),
        409: _("Someone else changed this at the same time. Reload and try again."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. Nothing you entered was lost; please try again."),
        503: _(
            "The service is unavailable for a moment (its database cannot be reached). Please try again in a minute."
        ),
    }


def _render(code: int, message: str | None = None) -> tuple[Response | str, int]:
    text = message or _messages().get(code, _messages()[400])
    if request.path.startswith("/api/"):
        return api_error(code, text)
    return render_template("errors/error.html", code=code, message=text), code


def init_app(app: Flask) -> None:
    """Render HTTP errors and expired CSRF tokens as the site's own error page in the visitor's language."""

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[Response | str, int]:
        return _render(400, _("The form expired or was sent from elsewhere. Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response | HTTPException:
        if error.code is None or error.code < 400:
            return error
        response = make_response(_render(error.code, error.description if getattr(error, "custom", False) else None))
        # What the exception says about the answer: Allow on 405, WWW-Authenticate on 401, Retry-After…
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response | str, int]:
        if isinstance(error, HTTPException):
            return _http(error)  # type: ignore[return-value]
        from app.extensions import db

        if isinstance(error, DATABASE_UNREACHABLE):
            # The database is down or restarting: a 503 page that says so (and when to retry), not a 500.
            log.error("database unreachable on %s: %s", request.path, error)
            with contextlib.suppress(*DATABASE_UNREACHABLE):
                db.session.rollback()
            response = make_response(_render(503))
            response.headers["Retry-After"] = "30"
            return response  # type: ignore[return-value]
        log.exception("unhandled error on %s", request.path)
        db.session.rollback()
        return _render(InternalServerError.code)
