"""The demo's own personal feeds, read by ical.js, vobject and the strict RFC checks: a participant's and a
facilitator's calendar have one entry per café round with the room the plan gives them, at the round's
instant, whether the event keeps Asia/Tokyo or UTC."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from app.cafe.models import Room, Seat
from app.demo.programme import UPCOMING_SLUG
from app.events.models import Event, ItemKind, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Role
from tests.calendar_checks import by_uid, checked


def _iso(value) -> str:  # type: ignore[no-untyped-def]
    return value.isoformat().replace("+00:00", ".000Z")


@pytest.mark.parametrize("timezone", ["Asia/Tokyo", "UTC"])
def test_a_participants_and_a_facilitators_demo_feeds_show_every_round_in_its_room(
    runner: FlaskCliRunner, client: FlaskClient, timezone: str
) -> None:
    assert runner.invoke(args=["demo", "--password", "demo-password-123"]).exit_code == 0
    event = db.session.scalar(select(Event).where(Event.slug == UPCOMING_SLUG))
    assert event is not None
    event.timezone = timezone
    db.session.commit()
    cafe = db.session.scalar(
        select(ProgrammeItem).where(ProgrammeItem.event_id == event.id, ProgrammeItem.kind == ItemKind.CAFE)
    )
    assert cafe is not None and len(cafe.rounds) >= 3
    host = db.session.scalar(
        select(Participant).join(Room, Room.host_id == Participant.id).where(Room.item_id == cafe.id).limit(1)
    )
    # A participant seated in every round (not one who left or came late), the first by id: rows come back in
    # no fixed order without ORDER BY (PostgreSQL returns updated rows later).
    guest = db.session.scalars(
        select(Participant)
        .join(Seat, (Seat.participant_id == Participant.id) & Seat.published.is_(True))
        .where(Participant.event_id == event.id, Participant.role == Role.PARTICIPANT)
        .group_by(Participant.id)
        .having(func.count(Seat.id) == len(cafe.rounds))
        .order_by(Participant.id)
    ).first()
    assert host is not None and guest is not None
    host_room = db.session.scalar(select(Room).where(Room.item_id == cafe.id, Room.host_id == host.id))
    assert host_room is not None

    for person in (guest, host):
        response = client.get(f"/p/{person.token}/calendar.ics")
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        assert response.headers["ETag"] and response.headers["Last-Modified"]
        result = checked(response.data)
        assert result["timezones"] == ([] if timezone == "UTC" else ["Asia/Tokyo"])
        found = by_uid(result)
        round_entries = [uid for uid in found if uid.startswith("round-")]
        assert len(round_entries) == len(cafe.rounds), person.role
        for round_ in cafe.rounds:
            entry = found[f"round-{round_.id}-p{person.id}@tsunagu"]
            if person is host:
                room = host_room
                assert entry["location"] == f"{room.name}（あなたがこのルームのホストです）"
            else:
                seat = db.session.scalar(
                    select(Seat).where(
                        Seat.round_id == round_.id, Seat.participant_id == person.id, Seat.published.is_(True)
                    )
                )
                assert seat is not None, f"the demo seats person {person.id} in round {round_.number}"
                room = seat.room
                assert entry["location"].startswith(room.name)
            assert entry["summary"].startswith(f"第{round_.number}ラウンド：{room.name}")
            assert entry["start"]["utc"] == _iso(round_.starts_at) and entry["end"]["utc"] == _iso(round_.ends_at)
            assert entry["start"]["tzid"] == (None if timezone == "UTC" else "Asia/Tokyo")
            assert entry["url"] and f"/p/{person.token}" in entry["description"]
