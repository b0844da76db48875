"""Run the background jobs in the test's own process, as the worker would (no worker process needed)."""

from __future__ import annotations

from app.jobs import queue


def work_off() -> int:
    """Run every due job until none is left; returns how many ran."""
    ran = 0
    while (result := queue.run_due()).total:
        ran += result.total
    return ran
