"""Property tests: any small feasible instance gets a valid, reproducible plan; moves keep counts exact."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.rotation import Budget, InfeasibleError, Instance, Person, Room, solve, validate
from app.domain.rotation.construct import construct
from app.domain.rotation.problem import compile_instance
from app.domain.rotation.search import _Search
from app.domain.rotation.state import State

SMALL = Budget(evaluations=20_000, patience=200)


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    rounds = draw(st.integers(1, 4))
    size_min = draw(st.integers(2, 4))
    size_max = draw(st.integers(size_min, size_min + 2))
    room_count = draw(st.integers(1, 5))
    hosted = draw(st.lists(st.booleans(), min_size=room_count, max_size=room_count))
    rooms = tuple(Room(f"R{i}", f"H{i}" if h else None) for i, h in enumerate(hosted))
    people = [Person(r.host, rounds=draw(st.none() | st.frozensets(st.integers(1, rounds)))) for r in rooms if r.host]
    for i in range(draw(st.integers(0, 24))):
        org = draw(st.none() | st.sampled_from(["a", "b", "c"]))
        attends = draw(st.none() | st.frozensets(st.integers(1, rounds), min_size=1))
        people.append(Person(f"P{i}", org, attends))
    ids = [p.id for p in people]
    apart = (
        tuple(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda t: t[0] != t[1]), max_size=3
                )
            )
        )
        if len(ids) > 1
        else ()
    )
    return Instance(rounds, size_min, size_max, rooms, tuple(people), keep_apart=apart, seed=draw(st.integers(0, 9)))


@settings(max_examples=60, deadline=None)
@given(instances())
def test_small_instances_are_solved_validly_or_reported_infeasible(instance: Instance) -> None:
    try:
        schedule = solve(instance, budget=SMALL)
    except InfeasibleError as error:
        assert "round" in str(error)
        return
    assert validate(instance, schedule.rounds) == []
    assert solve(instance, budget=SMALL).rounds == schedule.rounds


@settings(max_examples=25, deadline=None)
@given(instances(), st.integers(0, 1000))
def test_incremental_counts_match_a_fresh_count_after_any_moves(instance: Instance, seed: int) -> None:
    try:
        problem = compile_instance(instance)
    except InfeasibleError:
        return
    if not problem.free:
        return
    rng = random.Random(seed)
    search = _Search(State(problem, construct(problem, rng)), rng, SMALL)
    cost = search.state.cost()
    tabu: dict[int, int] = {}
    for step in range(1, 30):
        pool = sorted(search.prim | search.sec) or [
            f * problem.n + p for f in range(len(problem.free)) for p in search.mov[f]
        ]
        if not pool:
            return
        choice, delta, _ = search._best_move(rng.sample(pool, min(5, len(pool))), tabu, step, -(10**18), step % 2 == 0)
        if choice is None:
            return
        search._apply(choice, tabu, step)
        cost += delta
        fresh = State(problem, search.state.seat)
        assert list(fresh.gain) == list(search.state.gain)
        assert fresh.cost() == cost
        prim, sec = set(search.prim), set(search.sec)
        search._refresh_all()
        assert (prim, sec) == (search.prim, search.sec)
