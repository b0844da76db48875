"""`./dev.sh start` checks the port before it touches anything: a busy port costs nothing and is said plainly."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(port: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    database = tmp_path / "untouched.sqlite"
    env = dict(os.environ, PORT=port, DATABASE_URL=f"sqlite:///{database}", VIRTUAL_ENV="")
    return subprocess.run(
        ["bash", str(ROOT / "dev.sh"), "start"], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_busy_port_stops_the_start_before_anything_happens(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        done = _start(port, tmp_path)
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in done.stderr and "PORT=5001 ./dev.sh start" in done.stderr
    assert "running" not in done.stdout + done.stderr  # never claims to run
    assert "demo" not in done.stdout.lower()  # the demo (and its password) were not touched
    assert not (tmp_path / "untouched.sqlite").exists()


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_a_port_that_is_no_port_is_refused(tmp_path: Path, port: str) -> None:
    done = _start(port, tmp_path)
    assert done.returncode == 2 and "PORT must be a port number" in done.stderr
    assert not (tmp_path / "untouched.sqlite").exists()


def test_with_chromium_fonts_and_node_present_the_test_command_installs_nothing(tmp_path: Path) -> None:
    """The font check is reliable (it once failed at random under pipefail and reinstalled with apt-get or
    asked for sudo): with everything present, `./dev.sh test` never calls apt-get or sudo, run after run."""
    calls = tmp_path / "calls.log"
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    for name in ("apt-get", "sudo"):
        fake = fake_bin / name
        fake.write_text(f'#!/bin/sh\necho "{name} $*" >> {calls}\nexit 1\n')
        fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake_bin}:{os.environ['PATH']}", VIRTUAL_ENV="")
    for _ in range(5):
        done = subprocess.run(
            ["bash", str(ROOT / "dev.sh"), "test", "--version"],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert "pytest" in done.stdout + done.stderr
        assert not calls.exists(), calls.read_text()
        assert "Installing" not in done.stdout and "missing" not in done.stdout
