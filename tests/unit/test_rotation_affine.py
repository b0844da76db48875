"""Affine seeding with hosts: movers as social golfers, groups assigned to rooms without returns."""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations, permutations

import pytest

from app.domain.rotation import Instance, lower_bound_repeat_cost, solve
from app.domain.rotation.affine import affine_rounds, assignment
from app.domain.rotation.generate import summit_instance


def hosted(movers: int, rooms: int, rounds: int) -> Instance:
    """Every room hosted, everyone every round, rooms exactly full."""
    size = movers // rooms + 1
    return summit_instance(
        people=movers + rooms, rooms=rooms, rounds=rounds, orgs=None, size_min=size, size_max=size, seed=1
    )


@pytest.mark.parametrize(("movers", "rooms", "rounds"), [(12, 4, 3), (42, 7, 7), (56, 8, 8), (48, 8, 6)])
def test_hosted_cafes_of_prime_power_rooms_get_no_repeats_and_no_revisits(movers: int, rooms: int, rounds: int) -> None:
    schedule = solve(hosted(movers, rooms, rounds))
    assert (schedule.stats.repeat_pairs, schedule.stats.revisits) == (0, 0)
    assert schedule.stats.seconds < 1


def test_when_room_size_exceeds_the_rooms_the_repeats_meet_their_bound() -> None:
    # 16 movers + 4 hosts in 4 rooms of 5: the pigeonhole forces 4 shared rooms per pair of rounds.
    instance = hosted(16, 4, 3)
    schedule = solve(instance)
    meetings = Counter(
        frozenset(pair) for plan in schedule.rounds for m in plan.values() for pair in combinations(m, 2)
    )
    assert sum(m * (m - 1) // 2 for m in meetings.values()) == lower_bound_repeat_cost(instance) == 12
    assert schedule.stats.revisits == 0


def test_movers_meet_at_most_once_and_return_to_no_room_when_size_is_below_the_rooms() -> None:
    rng = random.Random(3)
    movers, rooms = list(range(35)), list(range(7))
    plans = affine_rounds(movers, rooms, 5, 7, rng)
    assert len(plans) == 7
    met: set[tuple[int, int]] = set()
    for plan in plans:
        groups: dict[int, list[int]] = {}
        for person, room in plan.items():
            groups.setdefault(room, []).append(person)
        for group in groups.values():
            pairs = {(a, b) for a in group for b in group if a < b}
            assert not pairs & met
            met |= pairs
    for person in movers:
        assert len({plan[person] for plan in plans}) == 7


def test_full_rows_are_relabelled_round_by_round_to_keep_returns_few() -> None:
    # Size equal to the rooms: every round some group must hold someone returning; the assignment
    # keeps it to one person per group and pair of rounds (the pigeonhole minimum).
    plans = affine_rounds(list(range(16)), list(range(4)), 4, 3, random.Random(0))
    returns = sum(len({plan[p] for plan in plans[:t]} & {plans[t][p]}) for p in range(16) for t in range(1, 3))
    assert returns <= 8


def test_assignment_finds_the_cheapest_permutation() -> None:
    rng = random.Random(5)
    for size in (1, 2, 3, 5, 6):
        for _ in range(20):
            costs = [[rng.randrange(10) for _ in range(size)] for _ in range(size)]
            best = min(sum(costs[i][p[i]] for i in range(size)) for p in permutations(range(size)))
            choice = assignment(costs)
            assert sorted(choice) == list(range(size))
            assert sum(costs[i][choice[i]] for i in range(size)) == best
