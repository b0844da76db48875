"""Who is asking, for organiser routes: the session's organiser (unless the session has ended) and the guard
views call. Features import this module, never the auth views."""

from __future__ import annotations

from flask import abort, session
from flask_login import current_user, logout_user

from app.auth import sessions
from app.auth.models import Organizer
from app.extensions import db, login_manager

login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def _load(user_id: str) -> Organizer | None:
    """The session's organiser, unless the session has ended (logout elsewhere, password change, too old)."""
    organizer = db.session.get(Organizer, int(user_id)) if user_id.isdigit() and len(user_id) < 12 else None
    if organizer is None or not sessions.valid(organizer):
        session.clear()
        return None
    return organizer


def end_stale_session() -> None:
    """Every request: a session that has ended (see app/auth/sessions.py) is logged out before any view runs."""
    if "_user_id" not in session:  # no organiser session (the organiser comes from nowhere else)
        return
    if current_user.is_authenticated and not sessions.valid(current_user._get_current_object()):
        logout_user()
        session.clear()


def current_organizer() -> Organizer:
    """The logged-in organiser; only for views behind @login_required."""
    if not current_user.is_authenticated:
        abort(401)
    return current_user._get_current_object()  # type: ignore[no-any-return]
