"""The finished demo summit's history at plausible times: rows the other steps stamped "now" are moved to
when they would have happened around 2020-07-25 (rooms set up before the plan, the report two weeks after,
"talk again" the evening after), keeping their order. Rows already in the past are left alone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from app.auth.models import Organizer
from app.cafe.models import KeepApart, PlanChange
from app.connections.models import ConnectionSettings, ContactCard, ContactPick, PersonNote, TalkAgain, TalkAgainMatch
from app.demo.programme import TOKYO, Events
from app.events.models import Event, ItemKind
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.participants.models import Participant
from app.reports.models import Report, ReportTheme, ReportVersion

# A row stamped this long after the event was stamped when the demo was loaded, not on the day.
LOADED_AFTER = timedelta(days=60)


def _local(event: Event, days: int, hhmm: str) -> datetime:
    """The event's day shifted by `days`, at hh:mm Tokyo time (aware, in UTC like every column)."""
    hour, minute = map(int, hhmm.split(":"))
    day = event.starts_at.astimezone(TOKYO) + timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0).astimezone(UTC)


def _spread(rows: Sequence[Any], column: str, start: datetime, step: timedelta, after: datetime) -> None:
    """Give the rows stamped after `after` consecutive times from `start`, `step` apart, in their order."""
    late = [row for row in rows if getattr(row, column) is not None and _naive(getattr(row, column)) > after]
    late.sort(key=lambda row: (_naive(getattr(row, column)), row.id))
    for index, row in enumerate(late):
        setattr(row, column, start + step * index)


def _naive(value: datetime) -> datetime:
    """Aware UTC (the columns' type gives aware values; a naive one is UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def restamp_finished(organizer: Organizer, events: Events | None) -> Events | None:
    """Move the finished summit's load-time stamps to plausible moments around its day."""
    if events is None:
        return events
    _upcoming, event = events
    after = _naive(event.ends_at) + LOADED_AFTER
    items = [item.id for item in event.items if item.kind == ItemKind.CAFE]
    people = select(Participant.id).where(Participant.event_id == event.id)

    # Preparation: the programme a couple of months before, registrations over the weeks before.
    if _naive(event.created_at) > after:
        event.created_at = _local(event, -60, "10:00")
    if _naive(event.updated_at) > after:
        event.updated_at = _local(event, -7, "17:30")
    registrations = db.session.scalars(select(Participant).where(Participant.event_id == event.id)).all()
    for column in ("created_at", "token_issued_at", "updated_at"):
        _spread(registrations, column, _local(event, -30, "09:00"), timedelta(minutes=90), after)

    # The café set up the afternoon before the plan was made: rooms, hosts, the keep-apart pair.
    if items:
        changes = db.session.scalars(select(PlanChange).where(PlanChange.item_id.in_(items))).all()
        made = [_naive(c.at) for c in changes if _naive(c.at) <= after and c.action == "generate"]
        plan_day = min(made) if made else _local(event, -7, "15:00")
        setup = [c for c in changes if _naive(c.at) > after]
        _spread(setup, "at", plan_day - timedelta(minutes=10 * (len(setup) + 1)), timedelta(minutes=10), after)
        for change in setup:
            change.organizer_id = change.organizer_id or organizer.id
        pairs = db.session.scalars(select(KeepApart).where(KeepApart.item_id.in_(items))).all()
        _spread(pairs, "created_at", plan_day - timedelta(minutes=15), timedelta(minutes=1), after)

    # Connections: contacts, notes and "talk again" in the evening after the summit and the day after.
    evening = _local(event, 0, "19:30")
    for model, column, owner in (
        (ContactCard, "updated_at", ContactCard.participant_id),
        (ContactPick, "created_at", ContactPick.owner_id),
        (PersonNote, "updated_at", PersonNote.author_id),
        (TalkAgain, "created_at", TalkAgain.from_id),
    ):
        rows = db.session.scalars(select(model).where(owner.in_(people))).all()
        _spread(rows, column, evening, timedelta(minutes=7), after)
    matches = db.session.scalars(select(TalkAgainMatch).where(TalkAgainMatch.event_id == event.id)).all()
    _spread(matches, "matched_at", _local(event, 1, "08:10"), timedelta(minutes=53), after)
    settings = db.session.scalar(select(ConnectionSettings).where(ConnectionSettings.event_id == event.id))
    if settings is not None and _naive(settings.updated_at) > after:
        settings.updated_at = _local(event, -3, "11:00")
    # The emails those matches sent went out a minute later.
    mails = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.event_id == event.id,
            or_(OutboxMessage.created_at > after, OutboxMessage.sent_at > after),
        )
    ).all()
    first_match = min((_naive(m.matched_at) for m in matches), default=_local(event, 1, "08:10"))
    for index, mail in enumerate(sorted(mails, key=lambda m: m.id)):
        when = first_match + timedelta(minutes=1 + index)
        mail.created_at = when
        for column in ("sent_at", "last_attempt_at", "next_attempt_at"):
            if getattr(mail, column) is not None:
                setattr(mail, column, when + timedelta(seconds=5))

    # The report: drafted three days after, published two weeks after.
    report = db.session.scalar(select(Report).where(Report.event_id == event.id))
    if report is not None:
        drafted = _local(event, 3, "10:00")
        if _naive(report.created_at) > after:
            report.created_at = drafted
        themes = db.session.scalars(select(ReportTheme).where(ReportTheme.report_id == report.id)).all()
        _spread(themes, "created_at", drafted, timedelta(seconds=1), after)
        versions = db.session.scalars(select(ReportVersion).where(ReportVersion.report_id == report.id)).all()
        _spread(versions, "published_at", _local(event, 12, "16:00"), timedelta(days=2), after)
        if _naive(report.updated_at) > after:
            report.updated_at = max((_naive(v.published_at) for v in versions), default=drafted)
    db.session.commit()
    return events
