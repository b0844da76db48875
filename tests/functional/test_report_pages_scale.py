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


def test_a_theme_shows_a_few_points_until_asked_for_all(client: FlaskClient, logged_in: Organizer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(report_queries, "POINTS_FOLDED", 2)
    summit = make_summit(organizer=logged_in, slug="folded", rooms=6, people=12, rounds=1)
    report = services.create_report(summit.event, logged_in)
    # every room had the same idea: one theme of 5 points (the last room's note is internal)
    theme = next(t for t in report.themes if t.kind.value == "idea")
    assert sum(1 for p in report.points if p.theme_id == theme.id) == 5
    editor = client.get("/manage/events/folded/report").get_data(as_text=True)
    row = editor.split(f'id="theme-{theme.id}"')[1].split('class="theme-row')[0]
    assert row.count(f'name="point-{theme.id}"') == 2 and "5 points from the rooms" in row
    assert f"open={theme.id}#theme-{theme.id}" in row and "Show the 3 other points" in row
    opened = client.get(f"/manage/events/folded/report?open={theme.id}").get_data(as_text=True)
    row = opened.split(f'id="theme-{theme.id}"')[1].split('class="theme-row')[0]
    assert row.count(f'name="point-{theme.id}"') == 5 and '<details class="theme-points" open>' in row
    assert "other points" not in row


def test_editor_counts_of_new_notes_match_the_refresh_page(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in, slug="counted", rooms=3, people=9, rounds=2)
    report = services.create_report(summit.event, logged_in)
    assert services.pending_counts(report) == services.PendingCounts(0, 0, 0)
    note = summit.notes[0]
    note.key_points += "\n- 新しい論点"
    note.ideas = "・別のアイデア"  # the old idea is gone from the note: one changed point
    db.session.commit()
    found = services.pending(report)
    counts = services.pending_counts(report)
    assert (counts.points, counts.images, counts.changed) == (len(found.points), len(found.images), len(found.changed))
    assert counts == services.PendingCounts(2, 0, 1)
    editor = client.get("/manage/events/counted/report").get_data(as_text=True)
    assert "2 new items" in editor
