"""A first plan, round by round: hosts, then seats kept from the previous plan, then greedy seating."""

from __future__ import annotations

import random
from array import array
from collections import Counter

from .problem import W_APART, W_ORG, W_REPEAT, W_REVISIT, Problem
from .sizing import balanced_sizes

# Rooms scored per person when seating greedily; beyond this many open rooms a sample is scored
# (a zero-cost room is nearly always found among a few when rooms outnumber conflicts).
FULL_SCAN_ROOMS = 64
SAMPLED_ROOMS = 12


def construct(problem: Problem, rng: random.Random, preset: list[dict[int, int]] | None = None) -> list[list[int]]:
    """Seats (room per person, -1 absent) for every free round: `preset` rounds first, then greedily."""
    n, g = problem.n, problem.g
    meet = bytearray(n * n) if problem.rounds < 256 else array("H", bytes(2 * n * n))
    visits = array("H", bytes(2 * n * g))
    for row in problem.fixed:
        _record(row, n, g, meet, visits)
    plan = []
    preset = preset or []
    for f, r in enumerate(problem.free):
        if f < len(preset):
            row = [preset[f].get(p, -1) for p in range(n)]
        else:
            row = _seat_round(problem, f, r, rng, meet, visits)
        _record(row, n, g, meet, visits)
        plan.append(row)
    return plan


def _seat_round(
    problem: Problem, f: int, r: int, rng: random.Random, meet: bytearray | array[int], visits: array[int]
) -> list[int]:
    n, g = problem.n, problem.g
    attends = problem.attends[r]
    present = [p for p in range(n) if attends[p]]
    row = [-1] * n
    if not present:
        return row
    before = problem.previous[f]
    kept = Counter(before[p] for p in present if before is not None and before[p] >= 0 and problem.host_room[p] < 0)
    hosted = [room for room in range(g) if problem.hosted(f, room)]
    others = [room for room in range(g) if not problem.hosted(f, room)]
    rng.shuffle(others)
    # Open the rooms the previous plan filled most, so fewer people have to move.
    others.sort(key=lambda room: -kept[room])
    k = problem.open_rooms[f]
    opened = hosted + others[: k - len(hosted)]
    if before is None:
        rng.shuffle(opened)
    else:
        opened.sort(key=lambda room: -kept[room])
    capacity = dict(zip(opened, balanced_sizes(len(present), k), strict=True))
    inside: dict[int, list[int]] = {room: [] for room in opened}

    def sit(person: int, room: int) -> None:
        row[person] = room
        inside[room].append(person)

    for room in hosted:
        sit(problem.room_host[room], room)
    if before is not None:
        for p in present:
            room = before[p]
            if row[p] < 0 and room in capacity and len(inside[room]) < capacity[room] and problem.host_room[p] < 0:
                sit(p, room)
    rest = [p for p in present if row[p] < 0]
    rng.shuffle(rest)
    free_rooms = [room for room in opened if len(inside[room]) < capacity[room]]
    for p in rest:
        room = _best_room(problem, p, free_rooms, inside, row, rng, meet, visits)
        sit(p, room)
        if len(inside[room]) == capacity[room]:
            free_rooms.remove(room)
    return row


def _best_room(
    problem: Problem,
    p: int,
    rooms: list[int],
    inside: dict[int, list[int]],
    row: list[int],
    rng: random.Random,
    meet: bytearray | array[int],
    visits: array[int],
) -> int:
    n, g, org = problem.n, problem.g, problem.org[p]
    candidates = rooms if len(rooms) <= FULL_SCAN_ROOMS else rng.sample(rooms, SAMPLED_ROOMS)
    best, best_cost, ties = candidates[0], -1, 0
    for room in candidates:
        people = inside[room]
        cost = W_REPEAT * sum(meet[p * n + x] for x in people) + W_REVISIT * (visits[p * g + room] > 0)
        if org >= 0:
            cost += W_ORG * sum(1 for x in people if problem.org[x] == org)
        if problem.apart[p]:
            cost += W_APART * sum(1 for x in problem.apart[p] if row[x] == room)
        if best_cost < 0 or cost < best_cost:
            best, best_cost, ties = room, cost, 1
        elif cost == best_cost:
            ties += 1
            if rng.randrange(ties) == 0:
                best = room
    return best


def _record(row: list[int], n: int, g: int, meet: bytearray | array[int], visits: array[int]) -> None:
    rooms: dict[int, list[int]] = {}
    for person, room in enumerate(row):
        if room >= 0:
            rooms.setdefault(room, []).append(person)
            visits[person * g + room] += 1
    for members in rooms.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                meet[a * n + b] += 1
                meet[b * n + a] += 1
