"""Factories for the invites and webhooks tests: rooms, published seats and webhook endpoints."""

from __future__ import annotations

from app.cafe.models import Room, Seat
from app.events.models import CafeRound, Event, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant
from app.webhooks.models import WebhookEndpoint


def make_room(*, item: ProgrammeItem, name: str = "A", host: Participant | None = None, breakout_url: str = "") -> Room:
    room = Room(item=item, name=name, host=host, breakout_url=breakout_url, position=0)
    db.session.add(room)
    db.session.commit()
    return room


def seat(person: Participant, room: Room, round_: CafeRound) -> Seat:
    """A published seat (what people see)."""
    placed = Seat(round=round_, room=room, participant=person, published=True)
    db.session.add(placed)
    db.session.commit()
    return placed


def move(person: Participant, round_: CafeRound, room: Room) -> None:
    """Move a person to another room in one round (as republishing the plan would)."""
    for old in db.session.query(Seat).filter_by(participant_id=person.id, round_id=round_.id, published=True):
        db.session.delete(old)
    db.session.flush()
    seat(person, room, round_)


def make_endpoint(
    *,
    event: Event,
    url: str,
    topics: str = "rounds.published round.started notes.submitted report.published",
    secret: str = "s3cret-s3cret-s3cret",
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(event_id=event.id, url=url, topics=topics, secret=secret)
    db.session.add(endpoint)
    db.session.commit()
    return endpoint
