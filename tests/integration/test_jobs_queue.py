"""Background jobs: idempotent queueing, disjoint claims, leases, progress, hand-back on stop, failures."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_babel import refresh
from freezegun import freeze_time
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.db import utcnow
from app.domain import delivery
from app.extensions import db as _db
from app.jobs import job_context, queue
from app.jobs.job_context import N_, JobContext, JobFailed
from app.jobs.models import Job, JobState
from tests import factories

STEPS: list[tuple[int, int]] = []


def _steps(context: JobContext) -> dict[str, int]:
    """Five steps, each recorded; stops early if the payload says so (through the worker's stop flag)."""
    for step in range(context.done, 5):
        STEPS.append((context.id, step))
        if context.payload.get("stop_at") == step and context.stop is not None:
            context.stop.set()
        context.progress(step + 1, 5)
    return {"steps": 5}


def _fails(context: JobContext) -> None:
    raise JobFailed(N_("%(count)s rows could not be read."), count=3)


def _crashes(context: JobContext) -> None:
    raise RuntimeError("database went away")


queue.register("test.steps", _steps)
queue.register("test.fails", _fails)
queue.register("test.crashes", _crashes)


@pytest.fixture(autouse=True)
def _clear_steps() -> None:
    STEPS.clear()


def test_the_same_key_never_makes_a_second_job(db: object) -> None:
    event = factories.make_event()
    first, created = queue.enqueue("test.steps", "invites:abc", {"a": 1}, event_id=event.id)
    again, created_again = queue.enqueue("test.steps", "invites:abc", {"a": 2}, event_id=event.id)
    assert created and not created_again and again.id == first.id
    assert json.loads(again.payload) == {"a": 1}
    assert _db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_queueing_leaves_the_commit_to_the_caller(db: object) -> None:
    event = factories.make_event()
    _db.session.commit()
    job, created = queue.enqueue("test.steps", "undone", event_id=event.id)
    assert created and job.id is not None
    _db.session.rollback()
    assert _db.session.scalar(select(func.count()).select_from(Job)) == 0


@pytest.mark.committed_db  # four threads click at once, each on its own connection
def test_racing_requests_with_one_key_make_one_job(app: Flask, db: object) -> None:
    event_id = factories.make_event().id
    ids: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def click() -> None:
        try:
            with app.app_context():
                barrier.wait()
                job, _created = queue.enqueue("test.steps", "double-click", event_id=event_id)
                _db.session.commit()  # as the request that queued it does
                ids.append(job.id)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors and len(ids) == 4 and len(set(ids)) == 1


def test_a_job_runs_with_progress_and_is_done(db: object) -> None:
    job, _ = queue.enqueue("test.steps", "k1")
    result = queue.run_due()
    assert result.done == 1
    _db.session.expire_all()
    job = _db.session.get(Job, job.id)
    assert (job.state, job.done, job.total, job.attempts) == (JobState.DONE, 5, 5, 1)
    assert json.loads(job.result) == {"steps": 5} and job.finished_at is not None
    assert queue.as_json(job)["percent"] == 100 and queue.as_json(job)["finished"]
    assert queue.run_due().total == 0


def test_claims_are_disjoint_and_a_dead_workers_job_is_taken_over(db: object) -> None:
    for n in range(3):
        queue.enqueue("test.steps", f"k{n}")
    now = utcnow()
    token, ids = queue.claim(now, limit=2)
    _other, other_ids = queue.claim(now, limit=5)
    assert len(ids) == 2 and len(other_ids) == 1 and not set(ids) & set(other_ids)
    assert queue.claim(now, limit=5)[1] == []
    later = now + job_context.LEASE + timedelta(seconds=1)
    _taken_token, taken = queue.claim(later, limit=5)
    assert sorted(taken) == sorted(ids + other_ids)
    assert queue.run(ids[0], token) is None  # the first worker's lease is gone: it does nothing


def test_a_stopping_worker_hands_the_job_back_at_once_keeping_progress(db: object) -> None:
    job, _ = queue.enqueue("test.steps", "k-stop", {"stop_at": 1})
    stop = threading.Event()
    result = queue.run_due(stop=stop)
    assert result.handed_back == 1
    _db.session.expire_all()
    job = _db.session.get(Job, job.id)
    assert (job.state, job.done, job.lock_token, job.locked_until, job.attempts) == (JobState.QUEUED, 2, None, None, 0)
    assert job.run_after <= utcnow()  # due now: nothing waits out a lease
    assert queue.run_due().done == 1  # the next worker carries on from step 2
    assert [step for _id, step in STEPS] == [0, 1, 2, 3, 4]


def test_the_rest_of_a_claimed_batch_is_handed_back_when_stopping(db: object) -> None:
    first, _ = queue.enqueue("test.steps", "a", {"stop_at": 0})
    second, _ = queue.enqueue("test.steps", "b")
    result = queue.run_due(limit=2, stop=threading.Event())
    assert result.handed_back == 2
    _db.session.expire_all()
    assert {j.state for j in _db.session.scalars(select(Job))} == {JobState.QUEUED}
    assert _db.session.get(Job, second.id).done == 0


def test_a_failure_keeps_the_message_id_and_its_values(app: Flask, db: object) -> None:
    job, _ = queue.enqueue("test.fails", "f1")
    assert queue.run_due().failed == 1
    _db.session.expire_all()
    job = _db.session.get(Job, job.id)
    assert job.state == JobState.FAILED and job.error == "%(count)s rows could not be read."
    assert json.loads(job.error_params) == {"count": 3}
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert queue.error_text(job) == "3 rows could not be read."
        assert queue.as_json(job)["error"] == "3 rows could not be read."


def test_an_unexpected_error_is_retried_with_jittered_backoff_then_given_up(db: object) -> None:
    with freeze_time("2026-07-01 09:00:00"):
        job, _ = queue.enqueue("test.crashes", "c1")
        assert queue.run_due().retrying == 1
        _db.session.expire_all()
        job = _db.session.get(Job, job.id)
        assert job.state == JobState.QUEUED and "database went away" in job.detail
        base = delivery.backoff(1)
        assert utcnow() + base <= job.run_after <= utcnow() + delivery.jittered(base, 1.0)
        assert queue.run_due().total == 0  # not due yet
    for _attempt in range(queue.MAX_ATTEMPTS - 1):
        _db.session.execute(Job.__table__.update().values(run_after=utcnow() - timedelta(seconds=1)))
        _db.session.commit()
        queue.run_due()
    _db.session.expire_all()
    job = _db.session.get(Job, job.id)
    assert (job.state, job.attempts, job.error) == (JobState.FAILED, queue.MAX_ATTEMPTS, queue.GAVE_UP)


def test_a_job_whose_worker_always_dies_is_given_up(db: object) -> None:
    job, _ = queue.enqueue("test.steps", "dies")
    now = utcnow()
    for attempt in range(queue.MAX_ATTEMPTS):
        _token, ids = queue.claim(now + attempt * (job_context.LEASE + timedelta(seconds=1)))
        assert ids == [job.id]
    _token, ids = queue.claim(now + queue.MAX_ATTEMPTS * (job_context.LEASE + timedelta(seconds=1)))
    assert ids == []
    _db.session.expire_all()
    assert _db.session.get(Job, job.id).state == JobState.FAILED


def test_an_unknown_kind_fails_with_a_clear_message_in_the_readers_language(app: Flask, db: object) -> None:
    job, _ = queue.enqueue("nobody.knows", "u1")
    assert queue.run_due().failed == 1
    _db.session.expire_all()
    job = _db.session.get(Job, job.id)
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        refresh()  # the locale is cached on the app context, as before a request
        assert (
            queue.error_text(job) == "この種類の処理（nobody.knows）は、このバージョンの Tsunagu では実行できません。"
        )
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert queue.error_text(job) == "This kind of work (nobody.knows) is unknown to this version of Tsunagu."


def test_worker_once_runs_jobs_and_jobs_status_counts_them(runner: FlaskCliRunner) -> None:
    queue.enqueue("test.steps", "cli")
    assert "test.steps               queued   1" in runner.invoke(args=["jobs", "status"]).output
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0 and "jobs: done 1" in result.output, result.output
    assert "test.steps               done     1" in runner.invoke(args=["jobs", "status"]).output


def test_a_failed_round_is_waited_out_and_the_worker_loop_goes_on(db: object) -> None:
    from app.jobs import worker

    def locked() -> int:
        _db.session.execute(select(Job.id))
        raise OperationalError("UPDATE outbox_message …", {}, Exception("database is locked"))

    settings = worker.Settings(interval=0.0)
    stop = threading.Event()
    assert worker._survive(locked, stop, settings) is None  # logged, rolled back, not raised
    assert worker._survive(lambda: queue.run_due().total, stop, settings) == 0  # the session works again


def test_a_stop_at_the_last_step_lets_the_job_finish(db: object) -> None:
    job, _ = queue.enqueue("test.steps", "k-last", {"stop_at": 4})
    assert queue.run_due(stop=threading.Event()).done == 1
    _db.session.expire_all()
    assert _db.session.get(Job, job.id).state == JobState.DONE
    assert [step for _id, step in STEPS] == [0, 1, 2, 3, 4]


def test_prune_deletes_only_old_finished_jobs(runner: FlaskCliRunner) -> None:
    queue.enqueue("test.steps", "old")
    queue.run_due()
    queue.enqueue("test.steps", "waiting")
    _db.session.execute(
        Job.__table__.update().where(Job.key == "old").values(finished_at=utcnow() - timedelta(days=100))
    )
    _db.session.commit()
    assert "1 finished jobs deleted" in runner.invoke(args=["jobs", "prune", "--days", "90"]).output
    assert list(_db.session.scalars(select(Job.key))) == ["waiting"]
    assert queue.enqueue("test.steps", "old")[1]  # the key is free again
