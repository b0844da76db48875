"""Measures of a rotation plan (FORMAT.md), its validity, and lower bounds on repeat encounters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from .model import InfeasibleError, Instance, RoundPlan, Stats
from .pigeonhole import forced_pairs
from .sizing import open_room_count


def validate(instance: Instance, rounds: Sequence[RoundPlan]) -> list[str]:
    """Human-readable problems of a plan for `instance`; empty if the plan is valid."""
    problems: list[str] = []
    if len(rounds) != instance.rounds:
        problems.append(f"the plan has {len(rounds)} rounds, the instance {instance.rounds}")
    room_ids = {room.id for room in instance.rooms}
    known = {person.id: person for person in instance.people}
    host_room = {room.host: room.id for room in instance.rooms if room.host is not None}
    for number, plan in enumerate(rounds, start=1):
        seated: dict[str, str] = {}
        for room_id, members in plan.items():
            if room_id not in room_ids:
                problems.append(f"round {number}: unknown room {room_id}")
            if members and not instance.size_min <= len(members) <= instance.size_max:
                problems.append(
                    f"round {number}: room {room_id} has {len(members)} people, "
                    f"outside {instance.size_min}..{instance.size_max}"
                )
            for pid in members:
                if pid not in known:
                    problems.append(f"round {number}: unknown person {pid} in room {room_id}")
                elif pid in seated:
                    problems.append(f"round {number}: {pid} sits in {seated[pid]} and {room_id}")
                elif not known[pid].attends(number):
                    problems.append(f"round {number}: {pid} is seated but does not attend")
                seated.setdefault(pid, room_id)
        for person in instance.people:
            if person.attends(number) and person.id not in seated:
                problems.append(f"round {number}: {person.id} attends but has no room")
        for host, room_id in host_room.items():
            if host in seated and seated[host] != room_id:
                problems.append(f"round {number}: host {host} sits in {seated[host]}, not in {room_id}")
    for number, fixed in enumerate(instance.history, start=1):
        if number <= len(rounds) and _as_sets(fixed) != _as_sets(rounds[number - 1]):
            problems.append(f"round {number}: the history round was changed")
    return problems


def evaluate(instance: Instance, rounds: Sequence[RoundPlan]) -> Stats:
    """The FORMAT.md measures of a plan (seconds left at 0 for the caller to fill in)."""
    index = {person.id: i for i, person in enumerate(instance.people)}
    n = len(index)
    hosts = {room.host for room in instance.rooms if room.host is not None}
    org = {person.id: person.org for person in instance.people}
    apart = {_pair_key(index[a], index[b], n) for a, b in instance.keep_apart}
    meetings: Counter[int] = Counter()
    visits: Counter[tuple[str, str]] = Counter()
    same_org = keep_apart = 0
    sizes: list[int] = []
    for plan in rounds:
        for room_id, members in plan.items():
            if not members:
                continue
            sizes.append(len(members))
            ids = [index[pid] for pid in members if pid in index]
            for a in range(len(ids)):
                for b in range(a + 1, len(ids)):
                    key = _pair_key(ids[a], ids[b], n)
                    meetings[key] += 1
                    keep_apart += key in apart
            orgs = Counter(org[pid] for pid in members if org.get(pid) is not None)
            same_org += sum(c * (c - 1) // 2 for c in orgs.values())
            visits.update((pid, room_id) for pid in members if pid not in hosts)
    repeated = [m for m in meetings.values() if m > 1]
    return Stats(
        repeat_pairs=len(repeated),
        excess_meetings=sum(m - 1 for m in repeated),
        max_meetings=max(meetings.values(), default=0),
        revisits=sum(c - 1 for c in visits.values() if c > 1),
        same_org_pairs=same_org,
        keep_apart_violations=keep_apart,
        size_min=min(sizes, default=0),
        size_max=max(sizes, default=0),
        lower_bound_repeat_pairs=lower_bound_repeat_pairs(instance),
    )


def seat_changes(instance: Instance, rounds: Sequence[RoundPlan]) -> int:
    """People moved, after the history, from the room `instance.previous` gave them in the same round."""
    changed = 0
    for number in range(len(instance.history), min(len(rounds), len(instance.previous))):
        before = {pid: room for room, members in instance.previous[number].items() for pid in members}
        for room_id, members in rounds[number].items():
            changed += sum(1 for pid in members if pid in before and before[pid] != room_id)
    return changed


def lower_bound_repeat_pairs(instance: Instance) -> int:
    """Repeat pairs no plan avoids: the counting bound (FORMAT.md) or the pigeonhole bound, the larger.

    Counting: per person, more roommate slots than people to meet (aware of hosts and history).
    Pigeonhole (pigeonhole.py): a round's room holding more people than the next round has rooms
    sends some of them into a room together again; the most such pairs over any two rounds.

    At 2,000 people this takes most of a second, and the review pages ask it again for the same seating
    (the published and draft plans of unchanged rounds, every reload): instances without history are
    hashable and their bound is remembered.
    """
    try:
        return _cached_lower_bound(instance)
    except TypeError:  # a history or previous plan (dicts): not hashable, computed each time
        return _lower_bound_repeat_pairs(instance)


@lru_cache(maxsize=16)
def _cached_lower_bound(instance: Instance) -> int:
    return _lower_bound_repeat_pairs(instance)


def _lower_bound_repeat_pairs(instance: Instance) -> int:
    counting, _ = _bounds(instance)
    return max(counting, max(forced_pairs(instance), default=0))


def lower_bound_excess(instance: Instance) -> int:
    """Excess meetings no plan avoids: the counting bound, or the pigeonhole bound (excess ≥ repeat pairs)."""
    _, counting = _bounds(instance)
    return max(counting, max(forced_pairs(instance), default=0))


def lower_bound_repeat_cost(instance: Instance) -> int:
    """A lower bound on Σ over pairs of C(m, 2), the repeat part of the engine's objective.

    A pair meeting m times shares C(m, 2) pairs of rounds, so the pigeonhole bounds of all pairs of
    rounds add up; C(m, 2) ≥ m - 1, so the excess bound holds too.
    """
    return max(_bounds(instance)[1], sum(forced_pairs(instance)))


def lower_bound_revisits(instance: Instance) -> int:
    """Revisits no plan avoids: a non-host attending more rounds than there are rooms must return."""
    hosts = {room.host for room in instance.rooms if room.host is not None}
    rooms = len(instance.rooms)
    return sum(
        max(0, sum(1 for r in range(1, instance.rounds + 1) if p.attends(r)) - rooms)
        for p in instance.people
        if p.id not in hosts
    )


def _bounds(instance: Instance) -> tuple[int, int]:
    """(repeat pairs, excess meetings) that no plan of the instance can avoid."""
    people = instance.people
    hosts = {room.host for room in instance.rooms if room.host is not None}
    fixed = len(instance.history)
    by_id = {p.id: p for p in people}
    # Per free round: the smallest open room and whether every open room has its host in it.
    shapes: dict[int, tuple[int, bool]] = {}
    for number in range(fixed + 1, instance.rounds + 1):
        present = [p for p in people if p.attends(number)]
        hosted = sum(1 for room in instance.rooms if room.host is not None and by_id[room.host].attends(number))
        try:
            k = open_room_count(len(present), hosted, len(instance.rooms), instance.size_min, instance.size_max, number)
        except InfeasibleError:
            return 0, 0
        if k:
            shapes[number] = (len(present) // k, hosted == k)
    roommates: Counter[str] = Counter()  # slots met in the history, per person
    history_pairs: Counter[frozenset[str]] = Counter()
    for plan in instance.history:
        for members in plan.values():
            for pid in members:
                roommates[pid] += len(members) - 1
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    history_pairs[frozenset((members[a], members[b]))] += 1
    attendance = [frozenset(r for r in range(1, instance.rounds + 1) if p.attends(r)) for p in people]
    # People grouped by attendance pattern, so pools are counted per pattern, not per pair.
    patterns: Counter[tuple[frozenset[int], bool]] = Counter(
        (attendance[i], p.id in hosts) for i, p in enumerate(people)
    )
    forced_pairs = forced_excess = 0
    for i, person in enumerate(people):
        rounds_in = len(attendance[i])
        if rounds_in < 2:
            continue
        is_host = person.id in hosts
        pools = [0, 0]  # co-attending non-hosts, co-attending hosts (self excluded)
        for (pattern, hosting), count in patterns.items():
            if pattern & attendance[i]:
                pools[hosting] += count
        pools[is_host] -= 1
        other_pool, host_pool = pools[0], 0 if is_host else pools[1]
        host_slots = 0  # rounds in which this person meets exactly one host
        slots = roommates[person.id]
        for number, (size, all_hosted) in shapes.items():
            if number not in attendance[i]:
                continue
            if all_hosted and not is_host:
                host_slots += 1
                slots += size - 2
            else:
                slots += size - 1
        excess = max(0, host_slots - host_pool) + max(0, slots - other_pool - max(0, host_pool - host_slots))
        forced_excess += excess
        forced_pairs += -(-excess // (rounds_in - 1))
    already = sum(1 for m in history_pairs.values() if m > 1)
    return max(already, -(-forced_pairs // 2)), -(-forced_excess // 2)


def _pair_key(a: int, b: int, n: int) -> int:
    return a * n + b if a < b else b * n + a


def _as_sets(plan: RoundPlan) -> dict[str, frozenset[str]]:
    return {room: frozenset(members) for room, members in plan.items() if members}
