"""Adjusting a café's draft plan by hand: moving one person to another room, swapping two people.

Each function writes (flushes) and its caller commits; rounds that have started are refused.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Organizer
from app.cafe import history, planner
from app.cafe.models import Seat
from app.cafe.planner import CafeData, PlanError, load
from app.db import utcnow
from app.domain import seating
from app.events.models import ProgrammeItem
from app.extensions import db
from app.participants.models import Participant


def _draft_seat(round_id: int, participant_id: int) -> Seat | None:
    return db.session.scalar(
        select(Seat).where(Seat.round_id == round_id, Seat.participant_id == participant_id, Seat.published.is_(False))
    )


def _round_of(data: CafeData, round_no: int) -> int:
    if not 1 <= round_no <= len(data.rounds):
        raise PlanError(_l("This round does not exist."))
    if not any(data.draft[round_no - 1].values()):
        raise PlanError(_l("Round %(number)s has no plan yet.", number=round_no))
    return data.rounds[round_no - 1].id


def _check_movable(data: CafeData, participant_id: int) -> Participant:
    person = data.by_id.get(str(participant_id))
    if person is None:
        raise PlanError(_l("This person is not in this event."))
    room = next((r for r in data.rooms if r.host_id == participant_id), None)
    if room is not None:
        raise PlanError(
            _l(
                "%(name)s hosts %(room)s and stays there every round. Change the room's host instead.",
                name=person.family_name,
                room=room.name,
            )
        )
    return person


def _size_notes(data: CafeData, index: int) -> list[str]:
    names = {str(r.id): r.name for r in data.rooms}
    item = data.item
    return [
        str(
            _l(
                "%(room)s now has %(count)s people (the range is %(min)s–%(max)s).",
                room=names[room],
                count=size,
                min=item.room_size_min,
                max=item.room_size_max,
            )
        )
        for room, size in seating.size_warnings(data.draft[index], item.room_size_min, item.room_size_max)
    ]


def move_person(
    item: ProgrammeItem,
    round_no: int,
    participant_id: int,
    room_id: int,
    actor: Organizer | None = None,
    *,
    now: datetime | None = None,
) -> list[str]:
    """Put a person in another room for one round (or seat them if they had no seat); returns size warnings.

    Rooms may go beyond the size range on purpose (a latecomer squeezed in): the move is kept and
    the organiser is warned. Rounds that have started are refused.
    """
    data = load(item)
    round_id = _round_of(data, round_no)
    planner.refuse_started(data, round_no, now or utcnow())
    _check_movable(data, participant_id)
    if str(room_id) not in data.room_by_id:
        raise PlanError(_l("This room does not exist."))
    seat = _draft_seat(round_id, participant_id)
    from_room = data.room_by_id[str(seat.room_id)].name if seat is not None else None
    if seat is None:
        seat = Seat(round_id=round_id, room_id=room_id, participant_id=participant_id)
        db.session.add(seat)
    seat.room_id = room_id
    db.session.flush()
    _edited(
        item,
        actor,
        "move",
        round=round_no,
        people=[history.person(data.by_id[str(participant_id)])],
        before=from_room,
        room=data.room_by_id[str(room_id)].name,
    )
    db.session.flush()
    data = load(item)
    return _size_notes(data, round_no - 1)


def swap_people(
    item: ProgrammeItem,
    round_no: int,
    first_id: int,
    second_id: int,
    actor: Organizer | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """Exchange the rooms of two people in one round (not one that has started)."""
    data = load(item)
    round_id = _round_of(data, round_no)
    planner.refuse_started(data, round_no, now or utcnow())
    for pid in (first_id, second_id):
        _check_movable(data, pid)
    seats = [_draft_seat(round_id, pid) for pid in (first_id, second_id)]
    if seats[0] is None or seats[1] is None:
        raise PlanError(_l("Both people need a seat in this round to swap."))
    if seats[0].room_id == seats[1].room_id:
        raise PlanError(_l("These two people are already in the same room."))
    seats[0].room_id, seats[1].room_id = seats[1].room_id, seats[0].room_id
    _edited(
        item,
        actor,
        "swap",
        round=round_no,
        people=[history.person(data.by_id[str(pid)]) for pid in (first_id, second_id)],
    )
    db.session.flush()


def _edited(item: ProgrammeItem, actor: Organizer | None, action: str, **data: object) -> None:
    planner.plan_record(item).edited_at = utcnow()
    history.record(item, actor, action, **data)
