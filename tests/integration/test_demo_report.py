"""The demo's report reads true: every room's notes are its own, so its themes are real groupings."""

from __future__ import annotations

from collections import Counter

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from app.domain.report import split_lines
from app.extensions import db
from app.notes.models import RoundNote
from app.reports.models import Report


def test_no_sentence_of_the_demo_notes_is_written_by_two_rooms(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["demo", "--password", "demo-password-123"]).exit_code == 0
    lines: Counter[str] = Counter()
    for note in db.session.scalars(select(RoundNote)):
        for field in (note.key_points, note.ideas, note.quotes):
            lines.update(split_lines(field))
        if note.summary:
            lines[note.summary] += 1
    assert lines and max(lines.values()) == 1, [line for line, n in lines.items() if n > 1]


def test_the_finished_events_round_two_opens_with_themes_of_several_rooms(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    assert runner.invoke(args=["demo", "--password", "demo-password-123"]).exit_code == 0
    report = db.session.scalar(select(Report))
    round_two = [t for t in report.themes if t.round.number == 2 and not t.hidden]
    sizes = sorted((len({p.room_id for p in t.points}) for t in round_two), reverse=True)
    assert len(sizes) >= 5 and sizes[0] >= 3
    page = client.get(f"/reports/{report.event.slug}").get_data(as_text=True)
    section = page[page.index('id="round-2"') : page.index('id="round-3"')]
    assert section.index('class="round-themes"') < section.index('class="report-room"')
    for name in ("脇田", "高倉"):  # the keynote speaker and a panelist
        found = client.get("/reports", query_string={"q": name}).get_data(as_text=True)
        assert report.event.slug in found and f"<mark>{name}</mark>" in found
