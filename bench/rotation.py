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
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.domain.rotation import (  # noqa: E402
    Instance,
    RoundPlan,
    evaluate,
    instance_from_json,
    solve,
    validate,
)
from app.domain.rotation.sizing import balanced_sizes, open_room_count  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "rotation" / "instances"
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
