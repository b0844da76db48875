"""Large reports' long work runs in the background (app/reports/jobs.py): creating the draft, grouping a
round again, laying out the PDF. A click returns at once, a double click queues nothing twice, the editor
shows the progress, and the reader's PDF link serves the PDF the worker laid out."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.extensions import db
from app.jobs import queue
from app.jobs.models import Job, JobState
from app.reports import jobs as report_jobs
from app.reports import services
from app.reports.models import Report, ReportTheme
from tests.factories_reports import Summit, make_summit
from tests.jobs_helpers import work_off


@pytest.fixture()
def large(app: Flask) -> Iterator[None]:
    """Every café counts as large (more than 2 rooms), every report's PDF as long."""
    old = app.config.get("REPORT_BACKGROUND_ROOMS")
    app.config["REPORT_BACKGROUND_ROOMS"] = 2
    saved = report_jobs.COMPACT_PDF_POINTS
    report_jobs.COMPACT_PDF_POINTS = 0
    yield
    app.config["REPORT_BACKGROUND_ROOMS"] = old
    report_jobs.COMPACT_PDF_POINTS = saved


def _jobs(kind: str) -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).where(Job.kind == kind)))


def _report(summit: Summit) -> Report | None:
    db.session.expire_all()
    return db.session.scalar(select(Report).where(Report.event_id == summit.event.id))


def test_creating_a_large_report_is_a_job_with_progress(client: FlaskClient, logged_in: Organizer, large: None) -> None:
    summit = make_summit(organizer=logged_in, slug="big-report", rooms=3, people=9, rounds=2)
    base = "/manage/events/big-report/report"
    first = client.post(base + "/create")
    again = client.post(base + "/create")  # a double click
    assert first.status_code == again.status_code == 302
    assert len(_jobs(report_jobs.CREATE)) == 1 and _report(summit) is None
    page = client.get(base).get_data(as_text=True)
    assert "Creating the draft" in page and "data-job-poll" in page and "job-progress.js" in page
    assert "Create the draft report" not in page  # no second button while it runs
    state = client.get(base + "/job.json").get_json()
    assert state["job"]["state"] == "queued" and state["job"]["total"] == 3  # the notes, then 2 rounds

    assert work_off() == 1
    report = _report(summit)
    assert report is not None and report.points and report.themes
    assert {t.round_id for t in report.themes} == {r.id for r in summit.cafe.rounds}
    job = _jobs(report_jobs.CREATE)[0]
    assert job.state == JobState.DONE and job.done == job.total == 3
    page = client.get(base).get_data(as_text=True)
    assert "Themes of round 1" in page and "data-job-poll" not in page
    assert client.get(base + "/job.json").get_json()["job"]["state"] == "done"  # said for a moment, then gone
    with freeze_time(job.finished_at + report_jobs.SHOW_DONE_FOR + timedelta(seconds=1)):
        assert client.get(base + "/job.json").get_json() == {"job": None}


def test_a_resumed_creation_groups_only_the_rounds_left(logged_in: Organizer, large: None) -> None:
    summit = make_summit(organizer=logged_in, slug="resumed", rooms=3, people=9, rounds=2)
    job, _created = report_jobs.start_create(summit.event, logged_in)
    report = services.create_report(summit.event, logged_in)  # as if the first steps had run already
    first_round = summit.cafe.rounds[0].id
    kept = sorted(t.id for t in report.themes if t.round_id == first_round)
    job.done = 2  # the notes and round 1 were done before the worker stopped
    db.session.commit()
    assert work_off() == 1
    db.session.expire_all()
    again = db.session.scalars(select(ReportTheme.id).where(ReportTheme.round_id == first_round)).all()
    assert sorted(again) == kept  # round 1 was not grouped again


def test_grouping_a_large_round_again_is_one_job_per_click_series(
    client: FlaskClient, logged_in: Organizer, large: None
) -> None:
    summit = make_summit(organizer=logged_in, slug="regroup", rooms=3, people=9, rounds=1)
    services.create_report(summit.event, logged_in)
    round_id = summit.cafe.rounds[0].id
    url = "/manage/events/regroup/report/themes/regroup"
    for _click in range(2):
        response = client.post(url, data={"round": round_id})
        assert response.status_code == 302 and f"round={round_id}" in response.headers["Location"]
    assert len(_jobs(report_jobs.REGROUP)) == 1
    page = client.get(f"/manage/events/regroup/report?round={round_id}").get_data(as_text=True)
    assert "Grouping a round" in page and "data-job-poll" in page
    assert work_off() == 1 and _jobs(report_jobs.REGROUP)[0].state == JobState.DONE
    client.post(url, data={"round": round_id})  # a later click is new work
    assert len(_jobs(report_jobs.REGROUP)) == 2


def test_a_long_reports_pdf_is_laid_out_by_the_worker_and_served_from_disk(
    client: FlaskClient, logged_in: Organizer, large: None
) -> None:
    summit = make_summit(organizer=logged_in, slug="long-pdf", rooms=3, people=9, rounds=1)
    services.create_report(summit.event, logged_in)
    for _click in range(2):  # publishing is a job too: a double click publishes once
        assert client.post("/manage/events/long-pdf/report/publish").status_code == 302
    assert len(_jobs(report_jobs.PUBLISH)) == 1 and not _report(summit).is_published  # type: ignore[union-attr]
    assert "Publishing the draft" in client.get("/manage/events/long-pdf/report").get_data(as_text=True)
    assert queue.run_due().done == 1  # the publication (it queues the PDFs)
    report = _report(summit)
    assert report is not None and report.is_published and report.current_version == 1
    assert client.get("/reports/long-pdf").status_code == 200
    queued = _jobs(report_jobs.PDF)
    assert sorted(j.payload.count('"lang": "ja"') + 2 * j.payload.count('"lang": "en"') for j in queued) == [1, 2]
    editor = client.get("/manage/events/long-pdf/report").get_data(as_text=True)
    assert "Laying out the PDF" in editor

    waiting = client.get("/reports/long-pdf/report.pdf", headers={"Accept-Language": "ja"})
    assert waiting.status_code == 202 and waiting.mimetype == "text/html"
    page = waiting.get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "<script" not in page.split("</head>")[0].split("<title>")[1]
    assert len(_jobs(report_jobs.PDF)) == 2  # the reader's visit found the queued job

    assert work_off() == 2
    ready = client.get("/reports/long-pdf/report.pdf", headers={"Accept-Language": "ja"})
    assert ready.status_code == 200 and ready.mimetype == "application/pdf"
    assert "第1ラウンド" in "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(ready.data)).pages)
    english = client.get("/reports/long-pdf/report.pdf", headers={"Accept-Language": "en"})
    assert english.status_code == 200 and english.data != ready.data
    count = db.session.scalar(select(func.count()).select_from(Job).where(Job.kind == report_jobs.PDF))
    assert count == 2  # nothing was laid out twice
