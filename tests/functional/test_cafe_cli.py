"""`flask rotation solve`: the engine on the FORMAT.md instances kept in tests/data/rotation, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from app.domain.rotation import instance_from_json, rounds_from_json, validate

# Small instances of the shared FORMAT.md set, kept with the tests (tests/data/rotation/README.md).
INSTANCES = Path(__file__).resolve().parents[1] / "data" / "rotation"
SMALL = [
    "kirkman15_5x3_r7.json",
    "sgp32_8x4_r8.json",
    "summit120_24x5_r4_hosts.json",
    "dynamic120_24rooms_r4_hosts.json",
]


@pytest.fixture()
def cli(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.mark.parametrize("name", SMALL)
def test_solves_shared_instances_into_valid_schedules(cli: FlaskCliRunner, name: str) -> None:
    path = INSTANCES / name
    result = cli.invoke(args=["rotation", "solve", str(path), "--seed", "3"])
    assert result.exit_code == 0, result.output
    schedule = json.loads(result.stdout)
    instance = instance_from_json(json.loads(path.read_text()))
    rounds = rounds_from_json(schedule["rounds"])
    assert len(rounds) == instance.rounds
    assert validate(instance, rounds) == []
    stats = schedule["stats"]
    assert set(stats) >= {"repeat_pairs", "excess_meetings", "max_meetings", "revisits", "same_org_pairs",
                          "keep_apart_violations", "size_min", "size_max", "lower_bound_repeat_pairs", "seconds"}  # fmt: skip
    if name.startswith(("summit", "dynamic")):
        assert stats["repeat_pairs"] == 0


def test_same_seed_same_schedule(cli: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "i.json"
    people = [{"id": f"P{i}", "org": f"O{i % 3}"} for i in range(12)]
    path.write_text(
        json.dumps(
            {
                "rounds": 3,
                "room_size": {"min": 3, "max": 4},
                "rooms": [{"id": f"R{i}"} for i in range(3)],
                "people": people,
            }
        )
    )
    outputs = [
        json.loads(cli.invoke(args=["rotation", "solve", str(path), "--seed", "9"]).stdout)["rounds"] for _ in range(2)
    ]
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("content", "message", "code"),
    [
        (None, "no such file", 1),
        ("{not json", "is not valid JSON", 1),
        ('{"rounds": 2}', "invalid instance: room_size", 1),
        ('{"rounds": 2, "room_size": {"min": 4, "max": 6}, "rooms": [{"id": "R1", "host": "X"}], "people": [{"id": "A"}]}',
         "invalid instance", 1),
        ('{"rounds": 2, "room_size": {"min": 4, "max": 6}, "rooms": [{"id": "R1"}], "people": [{"id": "A"}, {"id": "B"}]}',
         "infeasible", 2),
    ],
)  # fmt: skip
def test_errors_go_to_stderr_with_nonzero_exit(
    cli: FlaskCliRunner, tmp_path: Path, content: str | None, message: str, code: int
) -> None:
    path = tmp_path / "instance.json"
    if content is not None:
        path.write_text(content)
    result = cli.invoke(args=["rotation", "solve", str(path)])
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""
