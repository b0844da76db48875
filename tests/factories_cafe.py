"""Factories for café tests: an event with a café item, facilitators, participants and rooms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.auth.models import Organizer
from app.cafe import services
from app.cafe.models import Room
from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Role
from tests import factories
from tests.instants import FUTURE_SUMMIT

ORGS = (
    "神戸市", "岩出市", "石川県", "山形市", "八幡浜市", "岐阜市", "品川区", "富田林市", "横浜市", "総務省",
    "札幌市", "仙台市", "新潟市", "静岡市", "浜松市", "名古屋市", "京都市", "堺市", "岡山市", "広島市",
    "北九州市", "福岡市", "熊本市", "那覇市", "千葉市", "さいたま市", "相模原市", "川崎市", "奈良県", "鳥取県",
)  # fmt: skip


@dataclass
class Cafe:
    event: Event
    item: ProgrammeItem
    facilitators: list[Participant]
    people: list[Participant]
    rooms: list[Room]


def make_person(event: Event, n: int, *, role: Role = Role.PARTICIPANT, org: str | None = None) -> Participant:
    person = Participant(
        event=event,
        family_name=f"山田{n}",
        given_name="花子",
        email=f"p{n}@example.lg.jp",
        organization=org if org is not None else ORGS[n % len(ORGS)],
        role=role,
    )
    db.session.add(person)
    return person


def make_cafe_event(
    *,
    organizer: Organizer | None = None,
    people: int = 20,
    facilitators: int = 4,
    rounds: int = 3,
    rooms: int | None = None,
    hosts: bool = True,
    starts_at: datetime | None = None,
) -> Cafe:
    """An event with one café of `rounds` rounds, `facilitators` + `people` people and rooms (hosted).

    The summit is ahead (FUTURE_SUMMIT) unless `starts_at` says otherwise: rounds that have started are frozen.
    """
    starts_at = starts_at or FUTURE_SUMMIT
    event = factories.make_event(organizer=organizer, starts_at=starts_at, ends_at=starts_at + timedelta(hours=6))
    item = factories.make_cafe(event=event, rounds=rounds)
    hosts_list = [make_person(event, 1000 + i, role=Role.FACILITATOR) for i in range(facilitators)]
    others = [make_person(event, i) for i in range(people)]
    db.session.commit()
    if rooms is None:
        rooms = facilitators
    if rooms:
        services.create_rooms(item, rooms, "Room %(number)s")
    if hosts and rooms:
        services.assign_hosts(item)
    db.session.commit()  # the services write; the caller (here the factory) commits
    room_list = list(db.session.scalars(db.select(Room).where(Room.item_id == item.id).order_by(Room.position)))
    return Cafe(event, item, hosts_list, others, room_list)
