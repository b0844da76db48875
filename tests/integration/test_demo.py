"""The demo loads realistic data and running it twice duplicates nothing."""

import re
import stat
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.auth.models import Organizer
from app.events.models import Event, EventStatus, ProgrammeItem
from app.extensions import db


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


def test_demo_loads_an_upcoming_and_a_finished_event_and_is_idempotent(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["demo", "--password", "demo-password-123"])
    assert first.exit_code == 0, first.output
    assert "demo@tsunagu.example / demo-password-123" in first.output
    counts = _counts()
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert _counts() == counts
    statuses = set(db.session.scalars(select(Event.status)))
    assert statuses == {EventStatus.PUBLISHED, EventStatus.FINISHED}
    assert db.session.scalar(select(func.count()).select_from(Organizer)) == 1
    titles = set(db.session.scalars(select(ProgrammeItem.title)))
    assert "懇親会（オンライン飲み会）" in titles


def test_demo_shows_the_live_day(runner: FlaskCliRunner) -> None:
    """The finished event: two plan versions (the re-plan between rounds 1 and 2), a readable history with who
    made each change, and a clock move on its timeline; the upcoming event keeps its meeting link private."""
    from app.cafe.models import PlanChange, PlanVersion
    from app.day.models import ClockAction, ClockEntry
    from app.demo.programme import FINISHED_SLUG, UPCOMING_SLUG

    assert runner.invoke(args=["demo", "--password", "demo-password-123"]).exit_code == 0
    finished = db.session.scalar(select(Event).where(Event.slug == FINISHED_SLUG))
    upcoming = db.session.scalar(select(Event).where(Event.slug == UPCOMING_SLUG))
    cafe = next(i for i in finished.items if i.rounds)  # type: ignore[union-attr]
    versions = db.session.scalars(select(PlanVersion).where(PlanVersion.item_id == cafe.id)).all()
    assert [(v.number, v.rounds) for v in versions] == [(1, [1, 2, 3]), (2, [2, 3])]
    assert all(v.organizer_id is not None for v in versions)
    actions = [c.action for c in db.session.scalars(select(PlanChange).where(PlanChange.item_id == cafe.id))]
    assert {"generate", "publish", "absent", "replan"} <= set(actions)
    [entry] = db.session.scalars(select(ClockEntry).where(ClockEntry.event_id == finished.id)).all()  # type: ignore[union-attr]
    assert entry.action == ClockAction.EXTEND and entry.round.number == 2 and cafe.rounds[2].live_starts_at
    assert not upcoming.meeting_url_public  # type: ignore[union-attr]


def test_running_the_demo_again_keeps_the_password_and_prints_it_again(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """./dev.sh start runs `flask demo` each time: the login printed the first time keeps working."""
    remembered = tmp_path / "demo_password"
    monkeypatch.setitem(app.config, "DEMO_PASSWORD_FILE", str(remembered))

    def login_shown(output: str) -> str:
        found = re.search(r"Organiser login: demo@tsunagu\.example / (.+)", output)
        assert found, output
        return found.group(1).strip()

    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    password = login_shown(first.output)
    assert len(password) >= 12 and remembered.read_text().strip() == password
    assert stat.S_IMODE(remembered.stat().st_mode) == 0o600
    organizer = db.session.scalar(select(Organizer))
    assert organizer is not None
    hashed = organizer.password_hash
    assert check_password_hash(hashed, password)

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert login_shown(second.output) == password
    db.session.refresh(organizer)
    assert organizer.password_hash == hashed  # not even re-hashed

    # An explicit --password is set; a later plain run keeps it and does not print a stale one.
    assert runner.invoke(args=["demo", "--password", "chosen-password-1"]).exit_code == 0
    third = runner.invoke(args=["demo"])
    assert "unchanged" in login_shown(third.output) and password not in third.output
    db.session.refresh(organizer)
    assert check_password_hash(organizer.password_hash, "chosen-password-1")
