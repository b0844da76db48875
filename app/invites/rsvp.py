"""Attendance answers (RSVP) given on the personal page: attend, can't attend, not sure."""

from __future__ import annotations

import logging
from datetime import datetime

from app.extensions import db
from app.participants.models import Participant, Rsvp

log = logging.getLogger(__name__)


def answer(person: Participant, value: Rsvp, now: datetime) -> bool:
    """Record the person's answer (flushes; the caller commits). False when it was already the answer."""
    if person.rsvp == value:
        return False
    person.rsvp, person.rsvp_at = value, now
    db.session.flush()
    log.info("participant %s answered %s", person.id, value.value)
    return True
