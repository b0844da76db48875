"""The plan's history: lines recording what changed (structured values), read back as sentences by the pages."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from app.auth.models import Organizer
from app.cafe.models import PlanChange
from app.db import utcnow
from app.domain.rotation import RoundPlan
from app.events.models import ProgrammeItem
from app.extensions import db
from app.participants.models import Participant

log = logging.getLogger(__name__)


def person(someone: Participant) -> dict[str, object]:
    """A person as the history keeps them: their name as it is now (the page shows names, never ids)."""
    return {"id": someone.id, "family_name": someone.family_name, "given_name": someone.given_name}


def people(someone: Iterable[Participant]) -> list[dict[str, object]]:
    """Several people as the history keeps them (see `person`)."""
    return [person(p) for p in someone]


def seated(plans: Iterable[RoundPlan]) -> set[str]:
    """Everyone with a seat in any of the plans (participant ids as the plans hold them)."""
    return {pid for plan in plans for members in plan.values() for pid in members}


def record(
    item: ProgrammeItem, actor: Organizer | None, action: str, *, at: datetime | None = None, **data: object
) -> None:
    """Add a line to the plan's history (templates/cafe/_change.html puts it in the reader's language)."""
    db.session.add(
        PlanChange(
            item_id=item.id,
            action=action,
            data=data,
            organizer_id=actor.id if actor else None,
            at=at or utcnow(),
        )
    )
    log.info("cafe %s: item=%s organiser=%s %s", action, item.id, actor.id if actor else None, data)
