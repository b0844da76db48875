"""An instance compiled to integer indexes, with each free round's open rooms and sizes decided."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Instance, check_instance
from .sizing import open_room_count

# Weights of the objective, one number per unit of each measure. They are far apart so the sum
# behaves lexicographically: keep_apart > repeats > revisits > seat changes > same-org pairs.
# Repeats are counted as C(m, 2) per pair, so one pair meeting three times (3) costs more than
# two pairs meeting twice (2). Seat changes (moving someone from the room the previous plan gave
# them) sit just under revisits: on the day a moved person must be told, which matters more than
# a same-org pair but less than sending someone back to a room they have already been in.
W_APART = 1_000_000_000
W_REPEAT = 1_000_000
W_REVISIT = 1_000
W_SEAT = 600
W_ORG = 100


@dataclass
class Problem:
    """Integer view of an instance: people 0..n-1, rooms 0..g-1, rounds 0..r-1."""

    n: int
    g: int
    rounds: int
    person_ids: list[str]
    room_ids: list[str]
    org: list[int]  # organisation index, -1 for none
    host_room: list[int]  # room a person hosts, -1 for none
    room_host: list[int]  # host of a room, -1 for none
    apart: list[tuple[int, ...]]  # keep-apart partners per person
    attends: list[list[bool]]  # [round][person]
    fixed: list[list[int]]  # room per person (-1 absent) in each history round
    free: list[int]  # indexes of the rounds to plan
    open_rooms: list[int]  # per free round: how many rooms open
    previous: list[list[int] | None]  # per free round: room per person in the previous plan, -1 none

    def movable(self, f: int) -> list[int]:
        """People the search may move in free round `f`: present and not hosting."""
        attends = self.attends[self.free[f]]
        return [p for p in range(self.n) if attends[p] and self.host_room[p] < 0]

    def hosted(self, f: int, room: int) -> bool:
        """Whether `room` has its host present in free round `f` (so its people cannot be relabelled)."""
        host = self.room_host[room]
        return host >= 0 and self.attends[self.free[f]][host]


def compile_instance(instance: Instance) -> Problem:
    """Index an instance and decide each free round's room count (raises InfeasibleError)."""
    check_instance(instance)
    person_ids = [p.id for p in instance.people]
    pindex = {pid: i for i, pid in enumerate(person_ids)}
    room_ids = [r.id for r in instance.rooms]
    rindex = {rid: i for i, rid in enumerate(room_ids)}
    n, g = len(person_ids), len(room_ids)
    orgs: dict[str, int] = {}
    org = [-1 if p.org is None else orgs.setdefault(p.org, len(orgs)) for p in instance.people]
    host_room = [-1] * n
    room_host = [-1] * g
    for r, room in enumerate(instance.rooms):
        if room.host is not None:
            host_room[pindex[room.host]] = r
            room_host[r] = pindex[room.host]
    apart_sets: list[set[int]] = [set() for _ in range(n)]
    for a, b in instance.keep_apart:
        apart_sets[pindex[a]].add(pindex[b])
        apart_sets[pindex[b]].add(pindex[a])
    attends = [[p.attends(r + 1) for p in instance.people] for r in range(instance.rounds)]

    def seats(plan: dict[str, tuple[str, ...]]) -> list[int]:
        where = [-1] * n
        for room_id, members in plan.items():
            for pid in members:
                where[pindex[pid]] = rindex[room_id]
        return where

    fixed = [seats(plan) for plan in instance.history]
    free = list(range(len(fixed), instance.rounds))
    open_rooms = []
    for r in free:
        present = sum(attends[r])
        hosted = sum(1 for h in room_host if h >= 0 and attends[r][h])
        open_rooms.append(open_room_count(present, hosted, g, instance.size_min, instance.size_max, r + 1))
    previous: list[list[int] | None] = [
        seats(instance.previous[r]) if r < len(instance.previous) else None for r in free
    ]
    return Problem(
        n=n,
        g=g,
        rounds=instance.rounds,
        person_ids=person_ids,
        room_ids=room_ids,
        org=org,
        host_room=host_room,
        room_host=room_host,
        apart=[tuple(sorted(s)) for s in apart_sets],
        attends=attends,
        fixed=fixed,
        free=free,
        open_rooms=open_rooms,
        previous=previous,
    )
