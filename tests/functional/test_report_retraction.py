"""What is taken back after publishing leaves every version: retracted notes, redacted points, withdrawn versions."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import Organizer
from app.domain.notes import NoteContent
from app.extensions import db
from app.notes import services as note_services
from app.reports import services
from app.reports.models import Report, ReportPoint
from tests.factories_reports import Summit, make_summit

SECRET_STORY = "上司との確執の話-RETRACT-91"


@pytest.fixture()
def summit(db: object, logged_in: Organizer) -> Summit:
    summit = make_summit(organizer=logged_in, slug="network-summit")
    note = summit.notes[0]
    note.key_points += f"\n- {SECRET_STORY}"
    db.session.commit()
    report = services.create_report(summit.event, logged_in)
    services.publish(report, logged_in)  # version 1 holds the story
    services.update_settings(report, overview="第2版", summary="", tags=[], show_names=False)
    services.publish(report, logged_in)  # version 2 too
    return summit


def _everything(client: FlaskClient) -> list[str]:
    """Every public form of both versions: pages, Markdown, HTML, PDF text, the API."""
    out = []
    for base in ("/reports/network-summit", "/reports/network-summit/v/1"):
        out.append(client.get(base).get_data(as_text=True))
        out.append(client.get(base + "/report.md").get_data(as_text=True))
        out.append(client.get(base + "/report.html").get_data(as_text=True))
    pdf = client.get("/reports/network-summit/v/1/report.pdf").data
    out.append(re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)))
    out.append(client.get("/api/v1/events/network-summit/report").get_data(as_text=True))
    return out


def _found(client: FlaskClient, word: str) -> bool:
    return (
        "network-summit"
        in client.get("/reports", query_string={"q": word}).get_data(as_text=True).split('class="archive-list"', 1)[-1]
    )


def test_a_note_made_internal_leaves_every_published_version(client: FlaskClient, summit: Summit) -> None:
    assert all(SECRET_STORY in text for text in _everything(client)[:3])
    assert _found(client, "確執の話")
    note = summit.notes[0]
    content = NoteContent.of(note)
    note_services.save_note(
        note.round,
        note.room,
        NoteContent(**{**content.__dict__, "publishable": False}),
        note.version,
        note_services.Actor(participant_id=note.room.host_id),
    )
    db.session.commit()  # the service writes; its caller commits
    for text in _everything(client):
        assert SECRET_STORY not in text and "確執" not in text
    assert not _found(client, "確執の話")


def test_an_organiser_redacts_a_point_in_every_version(
    client: FlaskClient, summit: Summit, logged_in: Organizer
) -> None:
    point = db.session.scalar(select(ReportPoint).where(ReportPoint.text.contains("RETRACT-91")))
    base = f"/manage/events/{summit.event.slug}/report/points/{point.id}/redact"
    confirm = client.get(base)
    assert confirm.status_code == 200 and SECRET_STORY in confirm.get_data(as_text=True)
    assert client.post(base).status_code == 302
    for text in _everything(client):
        assert SECRET_STORY not in text
    assert not _found(client, "確執の話")
    assert _found(client, "雑談の価値")  # the rest is still there


def test_withdrawn_versions_answer_gone_and_readers_fall_back(
    client: FlaskClient, summit: Summit, logged_in: Organizer
) -> None:
    base = f"/manage/events/{summit.event.slug}/report/versions"
    assert client.post(base + "/2/withdraw").status_code == 302
    for url in ("/reports/network-summit/v/2", "/reports/network-summit/v/2/report.pdf"):
        response = client.get(url)
        assert response.status_code == 410 and b"withdrawn" in response.data
    latest = client.get("/reports/network-summit").get_data(as_text=True)
    assert "第2版" not in latest  # readers see version 1 again
    api = client.get("/api/v1/events/network-summit/report").json
    assert api["version"] == 1 and [v["number"] for v in api["versions"]] == [1]

    assert client.post(base + "/1/withdraw").status_code == 302
    assert client.get("/reports/network-summit").status_code == 404  # nothing readable is left
    assert not db.session.scalar(select(Report)).is_published
    assert not _found(client, "雑談の価値")


def test_only_the_events_organisers_can_redact_or_withdraw(client: FlaskClient, summit: Summit) -> None:
    other = make_summit(slug="other-summit")
    report = services.create_report(other.event, other.event.organizers[0])
    services.publish(report, other.event.organizers[0])
    assert client.post("/manage/events/other-summit/report/versions/1/withdraw").status_code == 404
    point = report.points[0]
    assert client.post(f"/manage/events/other-summit/report/points/{point.id}/redact").status_code == 404
    assert client.get("/reports/other-summit/v/1").status_code == 200
