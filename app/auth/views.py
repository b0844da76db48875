"""Organiser login and logout, the API-token page, and the helper that guards organiser routes."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth import services
from app.auth.forms import LoginForm
from app.auth.models import Organizer
from app.db import utcnow
from app.extensions import db, login_manager
from app.i18n import safe_next

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def _load(user_id: str) -> Organizer | None:
    return db.session.get(Organizer, int(user_id)) if user_id.isdigit() else None


def current_organizer() -> Organizer:
    """The logged-in organiser; only for views behind @login_required."""
    if not current_user.is_authenticated:
        abort(401)
    return current_user._get_current_object()  # type: ignore[no-any-return]


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    """Show the login form and sign the organiser in."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            organizer = services.authenticate(
                form.email.data or "",
                form.password.data or "",
                request.remote_addr or "?",
                now=utcnow(),
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                window=timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"]),
            )
        except services.TooManyAttempts:
            flash(_("Too many failed attempts. Please wait a few minutes and try again."), "error")
            status = 429
        except services.AuthError:
            flash(_("The email or password is not right."), "error")
            status = 401
        else:
            login_user(organizer)
            return redirect(
                safe_next(request.args.get("next")) if request.args.get("next") else url_for("events.dashboard")
            )
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out (POST, so a link on another site cannot log people out)."""
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("events.index"))


@bp.route("/account/api-token", methods=["GET", "POST"])
@login_required
def api_token() -> str:
    """Show how to use the API, and issue a new token on request (shown once)."""
    token = None
    if request.method == "POST":
        token = services.issue_api_token(current_organizer())
    return render_template("auth/api_token.html", token=token)
