"""The FORMAT.md JSON shapes <-> the rotation dataclasses, with clear errors for malformed input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Instance, Person, Room, RoundPlan, Schedule, check_instance


def instance_from_json(data: Mapping[str, Any]) -> Instance:
    """Build an Instance from a FORMAT.md instance object (plus an optional `previous` plan)."""
    if not isinstance(data, Mapping):
        raise ValueError("an instance must be a JSON object")
    rounds = _int(data.get("rounds"), "rounds")
    size = data.get("room_size")
    if not isinstance(size, Mapping):
        raise ValueError("room_size must be an object with min and max")
    size_min = _int(size.get("min"), "room_size.min")
    size_max = _int(size.get("max"), "room_size.max")
    rooms = tuple(_room(item, i) for i, item in enumerate(_list(data.get("rooms"), "rooms")))
    people = tuple(_person(item, i) for i, item in enumerate(_list(data.get("people"), "people")))
    keep_apart = []
    for i, pair in enumerate(_list(data.get("keep_apart", []), "keep_apart")):
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not all(isinstance(x, str) for x in pair):
            raise ValueError(f"keep_apart[{i}] must be a pair of person ids")
        keep_apart.append((pair[0], pair[1]))
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError("seed must be an integer")
    instance = Instance(
        rounds=rounds,
        size_min=size_min,
        size_max=size_max,
        rooms=rooms,
        people=people,
        history=rounds_from_json(data.get("history", []), "history"),
        keep_apart=tuple(keep_apart),
        seed=seed,
        previous=rounds_from_json(data.get("previous", []), "previous"),
    )
    check_instance(instance)
    return instance


def rounds_from_json(data: Any, where: str = "rounds") -> tuple[RoundPlan, ...]:
    """A list of rounds (room id -> list of person ids) as plan dicts; ids are checked by the caller."""
    plans = []
    for number, plan in enumerate(_list(data, where), start=1):
        if not isinstance(plan, Mapping):
            raise ValueError(f"{where} round {number} must be an object of room id -> people")
        parsed: RoundPlan = {}
        for room_id, members in plan.items():
            if not isinstance(members, list | tuple) or not all(isinstance(x, str) for x in members):
                raise ValueError(f"{where} round {number}: room {room_id} must list person ids")
            parsed[str(room_id)] = tuple(members)
        plans.append(parsed)
    return tuple(plans)


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    """The FORMAT.md schedule object: every round from 1, then the stats."""
    return {
        "rounds": [{room: list(members) for room, members in plan.items()} for plan in schedule.rounds],
        "stats": schedule.stats.as_dict(),
    }


def instance_to_json(instance: Instance) -> dict[str, Any]:
    """The FORMAT.md instance object for an Instance (inverse of `instance_from_json`)."""
    data: dict[str, Any] = {
        "rounds": instance.rounds,
        "room_size": {"min": instance.size_min, "max": instance.size_max},
        "rooms": [{"id": r.id} | ({"host": r.host} if r.host is not None else {}) for r in instance.rooms],
        "people": [_person_json(p) for p in instance.people],
        "seed": instance.seed,
    }
    if instance.history:
        data["history"] = [{room: list(m) for room, m in plan.items()} for plan in instance.history]
    if instance.keep_apart:
        data["keep_apart"] = [list(pair) for pair in instance.keep_apart]
    if instance.previous:
        data["previous"] = [{room: list(m) for room, m in plan.items()} for plan in instance.previous]
    return data


def _person_json(person: Person) -> dict[str, Any]:
    out: dict[str, Any] = {"id": person.id}
    if person.org is not None:
        out["org"] = person.org
    if person.rounds is not None:
        out["rounds"] = sorted(person.rounds)
    return out


def _room(item: Any, i: int) -> Room:
    if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
        raise ValueError(f"rooms[{i}] must be an object with a string id")
    host = item.get("host")
    if host is not None and not isinstance(host, str):
        raise ValueError(f"room {item['id']}: host must be a person id")
    return Room(id=item["id"], host=host)


def _person(item: Any, i: int) -> Person:
    if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
        raise ValueError(f"people[{i}] must be an object with a string id")
    org = item.get("org")
    if org is not None and not isinstance(org, str):
        raise ValueError(f"{item['id']}: org must be a string")
    rounds = item.get("rounds")
    if rounds is not None:
        if not isinstance(rounds, list) or not all(isinstance(r, int) and not isinstance(r, bool) for r in rounds):
            raise ValueError(f"{item['id']}: rounds must be a list of round numbers")
        rounds = frozenset(rounds)
    return Person(id=item["id"], org=org, rounds=rounds)


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list")
    return value
