"""Factories for the day feature: an event with a talk and a café whose seating is published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.auth.models import Organizer
from app.cafe.models import Room, Seat
from app.db import utcnow
from app.events.models import Event, ItemKind, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Role
from tests import factories
from tests.instants import CAFE_START, EVENT_END, EVENT_START


@dataclass
class Day:
    """An event, its café, rooms (A, B) with hosts, and people seated differently each round."""

    event: Event
    cafe: ProgrammeItem
    rooms: list[Room]
    hosts: list[Participant]
    people: list[Participant]

    def seat_of(self, person: Participant, round_number: int) -> Room:
        rnd = self.cafe.rounds[round_number - 1]
        seat = db.session.query(Seat).filter_by(round_id=rnd.id, participant_id=person.id, published=True).one()
        return seat.room


def make_room(*, item: ProgrammeItem, name: str, host: Participant | None = None, url: str = "") -> Room:
    room = Room(item=item, name=name, host=host, breakout_url=url, position=len(item.rounds))
    db.session.add(room)
    db.session.commit()
    return room


def seat(*, room: Room, round_number: int, person: Participant, published: bool = True) -> Seat:
    rnd = room.item.rounds[round_number - 1]
    row = Seat(round_id=rnd.id, room_id=room.id, participant_id=person.id, published=published)
    db.session.add(row)
    if published and rnd.published_at is None:
        rnd.published_at = utcnow()
    db.session.commit()
    return row


def make_day(
    *,
    organizer: Organizer | None = None,
    people: int = 4,
    publish: bool = True,
    start: datetime = EVENT_START,
    cafe_start: datetime = CAFE_START,
) -> Day:
    """Talk 13:00–13:40 JST, café from 14:00 (3 rounds), rooms A and B; person i sits in room (i + round) % 2."""
    event = factories.make_event(organizer=organizer, starts_at=start, ends_at=start + (EVENT_END - EVENT_START))
    factories.make_item(event=event, kind=ItemKind.TALK, title="基調講演", starts_at=start, minutes=40)
    cafe = factories.make_cafe(event=event, rounds=3, round_minutes=20, starts_at=cafe_start)
    hosts = [
        factories.make_participant(event=event, family_name=name, given_name="進行", role=Role.FACILITATOR)
        for name in ("ホストA", "ホストB")
    ]
    rooms = [
        make_room(item=cafe, name="部屋A", host=hosts[0], url="https://zoom.us/j/100?room=a"),
        make_room(item=cafe, name="部屋B", host=hosts[1], url="https://zoom.us/j/100?room=b"),
    ]
    members = [factories.make_participant(event=event, family_name=f"参加{i}") for i in range(people)]
    if publish:
        for number in (1, 2, 3):
            for i, person in enumerate(members):
                seat(room=rooms[(i + number) % 2], round_number=number, person=person)
    return Day(event, cafe, rooms, hosts, members)
