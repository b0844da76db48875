"""Plain values of the rotation engine: people, rooms, an instance, a schedule and its measures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# One round of a plan: room id -> the ids of the people sitting in it.
RoundPlan = dict[str, tuple[str, ...]]


class InfeasibleError(ValueError):
    """Nobody can be seated validly: the room sizes cannot hold a round's attendance."""


@dataclass(frozen=True)
class Person:
    """Someone who takes part; `rounds=None` means every round."""

    id: str
    org: str | None = None
    rounds: frozenset[int] | None = None

    def attends(self, round_no: int) -> bool:
        """Whether the person is present in round `round_no` (numbered from 1)."""
        return self.rounds is None or round_no in self.rounds


@dataclass(frozen=True)
class Room:
    """A breakout room; its `host` sits in it every round they attend."""

    id: str
    host: str | None = None


@dataclass(frozen=True)
class Instance:
    """A rotation problem: rounds, room sizes, rooms, people, fixed history and wishes."""

    rounds: int
    size_min: int
    size_max: int
    rooms: tuple[Room, ...]
    people: tuple[Person, ...]
    history: tuple[RoundPlan, ...] = ()
    keep_apart: tuple[tuple[str, str], ...] = ()
    seed: int = 0
    # A plan published earlier for all rounds: later rounds should keep as many of its seats as they can.
    previous: tuple[RoundPlan, ...] = ()


@dataclass(frozen=True)
class Stats:
    """The measures of a schedule, named as in FORMAT.md; size_min/size_max are the actual room sizes seen."""

    repeat_pairs: int
    excess_meetings: int
    max_meetings: int
    revisits: int
    same_org_pairs: int
    keep_apart_violations: int
    size_min: int
    size_max: int
    lower_bound_repeat_pairs: int
    seconds: float = 0.0

    def as_dict(self) -> dict[str, int | float]:
        """The stats object of the schedule JSON."""
        out: dict[str, int | float] = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        return out


@dataclass(frozen=True)
class Schedule:
    """Every round from 1 (history first, unchanged) and the measures of the whole plan."""

    rounds: tuple[RoundPlan, ...]
    stats: Stats = field(compare=False)


def check_instance(instance: Instance) -> None:
    """Raise ValueError naming the first structural mistake (unknown or duplicate ids, bad sizes)."""
    if instance.rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {instance.rounds}")
    if instance.size_min < 1 or instance.size_max < instance.size_min:
        raise ValueError(f"room size range {instance.size_min}..{instance.size_max} is empty or below 1")
    if not instance.rooms:
        raise ValueError("there must be at least one room")
    people = _unique_ids("person", [p.id for p in instance.people])
    rooms = _unique_ids("room", [r.id for r in instance.rooms])
    hosts: set[str] = set()
    for room in instance.rooms:
        if room.host is None:
            continue
        if room.host not in people:
            raise ValueError(f"room {room.id}: host {room.host} is not among the people")
        if room.host in hosts:
            raise ValueError(f"{room.host} hosts more than one room")
        hosts.add(room.host)
    for person in instance.people:
        bad = sorted(r for r in person.rounds or () if not 1 <= r <= instance.rounds)
        if bad:
            raise ValueError(f"{person.id}: rounds {bad} are outside 1..{instance.rounds}")
    for a, b in instance.keep_apart:
        for pid in (a, b):
            if pid not in people:
                raise ValueError(f"keep_apart names unknown person {pid}")
        if a == b:
            raise ValueError(f"keep_apart pairs {a} with itself")
    if len(instance.history) > instance.rounds:
        raise ValueError(f"history has {len(instance.history)} rounds but the café has {instance.rounds}")
    if len(instance.previous) > instance.rounds:
        raise ValueError(f"previous plan has {len(instance.previous)} rounds but the café has {instance.rounds}")
    for label, plans in (("history", instance.history), ("previous", instance.previous)):
        for number, plan in enumerate(plans, start=1):
            check_round(plan, rooms, people, f"{label} round {number}")


def check_round(plan: RoundPlan, rooms: set[str], people: set[str], where: str) -> None:
    """Raise ValueError if a round names an unknown room or person or seats someone twice."""
    seen: set[str] = set()
    for room_id, members in plan.items():
        if room_id not in rooms:
            raise ValueError(f"{where}: unknown room {room_id}")
        for pid in members:
            if pid not in people:
                raise ValueError(f"{where}: unknown person {pid} in room {room_id}")
            if pid in seen:
                raise ValueError(f"{where}: {pid} is seated twice")
            seen.add(pid)


def _unique_ids(kind: str, ids: list[str]) -> set[str]:
    seen: set[str] = set()
    for pid in ids:
        if not isinstance(pid, str) or not pid:
            raise ValueError(f"{kind} id must be a non-empty string, got {pid!r}")
        if pid in seen:
            raise ValueError(f"duplicate {kind} id {pid}")
        seen.add(pid)
    return seen
