"""Affine seeding for social-golfer-shaped rounds: pairs from different rows meet exactly once.

Put the people on an s x q grid (s = room size, q = rooms). In round t the room c holds
{(i, c + a_i * b_t) : row i}, with a_i, b_t distinct elements of the finite field GF(q). Two
people of different rows meet in exactly one round (the t solving a linear equation), people of
the same row never; so the first min(rounds, q) rounds have no repeat at all. This is the
classical construction of orthogonal Latin squares and the "clever initialisation" that makes
tabu search on the social golfer problem fast; it needs q to be a prime power and s <= q.
Cafés where every room has a host who attends every round use it for the movers (s - 1 rows).
"""

from __future__ import annotations

import random


def field_tables(q: int) -> tuple[list[list[int]], list[list[int]]] | None:
    """Addition and multiplication tables of GF(q), or None if q is not a prime power."""
    prime = next((p for p in range(2, q + 1) if q % p == 0), None)
    if prime is None:
        return None
    degree, rest = 0, q
    while rest % prime == 0:
        rest //= prime
        degree += 1
    if rest != 1:
        return None

    def digits(x: int) -> list[int]:
        return [(x // prime**k) % prime for k in range(degree)]

    def number(ds: list[int]) -> int:
        return sum(d * prime**k for k, d in enumerate(ds))

    add = [
        [number([(a + b) % prime for a, b in zip(digits(x), digits(y), strict=True)]) for y in range(q)]
        for x in range(q)
    ]
    # Try monic moduli of the right degree until every nonzero element has an inverse: a field.
    for low in range(q):
        modulus = digits(low) + [1]
        mul = [[number(_polymul(digits(x), digits(y), modulus, prime)) for y in range(q)] for x in range(q)]
        if all(1 in mul[x] for x in range(1, q)):
            return add, mul
    return None


def _polymul(a: list[int], b: list[int], modulus: list[int], prime: int) -> list[int]:
    degree = len(modulus) - 1
    out = [0] * (2 * degree)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] = (out[i + j] + x * y) % prime
    for k in range(len(out) - 1, degree - 1, -1):
        factor = out[k]
        if factor:
            for m, c in enumerate(modulus):
                out[k - degree + m] = (out[k - degree + m] - factor * c) % prime
    return out[:degree]


def affine_rounds(
    people: list[int], rooms: list[int], size: int, rounds: int, rng: random.Random
) -> list[dict[int, int]]:
    """Up to `rounds` repeat-free rounds (person -> room) for len(rooms) rooms of `size`, or [].

    With hosts, `people` are the movers and `size` the room size less the host: the hosts then
    meet a mover again only when the mover returns to their room, which the labelling avoids.
    """
    q = len(rooms)
    tables = field_tables(q) if 2 <= size <= q and len(people) == q * size else None
    if tables is None:
        return []
    add, mul = tables
    neg = [next(y for y in range(q) if add[x][y] == 0) for x in range(q)]
    grid = list(people)
    rng.shuffle(grid)
    if size < q:
        # Shifting round t's room labels by delta * t sends row i through rooms j + (delta - a_i) * t:
        # all different when delta is no row's a_i, so nobody returns to a room either.
        delta = size
        plans = []
        for t in range(min(rounds, q)):
            plan = {}
            for i in range(size):
                shift = add[neg[mul[i][t]]][mul[delta][t]]
                for j in range(q):
                    plan[grid[i * q + j]] = rooms[add[j][shift]]
            plans.append(plan)
        return plans
    # Every field element is some row's a_i: no shift avoids returns, so each round's groups go to
    # the rooms their members have visited least (a min-cost assignment per round).
    visits: dict[tuple[int, int], int] = {}
    plans = []
    for t in range(min(rounds, q)):
        groups: list[list[int]] = [[] for _ in range(q)]
        for i in range(size):
            shift = neg[mul[i][t]]
            for j in range(q):
                groups[add[j][shift]].append(grid[i * q + j])
        costs = [[sum(visits.get((p, room), 0) for p in group) for room in rooms] for group in groups]
        plan = {}
        for group, choice in zip(groups, assignment(costs), strict=True):
            for p in group:
                plan[p] = rooms[choice]
                visits[p, rooms[choice]] = visits.get((p, rooms[choice]), 0) + 1
        plans.append(plan)
    return plans


def assignment(costs: list[list[int]]) -> list[int]:
    """Column for each row of a square cost matrix with the least total (Hungarian method, O(n^3))."""
    n = len(costs)
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    owner = [0] * (n + 1)  # owner[column] = row (1-based), 0 for none
    way = [0] * (n + 1)
    for row in range(1, n + 1):
        owner[0] = row
        column = 0
        least = [inf] * (n + 1)
        used = [False] * (n + 1)
        while owner[column]:
            used[column] = True
            r, delta, nxt = owner[column], inf, 0
            for c in range(1, n + 1):
                if not used[c]:
                    reduced = costs[r - 1][c - 1] - u[r] - v[c]
                    if reduced < least[c]:
                        least[c], way[c] = reduced, column
                    if least[c] < delta:
                        delta, nxt = least[c], c
            for c in range(n + 1):
                if used[c]:
                    u[owner[c]] += delta
                    v[c] -= delta
                else:
                    least[c] -= delta
            column = nxt
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    result = [0] * n
    for c in range(1, n + 1):
        result[owner[c] - 1] = c - 1
    return result
