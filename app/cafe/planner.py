"""Between the database and the rotation engine: a café item as an Instance, a Schedule back as seats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.cafe.models import CafePlan, KeepApart, Room, Seat
from app.domain import clock, rotation, seating
from app.domain.rotation import Instance, RoundPlan
from app.events.models import CafeRound, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Role, Status

# Who sits at the tables: staff run the meeting and are never seated; speakers join the café.
SEATED_ROLES = (Role.PARTICIPANT, Role.FACILITATOR, Role.SPEAKER)


class PlanError(ValueError):
    """A plan cannot be made or changed as asked; the message is fit for the organiser."""


@dataclass
class CafeData:
    """Everything about one café item that planning needs, loaded once."""

    item: ProgrammeItem
    rounds: list[CafeRound]
    rooms: list[Room]
    people: list[Participant]
    keep_apart: list[KeepApart]
    draft: list[RoundPlan] = field(default_factory=list)
    published: list[RoundPlan] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Participant]:
        return {str(p.id): p for p in self.people}

    @property
    def room_by_id(self) -> dict[str, Room]:
        return {str(r.id): r for r in self.rooms}

    def current(self, index: int) -> RoundPlan:
        """What people were told for a round: the published seats if published, else the draft."""
        if self.rounds[index].published_at is not None:
            return self.published[index]
        return self.draft[index]

    def has_draft(self) -> bool:
        return any(any(plan.values()) for plan in self.draft)


def plan_record(item: ProgrammeItem) -> CafePlan:
    """The café's plan record, created on first use."""
    plan = db.session.scalar(select(CafePlan).where(CafePlan.item_id == item.id))
    if plan is None:
        plan = CafePlan(item_id=item.id)
        db.session.add(plan)
    return plan


def attends(person: Participant, round_no: int) -> bool:
    """Whether a person should be seated in a round: not cancelled or absent, and already arrived."""
    return (
        person.role in SEATED_ROLES
        and person.status not in (Status.CANCELLED, Status.ABSENT)
        and (person.joins_round is None or round_no >= person.joins_round)
    )


def load(item: ProgrammeItem) -> CafeData:
    """Rounds, rooms, seated people, keep-apart pairs and both plans of a café item."""
    rounds = sorted(item.rounds, key=lambda r: r.number)
    rooms = list(db.session.scalars(select(Room).where(Room.item_id == item.id).order_by(Room.position, Room.id)))
    people = list(
        db.session.scalars(
            select(Participant)
            .where(Participant.event_id == item.event_id)
            .order_by(Participant.family_kana, Participant.family_name, Participant.id)
        )
    )
    pairs = list(db.session.scalars(select(KeepApart).where(KeepApart.item_id == item.id).order_by(KeepApart.id)))
    data = CafeData(item=item, rounds=rounds, rooms=rooms, people=people, keep_apart=pairs)
    index = {r.id: i for i, r in enumerate(rounds)}
    room_order = [str(r.id) for r in rooms]
    plans: dict[bool, list[dict[str, list[str]]]] = {
        flag: [{rid: [] for rid in room_order} for _ in rounds] for flag in (False, True)
    }
    host_ids = {r.host_id for r in rooms}
    # Plain rows, not Seat objects: 2,000 people × 4 rounds × draft and published are 16,000 seats, and building
    # ORM objects for them cost over a second per page at that size.
    seats = (
        db.session.execute(
            select(Seat.published, Seat.round_id, Seat.room_id, Seat.participant_id)
            .where(Seat.round_id.in_(index.keys()))
            .order_by(Seat.id)
        )
        if index
        else []
    )
    for published, round_id, room_id, participant_id in seats:
        plans[published][index[round_id]][str(room_id)].append(str(participant_id))
    for flag, target in ((False, data.draft), (True, data.published)):
        for plan in plans[flag]:
            # Host first, then by id: a stable order for grids and comparisons.
            target.append(
                {rid: tuple(sorted(m, key=lambda p: (int(p) not in host_ids, int(p)))) for rid, m in plan.items()}
            )
    return data


def build_instance(data: CafeData, *, seed: int, from_round: int = 1, keep_previous: bool = False) -> Instance:
    """The rotation problem of re-planning rounds `from_round`.. with the rounds before it kept as held."""
    count = len(data.rounds)
    if not 1 <= from_round <= count:
        raise PlanError(_l("Round %(number)s does not exist.", number=from_round))
    history = tuple(data.current(i) for i in range(from_round - 1))
    for number, plan in enumerate(history, start=1):
        if not any(plan.values()):
            raise PlanError(_l("Round %(number)s has no seats to keep; publish or generate it first.", number=number))
    people = []
    for person in data.people:
        pid = str(person.id)
        rounds = {n for n, plan in enumerate(history, start=1) if any(pid in m for m in plan.values())}
        rounds |= {n for n in range(from_round, count + 1) if attends(person, n)}
        if rounds:
            people.append(rotation.Person(id=pid, org=person.organization or None, rounds=frozenset(rounds)))
    known = {p.id for p in people}
    rooms = tuple(
        rotation.Room(id=str(r.id), host=str(r.host_id) if r.host_id and str(r.host_id) in known else None)
        for r in data.rooms
    )
    pairs = tuple(
        (str(k.first_id), str(k.second_id))
        for k in data.keep_apart
        if str(k.first_id) in known and str(k.second_id) in known
    )
    previous: tuple[RoundPlan, ...] = ()
    if keep_previous:
        # People who left entirely are unknown to the instance: drop them from the old plan.
        previous = tuple(
            {rid: tuple(p for p in m if p in known) for rid, m in data.current(i).items()} for i in range(count)
        )
    return Instance(
        rounds=count,
        size_min=data.item.room_size_min,
        size_max=data.item.room_size_max,
        rooms=rooms,
        people=tuple(people),
        history=history,
        keep_apart=pairs,
        seed=seed,
        previous=previous,
    )


def review_instance(data: CafeData, plans: Sequence[RoundPlan]) -> Instance:
    """An instance matching a plan as seated, to measure it (and its lower bound) as it stands."""
    seated: dict[str, set[int]] = {}
    for number, plan in enumerate(plans, start=1):
        for members in plan.values():
            for pid in members:
                seated.setdefault(pid, set()).add(number)
    by_id = data.by_id
    people = tuple(
        rotation.Person(id=pid, org=(by_id[pid].organization or None) if pid in by_id else None, rounds=frozenset(r))
        for pid, r in seated.items()
    )
    rooms = tuple(
        rotation.Room(id=str(r.id), host=str(r.host_id) if r.host_id and str(r.host_id) in seated else None)
        for r in data.rooms
    )
    pairs = tuple(
        (str(k.first_id), str(k.second_id))
        for k in data.keep_apart
        if str(k.first_id) in seated and str(k.second_id) in seated
    )
    return Instance(
        rounds=max(len(plans), 1),
        size_min=data.item.room_size_min,
        size_max=data.item.room_size_max,
        rooms=rooms or (rotation.Room(id="-"),),
        people=people,
        keep_apart=pairs,
    )


def write_draft(data: CafeData, plans: Sequence[RoundPlan], *, from_round: int = 1) -> None:
    """Replace the draft seats of rounds `from_round`.. with the plan (no commit: the caller of the service commits)."""
    for index in range(from_round - 1, len(data.rounds)):
        write_draft_round(data, index, plans[index])


def write_draft_round(data: CafeData, index: int, plan: RoundPlan) -> None:
    """Replace the draft seats of one round (by index) with `plan`."""
    round_ = data.rounds[index]
    db.session.execute(delete(Seat).where(Seat.round_id == round_.id, Seat.published.is_(False)))
    for room_id, members in plan.items():
        for pid in members:
            db.session.add(Seat(round_id=round_.id, room_id=int(room_id), participant_id=int(pid)))
    data.draft[index] = dict(plan)


def started_upto(data: CafeData, now: datetime) -> int:
    """The last round that has started by `now` (0: none): rounds 1..that one are the frozen past.

    "Started" is the live timetable's (app/domain/clock.py): by the programme or by the organiser's hand.
    """
    return clock.last_started([r.times for r in data.rounds], now)


def frozen_draft(data: CafeData, now: datetime) -> list[RoundPlan]:
    """The draft as it can still be: a started round that was published is what was published, for ever."""
    upto = started_upto(data, now)
    return [
        data.published[i] if i < upto and data.rounds[i].published_at is not None else data.draft[i]
        for i in range(len(data.rounds))
    ]


def freeze(data: CafeData, now: datetime) -> int:
    """The last started round; the drafts of started, published rounds are put back to what was published.

    A round that has started is the past: nothing may change its seats (a hand edit made to its draft
    before it started can no longer be published, so it is dropped rather than left pending for ever).
    """
    upto = started_upto(data, now)
    for index in range(upto):
        round_ = data.rounds[index]
        if round_.published_at is not None and data.draft[index] != data.published[index]:
            write_draft_round(data, index, data.published[index])
    return upto


def refuse_started(data: CafeData, round_no: int, now: datetime) -> None:
    """Changing a round that has started is refused, whatever the path."""
    if 1 <= round_no <= len(data.rounds) and data.rounds[round_no - 1].has_started(now):
        upto = started_upto(data, now)
        if upto < len(data.rounds):
            raise PlanError(
                _l(
                    "Round %(number)s has already started and cannot change any more. "
                    "Re-plan from round %(next)s instead.",
                    number=round_no,
                    next=upto + 1,
                )
            )
        raise PlanError(_l("Round %(number)s has already started and cannot change any more.", number=round_no))


def open_problems(data: CafeData, now: datetime) -> list[tuple[int, str, Participant]]:
    """For rounds not started yet: people attending without a seat, and seated people not attending."""
    out: list[tuple[int, str, Participant]] = []
    by_id = data.by_id
    for index, round_ in enumerate(data.rounds):
        if round_.has_started(now) or not any(data.draft[index].values()):
            continue
        seated = {pid for m in data.draft[index].values() for pid in m}
        for person in data.people:
            pid = str(person.id)
            if attends(person, round_.number) and pid not in seated:
                out.append((round_.number, "unseated", person))
            elif pid in seated and not attends(person, round_.number):
                out.append((round_.number, "not_attending", by_id[pid]))
    return out


def pending_changes(data: CafeData, upto: int | None = None, *, since: int = 0) -> list[seating.Change]:
    """Seats of published rounds (after round `since`, up to `upto`) that the draft would change."""
    last = len(data.rounds) if upto is None else upto
    before = [data.published[i] if data.rounds[i].published_at and i >= since else {} for i in range(last)]
    after = [data.draft[i] if data.rounds[i].published_at and i >= since else {} for i in range(last)]
    return seating.changes(before, after)
