"""solve(): compile the instance, build a first plan, improve it by tabu search, report its measures."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from .construct import construct
from .measures import evaluate, lower_bound_excess
from .model import Instance, RoundPlan, Schedule
from .problem import W_REPEAT, Problem, compile_instance
from .search import Budget, improve
from .state import State


def solve(instance: Instance, *, time_limit: float | None = None, budget: Budget | None = None) -> Schedule:
    """Plan every round after the history; the same instance and seed give the same plan.

    The search stops at a plan that meets the lower bounds or after a fixed number of move
    evaluations (a few seconds for thousands of people). `time_limit` (seconds) additionally cuts
    it short by the clock, which makes the result depend on the machine: leave it None where
    reproducibility matters. Raises InfeasibleError if a round's attendance cannot fill the rooms
    validly, ValueError if the instance names unknown or duplicate ids.
    """
    started = time.perf_counter()
    problem = compile_instance(instance)
    rng = random.Random(instance.seed)
    rounds: list[RoundPlan] = [dict(plan) for plan in instance.history]
    if problem.free:
        state = State(problem, construct(problem, rng))
        chosen = budget or Budget()
        if time_limit is not None:
            chosen = replace(chosen, deadline=time.monotonic() + time_limit)
        target = W_REPEAT * lower_bound_excess(instance)
        state = improve(state, rng, chosen, target)
        rounds.extend(_plans(problem, state.seat))
    stats = evaluate(instance, rounds)
    return Schedule(rounds=tuple(rounds), stats=replace(stats, seconds=time.perf_counter() - started))


def _plans(problem: Problem, seats: list[list[int]]) -> list[RoundPlan]:
    """Seats as room id -> people ids, every room listed, the host first, then in instance order."""
    plans = []
    for row in seats:
        rooms: list[list[int]] = [[] for _ in range(problem.g)]
        for person, room in enumerate(row):
            if room >= 0:
                rooms[room].append(person)
        plan: RoundPlan = {}
        for room, people in enumerate(rooms):
            host = problem.room_host[room]
            people.sort(key=lambda x: (x != host, x))
            plan[problem.room_ids[room]] = tuple(problem.person_ids[x] for x in people)
        plans.append(plan)
    return plans
