"""Reading a café plan: who moves where between rounds, what a re-plan changed, each person's path.

Plans are the rotation engine's RoundPlan dicts (room id -> person ids); a missing round is None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RoundSeats = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Change:
    """One person's seat in one round before and after (None: not seated)."""

    person: str
    round_no: int
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Move:
    """Between two rounds: a person leaves one room (None: arrives) for another (None: leaves)."""

    person: str
    source: str | None
    target: str | None


def room_of(plan: RoundSeats | None) -> dict[str, str]:
    """Person id -> room id for one round."""
    if plan is None:
        return {}
    return {pid: room for room, members in plan.items() for pid in members}


def changes(
    before: Sequence[RoundSeats | None], after: Sequence[RoundSeats | None], first_round: int = 1
) -> list[Change]:
    """Every seat that differs between two plans, from round `first_round` on, by round then person."""
    out: list[Change] = []
    for index in range(first_round - 1, max(len(before), len(after))):
        old = room_of(before[index] if index < len(before) else None)
        new = room_of(after[index] if index < len(after) else None)
        for pid in sorted(old.keys() | new.keys()):
            if old.get(pid) != new.get(pid):
                out.append(Change(pid, index + 1, old.get(pid), new.get(pid)))
    return out


def moves(before: RoundSeats | None, after: RoundSeats | None) -> list[Move]:
    """Who changes room between two consecutive rounds (people staying put are left out)."""
    old, new = room_of(before), room_of(after)
    out = [Move(pid, old.get(pid), new.get(pid)) for pid in old.keys() | new.keys() if old.get(pid) != new.get(pid)]
    return sorted(out, key=lambda m: (m.target is None, m.target or "", m.source is None, m.source or "", m.person))


def moves_by_target(before: RoundSeats | None, after: RoundSeats | None) -> dict[str | None, list[Move]]:
    """Moves grouped by the room people go to (None: people who leave), in order of first appearance."""
    grouped: dict[str | None, list[Move]] = {}
    for move in moves(before, after):
        grouped.setdefault(move.target, []).append(move)
    return grouped


def paths(plans: Sequence[RoundSeats | None]) -> dict[str, list[str | None]]:
    """Person id -> their room in each round (None where not seated)."""
    seats = [room_of(plan) for plan in plans]
    people = sorted({pid for seat in seats for pid in seat})
    return {pid: [seat.get(pid) for seat in seats] for pid in people}


def size_warnings(plan: RoundSeats, size_min: int, size_max: int) -> list[tuple[str, int]]:
    """Non-empty rooms whose size is outside the range, as (room id, size)."""
    return [(room, len(m)) for room, m in plan.items() if m and not size_min <= len(m) <= size_max]


def split_evenly(count: int, parts: int) -> list[range]:
    """Indexes 0..count-1 cut into `parts` runs in order, sizes differing by at most one (no empty run).

    Co-hosts each take a run of rooms: 400 rooms for 8 co-hosts are rooms 1–50, 51–100, …
    """
    parts = max(1, min(parts, count))
    if count <= 0:
        return []
    size, extra = divmod(count, parts)
    runs, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        runs.append(range(start, end))
        start = end
    return runs
