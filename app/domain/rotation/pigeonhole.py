"""Pigeonhole lower bounds: people who share a room in one round must spread over the next round's rooms.

Take two rounds a < b and the people S present in both. In round a, S is split into groups (one per
open room). In round b a group of c people lies in at most k_b rooms, so at least f(c, k_b) of its
pairs share a room again, where f(c, k) = Σ C(x_j, 2) for c split into k parts as evenly as
possible (C(x, 2) is convex, so moving someone from a fuller room to an emptier one never adds a
pair). Each such pair meets in rounds a and b: it is a repeat pair.

The group split of round a is the plan's choice, so the bound takes the cheapest one. Adding the
(c+1)-th person to a group costs its c-th *marginal*: for f that is ⌊c / k_b⌋, nondecreasing in c,
so every group's cost is convex in its size, and the cheapest way to split N people over groups
with convex costs is to take the N smallest marginals over all groups (separable convex allocation:
greedy is optimal). A host present in both rounds is pinned: they start their room's group in round
a at no cost and sit in the same room in round b. Fewer open rooms in either round only raise f
(fewer, fuller parts), so the count holds for every valid plan, whatever rooms it opens:

    F(a, b) = the forced pairs of the cheapest split;  repeat_pairs ≥ max over a < b of F(a, b).

A pair that meets m times shares C(m, 2) pairs of rounds, so Σ over pairs of C(m, 2) — the repeat
part of the engine's objective — is at least Σ over a < b of F(a, b).

For the engine's stopping target the same greedy also prices sitting again in the room one sat in
the round before (a revisit, weight `stay`) when that room is surely open in round b: a room whose
host attends round b, or any room when round b opens them all. Such stays between consecutive
rounds are distinct revisits, so the weighted sum bounds the engine's repeat + revisit cost among
plans that open as many rooms as each round can fill (the plans it searches).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count, islice

from .model import InfeasibleError, Instance
from .sizing import open_room_count


@dataclass(frozen=True)
class _Group:
    """A round-a group as seen from round b: pinned host, surely-open own room, known size or None."""

    pinned: bool
    penalty: bool
    size: int | None  # continuing people besides a pinned host (history rounds), None if the plan chooses


def forced_pairs(instance: Instance) -> list[int]:
    """F(a, b) for every pair of rounds a < b (row-major): pairs that must share a room in both."""
    context = _Context.of(instance)
    if context is None:
        return []
    return [context.pair_cost(a, b, 1, 0) for a in range(instance.rounds) for b in range(a + 1, instance.rounds)]


def forced_cost(instance: Instance, repeat: int, stay: int) -> int:
    """A lower bound on repeat · Σ C(m, 2) + stay · revisits over the plans the engine searches."""
    context = _Context.of(instance)
    if context is None:
        return 0
    total = 0
    for a in range(instance.rounds):
        for b in range(a + 1, instance.rounds):
            total += context.pair_cost(a, b, repeat, stay if b == a + 1 else 0)
    return total


@dataclass
class _Context:
    instance: Instance
    attends: list[set[str]]  # per round (from 0): who is present
    open_rooms: list[int]  # per round: rooms opened (history: rooms used)
    host: list[str | None]  # per room index

    @classmethod
    def of(cls, instance: Instance) -> _Context | None:
        attends = [{p.id for p in instance.people if p.attends(r + 1)} for r in range(instance.rounds)]
        host = [room.host for room in instance.rooms]
        open_rooms = []
        for r in range(instance.rounds):
            if r < len(instance.history):
                open_rooms.append(sum(1 for members in instance.history[r].values() if members))
                continue
            hosted = sum(1 for h in host if h is not None and h in attends[r])
            try:
                open_rooms.append(
                    open_room_count(len(attends[r]), hosted, len(host), instance.size_min, instance.size_max, r + 1)
                )
            except InfeasibleError:
                return None
        return cls(instance, attends, open_rooms, host)

    def pair_cost(self, a: int, b: int, repeat: int, stay: int) -> int:
        """The cheapest repeat · (pairs meeting in a and b) + stay · (people in the same room in a and b)."""
        both = self.attends[a] & self.attends[b]
        k_b = self.open_rooms[b]
        if len(both) < 2 or k_b == 0:
            return 0
        history = self.instance.history
        all_open = k_b == len(self.host)
        if b < len(history):
            return self._held(a, b, both, repeat, stay)
        groups: list[_Group] = []
        if a < len(history):
            room_ids = [room.id for room in self.instance.rooms]
            for i, rid in enumerate(room_ids):
                members = [pid for pid in history[a].get(rid, ()) if pid in both]
                if not members:
                    continue
                pinned = self.host[i] in members
                surely_open = all_open or (self.host[i] is not None and self.host[i] in self.attends[b])
                groups.append(_Group(pinned, surely_open, len(members) - pinned))
            return sum(sum(islice(_marginals(repeat, stay, k_b, g.penalty, g.pinned), g.size or 0)) for g in groups)
        pinned_hosts = 0
        for h in self.host:
            if h is not None and h in self.attends[a]:
                pinned = h in both
                pinned_hosts += pinned
                surely_open = all_open or pinned
                groups.append(_Group(pinned, surely_open, None))
        for _ in range(self.open_rooms[a] - len(groups)):
            groups.append(_Group(False, all_open, None))
        flexible = len(both) - pinned_hosts
        merged = heapq.merge(*(_marginals(repeat, stay, k_b, g.penalty, g.pinned) for g in groups))
        return sum(islice(merged, flexible))

    def _held(self, a: int, b: int, both: set[str], repeat: int, stay: int) -> int:
        """Two history rounds: the pairs and stays that actually happened."""
        history = self.instance.history
        where_b = {pid: rid for rid, members in history[b].items() for pid in members}
        hosts = {h for h in self.host if h is not None}
        cost = 0
        for rid, members in history[a].items():
            people = [pid for pid in members if pid in both]
            for i, x in enumerate(people):
                cost += stay * (where_b.get(x) == rid and x not in hosts)
                cost += repeat * sum(1 for y in people[i + 1 :] if where_b.get(x) == where_b.get(y))
        return cost


def _marginals(repeat: int, stay: int, k_b: int, penalty: bool, pinned: bool) -> Iterator[int]:
    """Costs of seating a group's 1st, 2nd, ... continuing person in round b, cheapest first."""
    normal = k_b - penalty
    sequences: list[Iterator[int]] = []
    if normal > 0:
        # k_b - 1 (or k_b) other rooms: the L-th person in one of them meets L of the group again.
        sequences.append(repeat * (i // normal) for i in count())
    if penalty:
        # The group's own room: a revisit, plus the pinned host and anyone already there.
        sequences.append(stay + repeat * (t + pinned) for t in count())
    return heapq.merge(*sequences)
