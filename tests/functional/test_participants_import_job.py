"""Large participant files are imported by a background job: the confirm returns at once, a double click
imports nothing twice, the status page shows progress and the outcome, a resumed job adds nobody twice."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.events.models import Event
from app.extensions import db as _db
from app.jobs import job_context, queue
from app.jobs.models import Job, JobState
from app.participants import import_job, uploads
from app.participants.models import Participant
from tests import factories
from tests.factories_participants import apply, csv_bytes, preview_url, upload
from tests.jobs_helpers import work_off

ROWS = 1200  # more than one batch of 500


@pytest.fixture()
def event(logged_in: Organizer) -> Event:
    return factories.make_event(organizer=logged_in, slug="summit-big-csv")


@pytest.fixture()
def small_threshold(app: Flask) -> Iterator[None]:
    old = app.config.get("PARTICIPANT_IMPORT_BACKGROUND_ROWS")
    app.config["PARTICIPANT_IMPORT_BACKGROUND_ROWS"] = 1000
    yield
    app.config["PARTICIPANT_IMPORT_BACKGROUND_ROWS"] = old


def _file(rows: int) -> bytes:
    return csv_bytes(
        *(f"参加 {n:04d},さんか {n:04d},p{n}@city.kobe.lg.jp,神戸市,兵庫県,企画課,参加者" for n in range(rows))
    )


def _mapping(page: str) -> dict[str, str]:
    return {"action": "apply"} | dict(
        re.findall(r'name="(map-\d+)">.*?<option value="([a-z_]*)" selected>', page, re.S)
    )


def _count(event: Event) -> int:
    _db.session.expire_all()
    return int(_db.session.scalar(select(func.count()).where(Participant.event_id == event.id)) or 0)


def test_a_large_file_is_imported_in_the_background_once(
    client: FlaskClient, event: Event, small_threshold: None
) -> None:
    factories.make_participant(event=event, email="p5@city.kobe.lg.jp", family_name="旧姓")
    url = preview_url(upload(client, event.slug, _file(ROWS)))
    page = client.get(url).get_data(as_text=True)
    first = apply(client, url)
    assert first.status_code == 302 and first.headers["Location"].endswith(url.split("/")[-1] + "/status")
    assert _count(event) == 1  # nothing imported in the request
    status = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Waiting for the worker" in status and "1200 rows" in status
    # A double click: the same job, and a message instead of an error.
    again = client.post(url, data=_mapping(page), follow_redirects=True)
    assert again.status_code == 200 and "already being imported" in again.get_data(as_text=True)
    assert _db.session.scalar(select(func.count()).select_from(Job)) == 1
    assert work_off() == 1
    assert _count(event) == ROWS
    done = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Imported: 1199 new, 1 updated." in done
    progress = client.get(url + "/progress.json").get_json()["job"]
    assert progress["state"] == "done" and progress["done"] == progress["total"] == ROWS
    # The kept upload is gone: the preview sends back to the upload page.
    assert client.get(url).status_code == 302


def test_a_stopped_import_finishes_without_adding_anyone_twice(
    client: FlaskClient, event: Event, small_threshold: None
) -> None:
    url = preview_url(upload(client, event.slug, _file(ROWS)))
    apply(client, url)
    stop = threading.Event()
    original = import_job.run

    def stop_after_first_batch(context: job_context.JobContext) -> dict[str, object]:
        report = context.progress

        def progress(done: int, total: int | None = None) -> None:
            if done >= import_job.BATCH:
                stop.set()
            report(done, total)

        context.progress = progress  # type: ignore[method-assign]
        return original(context)

    queue.register(import_job.KIND, stop_after_first_batch)
    try:
        assert queue.run_due(stop=stop).handed_back == 1
    finally:
        queue.register(import_job.KIND, original)
    assert _count(event) == import_job.BATCH
    assert work_off() == 1
    assert _count(event) == ROWS
    emails = list(_db.session.scalars(select(Participant.email).where(Participant.event_id == event.id)))
    assert len(set(emails)) == ROWS


def test_a_lost_upload_fails_with_a_message_in_the_readers_language(
    app: Flask, client: FlaskClient, event: Event, small_threshold: None
) -> None:
    url = preview_url(upload(client, event.slug, _file(ROWS)))
    status_url = apply(client, url).headers["Location"]
    key = url.split("/")[-1]
    uploads.discard(app.config["UPLOAD_FOLDER"], event.id, key)
    assert queue.run_due().failed == 1
    assert _db.session.scalar(select(Job.state)) == JobState.FAILED
    page = client.get(status_url, headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "もう一度アップロードしてください" in page
    assert _count(event) == 0


def test_small_files_are_still_imported_at_once(client: FlaskClient, event: Event) -> None:
    url = preview_url(upload(client, event.slug, _file(30)))
    assert apply(client, url).headers["Location"].endswith("/participants")
    assert _count(event) == 30 and _db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_status_pages_are_private_to_the_event(client: FlaskClient, event: Event, small_threshold: None) -> None:
    url = preview_url(upload(client, event.slug, _file(ROWS)))
    apply(client, url)
    key = url.split("/")[-1]
    other = factories.make_event(organizer=factories.make_organizer(email="other@city.iwade.lg.jp"))
    assert client.get(f"/manage/events/{other.slug}/participants/import/{key}/status").status_code == 404
    assert client.get(f"/manage/events/{other.slug}/participants/import/{key}/progress.json").status_code == 404
