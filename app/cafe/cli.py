"""`flask rotation solve INSTANCE.json [--seed N]`: the app's rotation engine on a FORMAT.md instance."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask
from flask.cli import AppGroup

from app.domain import rotation

rotation_cli = AppGroup("rotation", help="Run the world-café rotation engine on JSON instances.")


@rotation_cli.command("solve")
@click.argument("instance", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--seed", type=int, default=None, help="Override the instance's seed.")
@click.option("--indent", type=int, default=None, help="Pretty-print the JSON with this indent.")
def solve(instance: Path, seed: int | None, indent: int | None) -> None:
    """Print the schedule of INSTANCE (FORMAT.md) as JSON; errors go to stderr with exit code 1 or 2."""
    try:
        data = json.loads(instance.read_text(encoding="utf-8"))
    except FileNotFoundError:
        _fail(f"no such file: {instance}")
    except (OSError, UnicodeDecodeError) as error:
        _fail(f"cannot read {instance}: {error}")
    except json.JSONDecodeError as error:
        _fail(f"{instance} is not valid JSON: {error}")
    if seed is not None and isinstance(data, dict):
        data["seed"] = seed
    try:
        problem = rotation.instance_from_json(data)
        schedule = rotation.solve(problem)
    except rotation.InfeasibleError as error:
        _fail(f"infeasible instance: {error}", code=2)
    except ValueError as error:
        _fail(f"invalid instance: {error}")
    click.echo(json.dumps(rotation.schedule_to_json(schedule), ensure_ascii=False, indent=indent))


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def register(app: Flask) -> None:
    """Add the `flask rotation` command group."""
    app.cli.add_command(rotation_cli)
