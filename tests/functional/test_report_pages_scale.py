"""The report editor and the notes overview read a fixed number of statements, whatever the café's size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event

from app.auth.models import Organizer
from app.extensions import db
from app.notes import queries as note_queries
from app.reports import queries as report_queries
from app.reports import services
from tests.factories_reports import make_summit


@contextmanager
def counted() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _statements(client: FlaskClient, url: str) -> int:
    db.session.expire_all()
    with counted() as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen)


def test_editor_and_overview_statements_do_not_grow_with_rooms(client: FlaskClient, logged_in: Organizer) -> None:
    small = make_summit(organizer=logged_in, slug="small", rooms=3, people=9, rounds=2)
    large = make_summit(organizer=logged_in, slug="large", rooms=12, people=36, rounds=2)
    for summit in (small, large):
        services.create_report(summit.event, logged_in)
    for page in ("report", "notes"):
        few = _statements(client, f"/manage/events/small/{page}")
        many = _statements(client, f"/manage/events/large/{page}")
        assert many == few, (page, few, many)  # no query per room, note, point or theme


def test_long_lists_come_in_pages(client: FlaskClient, logged_in: Organizer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(report_queries, "ROOMS_PER_PAGE", 2)
    monkeypatch.setattr(report_queries, "THEMES_PER_PAGE", 1)
    monkeypatch.setattr(note_queries, "ROOMS_PER_PAGE", 2)
    summit = make_summit(organizer=logged_in, slug="paged", rooms=5, people=10, rounds=1)
    services.create_report(summit.event, logged_in)
    editor = client.get("/manage/events/paged/report").get_data(as_text=True)
    assert editor.count('class="theme-row') == 1 and "Pages of themes" in editor
    notes = client.get("/manage/events/paged/notes").get_data(as_text=True)
    assert "Rooms 1–2 of 5" in notes and "ルーム3" not in notes.split("Pages of rooms")[0]
    third = client.get("/manage/events/paged/notes?page=3").get_data(as_text=True)
    assert "Rooms 5–5 of 5" in third
