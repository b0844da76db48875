"""The demo loads realistic data and running it twice duplicates nothing."""

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

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
