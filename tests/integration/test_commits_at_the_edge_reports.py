"""One action, one commit, made by the edge: the report services (harvest, themes, publish, take back) and the
connections' consent write and leave the commit to their caller; each page commits once."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import func, select

from app.auth.models import Organizer
from app.connections.models import ContactCard
from app.extensions import db
from app.jobs.models import Job
from app.reports import jobs as report_jobs
from app.reports import services, themes, versions
from app.reports.models import Report, ReportPoint, ReportState, ReportTheme, ReportVersion
from tests.factories_day import make_day
from tests.factories_reports import Summit, make_summit
from tests.instants import AFTER_SUMMIT
from tests.unit_of_work import commits as counted_commits


@pytest.fixture()
def summit(db: object, logged_in: Organizer) -> Summit:
    return make_summit(organizer=logged_in, slug="network-summit")


def rows(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def published(summit: Summit, organizer: Organizer) -> Report:
    report = services.create_report(summit.event, organizer)
    services.publish(report, organizer)
    db.session.commit()
    return report


# ---- the services leave the commit to their caller --------------------------------------------------


def test_creating_and_publishing_a_report_is_undone_by_the_callers_rollback(
    summit: Summit, logged_in: Organizer
) -> None:
    report = services.create_report(summit.event, logged_in)
    services.publish(report, logged_in)
    assert rows(Report) == 1 and rows(ReportVersion) == 1 and rows(ReportTheme) > 0
    db.session.rollback()
    assert (rows(Report), rows(ReportVersion), rows(ReportTheme), rows(ReportPoint)) == (0, 0, 0, 0)


def test_taking_back_and_reviewing_are_undone_by_the_callers_rollback(summit: Summit, logged_in: Organizer) -> None:
    report = published(summit, logged_in)
    point = next(p for p in report.points if p.theme_id is not None)
    theme = db.session.get(ReportTheme, point.theme_id)
    assert theme is not None
    themes.change_themes(report, [theme], "hide", logged_in)
    versions.redact_point(report, point, logged_in)
    versions.withdraw_version(report, report.versions[0], logged_in)
    services.unpublish(report, logged_in)
    db.session.rollback()
    db.session.expire_all()
    assert not theme.hidden and not point.redacted
    assert report.state == ReportState.PUBLISHED and not report.versions[0].withdrawn


# ---- the edges commit once ---------------------------------------------------------------------------


def test_each_report_page_commits_once(client: FlaskClient, summit: Summit) -> None:
    base = f"/manage/events/{summit.event.slug}/report"
    with counted_commits() as commits:
        assert client.post(f"{base}/create").status_code == 302
    assert len(commits) == 1
    report = db.session.scalar(select(Report))
    assert report is not None
    theme = report.themes[0]
    with counted_commits() as commits:
        response = client.post(f"{base}/themes", data={"round": str(theme.round_id), "one": f"{theme.id}:accept"})
    assert response.status_code == 302
    assert len(commits) == 1
    with counted_commits() as commits:
        assert client.post(f"{base}/publish").status_code == 302
    assert len(commits) == 1
    point = next(p for p in report.points if not p.hidden)
    with counted_commits() as commits:
        assert client.post(f"{base}/points/{point.id}/redact").status_code == 302
    assert len(commits) == 1
    with counted_commits() as commits:
        assert client.post(f"{base}/versions/1/withdraw").status_code == 302
    assert len(commits) == 1
    db.session.rollback()
    db.session.expire_all()
    assert theme.accepted and point.redacted and report.versions[0].withdrawn


def test_publishing_a_large_report_commits_the_version_and_its_pdf_jobs_once(
    client: FlaskClient, summit: Summit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_jobs, "COMPACT_PDF_POINTS", 0)  # every report is "large": its PDFs are queued
    services.create_report(summit.event, summit.event.organizers[0])
    db.session.commit()
    with counted_commits() as commits:
        assert client.post(f"/manage/events/{summit.event.slug}/report/publish").status_code == 302
    assert len(commits) == 1
    db.session.rollback()
    assert rows(ReportVersion) == 1 and rows(Job) == len(client.application.config["LANGUAGES"])


def test_publishing_an_unchanged_draft_is_refused_and_commits_once(client: FlaskClient, summit: Summit) -> None:
    report = published(summit, summit.event.organizers[0])
    base = f"/manage/events/{summit.event.slug}/report"
    with counted_commits() as commits:
        page = client.post(f"{base}/publish", follow_redirects=True).get_data(as_text=True)
    assert "Nothing changed since version 1." in page
    assert len(commits) == 1  # the refusal keeps the draft's fingerprint
    assert len(report.versions) == 1


def test_consent_to_share_a_contact_commits_once(client: FlaskClient, organizer: Organizer) -> None:
    day = make_day(organizer=organizer, people=4)
    me = day.people[0]
    data = {"audience": "everyone", "share_email": "y", "text": "", "version": 0}
    with freeze_time(AFTER_SUMMIT), counted_commits() as commits:
        assert client.post(f"/p/{me.token}/people/card", data=data).status_code == 302
    assert len(commits) == 1
    db.session.rollback()
    assert rows(ContactCard) == 1
