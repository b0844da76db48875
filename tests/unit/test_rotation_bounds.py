"""Lower bounds on repeats: pigeonhole counts on known cases, and never above the optimum of tiny instances."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations, product

import pytest

from app.domain.rotation import (
    Instance,
    Person,
    Room,
    RoundPlan,
    lower_bound_excess,
    lower_bound_repeat_cost,
    lower_bound_repeat_pairs,
    solve,
)
from app.domain.rotation.generate import golfer_instance, summit_instance
from app.domain.rotation.pigeonhole import forced_cost, forced_pairs
from app.domain.rotation.problem import W_REPEAT, W_REVISIT
from app.domain.rotation.sizing import open_room_count


def rows(instance: Instance, number: int, *, engine: bool) -> list[RoundPlan]:
    """Every valid seating of round `number`; `engine`: only those opening as many rooms as can be filled."""
    if number <= len(instance.history):
        return [instance.history[number - 1]]
    present = [p.id for p in instance.people if p.attends(number)]
    home = {room.host: i for i, room in enumerate(instance.rooms) if room.host is not None}
    hosted = sum(1 for pid in present if pid in home)
    opened = open_room_count(len(present), hosted, len(instance.rooms), instance.size_min, instance.size_max, number)
    found = []
    for choice in product(range(len(instance.rooms)), repeat=len(present)):
        if any(home.get(pid, room) != room for pid, room in zip(present, choice, strict=True)):
            continue
        sizes = Counter(choice)
        if any(not instance.size_min <= s <= instance.size_max for s in sizes.values()):
            continue
        if engine and len(sizes) != opened:
            continue
        plan: dict[str, tuple[str, ...]] = {}
        for pid, room in zip(present, choice, strict=True):
            plan[instance.rooms[room].id] = plan.get(instance.rooms[room].id, ()) + (pid,)
        found.append(plan)
    return found


def plans(instance: Instance, *, engine: bool) -> Iterator[tuple[RoundPlan, ...]]:
    """Every valid plan of a tiny instance."""
    yield from product(*(rows(instance, r, engine=engine) for r in range(1, instance.rounds + 1)))


def measures(instance: Instance, plan: tuple[RoundPlan, ...]) -> tuple[int, int, int, int]:
    """(repeat pairs, excess meetings, Σ C(m, 2), revisits) of a plan."""
    hosts = {room.host for room in instance.rooms}
    meetings: Counter[frozenset[str]] = Counter()
    visits: Counter[tuple[str, str]] = Counter()
    for round_plan in plan:
        for room, members in round_plan.items():
            meetings.update(frozenset(pair) for pair in combinations(members, 2))
            visits.update((pid, room) for pid in members if pid not in hosts)
    repeated = [m for m in meetings.values() if m > 1]
    cost = sum(m * (m - 1) // 2 for m in repeated)
    return len(repeated), sum(m - 1 for m in repeated), cost, sum(v - 1 for v in visits.values() if v > 1)


def optimum(instance: Instance, *, engine: bool) -> tuple[int, int, int, int]:
    """The best repeat pairs, excess, Σ C(m, 2) and engine objective (repeats and revisits) by exhaustion."""
    best = [10**12] * 4
    for plan in plans(instance, engine=engine):
        pairs, excess, cost, revisits = measures(instance, plan)
        for i, value in enumerate((pairs, excess, cost, W_REPEAT * cost + W_REVISIT * revisits)):
            best[i] = min(best[i], value)
    return best[0], best[1], best[2], best[3]


def tiny(people: int, rooms: int, size: tuple[int, int], rounds: int, hosts: int = 0) -> Instance:
    """`people` everyone-every-round, the first `hosts` rooms hosted (hosts counted among the people)."""
    room_list = tuple(Room(f"R{i}", f"H{i}" if i < hosts else None) for i in range(rooms))
    persons = [Person(f"H{i}") for i in range(hosts)] + [Person(f"P{i}") for i in range(people - hosts)]
    return Instance(rounds=rounds, size_min=size[0], size_max=size[1], rooms=room_list, people=tuple(persons))


def test_twenty_people_in_four_rooms_of_five_must_repeat() -> None:
    # Round 1's five roommates go to 4 rooms in round 2: two share one (per room, per pair of rounds).
    instance = golfer_instance(4, 5, 3)
    assert forced_pairs(instance) == [4, 4, 4]
    assert lower_bound_repeat_pairs(instance) == 4
    assert lower_bound_excess(instance) == 4
    assert lower_bound_repeat_cost(instance) == 12


def test_groups_spread_as_evenly_as_possible() -> None:
    # 7 people over 3 rooms: 3 + 2 + 2 -> 3 + 1 + 1 = 5 pairs per room of the earlier round.
    instance = golfer_instance(3, 7, 2)
    assert forced_pairs(instance) == [15]
    # 21 people in rooms of 5-6 over 4 rooms: 6 + 5 + 5 + 5 -> 2 + 1 + 1 + 1 per pair of rounds.
    uneven = summit_instance(people=21, rooms=4, rounds=3, hosts=False, orgs=None, size_min=5, size_max=6)
    assert forced_pairs(uneven) == [5, 5, 5]
    assert lower_bound_repeat_cost(uneven) == 15


def test_hosts_pinned_to_their_rooms_count_as_roommates() -> None:
    # 16 movers and 4 hosts in 4 rooms of 5: each room's host and 4 movers spread over 4 rooms.
    instance = summit_instance(people=20, rooms=4, rounds=3, orgs=None, size_min=5, size_max=5)
    assert lower_bound_repeat_pairs(instance) == 4
    # A mover who avoids the host's room and the other three sits with one of them: 4 per pair of rounds,
    # no revisit needed, so the engine's own target is exactly the repeats.
    assert forced_cost(instance, W_REPEAT, W_REVISIT) == 12 * W_REPEAT


def test_no_pigeonhole_when_rooms_outnumber_roommates() -> None:
    assert forced_pairs(summit_instance(people=120, rooms=24, rounds=4)) == [0] * 6
    assert forced_pairs(golfer_instance(8, 4, 8)) == [0] * 28


def test_the_engine_stops_at_the_bound_instead_of_searching_on() -> None:
    instance = summit_instance(people=20, rooms=4, rounds=3, orgs=None, size_min=5, size_max=5)
    schedule = solve(instance)
    # The objective's bound is met (Σ C(m, 2) = 12, no revisit), so the search stops at once.
    assert schedule.stats.excess_meetings + schedule.stats.max_meetings >= 4
    assert schedule.stats.revisits == 0
    assert schedule.stats.seconds < 0.5


CASES = [
    tiny(6, 2, (3, 3), 2),
    tiny(6, 2, (3, 3), 3),
    tiny(6, 2, (3, 3), 2, hosts=2),
    tiny(6, 2, (3, 3), 3, hosts=2),
    tiny(6, 3, (2, 2), 2),
    tiny(6, 3, (2, 2), 2, hosts=3),
    tiny(5, 2, (2, 3), 3, hosts=1),
    tiny(7, 3, (2, 3), 2, hosts=2),
]


def random_tiny(seed: int) -> Instance:
    """A random tiny instance: hosts, absences, an optional held round, small enough to exhaust."""
    rng = random.Random(seed)
    while True:
        rooms, rounds = rng.randint(2, 3), rng.randint(2, 3)
        size_min = rng.randint(2, 3)
        size = (size_min, size_min + rng.randint(0, 1))
        hosts = rng.randint(0, rooms)
        people = rng.randint(max(hosts, 4), 6 if rounds == 3 else 7)
        base = tiny(people, rooms, size, rounds, hosts)
        persons = tuple(
            replace(p, rounds=frozenset(r for r in range(1, rounds + 1) if rng.random() > 0.2) or None)
            if rng.random() < 0.3
            else p
            for p in base.people
        )
        instance = replace(base, people=persons)
        try:
            first = rows(instance, 1, engine=True)
            if rng.random() < 0.3 and first:
                instance = replace(instance, history=(rng.choice(first),))
            sizes = [len(rows(instance, r, engine=False)) for r in range(1, rounds + 1)]
        except ValueError:
            continue
        total = 1
        for s in sizes:
            total *= s
        if 0 < total <= 30_000:
            return instance


@pytest.mark.parametrize("instance", CASES + [random_tiny(seed) for seed in range(24)])
def test_bounds_never_exceed_the_optimum_of_tiny_instances(instance: Instance) -> None:
    pairs, excess, cost, _ = optimum(instance, engine=False)
    assert max(forced_pairs(instance), default=0) <= pairs
    assert sum(forced_pairs(instance)) <= cost
    assert lower_bound_repeat_pairs(instance) <= pairs
    assert lower_bound_excess(instance) <= excess
    assert lower_bound_repeat_cost(instance) <= cost
    # The engine's stopping target, over the plans it searches (as many rooms as can be filled).
    *_, objective = optimum(instance, engine=True)
    assert forced_cost(instance, W_REPEAT, W_REVISIT) <= objective


@pytest.mark.parametrize("instance", CASES[:4])
def test_the_pigeonhole_bound_is_reached_on_small_symmetric_cases(instance: Instance) -> None:
    pairs, _, cost, _ = optimum(instance, engine=False)
    assert sum(forced_pairs(instance)) == cost == 2 * (instance.rounds - 1) * instance.rounds // 2
    if instance.rounds == 2:
        assert max(forced_pairs(instance)) == pairs == 2
    else:
        # Three rounds: the two pairs forced per pair of rounds cannot be the same two pairs each time.
        assert (max(forced_pairs(instance)), lower_bound_repeat_pairs(instance), pairs) == (2, 3, 4)


def test_the_bound_is_remembered_for_an_unchanged_seating_and_still_right_with_history() -> None:
    from app.domain.rotation.measures import _lower_bound_repeat_pairs

    instance = summit_instance(people=60, rooms=12, seed=3)
    first = lower_bound_repeat_pairs(instance)
    assert first == _lower_bound_repeat_pairs(instance)
    assert lower_bound_repeat_pairs(replace(instance)) == first  # an equal instance: the remembered answer
    held = solve(instance).rounds[:1]
    with_history = replace(instance, history=tuple(held))  # dicts inside: not hashable, computed directly
    assert lower_bound_repeat_pairs(with_history) == _lower_bound_repeat_pairs(with_history)
