"""State changes of a café: rooms and hosts, keep-apart pairs, generating, adjusting, re-planning, publishing.

Each function writes (flushes) and its caller (a view, a job handler, the demo) commits, so an action made of
several (mark absent, then re-plan) is one transaction. The acting organiser is passed in for the history.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.auth.models import Organizer
from app.cafe import history, planner
from app.cafe.adjusting import move_person, swap_people
from app.cafe.models import KeepApart, Room, Seat
from app.cafe.planner import CafeData, PlanError, attends, build_instance, load, write_draft
from app.cafe.publishing import NeedsConfirmation, publish
from app.db import utcnow
from app.domain import rotation, seating
from app.events.models import ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Role, Status

log = logging.getLogger(__name__)

# Publishing lives in app/cafe/publishing.py, moving people by hand in app/cafe/adjusting.py; these names stay
# here for the callers that knew them here.
__all__ = ["NeedsConfirmation", "PlanError", "move_person", "publish", "swap_people"]

# A guard against typing 40000 for 400, not a limit of the planner: 2,000 people in rooms of 4 is 500 rooms.
MAX_ROOMS = 2000


@dataclass(frozen=True)
class PlanResult:
    stats: rotation.Stats
    changed: int  # seats that differ from what people were told (re-plans)


# ---- rooms, hosts, keep-apart ------------------------------------------------------------------


def attendance(data: CafeData) -> int:
    """The most people seated in any round, as the attendance stands now."""
    return max((sum(1 for p in data.people if attends(p, r.number)) for r in data.rounds), default=0)


def proposed_room_count(data: CafeData) -> int | None:
    """Rooms the engine suggests for the attendance, or None when the sizes cannot hold it."""
    try:
        return rotation.room_count_for(attendance(data), data.item.room_size_min, data.item.room_size_max) or None
    except rotation.InfeasibleError:
        return None


def create_rooms(item: ProgrammeItem, count: int, name_pattern: str, actor: Organizer | None = None) -> int:
    """Add rooms until the café has `count`, named by `name_pattern` ("Room %(number)s"); returns how many."""
    rooms = list(db.session.scalars(select(Room).where(Room.item_id == item.id)))
    if count > MAX_ROOMS:
        raise PlanError(_l("At most %(count)s rooms.", count=MAX_ROOMS))
    taken = {r.name for r in rooms}
    added, number = 0, 0
    position = max((r.position for r in rooms), default=0)
    while len(rooms) + added < count:
        number += 1
        name = name_pattern % {"number": number}
        if name in taken:
            continue
        position += 1
        db.session.add(Room(item_id=item.id, name=name, position=position))
        added += 1
    if added:
        history.record(item, actor, "rooms", count=added)
    db.session.flush()
    return added


def update_room(
    item: ProgrammeItem, room: Room, *, name: str, breakout_url: str, host_id: int | None, actor: Organizer | None
) -> None:
    """Rename a room, set its breakout link and its host (a facilitator of the event, hosting no other room)."""
    name = name.strip()
    if not name:
        raise PlanError(_l("Please give the room a name."))
    clash = db.session.scalar(select(Room).where(Room.item_id == item.id, Room.name == name, Room.id != room.id))
    if clash is not None:
        raise PlanError(_l("Another room is already called %(name)s.", name=name))
    if breakout_url and not breakout_url.lower().startswith(("http://", "https://")):
        raise PlanError(_l("Use a link that starts with https://"))
    if host_id is not None:
        host = db.session.get(Participant, host_id)
        if host is None or host.event_id != item.event_id or host.role != Role.FACILITATOR:
            raise PlanError(_l("Only a facilitator of this event can host a room."))
        other = db.session.scalar(
            select(Room).where(Room.item_id == item.id, Room.host_id == host_id, Room.id != room.id)
        )
        if other is not None:
            raise PlanError(_l("%(name)s already hosts %(room)s.", name=host.family_name, room=other.name))
    room.name, room.breakout_url, room.host_id = name, breakout_url, host_id
    new_host = db.session.get(Participant, host_id) if host_id is not None else None
    history.record(item, actor, "room", room=name, host=history.person(new_host) if new_host else None)
    db.session.flush()


def delete_room(item: ProgrammeItem, room: Room, actor: Organizer | None = None) -> None:
    """Delete a room and its draft seats; a room people have been told about (published) stays."""
    if db.session.scalar(select(Seat.id).where(Seat.room_id == room.id, Seat.published.is_(True)).limit(1)):
        raise PlanError(_l("%(room)s is in the published plan and cannot be deleted.", room=room.name))
    db.session.delete(room)
    history.record(item, actor, "room-deleted", room=room.name)
    db.session.flush()


def assign_hosts(item: ProgrammeItem, actor: Organizer | None = None) -> int:
    """Give each room without a host an unassigned, attending facilitator, in order; returns how many."""
    data = load(item)
    used = {r.host_id for r in data.rooms if r.host_id}
    free = [p for p in data.people if p.role == Role.FACILITATOR and p.id not in used and p.attends]
    count = 0
    for room in data.rooms:
        if room.host_id is None and free:
            room.host_id = free.pop(0).id
            count += 1
    if count:
        history.record(item, actor, "hosts", count=count)
    db.session.flush()
    return count


def add_keep_apart(item: ProgrammeItem, first_id: int, second_id: int, actor: Organizer | None = None) -> None:
    """Ask the engine to keep two people of the event in different rooms."""
    if first_id == second_id:
        raise PlanError(_l("Please pick two different people."))
    people = [db.session.get(Participant, pid) for pid in (first_id, second_id)]
    if any(p is None or p.event_id != item.event_id for p in people):
        raise PlanError(_l("Please pick two people of this event."))
    low, high = sorted((first_id, second_id))
    exists = db.session.scalar(
        select(KeepApart).where(KeepApart.item_id == item.id, KeepApart.first_id == low, KeepApart.second_id == high)
    )
    if exists is None:
        db.session.add(KeepApart(item_id=item.id, first_id=low, second_id=high))
        history.record(item, actor, "keep-apart", people=[history.person(p) for p in people if p is not None])
    db.session.flush()


def delete_keep_apart(item: ProgrammeItem, pair: KeepApart, actor: Organizer | None = None) -> None:
    db.session.delete(pair)
    history.record(item, actor, "keep-apart-removed", people=[history.person(pair.first), history.person(pair.second)])
    db.session.flush()


def mark_absent(
    item: ProgrammeItem, participant_ids: list[int], actor: Organizer | None = None, *, now: datetime | None = None
) -> int:
    """On the day: mark people of the event absent (the next re-plan frees their seats)."""
    people = db.session.scalars(
        select(Participant).where(Participant.event_id == item.event_id, Participant.id.in_(participant_ids))
    ).all()
    for person in people:
        person.status = Status.ABSENT
    history.record(item, actor, "absent", at=now, people=[history.person(p) for p in people])
    db.session.flush()
    return len(people)


def release_from_running_round(
    item: ProgrammeItem, participant_ids: list[int], actor: Organizer | None = None, *, now: datetime | None = None
) -> int:
    """People who left during the running round leave its room lists (the one change a running round allows).

    Only people marked absent (or cancelled) are taken out; rounds that have ended, and everyone else, stay
    exactly as they were. Returns how many seats were freed.
    """
    now = now or _now()
    data = load(item)
    current = next((r for r in data.rounds if r.times.is_running(now)), None)
    if current is None:
        raise PlanError(_l("No round is running now."))
    gone = [p.id for p in data.people if p.id in set(participant_ids) and p.status in (Status.ABSENT, Status.CANCELLED)]
    if not gone:
        return 0
    freed = db.session.execute(delete(Seat).where(Seat.round_id == current.id, Seat.participant_id.in_(gone))).rowcount  # type: ignore[attr-defined]
    if freed:
        current.published_at = now  # the published seating of the round changed: pages reload it
        history.record(
            item,
            actor,
            "left",
            at=now,
            round=current.number,
            people=[history.person(p) for p in data.people if p.id in gone],
        )
    db.session.flush()
    return int(freed or 0)


# ---- plans ---------------------------------------------------------------------------------------


def _solve(data: CafeData, seed: int, from_round: int, keep_previous: bool) -> rotation.Schedule:
    if not data.rooms:
        raise PlanError(_l("Create the rooms first."))
    if not data.rounds:
        raise PlanError(_l("This café has no rounds. Add rounds in the programme first."))
    try:
        instance = build_instance(data, seed=seed, from_round=from_round, keep_previous=keep_previous)
        return rotation.solve(instance)
    except rotation.InfeasibleError as error:
        raise PlanError(_l("The rooms cannot hold this attendance: %(reason)s", reason=str(error))) from error
    except PlanError:
        raise
    except ValueError as error:
        raise PlanError(_l("The plan could not be made: %(reason)s", reason=str(error))) from error


def new_seed() -> int:
    return secrets.randbelow(1_000_000) + 1


def generate(
    item: ProgrammeItem, seed: int | None = None, actor: Organizer | None = None, *, now: datetime | None = None
) -> PlanResult:
    """Plan every round not yet started from scratch as a draft (published seats stay until the next publish).

    Before the café, that is every round; once rounds have started, they are kept exactly as held.
    """
    now = now or _now()
    data = load(item)
    upto = planner.freeze(data, now)
    if data.rounds and upto >= len(data.rounds):
        raise PlanError(_l("Every round has started: nothing is left to plan."))
    seed = new_seed() if seed is None else seed
    schedule = _solve(data, seed, upto + 1, keep_previous=False)
    write_draft(data, schedule.rounds, from_round=upto + 1)
    record = planner.plan_record(item)
    record.seed, record.planned_from, record.stats = seed, upto + 1, schedule.stats.as_dict()
    record.generated_at, record.edited_at = now, None
    item.rotation_seed = seed
    history.record(
        item, actor, "generate", at=now, seed=seed, from_round=upto + 1, repeat_pairs=schedule.stats.repeat_pairs
    )
    db.session.flush()
    return PlanResult(schedule.stats, 0)


def replan(
    item: ProgrammeItem,
    from_round: int,
    seed: int | None = None,
    actor: Organizer | None = None,
    *,
    now: datetime | None = None,
) -> PlanResult:
    """Re-plan rounds `from_round`.. around who is here now, keeping earlier rounds and as many seats as possible.

    Only rounds that have not started can be re-planned.
    """
    now = now or _now()
    data = load(item)
    if not data.has_draft():
        raise PlanError(_l("Generate a plan first."))
    planner.refuse_started(data, from_round, now)
    planner.freeze(data, now)
    before = [data.current(i) for i in range(len(data.rounds))]
    seed = (item.rotation_seed or 1) if seed is None else seed
    schedule = _solve(data, seed, from_round, keep_previous=True)
    write_draft(data, schedule.rounds, from_round=from_round)
    changed = len(seating.changes(before, list(schedule.rounds), from_round))
    # Who this re-plan took out of the rounds to come, and who it seated there (latecomers).
    was, now_seated = history.seated(before[from_round - 1 :]), history.seated(schedule.rounds[from_round - 1 :])
    left_out, newly_seated = was - now_seated, now_seated - was
    record = planner.plan_record(item)
    record.seed, record.planned_from, record.stats = seed, from_round, schedule.stats.as_dict()
    record.generated_at, record.edited_at = now, None
    history.record(
        item,
        actor,
        "replan",
        at=now,
        from_round=from_round,
        changed=changed,
        repeat_pairs=schedule.stats.repeat_pairs,
        absent=[history.person(p) for p in data.people if str(p.id) in left_out],
        late=[history.person(p) for p in data.people if str(p.id) in newly_seated],
    )
    db.session.flush()
    return PlanResult(schedule.stats, changed)


def _now() -> datetime:
    return utcnow()
