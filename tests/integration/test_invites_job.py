"""Invitations as a background job: batches with progress, resumable without emailing anyone twice."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.events.models import Event
from app.extensions import db as _db
from app.invites import jobs as invite_jobs
from app.invites.models import Invitation
from app.jobs import job_context, queue
from app.jobs.models import Job, JobState
from app.outbox.models import OutboxMessage
from app.participants.models import Participant
from tests import factories


def _summit(people: int) -> Event:
    organizer = factories.make_organizer(email="sender@city.kobe.lg.jp")
    event = factories.make_event(organizer=organizer)
    factories.make_item(event=event, title="事例紹介")
    factories.make_cafe(event=event)
    _db.session.add_all(
        Participant(event=event, family_name=f"参加{n:03d}", given_name="花子", email=f"p{n}@city.kobe.lg.jp")
        for n in range(people)
    )
    _db.session.commit()
    return event


def _count(model: type) -> int:
    return int(_db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_stopped_send_carries_on_where_it_stopped_and_emails_nobody_twice(db: object) -> None:
    event = _summit(invite_jobs.batch_size() + 30)
    job, created = invite_jobs.start(event, None, "all", "confirmation-1")
    assert created and _count(OutboxMessage) == 0
    stop = threading.Event()
    token, ids = queue.claim()
    stop.set()  # the worker is told to stop while it runs the first batch
    assert queue.run(ids[0], token, stop) == queue.HANDED_BACK
    _db.session.expire_all()
    job = _db.session.get(Job, job.id)
    # The plan (who gets what) was recorded before the job was handed back; no email yet.
    assert job.state == JobState.QUEUED and (job.done, job.total) == (0, invite_jobs.batch_size() + 30)
    assert queue.run_due().done == 1
    _db.session.expire_all()
    job = _db.session.get(Job, job.id)
    assert job.state == JobState.DONE and job.done == job.total == invite_jobs.batch_size() + 30
    assert queue.as_json(job)["result"] == {
        "invitations": invite_jobs.batch_size() + 30,
        "cancellations": 0,
        "unchanged": 0,
    }
    recipients = list(_db.session.scalars(select(OutboxMessage.recipient)))
    assert len(recipients) == len(set(recipients)) == invite_jobs.batch_size() + 30
    assert _count(Invitation) == invite_jobs.batch_size() + 30


def test_resuming_after_a_batch_skips_the_people_already_done(db: object) -> None:
    event = _summit(invite_jobs.batch_size() + 30)
    job, _ = invite_jobs.start(event, None, "all", "confirmation-2")
    stop = threading.Event()

    def stop_after_first_batch(context: job_context.JobContext) -> dict[str, object]:
        original = context.progress

        def progress(done: int, total: int | None = None) -> None:
            if done >= invite_jobs.batch_size():
                stop.set()
            original(done, total)

        context.progress = progress  # type: ignore[method-assign]
        return invite_jobs.run(context)

    queue.register(invite_jobs.KIND, stop_after_first_batch)
    try:
        assert queue.run_due(stop=stop).handed_back == 1
    finally:
        queue.register(invite_jobs.KIND, invite_jobs.run)
    _db.session.expire_all()
    assert _db.session.get(Job, job.id).done == invite_jobs.batch_size()
    assert _count(OutboxMessage) == invite_jobs.batch_size()
    assert queue.run_due().done == 1
    recipients = list(_db.session.scalars(select(OutboxMessage.recipient)))
    assert len(recipients) == len(set(recipients)) == invite_jobs.batch_size() + 30


def test_nobody_to_send_to_is_a_finished_job_that_says_so(db: object) -> None:
    event = _summit(3)
    invite_jobs.start(event, None, "changed", "first")
    queue.run_due()
    invite_jobs.start(event, None, "changed", "second")
    assert queue.run_due().done == 1
    job = invite_jobs.latest(event)
    assert job is not None and queue.as_json(job)["result"]["invitations"] == 0
    assert _count(OutboxMessage) == 3


def test_a_send_for_a_deleted_event_fails_with_a_message(db: object) -> None:
    event = _summit(2)
    job, _ = invite_jobs.start(event, None, "all", "gone")
    job_id = job.id
    _db.session.execute(Job.__table__.update().values(event_id=None))
    _db.session.commit()
    assert queue.run_due().failed == 1
    assert _db.session.get(Job, job_id).error == invite_jobs.EVENT_GONE
