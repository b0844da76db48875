"""Instances for tests, benchmarks and demos, and the re-plan instance for changes on the day."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import replace

from .model import Instance, Person, Room, RoundPlan


def summit_instance(
    *,
    people: int = 120,
    rooms: int = 24,
    rounds: int = 4,
    hosts: bool = True,
    orgs: int | None = 48,
    size_min: int = 4,
    size_max: int = 6,
    late: int = 0,
    leave: int = 0,
    seed: int = 0,
) -> Instance:
    """A summit-like instance: hosts (one per room), people from `orgs` organisations, latecomers, leavers."""
    rng = random.Random(seed)
    room_list = tuple(Room(f"R{r + 1:03d}", f"H{r + 1:03d}" if hosts else None) for r in range(rooms))
    persons = [Person(room.host) for room in room_list if room.host is not None]
    count = people - len(persons)
    for i in range(count):
        org = f"org-{rng.randrange(orgs):03d}" if orgs else None
        attends: frozenset[int] | None = None
        if i < late:
            attends = frozenset(range(2, rounds + 1))
        elif i < late + leave:
            attends = frozenset({1})
        persons.append(Person(f"P{i + 1:04d}", org, attends))
    rng.shuffle(persons)
    return Instance(
        rounds=rounds,
        size_min=size_min,
        size_max=size_max,
        rooms=room_list,
        people=tuple(persons),
        seed=seed,
    )


def golfer_instance(groups: int, size: int, rounds: int, *, seed: int = 0) -> Instance:
    """The social golfer problem groups-size-rounds: no hosts, everyone every round, full rooms."""
    return Instance(
        rounds=rounds,
        size_min=size,
        size_max=size,
        rooms=tuple(Room(f"R{r + 1:03d}") for r in range(groups)),
        people=tuple(Person(f"P{i:04d}") for i in range(groups * size)),
        seed=seed,
    )


def replan_instance(
    instance: Instance,
    published: Sequence[RoundPlan],
    from_round: int,
    *,
    absent: Iterable[str] = (),
    arrivals: Iterable[Person] = (),
) -> Instance:
    """The instance for re-planning rounds `from_round`.. after a published plan, on the day.

    Rounds before `from_round` become history; `absent` people (hosts included, whose rooms then
    run without them) attend no round from `from_round` on; `arrivals` join (their `rounds`, or
    every round from `from_round`). The published plan becomes `previous`, so seats are kept.
    """
    gone = set(absent)
    later = frozenset(range(from_round, instance.rounds + 1))
    earlier = frozenset(range(1, from_round))
    people = []
    for person in instance.people:
        if person.id in gone:
            attended = earlier if person.rounds is None else person.rounds & earlier
            person = replace(person, rounds=attended)
        people.append(person)
    for person in arrivals:
        people.append(person if person.rounds is not None else replace(person, rounds=later))
    return replace(
        instance,
        people=tuple(people),
        history=tuple(published[: from_round - 1]),
        previous=tuple(published),
    )
