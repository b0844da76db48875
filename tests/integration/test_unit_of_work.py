"""One action, one transaction: services write (flush) and the edge commits, so an action that uses another
feature's service is saved whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.day import services as day_services
from app.day.services import LateArrival
from app.extensions import db
from app.participants import services as participant_services
from app.participants.models import Participant
from tests.factories_cafe import Cafe, make_cafe_event
from tests.instants import FUTURE_SUMMIT

IN_ROUND_2 = FUTURE_SUMMIT + timedelta(minutes=35)


class WriteRefused(Exception):
    """What the database would raise if it refused a write (a full disk, a lost connection)."""


@pytest.fixture()
def cafe(organizer: Organizer) -> Cafe:
    return make_cafe_event(organizer=organizer, people=12, facilitators=3, rounds=3)


@pytest.fixture()
def updates_refused() -> Iterator[None]:
    """Every UPDATE of a participant fails, as a write the database refuses would."""

    def refuse(*_: Any) -> None:
        raise WriteRefused()

    sa_event.listen(Participant, "before_update", refuse)
    yield
    sa_event.remove(Participant, "before_update", refuse)


def people_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Participant)) or 0


def test_a_late_arrival_is_saved_whole_or_not_at_all(cafe: Cafe, organizer: Organizer, updates_refused: None) -> None:
    """Adding the person and setting the round they join are one transaction: when the second write fails,
    the person is not left behind without a joining round (they would be seated from round 1)."""
    before = people_count()
    arrival = LateArrival(family_name="森田", given_name="健", email="k.morita@city.kobe.lg.jp", organization="神戸市")
    with pytest.raises(WriteRefused):
        day_services.add_late_arrival(cafe.event, arrival, 3, organizer, now=IN_ROUND_2)
    assert people_count() == before


def test_a_participant_service_leaves_the_commit_to_its_caller(cafe: Cafe) -> None:
    before = people_count()
    participant_services.add_participant(cafe.event, family_name="森田", email="k.morita@city.kobe.lg.jp")
    db.session.rollback()  # the caller decides: here it does not commit
    assert people_count() == before


def test_a_refused_duplicate_keeps_the_callers_transaction_usable(cafe: Cafe) -> None:
    """The unique email is checked in a savepoint: the caller can go on and commit its other changes."""
    taken = cafe.people[0].email
    cafe.event.description = "変更は残る"
    with pytest.raises(participant_services.ParticipantError):
        participant_services.add_participant(cafe.event, family_name="重複", email=taken.upper())
    db.session.commit()
    db.session.expire_all()
    assert cafe.event.description == "変更は残る"
