"""The `day` blueprint with all its routes: personal pages (personal.py) and the organiser's console (console.py)."""

from app import signals
from app.day import console, missing, personal, queries, timetable  # noqa: F401  (modules register their routes on bp)
from app.day.blueprint import bp

__all__ = ["bp"]


def _forget_event(event_id: int, **_extra: object) -> None:
    """A person was removed: this process's roster and snapshots of the event go, so their link stops at once."""
    timetable.forget_programme(event_id)


signals.participant_deleted.connect(_forget_event, weak=False)
