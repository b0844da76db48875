"""Demo invitations: invites sent (no SMTP connection: marked as sent), a cancellation and attendance answers
(the demo's webhooks are in app/demo/webhooks.py)."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.models import Organizer
from app.day import services as day_services
from app.db import utcnow
from app.events.models import Event
from app.extensions import db
from app.invites import calendars, rsvp, services
from app.invites import jobs as invite_jobs
from app.invites.models import Invitation
from app.jobs.models import Job, JobState
from app.outbox.models import MessageStatus, OutboxMessage
from app.participants import services as participant_services
from app.participants.models import Participant, Rsvp, Status

log = logging.getLogger(__name__)

Events = tuple[Event, Event]


def _mark_sent(event: Event, at: object) -> None:
    """The demo never talks to an SMTP server: what it queued is recorded as delivered."""
    for message in db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.event_id == event.id,
            OutboxMessage.kind == "email",
            OutboxMessage.status == MessageStatus.PENDING,
        )
    ):
        message.status, message.attempts, message.sent_at, message.last_status_code = MessageStatus.SENT, 1, at, 250
        message.last_attempt_at = at
    db.session.commit()


def _record_send(event: Event, organizer: Organizer, at: datetime, result: services.QueueResult) -> None:
    """The send to everyone as the worker would have recorded it, so the invites page shows its outcome."""
    total = result.requests + result.cancels
    db.session.add(
        Job(
            kind=invite_jobs.KIND,
            key=invite_jobs.job_key(event.id, "demo-first-send"),
            event_id=event.id,
            payload=json.dumps({"audience": services.Audience.ALL, "request_key": "demo-first-send"}),
            state=JobState.DONE,
            done=total,
            total=total,
            result=json.dumps(
                {"invitations": result.requests, "cancellations": result.cancels, "unchanged": result.unchanged}
            ),
            attempts=1,
            created_by_id=organizer.id,
            created_at=at,
            started_at=at,
            finished_at=at + timedelta(minutes=2),
            run_after=at,
        )
    )


def _seed_invites(event: Event, organizer: Organizer) -> None:
    if db.session.scalar(select(Invitation.id).where(Invitation.event_id == event.id)):
        return
    now = utcnow()
    first = now - timedelta(days=3)
    name = services.organizer_name(event, organizer)
    withdrawn = db.session.scalars(
        select(Participant)
        .where(Participant.event_id == event.id, Participant.status == Status.CANCELLED)
        .order_by(Participant.id)
    ).first()
    if withdrawn is not None:  # invited before they withdrew: the next send cancels their invitation
        services.queue_one(calendars.load(event), withdrawn, None, name, first, cancel=False)
        db.session.commit()
    # The demo never has a real sender address (MAIL_FROM), and nothing leaves the machine: history only.
    try:
        result = services.queue_invites(event, organizer, services.Audience.ALL, first, enforce_readiness=False)
    except services.InviteError:
        db.session.rollback()
        return
    _record_send(event, organizer, first, result)
    db.session.commit()
    _mark_sent(event, first + timedelta(minutes=2))
    _answer(event, first)
    try:
        services.queue_invites(
            event, organizer, services.Audience.CHANGED, now - timedelta(days=1), enforce_readiness=False
        )
        db.session.commit()
    except services.InviteError:
        db.session.rollback()
    _mark_sent(event, now - timedelta(days=1) + timedelta(minutes=1))
    _after_the_invitations(event, organizer, now)
    log.info("demo invites recorded for %s", event.slug)


LATE = (
    ("田中", "美咲", "たなか", "みさき", "横浜市", "政策局", "misaki.tanaka@city.yokohama.lg.jp"),
    ("村上", "大輔", "むらかみ", "だいすけ", "福岡市", "総務企画局", "daisuke.murakami@city.fukuoka.lg.jp"),
)


def _after_the_invitations(event: Event, organizer: Organizer, now: datetime) -> None:
    """What the invites page then has to send: two people who registered since, and one whose lost
    personal link was re-issued (their invitation changed: the preview says so)."""
    for family, given, family_kana, given_kana, org, dept, email in LATE:
        participant_services.add_participant(
            event,
            by=organizer,
            family_name=family,
            given_name=given,
            family_kana=family_kana,
            given_kana=given_kana,
            organization=org,
            department=dept,
            email=email,
        )
    db.session.commit()
    someone = db.session.scalars(
        select(Participant)
        .where(
            Participant.event_id == event.id,
            Participant.status != Status.CANCELLED,
            Participant.rsvp.is_(None),
            Participant.id.in_(select(Invitation.participant_id).where(Invitation.event_id == event.id)),
        )
        .order_by(Participant.id.desc())
    ).first()
    if someone is not None:
        day_services.reissue_token(event, someone.id, organizer, now - timedelta(hours=5))


def _answer(event: Event, invited_at: datetime) -> None:
    """Most people answered on their personal page after the invitation; some did not (yet)."""
    people = db.session.scalars(
        select(Participant)
        .where(Participant.event_id == event.id, Participant.status != Status.CANCELLED)
        .order_by(Participant.id)
    ).all()
    for index, person in enumerate(people):
        if index % 10 in (0, 1, 2, 3, 4, 5, 6):
            answer = Rsvp.YES
        elif index % 10 == 7:
            answer = Rsvp.MAYBE
        elif index % 20 == 8:
            answer = Rsvp.NO
        else:
            continue  # no answer yet
        rsvp.answer(person, answer, invited_at + timedelta(hours=2 + index % 40))
    db.session.commit()


def seed_invites(organizer: Organizer, events: Events | None) -> Events | None:
    """Invitations (sent, one cancelled) and attendance answers for the upcoming demo event."""
    if not events:
        return events
    upcoming, _finished = events
    _seed_invites(upcoming, organizer)
    return events
