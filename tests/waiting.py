"""Waiting for a condition another process or thread brings about (a worker, a second app server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> float:
    """Check `condition` until it holds (re-checking every 20 ms) and return how long that took; fail after
    `timeout` seconds. What is awaited lives in another process, so checking again is the only way to see it."""
    started = time.monotonic()
    pause = threading.Event()  # never set: its wait is the pause between two checks
    while not condition():
        assert time.monotonic() - started < timeout, f"timed out waiting for {what}"
        pause.wait(0.02)
    return time.monotonic() - started
