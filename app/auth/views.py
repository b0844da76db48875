"""Organiser login and logout, and the API-token page (the guard for organiser routes is app/auth/guard.py)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth import brake, guard, services, sessions
from app.auth.forms import LoginForm, PasswordChangeForm
from app.db import utcnow
from app.extensions import db
from app.forms import show_service_error
from app.i18n import safe_next

bp = Blueprint("auth", __name__)
bp.before_app_request(guard.end_stale_session)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    """Show the login form and sign the organiser in."""
    form = LoginForm()
    status = 200
    retry_after = None
    if form.validate_on_submit():
        try:
            result = services.authenticate(
                form.email.data or "",
                form.password.data or "",
                request.remote_addr or "?",
                now=utcnow(),
                device_cookie=request.cookies.get(brake.DEVICE_COOKIE),
            )
        except services.TooManyAttempts as error:
            flash(_("Too many failed attempts. Please wait a few minutes and try again."), "error")
            status, retry_after = 429, error.retry_after
        except services.AuthError:
            flash(_("The email or password is not right."), "error")
            status = 401
        else:
            session.clear()  # nothing of the anonymous session carries over (no fixation)
            login_user(result.organizer)  # the events feature joins the events that added this email
            sessions.start(result.organizer)
            db.session.commit()
            response = redirect(
                safe_next(request.args.get("next")) if request.args.get("next") else url_for("events.dashboard")
            )
            # This browser is now known for this account: the brake counts its own failures apart.
            response.set_cookie(
                brake.DEVICE_COOKIE,
                result.device_cookie,
                max_age=brake.DEVICE_COOKIE_MAX_AGE,
                path=url_for("auth.login"),
                secure=current_app.config["SESSION_COOKIE_SECURE"],
                httponly=True,
                samesite="Lax",
            )
            return response
    elif request.method == "POST":
        status = 400
    response = make_response(render_template("auth/login.html", form=form), status)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out (POST, so a link on another site cannot log people out): every session of the organiser
    ends, here and in other browsers, on every server."""
    if current_user.is_authenticated:
        sessions.end_everywhere(current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("events.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> Response | tuple[str, int]:
    """Change one's own password: this browser stays signed in, every other session ends."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        organizer = guard.current_organizer()
        try:
            services.change_password(organizer, form.current_password.data or "", form.new_password.data or "")
        except services.PasswordChangeError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            sessions.start(organizer)  # this session carries the new generation; the others do not
            flash(_("Your password was changed. Every other session has been signed out."), "success")
            return redirect(url_for("events.dashboard"))
    return render_template("auth/password.html", form=form, min_length=services.MIN_PASSWORD_LENGTH), (
        400 if form.errors else 200
    )


@bp.route("/account/api-token", methods=["GET", "POST"])
@login_required
def api_token() -> str:
    """Show how to use the API, and issue a new token on request (shown once)."""
    token = None
    if request.method == "POST":
        token = services.issue_api_token(guard.current_organizer())
        db.session.commit()
    return render_template("auth/api_token.html", token=token)
