"""The mutable search state: seats of the free rounds and incremental counts for O(1) move costs."""

from __future__ import annotations

from array import array

from .problem import W_APART, W_ORG, W_REPEAT, W_REVISIT, W_SEAT, Problem


class State:
    """Seats of every free round plus the counts that make a swap's cost change cheap to compute.

    `meet[a*n+b]` counts the rounds a and b share (history included). `gain[(f*n+p)*g+room]` is
    the sum of `meet[p, x]` over the people x in `room` in free round f: with it, the change in
    repeat cost of moving p between two rooms is a handful of lookups, whatever the room sizes.
    """

    def __init__(self, problem: Problem, seats: list[list[int]]) -> None:
        self.p = problem
        n, g = problem.n, problem.g
        self.seat = [list(row) for row in seats]  # [f][person] -> room or -1
        self.members: list[list[list[int]]] = []
        for row in self.seat:
            rooms: list[list[int]] = [[] for _ in range(g)]
            for person, room in enumerate(row):
                if room >= 0:
                    rooms[room].append(person)
            self.members.append(rooms)
        self.size = [[len(m) for m in rooms] for rooms in self.members]
        self.all_seats = problem.fixed + self.seat  # history first: rows shared, not copied
        self.all_members = [_rooms_of(row, g) for row in problem.fixed] + self.members
        self.meet = (bytearray if problem.rounds < 256 else _ushorts)(n * n)
        self.visits = array("H", bytes(2 * n * g))
        for row in self.all_seats:
            for person, room in enumerate(row):
                if room >= 0:
                    self.visits[person * g + room] += 1
        for rooms in self.all_members:
            for members in rooms:
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        self.meet[a * n + b] += 1
                        self.meet[b * n + a] += 1
        self.gain = array("i", bytes(4 * len(self.seat) * n * g))
        for person in range(n):
            for other in self.partners(person):
                count = self.meet[person * n + other]
                for f, row in enumerate(self.seat):
                    if row[other] >= 0:
                        self.gain[(f * n + person) * g + row[other]] += count
        self.orgs: list[list[dict[int, int]]] = []
        for rooms in self.members:
            per_room = []
            for members in rooms:
                counts: dict[int, int] = {}
                for person in members:
                    if problem.org[person] >= 0:
                        counts[problem.org[person]] = counts.get(problem.org[person], 0) + 1
                per_room.append(counts)
            self.orgs.append(per_room)

    def partners(self, person: int) -> set[int]:
        """Everyone `person` has met, in any round."""
        found: set[int] = set()
        for row, rooms in zip(self.all_seats, self.all_members, strict=True):
            if row[person] >= 0:
                found.update(rooms[row[person]])
        found.discard(person)
        return found

    def cost(self) -> int:
        """The weighted objective recomputed from scratch (for checks and restarts)."""
        p, n, g = self.p, self.p.n, self.p.g
        repeat = 0
        for a in range(n):
            for b in self.partners(a):
                m = self.meet[a * n + b]
                repeat += m * (m - 1) // 2
        repeat //= 2
        revisit = 0
        for a in range(n):
            if p.host_room[a] < 0:
                revisit += sum(v - 1 for v in self.visits[a * g : (a + 1) * g] if v > 1)
        apart = same_org = seat = 0
        for row, rooms in zip(self.all_seats, self.all_members, strict=True):
            for a in range(n):
                if row[a] >= 0:
                    apart += sum(1 for b in p.apart[a] if b > a and row[b] == row[a])
            for members in rooms:
                counts: dict[int, int] = {}
                for person in members:
                    if p.org[person] >= 0:
                        counts[p.org[person]] = counts.get(p.org[person], 0) + 1
                same_org += sum(c * (c - 1) // 2 for c in counts.values())
        for f, row in enumerate(self.seat):
            before = p.previous[f]
            if before is not None:
                seat += sum(1 for a in range(n) if row[a] >= 0 and before[a] >= 0 and before[a] != row[a])
        return W_APART * apart + W_REPEAT * repeat + W_REVISIT * revisit + W_SEAT * seat + W_ORG * same_org

    def _place(self, f: int, person: int, old: int, new: int) -> None:
        """Move one person's seat in round f, keeping gain, visits and org counts right (meet unchanged)."""
        n, g, meet, gain = self.p.n, self.p.g, self.meet, self.gain
        for other in self.partners(person):
            count = meet[person * n + other]
            base = (f * n + other) * g
            gain[base + old] -= count
            gain[base + new] += count
        self.members[f][old].remove(person)
        self.members[f][new].append(person)
        self.size[f][old] -= 1
        self.size[f][new] += 1
        self.seat[f][person] = new
        self.visits[person * g + old] -= 1
        self.visits[person * g + new] += 1
        org = self.p.org[person]
        if org >= 0:
            self.orgs[f][old][org] -= 1
            self.orgs[f][new][org] = self.orgs[f][new].get(org, 0) + 1

    def _meet(self, a: int, b: int, delta: int) -> None:
        """Change how often a and b meet, and every gain entry that depends on it."""
        n, g, gain = self.p.n, self.p.g, self.gain
        self.meet[a * n + b] += delta
        self.meet[b * n + a] += delta
        for f, row in enumerate(self.seat):
            ra, rb = row[a], row[b]
            if rb >= 0:
                gain[(f * n + a) * g + rb] += delta
            if ra >= 0:
                gain[(f * n + b) * g + ra] += delta

    def swap(self, f: int, a: int, b: int) -> None:
        """Exchange the rooms of a and b in free round f."""
        room_a, room_b = self.seat[f][a], self.seat[f][b]
        left_a = [x for x in self.members[f][room_a] if x != a]
        left_b = [x for x in self.members[f][room_b] if x != b]
        self._place(f, a, room_a, room_b)
        self._place(f, b, room_b, room_a)
        for x in left_a:
            self._meet(a, x, -1)
            self._meet(b, x, 1)
        for x in left_b:
            self._meet(b, x, -1)
            self._meet(a, x, 1)

    def move(self, f: int, a: int, room: int) -> None:
        """Seat a in `room` in free round f (the caller keeps sizes balanced)."""
        old = self.seat[f][a]
        left = [x for x in self.members[f][old] if x != a]
        joined = list(self.members[f][room])
        self._place(f, a, old, room)
        for x in left:
            self._meet(a, x, -1)
        for x in joined:
            self._meet(a, x, 1)

    def relabel(self, f: int, room_a: int, room_b: int) -> None:
        """Exchange the whole groups of two rooms in free round f (neither has its host present)."""
        n, g, gain = self.p.n, self.p.g, self.gain
        group_a, group_b = self.members[f][room_a], self.members[f][room_b]
        for person in group_a:
            self.seat[f][person] = room_b
            self.visits[person * g + room_a] -= 1
            self.visits[person * g + room_b] += 1
        for person in group_b:
            self.seat[f][person] = room_a
            self.visits[person * g + room_b] -= 1
            self.visits[person * g + room_a] += 1
        rooms, orgs, size = self.members[f], self.orgs[f], self.size[f]
        rooms[room_a], rooms[room_b] = group_b, group_a
        orgs[room_a], orgs[room_b] = orgs[room_b], orgs[room_a]
        size[room_a], size[room_b] = size[room_b], size[room_a]
        for x in range(n):
            base = (f * n + x) * g
            gain[base + room_a], gain[base + room_b] = gain[base + room_b], gain[base + room_a]


def _rooms_of(row: list[int], g: int) -> list[list[int]]:
    rooms: list[list[int]] = [[] for _ in range(g)]
    for person, room in enumerate(row):
        if room >= 0:
            rooms[room].append(person)
    return rooms


def _ushorts(size: int) -> array[int]:
    return array("H", bytes(2 * size))
