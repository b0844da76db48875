"""Reads of a café for pages, exports and the API: the review grid, paths, measures, movers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cafe.models import CafePlan, PlanChange, PlanVersion, Room
from app.cafe.planner import (
    SEATED_ROLES,
    CafeData,
    frozen_draft,
    load,
    open_problems,
    pending_changes,
    review_instance,
    started_upto,
)
from app.domain import rotation, seating, zoom
from app.domain.participant_import import normalise_kana
from app.domain.rotation import RoundPlan
from app.events.models import CafeRound, Event, ItemKind, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Rsvp, Status


def said_cant_attend(data: CafeData) -> tuple[list[Participant], list[Participant]]:
    """People who answered "can't attend" on their page and still count as coming: (guests, hosts of a room)."""
    hosts = {r.host_id for r in data.rooms}
    people = [
        p
        for p in data.people
        if p.rsvp == Rsvp.NO and p.status not in (Status.ABSENT, Status.CANCELLED) and p.role in SEATED_ROLES
    ]
    return [p for p in people if p.id not in hosts], [p for p in people if p.id in hosts]


def cafe_items(event: Event) -> list[ProgrammeItem]:
    """The event's World Café items, in programme order."""
    return [i for i in event.items if i.kind == ItemKind.CAFE]


def cafe_item_or_404(event: Event, item_id: int) -> ProgrammeItem:
    """The event's café item with this id; 404 for any other item (or another event's)."""
    item = next((i for i in cafe_items(event) if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


def plan_record(item: ProgrammeItem) -> CafePlan | None:
    """The café's stored draft plan, or None before it was first generated."""
    return db.session.scalar(select(CafePlan).where(CafePlan.item_id == item.id))


def recent_changes(item: ProgrammeItem, limit: int = 12) -> list[PlanChange]:
    """The latest lines of the plan's history, newest first, with who made them."""
    return list(
        db.session.scalars(
            select(PlanChange)
            .where(PlanChange.item_id == item.id)
            .options(selectinload(PlanChange.organizer))
            .order_by(PlanChange.id.desc())
            .limit(limit)
        )
    )


def versions(item: ProgrammeItem) -> list[PlanVersion]:
    """Every publish of the plan, newest first."""
    return list(
        db.session.scalars(
            select(PlanVersion)
            .where(PlanVersion.item_id == item.id)
            .options(selectinload(PlanVersion.organizer), selectinload(PlanVersion.undone_by))
            .order_by(PlanVersion.number.desc())
        )
    )


@dataclass(frozen=True)
class Cell:
    """The people of one room in one round, the host first."""

    people: list[Participant]
    host_id: int | None

    @property
    def size(self) -> int:
        return len(self.people)


@dataclass(frozen=True)
class Verdict:
    kind: str  # "none" | "at_bound" | "above_bound" | "maybe_better"
    repeats: int
    bound: int


@dataclass
class Review:
    """What the review page shows for the draft (or published) plan."""

    data: CafeData
    plans: list[RoundPlan]
    grid: list[tuple[Room, list[Cell]]]
    paths: list[tuple[Participant, list[Room | None]]]
    stats: rotation.Stats
    verdict: Verdict
    problems: list[tuple[int, str, Participant]]
    size_notes: list[tuple[int, Room, int]]
    pending: list[tuple[Participant, int, Room | None, Room | None]]
    started: int  # rounds 1..started have started: frozen, shown as held

    @property
    def open_rounds(self) -> list[CafeRound]:
        """The rounds that can still be re-planned, moved or published."""
        return self.data.rounds[self.started :]


def verdict_for(stats: rotation.Stats) -> Verdict:
    """The plain-language verdict: no repeats, as few as possible, or maybe improvable."""
    repeats, bound = stats.repeat_pairs, stats.lower_bound_repeat_pairs
    if repeats == 0:
        kind = "none"
    elif bound > 0 and repeats <= bound:
        kind = "at_bound"
    elif bound > 0:
        kind = "above_bound"
    else:
        kind = "maybe_better"
    return Verdict(kind, repeats, bound)


def measure(data: CafeData, plans: list[RoundPlan]) -> rotation.Stats:
    """Repeat pairs and the other quality figures of these plans as seated (lower bound included)."""
    return rotation.evaluate(review_instance(data, plans), plans)


def grid(data: CafeData, plans: list[RoundPlan]) -> list[tuple[Room, list[Cell]]]:
    """The rooms × rounds table of the review page: each room with the people seated in it per round."""
    by_id = data.by_id
    return [
        (
            room,
            [Cell([by_id[pid] for pid in plan.get(str(room.id), ()) if pid in by_id], room.host_id) for plan in plans],
        )
        for room in data.rooms
    ]


def person_matches(person: Participant, text: str) -> bool:
    """Whether every word of a search is in the person's name, reading, organisation or email."""
    if not text:
        return True
    haystack = " ".join(
        (
            person.family_name + person.given_name,
            person.family_kana + person.given_kana,
            person.organization,
            person.email,
        )
    ).lower()
    return all(
        word.lower() in haystack or normalise_kana(word).lower() in haystack
        for word in text.replace("\u3000", " ").split()
    )


def review(item: ProgrammeItem, now: datetime, *, published: bool = False) -> Review:
    """The rooms × rounds grid, everyone's path, the measures and what is pending publication."""
    data = load(item)
    started = started_upto(data, now)
    plans = data.published if published else frozen_draft(data, now)
    rooms = data.room_by_id
    by_id = data.by_id
    stats = measure(data, plans)
    path_rows = [
        (by_id[pid], [rooms.get(r) if r else None for r in path])
        for pid, path in seating.paths(plans).items()
        if pid in by_id
    ]
    path_rows.sort(key=lambda row: (row[0].family_kana or row[0].family_name, row[0].given_name, row[0].id))
    notes = [
        (index + 1, rooms[rid], size)
        for index, plan in enumerate(plans)
        for rid, size in seating.size_warnings(plan, item.room_size_min, item.room_size_max)
    ]
    pending = describe_changes(data, pending_changes(data, since=started))
    return Review(
        data=data,
        plans=plans,
        grid=grid(data, plans),
        paths=path_rows,
        stats=stats,
        verdict=verdict_for(stats),
        problems=[] if published else open_problems(data, now),
        size_notes=notes,
        pending=pending,
        started=started,
    )


def describe_changes(
    data: CafeData, changes: list[seating.Change]
) -> list[tuple[Participant, int, Room | None, Room | None]]:
    """Changes as (person, round number, old room, new room) for the pages."""
    rooms, by_id = data.room_by_id, data.by_id
    return [
        (by_id[c.person], c.round_no, rooms.get(c.before or ""), rooms.get(c.after or ""))
        for c in changes
        if c.person in by_id
    ]


@dataclass(frozen=True)
class MoverGroup:
    """People arriving in one room (None: leaving the café) between two rounds."""

    room: Room | None
    host: Participant | None
    arrivals: list[tuple[Participant, Room | None]]


def mover_sheet(data: CafeData, plans: list[RoundPlan], round_no: int) -> list[MoverGroup]:
    """Between round `round_no` and the next: who moves from which room to which, by destination room."""
    rooms, by_id = data.room_by_id, data.by_id
    grouped = seating.moves_by_target(plans[round_no - 1], plans[round_no])
    order = {str(r.id): i for i, r in enumerate(data.rooms)}
    out = []
    for target in sorted(grouped, key=lambda t: (t is None, order.get(t or "", 0))):
        room = rooms.get(target) if target else None
        arrivals = [(by_id[m.person], rooms.get(m.source) if m.source else None) for m in grouped[target]]
        arrivals.sort(key=lambda a: (a[1] is None, order.get(str(a[1].id) if a[1] else "", 0)))
        out.append(MoverGroup(room, room.host if room else None, arrivals))
    return out


def zoom_seated(data: CafeData, plan: RoundPlan) -> list[zoom.Seated]:
    """Everyone seated in one round, room by room with the host first, with the emails Zoom needs."""
    by_id = data.by_id
    return [
        zoom.Seated(int(pid), room.name, by_id[pid].email, by_id[pid].zoom_email)
        for room in data.rooms
        for pid in plan.get(str(room.id), ())
        if pid in by_id
    ]


def zoom_rows(data: CafeData, plan: RoundPlan) -> list[tuple[str, str]]:
    """Zoom pre-assignment rows (room name, Zoom sign-in email) for one round: every seated person, the host first."""
    return zoom.preassignment(zoom_seated(data, plan)).rows
