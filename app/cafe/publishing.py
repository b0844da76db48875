"""Publishing a café's plan, as versions: publish the draft, discard the draft, undo the last publish.

Every publish is a PlanVersion holding the published seats after it, so the last publish can be undone
for the rounds that have not started. Rounds that have started never change (see planner.freeze).
Each function writes (flushes) and its caller commits; the "rounds published" signal is sent before that commit,
so the webhook deliveries it queues in the outbox land with the seats or not at all (app/signals.py).
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app.auth.models import Organizer
from app.cafe import history, planner
from app.cafe.models import PlanVersion, Seat
from app.cafe.planner import CafeData, PlanError, load, pending_changes
from app.db import utcnow
from app.domain import seating
from app.domain.rotation import RoundPlan
from app.events.models import ProgrammeItem
from app.extensions import db
from app.signals import rounds_published

log = logging.getLogger(__name__)


class NeedsConfirmation(PlanError):
    """Publishing would change rounds people have already seen; `changes` lists them."""

    def __init__(self, changes: list[seating.Change]) -> None:
        super().__init__(str(_l("Published rounds would change. Please review and confirm.")))
        self.changes = changes


def _write_published(data: CafeData, index: int, plan: RoundPlan, now: datetime) -> None:
    round_ = data.rounds[index]
    db.session.execute(delete(Seat).where(Seat.round_id == round_.id, Seat.published.is_(True)))
    for room_id, members in plan.items():
        for pid in members:
            db.session.add(Seat(round_id=round_.id, room_id=int(room_id), participant_id=int(pid), published=True))
    data.published[index] = dict(plan)
    round_.published_at = now if any(plan.values()) else None


def _snapshot(data: CafeData) -> dict[str, dict[str, list[int]]]:
    """The published seats of every published round, as plain JSON."""
    return {
        str(r.number): {room: [int(p) for p in members] for room, members in data.published[i].items() if members}
        for i, r in enumerate(data.rounds)
        if r.published_at is not None
    }


def latest_version(item: ProgrammeItem) -> PlanVersion | None:
    """The café's most recent published plan version, or None before the first publication."""
    return db.session.scalar(
        select(PlanVersion).where(PlanVersion.item_id == item.id).order_by(PlanVersion.number.desc()).limit(1)
    )


def publish(
    item: ProgrammeItem, upto: int, *, confirm: bool, actor: Organizer | None = None, now: datetime | None = None
) -> list[int]:
    """Publish the draft of rounds 1..upto as a new version; returns the rounds whose seats changed or were new.

    Rounds already published change only with `confirm` (else NeedsConfirmation lists the changes).
    A round that has started and was published never changes again; one that started unpublished
    (forgotten) can still be published once, so that people get a room.
    """
    now = now or utcnow()
    data = load(item)
    if not 1 <= upto <= len(data.rounds):
        raise PlanError(_l("This round does not exist."))
    for index in range(upto):
        if not any(data.draft[index].values()):
            raise PlanError(_l("Round %(number)s has no plan yet.", number=index + 1))
    started = planner.freeze(data, now)
    changes = pending_changes(data, upto, since=started)
    if changes and not confirm:
        raise NeedsConfirmation(changes)
    numbers = []
    for index in range(upto):
        round_ = data.rounds[index]
        if round_.published_at is not None and (index < started or data.published[index] == data.draft[index]):
            continue
        _write_published(data, index, data.draft[index], now)
        numbers.append(round_.number)
    planner.plan_record(item).published_at = now
    if numbers:
        number = (
            db.session.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.item_id == item.id)) or 0
        ) + 1
        db.session.add(
            PlanVersion(
                item_id=item.id,
                number=number,
                rounds=numbers,
                changed=len(changes),
                seats=_snapshot(data),
                published_at=now,
                organizer_id=actor.id if actor else None,
            )
        )
        history.record(item, actor, "publish", at=now, version=number, rounds=numbers, changed=len(changes))
        rounds_published.send(item.event, item=item, rounds=numbers)
    db.session.flush()
    return numbers


def discard_draft(item: ProgrammeItem, actor: Organizer | None = None, *, now: datetime | None = None) -> int:
    """Throw the draft away: every published round's draft is what was published again; returns seats reset.

    Rounds never published keep their draft (there is nothing to go back to).
    """
    now = now or utcnow()
    data = load(item)
    planner.freeze(data, now)
    reset = 0
    for index, round_ in enumerate(data.rounds):
        if round_.published_at is not None and data.draft[index] != data.published[index]:
            reset += len(seating.changes([data.published[index]], [data.draft[index]]))
            planner.write_draft_round(data, index, data.published[index])
    if not reset:
        raise PlanError(_l("The draft is the published plan already: there is nothing to discard."))
    record = planner.plan_record(item)
    record.edited_at = None
    history.record(item, actor, "discard", at=now, changed=reset)
    db.session.flush()
    return reset


def undo_last_publish(
    item: ProgrammeItem, actor: Organizer | None = None, *, now: datetime | None = None
) -> PlanVersion:
    """Put the rounds that have not started back as the version before the last publish; returns the undone one.

    Rounds that have started stay as they are (the past is frozen). The undone plan stays in the draft,
    so nothing is lost: publish it again, or discard it.
    """
    now = now or utcnow()
    last = latest_version(item)
    if last is None or last.undone_at is not None:
        raise PlanError(_l("There is no publish to undo."))
    data = load(item)
    started = planner.freeze(data, now)
    previous = db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.item_id == item.id, PlanVersion.number < last.number, PlanVersion.undone_at.is_(None))
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    before = previous.seats if previous is not None else {}
    rooms, people = set(data.room_by_id), set(data.by_id)
    restored = []
    for index, round_ in enumerate(data.rounds):
        if index < started or round_.number not in last.rounds:
            continue
        old = before.get(str(round_.number), {})
        plan: RoundPlan = {
            room: tuple(str(p) for p in old.get(room, []) if str(p) in people)
            for room in data.room_by_id
            if room in rooms
        }
        _write_published(data, index, plan, now)
        restored.append(round_.number)
    if not restored:
        raise PlanError(_l("The rounds of the last publish have started: it can no longer be undone."))
    last.undone_at, last.undone_by_id = now, actor.id if actor else None
    history.record(
        item, actor, "undo", version=last.number, rounds=restored, back_to=previous.number if previous else 0
    )
    rounds_published.send(item.event, item=item, rounds=restored)
    db.session.flush()
    log.info("cafe publish undone: item=%s version=%s rounds=%s", item.id, last.number, restored)
    return last
