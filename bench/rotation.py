"""Benchmark the rotation engine on instance files against a naive random shuffle (Zoom-like auto-assign).

Usage: python bench/rotation.py [DIR]   (default: ../shared/rotation/instances beside the repository)
Each instance runs in its own subprocess so that peak memory (ru_maxrss) is the solver's alone.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.domain.rotation import (  # noqa: E402
    Instance,
    RoundPlan,
    evaluate,
    instance_from_json,
    lower_bound_repeat_cost,
    solve,
    validate,
)
from app.domain.rotation.generate import summit_instance  # noqa: E402
from app.domain.rotation.sizing import balanced_sizes, open_room_count  # noqa: E402

# The shared FORMAT.md set beside the repository when there is one (it has the 2,000-person instance), else
# the small instances kept with the tests.
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "rotation" / "instances"
DEFAULT_DIR = _SHARED if _SHARED.is_dir() else Path(__file__).resolve().parents[1] / "tests" / "data" / "rotation"
COLUMNS = (
    "people",
    "rooms",
    "rounds",
    "valid",
    "apart",
    "repeat",
    "excess",
    "max",
    "revisit",
    "same_org",
    "lb",
    "sec",
    "MB",
)


def naive_shuffle(instance: Instance, seed: int = 0) -> list[RoundPlan]:
    """Hosts stay in their rooms; everyone else is shuffled into the open rooms each round."""
    rng = random.Random(seed)
    rounds: list[RoundPlan] = [dict(plan) for plan in instance.history]
    for number in range(len(instance.history) + 1, instance.rounds + 1):
        present = [p.id for p in instance.people if p.attends(number)]
        hosts = {r.host: r.id for r in instance.rooms if r.host is not None and r.host in present}
        others = [r.id for r in instance.rooms if r.id not in hosts.values()]
        rng.shuffle(others)
        k = open_room_count(len(present), len(hosts), len(instance.rooms), instance.size_min, instance.size_max, number)
        opened = list(hosts.values()) + others[: k - len(hosts)]
        plan: dict[str, list[str]] = {room: [] for room in opened}
        for host, room in hosts.items():
            plan[room].append(host)
        guests = [pid for pid in present if pid not in hosts]
        rng.shuffle(guests)
        for room, size in zip(opened, balanced_sizes(len(present), k), strict=True):
            while len(plan[room]) < size:
                plan[room].append(guests.pop())
        rounds.append({room: tuple(members) for room, members in plan.items()})
    return rounds


def measure(path: Path) -> dict[str, Any]:
    """Solve one instance here and return both rows (engine, naive) as plain values."""
    instance = instance_from_json(json.loads(path.read_text()))
    started = time.perf_counter()
    schedule = solve(instance)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    naive = naive_shuffle(instance, instance.seed)
    rows = {}
    for name, rounds, secs, mb in (("engine", schedule.rounds, seconds, peak_mb), ("naive", naive, None, None)):
        stats = evaluate(instance, rounds)
        rows[name] = {
            "people": len(instance.people),
            "rooms": len(instance.rooms),
            "rounds": instance.rounds,
            "valid": "yes" if not validate(instance, rounds) else "NO",
            "apart": stats.keep_apart_violations,
            "repeat": stats.repeat_pairs,
            "excess": stats.excess_meetings,
            "max": stats.max_meetings,
            "revisit": stats.revisits,
            "same_org": stats.same_org_pairs,
            "lb": stats.lower_bound_repeat_pairs,
            "sec": "" if secs is None else f"{secs:.2f}",
            "MB": "" if mb is None else f"{mb:.0f}",
        }
    return rows


def small_instances(count: int = 40, seed: int = 2024) -> list[Instance]:
    """Random small, often tight cafés: 12-40 people, 3-8 rooms of 3-6, 3-5 rounds, every other one hosted."""
    rng = random.Random(seed)
    found: list[Instance] = []
    while len(found) < count:
        rooms, size, rounds = rng.randint(3, 8), rng.randint(3, 6), rng.randint(3, 5)
        size_min = max(2, size - 1)
        low, high = max(12, rooms * size_min), min(40, rooms * size)
        if low > high:
            continue
        hosts = len(found) % 2 == 1
        people = rng.randint(low, high)
        found.append(
            summit_instance(
                people=people,
                rooms=rooms,
                rounds=rounds,
                hosts=hosts,
                orgs=None,
                size_min=size_min,
                size_max=size,
                seed=len(found),
            )
        )
    return found


def small_rows() -> list[dict[str, Any]]:
    """Solve every random small instance: repeats and repeat cost against their lower bounds, seconds."""
    rows = []
    for instance in small_instances():
        started = time.perf_counter()
        schedule = solve(instance)
        seconds = time.perf_counter() - started
        stats = schedule.stats
        meetings = Counter()
        for plan in schedule.rounds:
            for members in plan.values():
                meetings.update(frozenset(pair) for pair in combinations(members, 2))
        rows.append(
            {
                "shape": f"{len(instance.people)}p {len(instance.rooms)}r {instance.size_max}s {instance.rounds}R"
                + (" hosts" if instance.rooms[0].host else ""),
                "repeat": stats.repeat_pairs,
                "lb": stats.lower_bound_repeat_pairs,
                "cost": sum(m * (m - 1) // 2 for m in meetings.values()),
                "cost_lb": lower_bound_repeat_cost(instance),
                "revisit": stats.revisits,
                "valid": not validate(instance, schedule.rounds),
                "sec": seconds,
            }
        )
    return rows


def print_small(rows: list[dict[str, Any]]) -> None:
    """The random-small summary: how often the plan meets the bounds, the mean gap and the slowest solve."""
    hosted = [r for r in rows if r["shape"].endswith("hosts")]
    for label, part in (("all", rows), ("hosted", hosted), ("no hosts", [r for r in rows if r not in hosted])):
        print(
            f"  {label:<9} n={len(part):<3} valid={sum(r['valid'] for r in part):<3}"
            f" repeat=lb {sum(r['repeat'] == r['lb'] for r in part):>3}"
            f"  mean gap {sum(r['repeat'] - r['lb'] for r in part) / len(part):5.2f}"
            f"  cost=lb {sum(r['cost'] == r['cost_lb'] for r in part):>3}"
            f"  mean cost gap {sum(r['cost'] - r['cost_lb'] for r in part) / len(part):5.2f}"
            f"  max sec {max(r['sec'] for r in part):.2f}  total sec {sum(r['sec'] for r in part):.1f}"
        )


def main(argv: list[str]) -> int:
    """Print one engine row and one naive row per instance file."""
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(Path(argv[1]))))
        return 0
    folder = Path(argv[0]) if argv else DEFAULT_DIR
    files = sorted(folder.glob("*.json"))
    if not files:
        print(f"no instance files in {folder}", file=sys.stderr)
        return 1
    width = max(len(f.stem) for f in files) + 8
    print(f"{'instance':<{width}}" + "".join(f"{c:>9}" for c in COLUMNS))
    for path in files:
        done = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{path.stem:<{width}} FAILED: {done.stderr.strip().splitlines()[-1:]}")
            continue
        rows = json.loads(done.stdout)
        for name in ("engine", "naive"):
            label = path.stem if name == "engine" else "  naive shuffle"
            print(f"{label:<{width}}" + "".join(f"{rows[name][c]!s:>9}" for c in COLUMNS))
    print()
    print("random small instances (12-40 people, 3-8 rooms of 3-6, 3-5 rounds; cost = Σ C(meetings, 2)):")
    print_small(small_rows())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
