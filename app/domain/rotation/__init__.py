"""World café rotation: who sits in which room each round, with few repeat meetings (pure Python)."""

from .io import instance_from_json, instance_to_json, rounds_from_json, schedule_to_json
from .measures import (
    evaluate,
    lower_bound_excess,
    lower_bound_repeat_cost,
    lower_bound_repeat_pairs,
    lower_bound_revisits,
    seat_changes,
    validate,
)
from .model import InfeasibleError, Instance, Person, Room, RoundPlan, Schedule, Stats
from .search import Budget
from .sizing import room_count_for
from .solver import solve

__all__ = [
    "Budget",
    "InfeasibleError",
    "Instance",
    "Person",
    "Room",
    "RoundPlan",
    "Schedule",
    "Stats",
    "evaluate",
    "instance_from_json",
    "instance_to_json",
    "lower_bound_excess",
    "lower_bound_repeat_cost",
    "lower_bound_repeat_pairs",
    "lower_bound_revisits",
    "room_count_for",
    "rounds_from_json",
    "schedule_to_json",
    "seat_changes",
    "solve",
    "validate",
]
