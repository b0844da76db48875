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
    assert re.search(r"Loading the demo \(1/\d+\): programme…", first.output)  # progress while it loads
    counts = _counts()
    assert counts["job"] == 1  # the first send to everyone, as the worker recorded it
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
    versions = db.session.scalars(
        select(PlanVersion).where(PlanVersion.item_id == cafe.id).order_by(PlanVersion.number)
    ).all()
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


def test_the_demo_reads_like_a_real_summit(runner: FlaskCliRunner) -> None:
    """Names, titles, dates and history a real organiser would not call fake (issue 15, item 6)."""
    from datetime import timedelta

    from app.cafe.models import CafePlan, PlanChange
    from app.connections.models import TalkAgainMatch
    from app.demo.programme import FINISHED_SLUG, TOKYO, UPCOMING_SLUG
    from app.events.models import ItemKind
    from app.outbox.models import OutboxMessage
    from app.participants.models import Participant
    from app.reports.models import Report, ReportVersion

    assert runner.invoke(args=["demo", "--password", "demo-password-123"]).exit_code == 0
    names = {(p.family_name, p.given_name) for p in db.session.scalars(select(Participant))}
    assert not {("遅刻", "一郎"), ("途中", "花子")} & names
    assert not any(family in {"遅刻", "途中", "テスト", "デモ"} for family, _ in names)
    assert "デモ" not in (db.session.scalar(select(Organizer.display_name)) or "")
    events = {e.slug: e for e in db.session.scalars(select(Event))}
    upcoming, finished = events[UPCOMING_SLUG], events[FINISHED_SLUG]
    local_year = upcoming.starts_at.astimezone(TOKYO).year
    assert str(local_year) in upcoming.title and not re.search(r"20\d\d", upcoming.title.replace(str(local_year), ""))
    for event in (upcoming, finished):
        cafe = next(i for i in event.items if i.kind == ItemKind.CAFE)
        assert f"{len(cafe.rounds)}ラウンド" in cafe.description, event.slug

    # The finished summit's history happened around its day, not when the demo was loaded.
    start, end = finished.starts_at, finished.ends_at
    cafe = next(i for i in finished.items if i.kind == ItemKind.CAFE)
    changes = db.session.scalars(select(PlanChange).where(PlanChange.item_id == cafe.id).order_by(PlanChange.id))
    stamps = [(c.action, c.at) for c in changes]
    assert stamps and all(start - timedelta(days=30) <= at <= end for _action, at in stamps), stamps
    assert [at for _a, at in stamps] == sorted(at for _a, at in stamps)  # in the order they were done
    assert all(c.organizer_id for c in db.session.scalars(select(PlanChange).where(PlanChange.item_id == cafe.id)))
    plan = db.session.scalar(select(CafePlan).where(CafePlan.item_id == cafe.id))
    assert plan is not None and start - timedelta(days=30) <= plan.generated_at <= end  # "draft made" on the day
    report = db.session.scalar(select(Report).where(Report.event_id == finished.id))
    assert report is not None and end < report.created_at < end + timedelta(days=30)
    for version in db.session.scalars(select(ReportVersion).where(ReportVersion.report_id == report.id)):
        assert end < version.published_at < end + timedelta(days=30)
    for match in db.session.scalars(select(TalkAgainMatch).where(TalkAgainMatch.event_id == finished.id)):
        assert end < match.matched_at < end + timedelta(days=3)
    for mail in db.session.scalars(select(OutboxMessage).where(OutboxMessage.event_id == finished.id)):
        assert mail.created_at < end + timedelta(days=3) and (
            mail.sent_at is None or mail.sent_at < end + timedelta(days=3)
        )
    for person in db.session.scalars(select(Participant).where(Participant.event_id == finished.id)):
        assert person.created_at < start


def test_a_demo_loaded_before_gets_the_year_free_address(runner: FlaskCliRunner) -> None:
    from app.demo.programme import LEGACY_UPCOMING_SLUG, UPCOMING_SLUG

    assert runner.invoke(args=["demo", "--password", "demo-password-123"]).exit_code == 0
    upcoming = db.session.scalar(select(Event).where(Event.slug == UPCOMING_SLUG))
    assert upcoming is not None
    upcoming.slug = LEGACY_UPCOMING_SLUG  # as demos loaded before this change named it
    db.session.commit()
    counts = _counts()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert set(db.session.scalars(select(Event.slug))) >= {UPCOMING_SLUG}
    assert db.session.scalar(select(Event).where(Event.slug == LEGACY_UPCOMING_SLUG)) is None
    assert _counts() == counts  # renamed, nothing duplicated
