"""State changes on the day: the clock (start, extend, end rounds), broadcasts, links, check-in, late arrivals, Zoom.

Each function writes (flushes) and its caller (the console's views) commits once. What this process keeps of
the day (timetable, roster, live check: docs/day-caching.md) is dropped only after that commit: dropped before
it, another request could read the old rows and keep them again under the new live check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Organizer
from app.day import holders
from app.day.models import Broadcast, ClockAction, ClockEntry, LiveState
from app.day.timetable import forget_programme
from app.db import after_commit, utcnow
from app.domain import clock
from app.events.models import CafeRound, Event, ProgrammeItem
from app.extensions import db
from app.participants import queries as participant_queries
from app.participants import services as participant_services
from app.participants.models import Participant, Role, Status, new_token
from app.signals import round_started

log = logging.getLogger(__name__)


class DayError(ValueError):
    """A refused change, with a message fit for the organiser."""


def live_state(event: Event, *, lock: bool = False) -> LiveState:
    """The event's live state row, created on first use; `lock` holds it until the commit (PostgreSQL)."""
    query = select(LiveState).where(LiveState.event_id == event.id)
    state = db.session.scalar(query.with_for_update() if lock else query)
    if state is None:
        state = LiveState(event_id=event.id, revision=0)
        db.session.add(state)
        db.session.flush()
    return state


def _forget_after_commit(event_id: int) -> None:
    """This process's timetable, seating, roster and live check of the event go once the change is committed."""
    after_commit(lambda: forget_programme(event_id))


def _cafe_rounds(event: Event, now: datetime) -> list[CafeRound]:
    """The rounds of the café the clock is about: the one with a running round, else the next round's café."""
    rounds = list(
        db.session.scalars(
            select(CafeRound)
            .join(ProgrammeItem, ProgrammeItem.id == CafeRound.item_id)
            .where(ProgrammeItem.event_id == event.id)
            .order_by(CafeRound.item_id, CafeRound.number)
        )
    )
    times = [r.times for r in rounds]
    focus = clock.running(times, now)
    if focus is None:
        coming = [t for t in times if not t.has_started(now)]
        focus = min(coming, key=lambda t: t.starts_at, default=None)
    if focus is None:
        return []
    item_id = next(r.item_id for r in rounds if r.id == focus.key)
    return [r for r in rounds if r.item_id == item_id]


_CLOCK_MESSAGES = {
    clock.NOTHING_RUNNING: _l("No round is running now."),
    clock.NOTHING_TO_START: _l("There is no next round: every round has started."),
    clock.ENDS_IN_THE_PAST: _l("That would end the round in the past. Use “End the round now” instead."),
    clock.NOT_NEXT: _l("That round is not the next one any more (the console was out of date). Nothing was changed."),
    clock.TOO_LONG: _l("A round cannot last longer than four hours."),
}


def _move_clock(
    event: Event,
    organizer: Organizer,
    now: datetime,
    move: Callable[[list[clock.RoundTimes]], list[clock.RoundTimes]],
    action: Callable[[list[clock.RoundTimes], list[clock.RoundTimes]], tuple[ClockAction, int, int]],
) -> CafeRound:
    """Apply a clock move to the café's rounds, log it for the timeline and let every page know."""
    state = live_state(event, lock=True)  # one clock move at a time per event (two organisers, one click each)
    rounds = _cafe_rounds(event, now)
    before = [r.times for r in rounds]
    try:
        after = move(before)
    except clock.ClockError as error:
        raise DayError(str(_CLOCK_MESSAGES[error.reason])) from error
    kind, round_id, minutes = action(before, after)
    by_id = {r.id: r for r in rounds}
    for times in clock.changed(before, after):
        row = by_id[int(times.key)]  # type: ignore[call-overload]
        row.live_starts_at, row.live_ends_at = times.live_start, times.live_end
    target = by_id[round_id]
    db.session.add(
        ClockEntry(
            event_id=event.id,
            round_id=round_id,
            action=kind,
            minutes=minutes,
            ends_at=target.actual_ends_at,
            at=now,
            organizer_id=organizer.id,
        )
    )
    state.revision += 1
    if kind == ClockAction.START:
        round_started.send(event, round=target)  # webhooks queue their deliveries in this transaction
    db.session.flush()
    _forget_after_commit(event.id)
    log.info(
        "clock: event=%s round=%s %s %s min by organiser=%s", event.id, target.number, kind.value, minutes, organizer.id
    )
    return target


def start_next_round(event: Event, organizer: Organizer, now: datetime, *, round_id: int | None = None) -> CafeRound:
    """Start the next round now (the running one ends now); the later rounds move by as much.

    `round_id` is the round the console offered: if another organiser started it meanwhile, nothing changes.
    """

    def action(before: list[clock.RoundTimes], after: list[clock.RoundTimes]) -> tuple[ClockAction, int, int]:
        target = clock.next_to_start(before, now)
        assert target is not None  # start_next raised otherwise
        return ClockAction.START, int(target.key), 0  # type: ignore[call-overload]

    return _move_clock(event, organizer, now, lambda r: clock.start_next(r, now, round_id), action)


def extend_round(event: Event, minutes: int, organizer: Organizer, now: datetime) -> CafeRound:
    """The running round ends `minutes` later (earlier if negative); between rounds, the next one moves instead."""
    if minutes == 0 or not -120 <= minutes <= 120:
        raise DayError(str(_l("Give a number of minutes between 1 and 120.")))

    def action(before: list[clock.RoundTimes], after: list[clock.RoundTimes]) -> tuple[ClockAction, int, int]:
        current = clock.running(before, now)
        if current is not None:
            kind = ClockAction.EXTEND if minutes > 0 else ClockAction.SHORTEN
            return kind, int(current.key), abs(minutes)  # type: ignore[call-overload]
        coming = clock.next_to_start(before, now)
        assert coming is not None
        kind = ClockAction.POSTPONE if minutes > 0 else ClockAction.ADVANCE
        return kind, int(coming.key), abs(minutes)  # type: ignore[call-overload]

    return _move_clock(event, organizer, now, lambda r: clock.extend(r, minutes, now), action)


def end_round(event: Event, organizer: Organizer, now: datetime) -> CafeRound:
    """End the running round now; the later rounds move earlier by as much."""

    def action(before: list[clock.RoundTimes], after: list[clock.RoundTimes]) -> tuple[ClockAction, int, int]:
        current = clock.running(before, now)
        assert current is not None
        left = int((current.ends_at - now).total_seconds() // 60)
        return ClockAction.END, int(current.key), left  # type: ignore[call-overload]

    return _move_clock(event, organizer, now, lambda r: clock.end_now(r, now), action)


def post_broadcast(event: Event, body: str, organizer: Organizer, *, urgent: bool = False) -> Broadcast:
    """Show a message at the top of every personal page of the event."""
    body = body.strip()
    if not body:
        raise DayError(str(_l("The message is empty.")))
    message = Broadcast(event_id=event.id, body=body[:500], urgent=urgent, created_by_id=organizer.id)
    db.session.add(message)
    live_state(event).revision += 1
    db.session.flush()
    _forget_after_commit(event.id)
    log.info("broadcast posted: event=%s id=%s by organiser=%s", event.id, message.id, organizer.id)
    return message


def delete_broadcast(event: Event, broadcast_id: int, organizer: Organizer) -> None:
    """Remove a message from the personal pages."""
    message = db.session.scalar(select(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.event_id == event.id))
    if message is None:
        raise DayError(str(_l("That message no longer exists.")))
    db.session.delete(message)
    live_state(event).revision += 1
    db.session.flush()
    _forget_after_commit(event.id)
    log.info("broadcast deleted: event=%s id=%s by organiser=%s", event.id, broadcast_id, organizer.id)


def _person_of(event: Event, participant_id: int) -> Participant:
    person = db.session.scalar(
        select(Participant).where(Participant.id == participant_id, Participant.event_id == event.id)
    )
    if person is None:
        raise DayError(str(_l("That person is not in this event.")))
    return person


def reissue_token(event: Event, participant_id: int, organizer: Organizer, now: datetime) -> Participant:
    """Give a person a new personal link; the old one stops working at once."""
    person, event_id = _person_of(event, participant_id), event.id
    person.token = new_token()
    person.token_issued_at = now
    db.session.flush()
    # The old token must stop working at once here (once committed); other workers see the change within
    # their live check.
    after_commit(lambda: holders.forget(event_id))
    # Never log the token itself.
    log.info("personal link re-issued: event=%s participant=%s by organiser=%s", event.id, person.id, organizer.id)
    return person


CHECKIN_STATUSES = (Status.PRESENT, Status.ABSENT, Status.REGISTERED)
CHECKIN_VALUES = frozenset(s.value for s in CHECKIN_STATUSES)


def set_attendance(event: Event, participant_ids: Iterable[int], status: Status, organizer: Organizer) -> int:
    """Mark people present, absent or back to registered; returns how many changed."""
    if status not in CHECKIN_STATUSES:
        raise DayError(str(_l("Unknown check-in status.")))
    ids = set(participant_ids)
    if not ids:
        raise DayError(str(_l("Choose at least one person.")))
    people = db.session.scalars(
        select(Participant).where(Participant.event_id == event.id, Participant.id.in_(ids))
    ).all()
    changed = 0
    for person in people:
        if person.status != status:
            person.status = status
            changed += 1
    db.session.flush()
    log.info("check-in: event=%s %s people → %s by organiser=%s", event.id, changed, status.value, organizer.id)
    return changed


@dataclass(frozen=True)
class LateArrival:
    family_name: str
    given_name: str
    email: str
    organization: str


def _joining_round(event: Event, joins_round: int | None, now: datetime) -> int | None:
    """The round a latecomer joins: one that has not started (the past is frozen); by default the next one."""
    rounds = _cafe_rounds(event, now)
    if not rounds:
        return joins_round
    if joins_round is None:
        coming = clock.next_to_start([r.times for r in rounds], now)
        return coming.number if coming else None
    chosen = next((r for r in rounds if r.number == joins_round), None)
    if chosen is None:
        raise DayError(str(_l("Round %(number)s does not exist.", number=joins_round)))
    if chosen.has_started(now):
        raise DayError(
            str(
                _l("Round %(number)s has already started: a latecomer joins a round still to come.", number=joins_round)
            )
        )
    return joins_round


def add_late_arrival(
    event: Event, data: LateArrival, joins_round: int | None, organizer: Organizer, now: datetime | None = None
) -> Participant:
    """Add someone who arrived late, present, joining from round `joins_round` on (by default the next round)."""
    joins_round = _joining_round(event, joins_round, now or utcnow())
    try:
        person = participant_services.add_participant(
            event,
            by=organizer,
            family_name=data.family_name,
            given_name=data.given_name,
            email=data.email,
            organization=data.organization,
            role=Role.PARTICIPANT,
            status=Status.PRESENT,
        )
    except participant_services.ParticipantError as error:
        raise DayError(str(error)) from error
    # The participants feature does not set joins_round; it is the re-plan's input, so it is ours to set.
    person.joins_round = joins_round
    db.session.flush()
    log.info(
        "late arrival added: event=%s participant=%s joins_round=%s by organiser=%s",
        event.id,
        person.id,
        joins_round,
        organizer.id,
    )
    return person


def add_late_arrivals(
    event: Event,
    arrivals: list[LateArrival],
    joins_round: int | None,
    organizer: Organizer,
    now: datetime | None = None,
) -> list[Participant]:
    """Add several latecomers at once (a pasted list): all of them, or none when one cannot be added.

    Each is present and joins from `joins_round` (by default the next round to start).
    """
    if not arrivals:
        raise DayError(str(_l("The list is empty: paste one person a line (name, email, organisation).")))
    joins_round = _joining_round(event, joins_round, now or utcnow())
    taken = [a.email for a in arrivals if participant_queries.participant_by_email(event, a.email) is not None]
    if taken:
        raise DayError(
            str(
                _l(
                    "Already in this event: %(emails)s. Nothing was added; take them off the list.",
                    emails=", ".join(taken),
                )
            )
        )
    added = []
    for data in arrivals:
        try:
            person = participant_services.add_participant(
                event,
                by=organizer,
                family_name=data.family_name,
                given_name=data.given_name,
                email=data.email,
                organization=data.organization,
                role=Role.PARTICIPANT,
                status=Status.PRESENT,
            )
        except participant_services.ParticipantError as error:
            raise DayError(f"{data.family_name} {data.given_name}: {error}") from error
        person.joins_round = joins_round
        added.append(person)
    db.session.flush()
    log.info(
        "late arrivals added: event=%s count=%s joins_round=%s by organiser=%s",
        event.id,
        len(added),
        joins_round,
        organizer.id,
    )
    return added


def apply_attendance(
    event: Event, present_ids: Iterable[int], absent_ids: Iterable[int], organizer: Organizer
) -> tuple[int, int]:
    """Apply a reconciled Zoom report: the matched present, the rest of the roster absent."""
    present, absent = set(present_ids), set(absent_ids) - set(present_ids)
    people = db.session.scalars(
        select(Participant).where(Participant.event_id == event.id, Participant.id.in_(present | absent))
    ).all()
    counts = [0, 0]
    for person in people:
        if person.status == Status.CANCELLED:
            continue  # a cancellation is the person's own word; a report does not undo it
        if person.id in present:
            person.status = Status.PRESENT
            counts[0] += 1
        else:
            person.status = Status.ABSENT
            counts[1] += 1
    db.session.flush()
    log.info("zoom report applied: event=%s present=%s absent=%s by organiser=%s", event.id, *counts, organizer.id)
    return counts[0], counts[1]
