"""solve(): compile the instance, build first plans, improve them by tabu search, report the best."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from .affine import affine_rounds
from .construct import construct
from .measures import evaluate, lower_bound_repeat_cost, lower_bound_revisits
from .model import Instance, RoundPlan, Schedule
from .pigeonhole import forced_cost
from .problem import W_REPEAT, W_REVISIT, Problem, compile_instance
from .search import Budget, improve
from .state import State

# Share of the budget given to the affine start when the rounds have the social golfer shape;
# the greedy start gets the rest (and all of it otherwise).
AFFINE_SHARE = 0.25


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
        chosen = budget or Budget()
        if time_limit is not None:
            chosen = replace(chosen, deadline=time.monotonic() + time_limit)
        target = _target(instance)
        best: tuple[int, State] | None = None
        for preset, share in _starts(problem, instance, rng):
            start = State(problem, construct(problem, rng, preset))
            part = replace(chosen, evaluations=int(chosen.evaluations * share))
            state, cost = improve(start, rng, part, target)
            if best is None or cost < best[0]:
                best = (cost, state)
            if cost <= target:
                break
        assert best is not None
        rounds.extend(_plans(problem, best[1].seat))
    stats = evaluate(instance, rounds)
    return Schedule(rounds=tuple(rounds), stats=replace(stats, seconds=time.perf_counter() - started))


def _target(instance: Instance) -> int:
    """A cost no plan beats: reaching it ends the search (repeats and revisits both at their bounds)."""
    separate = W_REPEAT * lower_bound_repeat_cost(instance) + W_REVISIT * lower_bound_revisits(instance)
    return max(separate, forced_cost(instance, W_REPEAT, W_REVISIT))


def _starts(problem: Problem, instance: Instance, rng: random.Random) -> list[tuple[list[dict[int, int]], float]]:
    """First plans to search from: an affine seeding where the rounds allow it, then greedy."""
    shape = _golfer_shape(problem, instance)
    if shape is None:
        return [([], 1.0)]
    people, rooms, size, hosts = shape
    seeded = affine_rounds(people, rooms, size, len(problem.free), rng)
    if not seeded:
        return [([], 1.0)]
    for plan in seeded:
        plan.update(hosts)
    return [(seeded, AFFINE_SHARE), ([], 1.0 - AFFINE_SHARE)]


def _golfer_shape(problem: Problem, instance: Instance) -> tuple[list[int], list[int], int, dict[int, int]] | None:
    """(movers, rooms, movers per room, host -> room) if every free round seats the same people in equal full
    rooms, and either no room has a host or every room has one who attends every free round."""
    if problem.fixed or instance.previous:
        return None
    present = {tuple(p for p in range(problem.n) if problem.attends[r][p]) for r in problem.free}
    counts = set(problem.open_rooms)
    if len(present) != 1 or len(counts) != 1:
        return None
    people, k = list(present.pop()), counts.pop()
    if k == 0 or len(people) % k:
        return None
    hosts = {p: problem.host_room[p] for p in people if problem.host_room[p] >= 0}
    if not hosts:
        return people, list(range(k)), len(people) // k, {}
    if len(hosts) != k or k != problem.g:
        return None
    movers = [p for p in people if p not in hosts]
    return movers, list(range(k)), len(movers) // k, hosts


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
