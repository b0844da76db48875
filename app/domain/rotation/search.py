"""Conflict-directed tabu search over swaps, size shifts and room relabellings of the free rounds.

After Dotú and Van Hentenryck's local search for the social golfer problem: each step takes the
best non-tabu move among those that touch a person in conflict (someone they met before, a
keep-apart partner; later also revisits, seat changes, same-org roommates), random among ties.
A moved person may not return to the room they left in that round for a few steps, unless that
gives the best plan so far. When the best plan has not improved for a while, search restarts
from it with a few random swaps. Work is counted in move evaluations, not seconds, so the same
seed gives the same plan on any machine.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from .problem import W_APART, W_ORG, W_REPEAT, W_REVISIT, W_SEAT
from .state import State


@dataclass(frozen=True)
class Budget:
    """How much search to spend: move evaluations (reproducible) and an optional wall-clock cap."""

    evaluations: int = 3_000_000
    per_step: int = 4_000  # evaluations in one step before sampling conflicted people
    stall: int = 400  # steps without a new best before a restart
    kick: int = 3  # random swaps applied at a restart
    patience: int = 2_500  # steps without a new best before giving up (the plan is likely optimal)
    pair_tabu: bool = False
    focus: float = 0.7  # share of the evaluations spent on keep-apart and repeats alone
    tenure: tuple[int, int] = (2, 10)  # steps a move's undoing stays tabu: random in [low, high)
    deadline: float | None = None  # time.monotonic() value; makes the result machine-dependent


def improve(state: State, rng: random.Random, budget: Budget, target: int = 0) -> tuple[State, int]:
    """Search from `state` until the cost reaches `target` or the budget runs out: the best and its cost."""
    search = _Search(state, rng, budget)
    return search.run(target)


class _Pick:
    """The lowest-cost move offered so far, ties broken uniformly at random (reservoir sampling)."""

    __slots__ = ("delta", "move", "rng", "ties")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.move: tuple[int, int, int, int] | None = None
        self.delta = 0
        self.ties = 0

    def offer(self, delta: int, move: tuple[int, int, int, int]) -> None:
        """Keep `move` if it is cheaper than the kept one; if as cheap, keep it with probability 1/ties."""
        if self.move is None or delta < self.delta:
            self.delta, self.move, self.ties = delta, move, 1
        else:
            self.ties += 1
            if self.rng.randrange(self.ties) == 0:
                self.move = move


class _Search:
    def __init__(self, state: State, rng: random.Random, budget: Budget) -> None:
        self.state = state
        self.rng = rng
        self.budget = budget
        self.steps = 0
        self.mov = [state.p.movable(f) for f in range(len(state.seat))]
        self.prim: set[int] = set()
        self.sec: set[int] = set()
        self._refresh_all()

    def _refresh_all(self) -> None:
        self.prim.clear()
        self.sec.clear()
        for f, people in enumerate(self.mov):
            for x in people:
                self._refresh(f, x)

    def _refresh(self, f: int, x: int) -> None:
        """Put slot (f, x) in the primary / secondary conflict sets if x has such a conflict in f."""
        st, p = self.state, self.state.p
        n, g = p.n, p.g
        slot = f * n + x
        room = st.seat[f][x]
        if room < 0 or p.host_room[x] >= 0:
            return
        row = st.seat[f]
        if st.gain[slot * g + room] > st.size[f][room] - 1 or any(row[z] == room for z in p.apart[x]):
            self.prim.add(slot)
        else:
            self.prim.discard(slot)
        before = p.previous[f]
        org = p.org[x]
        if (
            st.visits[x * g + room] > 1
            or (before is not None and before[x] >= 0 and before[x] != room)
            or (org >= 0 and st.orgs[f][room][org] > 1)
        ):
            self.sec.add(slot)
        else:
            self.sec.discard(slot)

    def _refresh_around(self, f: int, people: list[int], rooms: list[int]) -> None:
        """Refresh everyone in `rooms` of round f and everyone sharing a room with `people` anywhere."""
        st = self.state
        for room in rooms:
            for y in st.members[f][room]:
                self._refresh(f, y)
        for f2 in range(len(st.seat)):
            for x in people:
                room = st.seat[f2][x]
                if room >= 0:
                    for y in st.members[f2][room]:
                        self._refresh(f2, y)

    def run(self, target: int) -> tuple[State, int]:
        st, rng, budget = self.state, self.rng, self.budget
        cost = st.cost()
        best, best_seats = cost, [list(row) for row in st.seat]
        tabu: dict[int, int] = {}
        step = since = evals = last_best = 0
        while cost > target and evals < budget.evaluations and step - last_best < budget.patience:
            if budget.deadline is not None and step % 16 == 0 and time.monotonic() > budget.deadline:
                break
            step += 1
            # Repeats first; revisits, seats and orgs join once repeats are gone or the focus budget is spent.
            wide = not self.prim or evals > budget.evaluations * budget.focus
            pool = sorted(self.prim | self.sec) if wide else sorted(self.prim)
            if not pool:
                break
            per_slot = max(1, max(len(people) for people in self.mov))
            take = max(1, budget.per_step // per_slot)
            if len(pool) > take:
                pool = rng.sample(pool, take)
            choice, delta, used = self._best_move(pool, tabu, step, best - cost, wide)
            evals += used
            if choice is None:
                since = budget.stall + 1
            else:
                self._apply(choice, tabu, step)
                cost += delta
            if cost < best:
                best, best_seats, since, last_best = cost, [list(row) for row in st.seat], 0, step
            else:
                since += 1
            if since > budget.stall:
                st = self.state = State(st.p, best_seats)
                cost = best
                self._kick(budget.kick)
                cost = st.cost()
                tabu.clear()
                since = 0
        self.steps = step
        if cost > best:
            self.state = State(st.p, best_seats)
        return self.state, best

    def _kick(self, swaps: int) -> None:
        st, rng = self.state, self.rng
        for _ in range(swaps):
            f = rng.randrange(len(st.seat))
            people = self.mov[f]
            if len(people) < 2:
                continue
            a, b = rng.sample(people, 2)
            if st.seat[f][a] != st.seat[f][b]:
                st.swap(f, a, b)
        self._refresh_all()

    def _apply(self, choice: tuple[int, int, int, int], tabu: dict[int, int], step: int) -> None:
        kind, f, a, b = choice
        st, p = self.state, self.state.p
        n, g = p.n, p.g
        low, high = self.budget.tenure
        tenure = step + low + self.rng.randrange(high - low)
        if kind == 0:  # swap people a and b
            room_a, room_b = st.seat[f][a], st.seat[f][b]
            st.swap(f, a, b)
            if self.budget.pair_tabu:
                tabu[(f * n + min(a, b)) * n + max(a, b)] = tenure
            else:
                tabu[(f * n + a) * g + room_a] = tenure
                tabu[(f * n + b) * g + room_b] = tenure
            self._refresh_around(f, [a, b], [room_a, room_b])
        elif kind == 1:  # move person a into room b
            old = st.seat[f][a]
            st.move(f, a, b)
            tabu[(f * n + a) * g + old] = tenure
            self._refresh_around(f, [a], [old, b])
        else:  # relabel rooms a and b
            st.relabel(f, a, b)
            tabu[-1 - (f * g + min(a, b)) * g - max(a, b)] = tenure
            moved = st.members[f][a] + st.members[f][b]
            for f2 in range(len(st.seat)):
                for y in moved:
                    self._refresh(f2, y)

    def _best_move(
        self, pool: list[int], tabu: dict[int, int], step: int, aspire: int, wide: bool
    ) -> tuple[tuple[int, int, int, int] | None, int, int]:
        """The best allowed move touching a slot of `pool`: (move, cost change, evaluations used)."""
        st, p = self.state, self.state.p
        pick = _Pick(self.rng)
        used = 0
        for slot in pool:
            f, x = divmod(slot, p.n)
            used += self._offer_swaps(pick, f, x, tabu, step, aspire)
            sizes, room_a = st.size[f], st.seat[f][x]
            if sizes[room_a] > 1 and sizes[room_a] - 1 in sizes:  # a room one smaller than x's
                used += self._offer_shifts(pick, f, x, tabu, step, aspire)
            if wide and not p.hosted(f, room_a):
                used += self._offer_relabels(pick, f, room_a, tabu, step, aspire)
        return pick.move, pick.delta, used

    def _offer_swaps(self, pick: _Pick, f: int, x: int, tabu: dict[int, int], step: int, aspire: int) -> int:
        """Offer `pick` every swap of x with a movable person of another room in round f; returns evaluations.

        The hot loop of the search: the cost change is computed inline from x's terms, worked out once.
        """
        st, p = self.state, self.state.p
        n, g = p.n, p.g
        gain, meet, visits, org, apart = st.gain, st.meet, st.visits, p.org, p.apart
        row, sizes, orgs = st.seat[f], st.size[f], st.orgs[f]
        before = p.previous[f]
        room_a = row[x]
        bx = (f * n + x) * g
        fn = f * n
        xn, xg = x * n, x * g
        gain_x, meet_x, visits_x = gain[bx : bx + g], meet[xn : xn + n], visits[xg : xg + g]  # x's rows, read by room
        out_x = sizes[room_a] - 1 - gain_x[room_a]
        vis_x = visits_x[room_a] > 1
        ox, apart_x = org[x], apart[x]
        cnt_a = orgs[room_a]
        px = before[x] if before is not None else -1
        bar = None if pick.move is None else pick.delta  # a local copy of the cost to match: read once per move
        for q in self.mov[f]:
            room_b = row[q]
            if room_b == room_a:
                continue
            bq = (fn + q) * g
            qg = q * g
            d = (
                gain_x[room_b] + out_x + gain[bq + room_a] - gain[bq + room_b] + sizes[room_b] - 1 - 2 * meet_x[q]
            ) * W_REPEAT
            d += ((visits_x[room_b] > 0) - vis_x + (visits[qg + room_a] > 0) - (visits[qg + room_b] > 1)) * W_REVISIT
            oq = org[q]
            if ox != oq:
                if ox >= 0:
                    d += (orgs[room_b].get(ox, 0) - cnt_a[ox] + 1) * W_ORG
                if oq >= 0:
                    d += (cnt_a.get(oq, 0) - orgs[room_b][oq] + 1) * W_ORG
            if apart_x or apart[q]:
                d += W_APART * (
                    sum((row[z] == room_b) - (row[z] == room_a) for z in apart_x if z != q)
                    + sum((row[z] == room_a) - (row[z] == room_b) for z in apart[q] if z != x)
                )
            if before is not None:
                pq = before[q]
                if px >= 0:
                    d += ((room_b != px) - (room_a != px)) * W_SEAT
                if pq >= 0:
                    d += ((room_a != pq) - (room_b != pq)) * W_SEAT
            if bar is None or d <= bar:
                if d >= aspire and self._swap_tabu(tabu, step, f, x, q, room_a, room_b):
                    continue
                pick.offer(d, (0, f, x, q))
                bar = pick.delta
        return len(self.mov[f])

    def _swap_tabu(self, tabu: dict[int, int], step: int, f: int, x: int, q: int, room_a: int, room_b: int) -> bool:
        """Whether swapping x (in room_a) and q (in room_b) in round f undoes a recent move."""
        n, g = self.state.p.n, self.state.p.g
        fn = f * n
        if self.budget.pair_tabu:
            return tabu.get(((fn + x) * n + q) if x < q else ((fn + q) * n + x), 0) > step
        return tabu.get((fn + x) * g + room_b, 0) > step or tabu.get((fn + q) * g + room_a, 0) > step

    def _offer_shifts(self, pick: _Pick, f: int, x: int, tabu: dict[int, int], step: int, aspire: int) -> int:
        """Offer `pick` every move of x alone into a room one smaller than its own (sizes stay balanced)."""
        sizes = self.state.size[f]
        size_a = sizes[self.state.seat[f][x]]
        bx = (f * self.state.p.n + x) * self.state.p.g
        used = 0
        for room_b, size_b in enumerate(sizes):
            if size_b == size_a - 1 and size_b > 0:
                d = self._move_cost(f, x, room_b)
                used += 1
                if pick.move is None or d <= pick.delta:
                    if d >= aspire and tabu.get(bx + room_b, 0) > step:
                        continue
                    pick.offer(d, (1, f, x, room_b))
        return used

    def _offer_relabels(self, pick: _Pick, f: int, room_a: int, tabu: dict[int, int], step: int, aspire: int) -> int:
        """Offer `pick` every exchange of (unhosted) room_a's group with another unhosted room's in round f."""
        p = self.state.p
        g = p.g
        used = 0
        for room_b in range(g):
            if room_b == room_a or p.hosted(f, room_b):
                continue
            d = self._relabel_cost(f, room_a, room_b)
            used += 1
            if pick.move is None or d <= pick.delta:
                key = -1 - (f * g + min(room_a, room_b)) * g - max(room_a, room_b)
                if d >= aspire and tabu.get(key, 0) > step:
                    continue
                pick.offer(d, (2, f, room_a, room_b))
        return used

    def _move_cost(self, f: int, x: int, room_b: int) -> int:
        """Cost change of seating x in room_b in round f (its room shrinks by one, room_b grows)."""
        st, p = self.state, self.state.p
        n, g = p.n, p.g
        row, sizes, orgs = st.seat[f], st.size[f], st.orgs[f]
        room_a = row[x]
        base = (f * n + x) * g
        d = (st.gain[base + room_b] - st.gain[base + room_a] + sizes[room_a] - 1) * W_REPEAT
        d += ((st.visits[x * g + room_b] > 0) - (st.visits[x * g + room_a] > 1)) * W_REVISIT
        ox = p.org[x]
        if ox >= 0:
            d += (orgs[room_b].get(ox, 0) - orgs[room_a][ox] + 1) * W_ORG
        d += W_APART * sum((row[z] == room_b) - (row[z] == room_a) for z in p.apart[x])
        before = p.previous[f]
        if before is not None and before[x] >= 0:
            d += ((room_b != before[x]) - (room_a != before[x])) * W_SEAT
        return d

    def _relabel_cost(self, f: int, room_a: int, room_b: int) -> int:
        """Cost change of exchanging the groups of two unhosted rooms: only revisits and seats change."""
        st, p = self.state, self.state.p
        g, visits = p.g, st.visits
        before = p.previous[f]
        d = 0
        for src, dst in ((room_a, room_b), (room_b, room_a)):
            for y in st.members[f][src]:
                d += ((visits[y * g + dst] > 0) - (visits[y * g + src] > 1)) * W_REVISIT
                if before is not None and before[y] >= 0:
                    d += ((dst != before[y]) - (src != before[y])) * W_SEAT
        return d
