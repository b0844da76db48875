"""Organiser sessions that really end: a generation number checked on every request, and a maximum age.

The session cookie is signed, not stored: copying it kept a session alive after logout. Now each session
carries its organiser's `session_generation` and the time of login; the loader (run on every request that
looks at the organiser) refuses a session whose generation is old or whose age is past SESSION_MAX_AGE_SECONDS.
Logout and a password change bump the generation in the database, so every session of the organiser ends
at once, on every worker and every app server.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, session
from sqlalchemy import update

from app.auth.models import Organizer
from app.db import utcnow
from app.extensions import db

GENERATION = "_tsu_gen"
SINCE = "_tsu_since"


def start(organizer: Organizer) -> None:
    """Stamp the session just logged in with the organiser's generation and the time."""
    session[GENERATION] = organizer.session_generation
    session[SINCE] = utcnow().timestamp()


def valid(organizer: Organizer, now: datetime | None = None) -> bool:
    """Whether the current session may still act as this organiser."""
    since = session.get(SINCE)
    if session.get(GENERATION) != organizer.session_generation or not isinstance(since, int | float):
        return False
    age = (now or utcnow()).timestamp() - since  # may be a little negative across servers' clocks
    return bool(age <= current_app.config["SESSION_MAX_AGE_SECONDS"])


def end_everywhere(organizer_id: int) -> None:
    """End every session of the organiser (all browsers, all servers): bump the generation in SQL (the caller
    commits)."""
    db.session.execute(
        update(Organizer)
        .where(Organizer.id == organizer_id)
        .values(session_generation=Organizer.session_generation + 1)
    )
