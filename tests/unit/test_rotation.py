"""Rotation engine: invariants over sizes and seeds, quality on summit and golfer shapes, measures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.rotation import (
    InfeasibleError,
    Instance,
    Person,
    Room,
    evaluate,
    lower_bound_repeat_pairs,
    lower_bound_revisits,
    room_count_for,
    solve,
    validate,
)
from app.domain.rotation.generate import golfer_instance, summit_instance


def assert_invariants(instance: Instance, rounds: tuple[dict[str, tuple[str, ...]], ...]) -> None:
    """Everyone present seated once, nobody else, sizes in range and balanced, hosts in their rooms."""
    assert len(rounds) == instance.rounds
    host_room = {room.host: room.id for room in instance.rooms if room.host}
    for number, plan in enumerate(rounds, start=1):
        seated = [pid for members in plan.values() for pid in members]
        present = sorted(p.id for p in instance.people if p.attends(number))
        assert sorted(seated) == present
        sizes = [len(members) for members in plan.values() if members]
        assert all(instance.size_min <= s <= instance.size_max for s in sizes)
        assert max(sizes) - min(sizes) <= 1
        for host, room_id in host_room.items():
            if host in present:
                assert host in plan[room_id]
    for number, fixed in enumerate(instance.history):
        assert {r: set(m) for r, m in rounds[number].items() if m} == {r: set(m) for r, m in fixed.items() if m}
    assert validate(instance, rounds) == []


GRID = [
    # people, rooms, rounds, hosts, late, leave
    (12, 3, 3, False, 0, 0),
    (17, 4, 4, True, 0, 0),
    (30, 6, 5, True, 3, 2),
    (47, 10, 4, False, 4, 4),
    (61, 12, 3, True, 0, 6),
]


@pytest.mark.parametrize(("people", "rooms", "rounds", "hosts", "late", "leave"), GRID)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_plan_is_valid_over_a_grid_of_sizes_and_seeds(
    people: int, rooms: int, rounds: int, hosts: bool, late: int, leave: int, seed: int
) -> None:
    instance = summit_instance(
        people=people, rooms=rooms, rounds=rounds, hosts=hosts, orgs=people // 3, late=late, leave=leave, seed=seed
    )
    schedule = solve(instance)
    assert_invariants(instance, schedule.rounds)
    assert schedule.stats == replace(evaluate(instance, schedule.rounds), seconds=schedule.stats.seconds)


def test_same_seed_gives_the_same_plan_and_another_seed_usually_not() -> None:
    instance = summit_instance(people=60, rooms=12, seed=3)
    first, again = solve(instance), solve(instance)
    assert first.rounds == again.rounds
    plans = [repr(solve(replace(instance, seed=s)).rounds) for s in range(4, 8)]
    assert len(set(plans) | {repr(first.rounds)}) >= 4


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_summit_sized_events_get_no_repeats_revisits_or_same_org_pairs(seed: int) -> None:
    instance = summit_instance(people=121, rooms=22, rounds=4, orgs=48, late=6, leave=6, seed=seed)
    schedule = solve(instance)
    assert lower_bound_repeat_pairs(instance) == 0
    assert (schedule.stats.repeat_pairs, schedule.stats.revisits, schedule.stats.same_org_pairs) == (0, 0, 0)
    assert schedule.stats.keep_apart_violations == 0


def test_keep_apart_pairs_never_share_a_room() -> None:
    base = summit_instance(people=40, rooms=8, rounds=4, hosts=False, orgs=None, seed=5)
    ids = [p.id for p in base.people]
    pairs = tuple((ids[i], ids[i + 1]) for i in range(0, 20, 2))
    instance = replace(base, keep_apart=pairs)
    schedule = solve(instance)
    assert schedule.stats.keep_apart_violations == 0
    for plan in schedule.rounds:
        for members in plan.values():
            for a, b in pairs:
                assert not (a in members and b in members)


@pytest.mark.parametrize(("groups", "size", "rounds"), [(5, 3, 7), (8, 4, 8), (7, 4, 7), (9, 3, 5)])
def test_golfer_shapes_with_known_perfect_plans_get_no_repeats(groups: int, size: int, rounds: int) -> None:
    for seed in (0, 1):
        schedule = solve(golfer_instance(groups, size, rounds, seed=seed))
        assert schedule.stats.repeat_pairs == 0
        assert schedule.stats.max_meetings == 1


def test_unavoidable_repeats_are_spread_not_piled_on_a_few_pairs() -> None:
    # 12 people in rooms of 4 for 6 rounds: each meets 18 > 11 others, so repeats are forced.
    instance = golfer_instance(3, 4, 6)
    schedule = solve(instance)
    assert schedule.stats.repeat_pairs >= lower_bound_repeat_pairs(instance) > 0
    assert schedule.stats.max_meetings <= 3


def test_history_rounds_are_kept_and_counted() -> None:
    base = summit_instance(people=30, rooms=6, rounds=4, seed=2)
    first = solve(base).rounds[0]
    instance = replace(base, history=(first,))
    schedule = solve(instance)
    assert schedule.rounds[0] == first
    assert schedule.stats.repeat_pairs == 0


def test_a_round_too_small_for_any_room_is_infeasible_with_a_clear_message() -> None:
    instance = Instance(
        rounds=2,
        size_min=4,
        size_max=6,
        rooms=(Room("A"), Room("B")),
        people=tuple(Person(f"P{i}", rounds=frozenset({1}) if i > 2 else None) for i in range(8)),
    )
    with pytest.raises(InfeasibleError, match="round 2: only 3 people"):
        solve(instance)


def test_too_many_people_for_the_rooms_is_infeasible() -> None:
    instance = Instance(
        rounds=1, size_min=2, size_max=3, rooms=(Room("A"),), people=tuple(Person(f"P{i}") for i in range(4))
    )
    with pytest.raises(InfeasibleError, match="1 rooms of at most 3"):
        solve(instance)


def test_an_absent_host_leaves_their_room_to_run_without_them_or_empty() -> None:
    people = [Person("H1", rounds=frozenset({1})), Person("H2")] + [Person(f"P{i}") for i in range(7)]
    instance = Instance(
        rounds=3, size_min=3, size_max=5, rooms=(Room("A", "H1"), Room("B", "H2")), people=tuple(people)
    )
    schedule = solve(instance)
    assert_invariants(instance, schedule.rounds)
    assert "H1" in schedule.rounds[0]["A"]
    assert all("H1" not in members for plan in schedule.rounds[1:] for members in plan.values())


def test_rooms_are_left_empty_when_too_few_people_come() -> None:
    instance = Instance(
        rounds=2,
        size_min=4,
        size_max=6,
        rooms=tuple(Room(f"R{i}") for i in range(5)),
        people=tuple(Person(f"P{i}") for i in range(9)),
    )
    schedule = solve(instance)
    assert_invariants(instance, schedule.rounds)
    assert all(sum(1 for m in plan.values() if m) == 2 for plan in schedule.rounds)


def test_room_count_prefers_rooms_of_about_five_within_the_range() -> None:
    assert room_count_for(120, 4, 6) == 24
    assert room_count_for(121, 4, 6) == 24
    assert room_count_for(9, 4, 6) == 2
    assert room_count_for(30, 2, 3) == 10
    assert room_count_for(0, 4, 6) == 0
    with pytest.raises(InfeasibleError):
        room_count_for(7, 4, 6)


def test_lower_bounds_follow_the_counting_argument() -> None:
    assert lower_bound_repeat_pairs(golfer_instance(8, 4, 8)) == 0
    # 12 people, rooms of 4, 6 rounds: each meets 18 slots for 11 people -> 7 excess, over 5 -> 2 pairs each.
    assert lower_bound_repeat_pairs(golfer_instance(3, 4, 6)) == 12
    assert lower_bound_revisits(golfer_instance(5, 3, 7)) == 30
    # Everyone meets one of 2 hosts in each of 3 rounds: someone meets a host twice.
    hosted = summit_instance(people=10, rooms=2, rounds=3, orgs=None, size_min=5, size_max=5)
    assert lower_bound_repeat_pairs(hosted) >= 4


def test_evaluate_counts_every_measure() -> None:
    instance = Instance(
        rounds=2,
        size_min=2,
        size_max=3,
        rooms=(Room("A", "H"), Room("B")),
        people=(Person("H"), Person("P1", "x"), Person("P2", "x"), Person("P3"), Person("P4")),
        keep_apart=(("P1", "P3"),),
    )
    rounds = ({"A": ("H", "P1", "P2"), "B": ("P3", "P4")}, {"A": ("H", "P1", "P3"), "B": ("P2", "P4")})
    stats = evaluate(instance, rounds)
    assert (stats.repeat_pairs, stats.excess_meetings, stats.max_meetings) == (1, 1, 2)
    assert (stats.revisits, stats.same_org_pairs, stats.keep_apart_violations) == (2, 1, 1)
    assert (stats.size_min, stats.size_max) == (2, 3)


def test_validate_names_each_problem() -> None:
    instance = Instance(
        rounds=1,
        size_min=2,
        size_max=3,
        rooms=(Room("A", "H"), Room("B")),
        people=(Person("H"), Person("P1"), Person("P2"), Person("P3")),
    )
    problems = validate(instance, ({"A": ("P1",), "B": ("H", "P2", "P2", "X")},))
    text = "\n".join(problems)
    for expected in (
        "room A has 1",
        "P2 sits in B and B",
        "unknown person X",
        "P3 attends but has no room",
        "host H sits in B",
    ):
        assert expected in text


def test_people_that_fit_neither_fewer_nor_more_rooms_are_infeasible() -> None:
    instance = Instance(
        rounds=1, size_min=3, size_max=3, rooms=(Room("A"), Room("B")), people=tuple(Person(f"P{i}") for i in range(4))
    )
    with pytest.raises(InfeasibleError, match="4 people cannot be split into rooms of 3 to 3"):
        solve(instance)


def test_a_time_limit_cuts_the_search_short_but_still_returns_a_valid_plan() -> None:
    instance = golfer_instance(6, 4, 6)  # tight: the search would otherwise run its whole budget
    schedule = solve(instance, time_limit=0.2)
    assert validate(instance, schedule.rounds) == []
    assert schedule.stats.seconds < 2
