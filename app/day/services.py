"""State changes on the day: rounds by hand, broadcasts, personal links, check-in, late arrivals, Zoom reconcile."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Organizer
from app.day import holders
from app.day.models import Broadcast, LiveState
from app.day.queries import event_moment, forget_programme
from app.domain.live import next_round_after
from app.domain.schedule import Slot
from app.events.models import CafeRound, Event, ProgrammeItem
from app.extensions import db
from app.participants import services as participant_services
from app.participants.models import Participant, Role, Status, new_token
from app.signals import round_started

log = logging.getLogger(__name__)


class DayError(ValueError):
    """A refused change, with a message fit for the organiser."""


def live_state(event: Event) -> LiveState:
    """The event's live state row, created on first use."""
    state = db.session.scalar(select(LiveState).where(LiveState.event_id == event.id))
    if state is None:
        state = LiveState(event_id=event.id, revision=0)
        db.session.add(state)
        db.session.flush()
    return state


def _round_of(event: Event, round_id: int) -> CafeRound:
    found = db.session.scalar(
        select(CafeRound)
        .join(ProgrammeItem, ProgrammeItem.id == CafeRound.item_id)
        .where(CafeRound.id == round_id, ProgrammeItem.event_id == event.id)
    )
    if found is None:
        raise DayError(str(_l("That round does not belong to this event.")))
    return found


def start_round(event: Event, round_id: int, organizer: Organizer, now: datetime) -> CafeRound:
    """Start a round by hand now: it overrides the timetable until "back to timetable"."""
    rnd = _round_of(event, round_id)
    state = live_state(event)
    state.round_id = rnd.id
    state.started_at = now
    state.revision += 1
    round_started.send(event, round=rnd)  # webhooks queue their deliveries in this transaction
    db.session.commit()
    forget_programme(event.id)
    log.info("round started by hand: event=%s round=%s by organiser=%s", event.id, rnd.number, organizer.id)
    return rnd


def next_round(event: Event, organizer: Organizer, now: datetime) -> CafeRound:
    """Start the round after the one running (or last started by hand); the first one if none has run."""
    prog, moment, _ = event_moment(event.id, Slot(event.id, event.starts_at, event.ends_at), now)
    state = live_state(event)
    after = state.round_id if moment.overridden else moment.round
    if after is None and moment.next_round is not None:
        target = moment.next_round
    else:
        target = next_round_after(prog.slots, after)
    if target is None:
        raise DayError(str(_l("There is no next round: the last round is running.")))
    return start_round(event, int(target), organizer, now)  # type: ignore[call-overload]


def follow_timetable(event: Event, organizer: Organizer) -> None:
    """Drop the manual round: pages follow the timetable again."""
    state = live_state(event)
    state.round_id = None
    state.started_at = None
    state.revision += 1
    db.session.commit()
    forget_programme(event.id)
    log.info("back to timetable: event=%s by organiser=%s", event.id, organizer.id)


def post_broadcast(event: Event, body: str, organizer: Organizer, *, urgent: bool = False) -> Broadcast:
    """Show a message at the top of every personal page of the event."""
    body = body.strip()
    if not body:
        raise DayError(str(_l("The message is empty.")))
    message = Broadcast(event_id=event.id, body=body[:500], urgent=urgent, created_by_id=organizer.id)
    db.session.add(message)
    live_state(event).revision += 1
    db.session.commit()
    forget_programme(event.id)
    log.info("broadcast posted: event=%s id=%s by organiser=%s", event.id, message.id, organizer.id)
    return message


def delete_broadcast(event: Event, broadcast_id: int, organizer: Organizer) -> None:
    """Remove a message from the personal pages."""
    message = db.session.scalar(select(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.event_id == event.id))
    if message is None:
        raise DayError(str(_l("That message no longer exists.")))
    db.session.delete(message)
    live_state(event).revision += 1
    db.session.commit()
    forget_programme(event.id)
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
    person = _person_of(event, participant_id)
    person.token = new_token()
    person.token_issued_at = now
    db.session.commit()
    # The old token must stop working at once here; other workers see the change within their live check.
    holders.forget(event.id)
    # Never log the token itself.
    log.info("personal link re-issued: event=%s participant=%s by organiser=%s", event.id, person.id, organizer.id)
    return person


CHECKIN_STATUSES = (Status.PRESENT, Status.ABSENT, Status.REGISTERED)


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
    db.session.commit()
    log.info("check-in: event=%s %s people → %s by organiser=%s", event.id, changed, status.value, organizer.id)
    return changed


@dataclass(frozen=True)
class LateArrival:
    family_name: str
    given_name: str
    email: str
    organization: str


def add_late_arrival(event: Event, data: LateArrival, joins_round: int | None, organizer: Organizer) -> Participant:
    """Add someone who arrived late, present, joining from round `joins_round` on."""
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
    db.session.commit()
    log.info(
        "late arrival added: event=%s participant=%s joins_round=%s by organiser=%s",
        event.id,
        person.id,
        joins_round,
        organizer.id,
    )
    return person


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
    db.session.commit()
    log.info("zoom report applied: event=%s present=%s absent=%s by organiser=%s", event.id, *counts, organizer.id)
    return counts[0], counts[1]
