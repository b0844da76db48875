"""Demo world cafés: rooms with facilitators as hosts, a keep-apart pair, a published plan, and a re-plan.

The finished event also shows the day itself: after round 1 three people left and two latecomers
joined, so rounds 2.. were re-planned around them and published again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Organizer
from app.cafe import planner, publishing, queries, services
from app.cafe.models import KeepApart, Room
from app.db import utcnow
from app.demo.programme import Events
from app.domain.rotation import InfeasibleError, room_count_for
from app.events.models import Event, ItemKind, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Role, Status

log = logging.getLogger(__name__)

SEEDS = {"upcoming": 2027, "finished": 725}
# The finished summit's day: people who left after round 1, and two who joined for round 2.
LEFT_AFTER_ROUND_1 = 3
LATECOMERS = (
    ("森田", "健一", "モリタ", "ケンイチ", "k.morita@city.kobe.example.lg.jp", "神戸市", "兵庫県", "市民協働課"),
    ("小島", "由美", "コジマ", "ユミ", "y.kojima@pref.nagano.example.lg.jp", "長野県", "長野県", "企画課"),
)


def _cafe_item(event: Event) -> ProgrammeItem | None:
    return next((i for i in event.items if i.kind == ItemKind.CAFE), None)


def _rooms(item: ProgrammeItem, attendance: int) -> None:
    """Rooms for the attendance, named ルーム1…, with the facilitators as hosts."""
    if db.session.scalar(select(Room.id).where(Room.item_id == item.id).limit(1)) is None:
        try:
            count = room_count_for(attendance, item.room_size_min, item.room_size_max)
        except InfeasibleError:
            return
        services.create_rooms(item, count, "ルーム%(number)s")
    services.assign_hosts(item)


def _keep_apart(item: ProgrammeItem, data: planner.CafeData) -> None:
    """A manager and their own staff: the first two participants of the same organisation."""
    if db.session.scalar(select(KeepApart.id).where(KeepApart.item_id == item.id).limit(1)) is not None:
        return
    seen: dict[str, Participant] = {}
    for person in data.people:
        if person.role != Role.PARTICIPANT or not person.attends or not person.organization:
            continue
        if person.organization in seen:
            services.add_keep_apart(item, seen[person.organization].id, person.id)
            return
        seen[person.organization] = person


def _leavers(data: planner.CafeData) -> list[Participant]:
    """Three people seated in round 1 (not hosts), picked deterministically by email."""
    hosts = {r.host_id for r in data.rooms}
    seated = {pid for members in data.published[0].values() for pid in members} if data.published else set()
    people = sorted((p for p in data.people if str(p.id) in seated and p.id not in hosts), key=lambda p: p.email)
    return people[:: max(len(people) // LEFT_AFTER_ROUND_1, 1)][:LEFT_AFTER_ROUND_1]


def _latecomers(event: Event) -> None:
    for family, given, fkana, gkana, email, org, pref, dept in LATECOMERS:
        person = db.session.scalar(
            select(Participant).where(Participant.event_id == event.id, Participant.email == email)
        )
        if person is None:
            person = Participant(event_id=event.id, email=email)
            db.session.add(person)
        person.family_name, person.given_name, person.family_kana, person.given_kana = family, given, fkana, gkana
        person.organization, person.prefecture, person.department = org, pref, dept
        person.role, person.status, person.joins_round = Role.PARTICIPANT, Status.PRESENT, 2
    db.session.commit()


def _seed_cafe(event: Event, key: str, organizer: Organizer) -> None:
    item = _cafe_item(event)
    if item is None:
        return
    data = planner.load(item)
    attendance = services.attendance(data)
    if attendance < item.room_size_min:
        log.info("demo cafe: %s has no participants yet, skipping", event.slug)
        return
    _rooms(item, attendance)
    data = planner.load(item)
    _keep_apart(item, data)
    if key == "finished" and any(p.email == LATECOMERS[0][4] for p in data.people):
        # Already re-planned: the participants step resets statuses, so mark the leavers again.
        leavers = [p for p in data.people if p.email in _leaver_emails(item)]
        for person in leavers:
            person.status = Status.ABSENT
        db.session.commit()
        return
    if queries.plan_record(item) is not None:
        return
    # The finished summit is replayed as it happened: planned the week before, re-planned between rounds 1 and 2.
    week_before = item.starts_at - timedelta(days=7) if key == "finished" else utcnow()
    services.generate(item, SEEDS[key], organizer, now=week_before)
    publishing.publish(item, len(data.rounds), confirm=False, actor=organizer, now=week_before)
    if key == "finished" and len(data.rounds) >= 2:
        between = data.rounds[0].ends_at + timedelta(minutes=1)
        leavers = _leavers(planner.load(item))
        services.mark_absent(item, [p.id for p in leavers], organizer, now=between)
        _latecomers(event)
        services.replan(item, 2, actor=organizer, now=between)
        publishing.publish(item, len(data.rounds), confirm=True, actor=organizer, now=between)


def _leaver_emails(item: ProgrammeItem) -> set[str]:
    """The people who left after round 1: seated in round 1's published plan but not in round 2's."""
    data = planner.load(item)
    if len(data.published) < 2:
        return set()
    first = {pid for m in data.published[0].values() for pid in m}
    second = {pid for m in data.published[1].values() for pid in m}
    by_id = data.by_id
    return {by_id[pid].email for pid in first - second if pid in by_id}


def seed_cafe(organizer: Organizer, events: Events | None) -> Events | None:
    """Rooms, hosts, a keep-apart pair and a published zero-repeat plan for both demo events."""
    if events is None:
        return events
    upcoming, finished = events
    _seed_cafe(upcoming, "upcoming", organizer)
    _seed_cafe(finished, "finished", organizer)
    db.session.commit()  # the café services write without committing: this step is their edge
    return events
