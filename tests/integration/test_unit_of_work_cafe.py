"""The café's services write (flush) and leave the commit to their caller: a rollback after any of them leaves
the database as it was (docs/architecture.md, "How a transaction flows")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from app.cafe import planner, publishing, services
from app.cafe.models import KeepApart
from app.extensions import db
from app.participants.models import Status
from tests.factories_cafe import Cafe, make_cafe_event
from tests.instants import FUTURE_SUMMIT
from tests.unit_of_work import check_left_to_the_caller

BEFORE = FUTURE_SUMMIT - timedelta(days=7)
IN_ROUND_1 = FUTURE_SUMMIT + timedelta(minutes=10)


@pytest.fixture()
def cafe(db: object) -> Cafe:
    return make_cafe_event(people=20, facilitators=5, rounds=3)


def planned(cafe: Cafe) -> None:
    services.generate(cafe.item, seed=3, now=BEFORE)


def published(cafe: Cafe) -> None:
    planned(cafe)
    publishing.publish(cafe.item, 3, confirm=False, now=BEFORE)


def edited(cafe: Cafe) -> None:
    published(cafe)
    services.swap_people(cafe.item, 2, *two_in_different_rooms(cafe), now=BEFORE)


def paired(cafe: Cafe) -> None:
    services.add_keep_apart(cafe.item, cafe.people[0].id, cafe.people[1].id)


def unhosted(cafe: Cafe) -> None:
    cafe.rooms[0].host_id = None


def left_in_round_1(cafe: Cafe) -> None:
    published(cafe)
    cafe.people[0].status = Status.ABSENT


def two_in_different_rooms(cafe: Cafe) -> tuple[int, int]:
    """Two people (not hosts) seated in different rooms of round 2's draft."""
    hosts = {r.host_id for r in cafe.rooms}
    rooms = [members for members in planner.load(cafe.item).draft[1].values() if members]
    first = next(int(p) for p in rooms[0] if int(p) not in hosts)
    second = next(int(p) for p in rooms[1] if int(p) not in hosts)
    return first, second


def nothing(cafe: Cafe) -> None:
    return None


ACTIONS: dict[str, tuple[Callable[[Cafe], object], Callable[[Cafe], object]]] = {
    "create rooms": (nothing, lambda c: services.create_rooms(c.item, 7, "Room %(number)s")),
    "update a room": (
        nothing,
        lambda c: services.update_room(
            c.item, c.rooms[0], name="Kobe", breakout_url="https://zoom.us/j/1", host_id=None, actor=None
        ),
    ),
    "delete a room": (nothing, lambda c: services.delete_room(c.item, c.rooms[-1])),
    "assign hosts": (unhosted, lambda c: services.assign_hosts(c.item)),
    "add a keep-apart pair": (nothing, paired),
    "remove a keep-apart pair": (
        paired,
        lambda c: services.delete_keep_apart(c.item, db.session.scalars(db.select(KeepApart)).one()),
    ),
    "mark absent": (nothing, lambda c: services.mark_absent(c.item, [c.people[0].id])),
    "release from the running round": (
        left_in_round_1,
        lambda c: services.release_from_running_round(c.item, [c.people[0].id], now=IN_ROUND_1),
    ),
    "generate": (nothing, planned),
    "re-plan": (planned, lambda c: services.replan(c.item, 2, seed=9, now=BEFORE)),
    "publish": (planned, lambda c: publishing.publish(c.item, 3, confirm=False, now=BEFORE)),
    "discard the draft": (edited, lambda c: publishing.discard_draft(c.item, now=BEFORE)),
    "undo the last publish": (published, lambda c: publishing.undo_last_publish(c.item, now=BEFORE)),
    "move a person": (planned, lambda c: services.move_person(c.item, 2, c.people[0].id, c.rooms[-1].id, now=BEFORE)),
    "swap two people": (
        planned,
        lambda c: services.swap_people(c.item, 2, *two_in_different_rooms(c), now=BEFORE),
    ),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_a_cafe_service_leaves_the_commit_to_its_caller(cafe: Cafe, name: str) -> None:
    prepare, act = ACTIONS[name]
    check_left_to_the_caller(lambda: prepare(cafe), lambda: act(cafe), name)
