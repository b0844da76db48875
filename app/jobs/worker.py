"""The one worker process: sends the outbox (emails, webhook calls) and runs background jobs, side by side.

Two threads, each with its own application context and database session: a long job (building 2,000
invitations) never holds up the emails it queues. SIGTERM (systemd's stop) or Ctrl-C sets `stop`: the
message being sent and the step of the job being run are finished, everything else that was claimed is
handed back at once (due as before), and the process exits 0. A second signal stops at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import TypeVar

from flask import Flask

from app import outbox
from app.extensions import db
from app.jobs import queue

log = logging.getLogger(__name__)

T = TypeVar("T")
JOBS_POLL = 1.0  # seconds between looks for new jobs: an organiser waits for them


@dataclass
class Settings:
    interval: float = 5.0  # seconds to wait when nothing is due
    batch: int = 20  # outbox messages claimed at a time
    once: bool = False  # work off what is due now (one thread, in turn), then stop


def _outbox_loop(app: Flask, settings: Settings, stop: threading.Event, echo: Callable[[str], None]) -> None:
    with app.app_context():
        while not stop.is_set():
            result = _survive(lambda: outbox.drain(limit=settings.batch, stop=stop), stop, settings)
            if result is not None and result.total:
                echo(f"sent {result.sent}, retrying {result.retrying}, failed {result.failed}")
            else:
                stop.wait(settings.interval)


def _jobs_loop(app: Flask, settings: Settings, stop: threading.Event, echo: Callable[[str], None]) -> None:
    with app.app_context():
        while not stop.is_set():
            result = _survive(lambda: queue.run_due(limit=1, stop=stop), stop, settings)
            if result is not None and result.total:
                echo(f"jobs: done {result.done}, retrying {result.retrying}, failed {result.failed}")
            else:
                stop.wait(min(settings.interval, JOBS_POLL))


def _survive(step: Callable[[], T], stop: threading.Event, settings: Settings) -> T | None:
    """Run one round of a loop; a database error (SQLite busy, PostgreSQL restarting) is logged and waited
    out instead of ending the loop, so one loop never dies while the process lives on."""
    try:
        return step()
    except Exception:
        log.exception("worker: this round failed; trying again shortly")
        try:
            db.session.rollback()
            db.session.remove()
        except Exception:  # the connection itself is gone: the pool reconnects next time
            log.warning("worker: could not roll back", exc_info=True)
        stop.wait(max(settings.interval, 1.0))
        return None


def run(
    app: Flask, settings: Settings, echo: Callable[[str], None] = print, stop: threading.Event | None = None
) -> None:
    """Run both loops until `stop` is set (or, with `once`, until nothing is due). Installs signal handlers
    when called from the main thread."""
    stop = stop or threading.Event()
    installed = threading.current_thread() is threading.main_thread()
    previous: dict[int, object] = {}  # the handlers to put back (tests run the worker in-process)

    def on_signal(number: int, _frame: FrameType | None) -> None:
        if stop.is_set():  # the second signal: stop now
            raise SystemExit(128 + number)
        log.info("worker: signal %s, finishing the current step and handing back the rest", number)
        stop.set()

    if installed:
        for number in (signal.SIGTERM, signal.SIGINT):
            # A shell starts background commands with SIGINT ignored (./dev.sh start): keep it so, or Ctrl+C
            # and the shell's own SIGTERM would make two signals, and the second one stops at once.
            if signal.getsignal(number) is not signal.SIG_IGN:
                previous[number] = signal.signal(number, on_signal)
    log.info("worker started: outbox and jobs")
    if settings.once:
        try:
            _work_off(app, settings, stop, echo)
        finally:
            _restore(previous)
        return
    threads = [
        threading.Thread(target=_outbox_loop, args=(app, settings, stop, echo), name="outbox", daemon=True),
        threading.Thread(target=_jobs_loop, args=(app, settings, stop, echo), name="jobs", daemon=True),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)  # wakes for signals
    finally:
        stop.set()
        _restore(previous)
    log.info("worker stopped")


def _restore(previous: dict[int, object]) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)  # type: ignore[arg-type]


def _work_off(app: Flask, settings: Settings, stop: threading.Event, echo: Callable[[str], None]) -> None:
    """`--once`: in turn, send what is due and run what is due, until neither finds anything
    (a job's emails go out in the same run)."""
    with app.app_context():
        while not stop.is_set():
            sent = outbox.drain(limit=settings.batch, stop=stop)
            ran = queue.run_due(limit=1, stop=stop)
            if sent.total:
                echo(f"sent {sent.sent}, retrying {sent.retrying}, failed {sent.failed}")
            if ran.total:
                echo(f"jobs: done {ran.done}, retrying {ran.retrying}, failed {ran.failed}")
            if not sent.total and not ran.total:
                break
