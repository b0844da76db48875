"""Invitations: who would get one, a preview for one real person, and queueing them in the outbox.

Each person gets one email whose calendar part (METHOD:PUBLISH) has an entry per programme item and per
café round with their room. What was sent is kept (`Invitation`), so the page knows who is up to date and
an update can say what changed. Queueing flushes; the caller (view, job, CLI) commits.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import outbox
from app.auth.models import Organizer
from app.domain.mail import SenderProblem, sender_problem
from app.events.models import Event, EventStatus
from app.extensions import db
from app.invites import calendars, composer, drafting, feeds, mailer
from app.invites.calendars import EventData
from app.invites.composer import Composed
from app.invites.models import CalendarEntry, EntryKind, Invitation
from app.outbox.models import OutboxMessage
from app.participants.models import Participant, Rsvp, Status

log = logging.getLogger(__name__)

outbox.register_sender("email", mailer.send_email)


class Audience:
    """Who an organiser sends to."""

    ALL = "all"
    CHANGED = "changed"
    ONE = "one"


class InviteError(ValueError):
    """A send that cannot be done (nobody to send to, unknown person, event or sender not ready)."""

    def __init__(self, message: object) -> None:
        super().__init__(message)  # kept lazy: translated when shown, in the reader's language
        self.lazy = message

    def __str__(self) -> str:
        return str(self.lazy)


_SENDER_MESSAGES = {
    SenderProblem.MISSING: _l(
        "Emails cannot be sent yet: no sender address is set. Set MAIL_FROM to the address of your "
        "mail relay's account (see the README, “Email”)."
    ),
    SenderProblem.MALFORMED: _l(
        "Emails cannot be sent: the sender address %(address)s is not a valid address. Fix MAIL_FROM (see the README, “Email”)."
    ),
    SenderProblem.PLACEHOLDER: _l(
        "Emails cannot be sent: the sender address %(address)s is a placeholder that mail servers reject or "
        "file as spam. Set MAIL_FROM to a real address of your organisation (see the README, “Email”)."
    ),
}


def problems(event: Event) -> list[str]:
    """Why invitations cannot go out now (empty when they can): a draft event, an unusable sender."""
    found = []
    if event.status == EventStatus.DRAFT:
        found.append(
            str(
                _l(
                    "This event is still a draft. Publish it (Event settings) before sending invitations: people would get links to pages they cannot open."
                )
            )
        )
    address = composer.sender()
    if (problem := sender_problem(address)) is not None:
        found.append(str(_SENDER_MESSAGES[problem]) % {"address": address})
    return found


@dataclass(frozen=True)
class Sent:
    """What a person was last sent, as the invites page and a send's plan need it (no ORM object)."""

    participant_id: int
    fingerprint: str
    sends: int
    cancelled: bool
    sent_at: datetime | None
    outbox_id: int | None


@dataclass(frozen=True)
class PersonRow:
    """A person as lists show them (plain values: 2,000 of them cost no ORM objects)."""

    id: int
    token: str
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    email: str
    organization: str
    department: str
    status: Status
    rsvp: Rsvp | None


@dataclass(frozen=True)
class Recipient:
    """A person and what an invitation for them means now."""

    person: PersonRow
    invitation: Sent | None
    changed: bool

    @property
    def withdrawn(self) -> bool:
        return self.person.status == Status.CANCELLED

    @property
    def holds_invitation(self) -> bool:
        return self.invitation is not None and self.invitation.sends > 0 and not self.invitation.cancelled

    @property
    def needs_sending(self) -> bool:
        if self.withdrawn:
            return self.holds_invitation
        return self.invitation is None or self.invitation.sends == 0 or self.invitation.cancelled or self.changed


def people(event: Event) -> list[PersonRow]:
    """Everyone of the event, in kana order."""
    rows = db.session.execute(
        select(
            Participant.id,
            Participant.token,
            Participant.family_name,
            Participant.given_name,
            Participant.family_kana,
            Participant.given_kana,
            Participant.email,
            Participant.organization,
            Participant.department,
            Participant.status,
            Participant.rsvp,
        )
        .where(Participant.event_id == event.id)
        .order_by(Participant.family_kana, Participant.family_name, Participant.given_kana, Participant.id)
    )
    return [PersonRow(*row) for row in rows]


def participants(person_ids: list[int]) -> dict[int, Participant]:
    """The Participant rows of these ids (to build their emails)."""
    if not person_ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_(person_ids)))}


def invitations(event: Event) -> dict[int, Sent]:
    """participant id → what they were last sent, in one light query."""
    rows = db.session.execute(
        select(
            Invitation.participant_id,
            Invitation.fingerprint,
            Invitation.sends,
            Invitation.cancelled,
            Invitation.sent_at,
            Invitation.outbox_id,
        ).where(Invitation.event_id == event.id)
    )
    return {row[0]: Sent(*row) for row in rows}


def invitations_of(person_ids: list[int]) -> dict[int, Invitation]:
    """participant id → their Invitation row, to update when sending (facts included: an update needs them)."""
    if not person_ids:
        return {}
    rows = db.session.scalars(select(Invitation).where(Invitation.participant_id.in_(person_ids)))
    return {row.participant_id: row for row in rows}


def recipients(
    event: Event, data: EventData | None = None, everyone: Iterable[PersonRow] | None = None
) -> list[Recipient]:
    """Every person with whether their invitation changed since it was sent (a few queries, whatever the size)."""
    data = data or calendars.load(event)
    sent = invitations(event)
    found = []
    for person in everyone if everyone is not None else people(event):
        invitation = sent.get(person.id)
        changed = bool(
            invitation is not None
            and invitation.sends
            and person.status != Status.CANCELLED
            and drafting.person_fingerprint(data, person) != invitation.fingerprint
        )
        found.append(Recipient(person, invitation, changed))
    return found


@dataclass(frozen=True)
class Plan:
    """Who a send would reach: invitations (new or updated) and withdrawals."""

    invite: list[Recipient]
    cancel: list[Recipient]
    unchanged: int

    @property
    def total(self) -> int:
        return len(self.invite) + len(self.cancel)


def plan(event: Event, audience: str, participant_id: int | None = None, data: EventData | None = None) -> Plan:
    """Who a send to `audience` would reach. ALL: everyone attending (unchanged ones get the same again);
    CHANGED: those never invited or whose invitation changed; ONE: one person. Withdrawn people who hold
    an invitation get a withdrawal in every mode (ONE: if it is them)."""
    everyone = recipients(event, data)
    if audience == Audience.ONE:
        everyone = [r for r in everyone if r.person.id == participant_id]
        if not everyone:
            raise InviteError(_l("This person is not part of the event."))
    invite, cancel, unchanged = [], [], 0
    for row in everyone:
        if row.withdrawn:
            if row.holds_invitation:
                cancel.append(row)
        elif audience == Audience.CHANGED and not row.needs_sending:
            unchanged += 1
        else:
            invite.append(row)
    return Plan(invite, cancel, unchanged)


def preview(event: Event, person: Participant, now: datetime) -> Composed:
    """Exactly what `person` would get if the organiser sent now, without storing anything."""
    data = calendars.load(event, person_ids=(person.id,))
    invitation = db.session.scalar(select(Invitation).where(Invitation.participant_id == person.id))
    cancel = person.status == Status.CANCELLED
    return composer.compose(data, person, invitation, now, cancel=cancel, write=False)


def queue_one(
    data: EventData,
    person: Participant,
    invitation: Invitation | None,
    organizer_name: str,
    now: datetime,
    *,
    cancel: bool,
    tracked: dict[str, CalendarEntry] | None = None,
    request_key: str | None = None,
) -> Invitation:
    """Build the person's invitation (or withdrawal), record it and put the email in the outbox (flushes).

    `tracked`: the person's invitation entries when the caller read them in bulk."""
    event = data.event
    composed = composer.compose(data, person, invitation, now, cancel=cancel, write=True, tracked=tracked)
    message_id = _message_id(request_key, person.id)
    email = composed.email(
        sender=composer.sender(), sender_name=organizer_name, recipient=person, message_id=message_id, date=now
    )
    message = outbox.enqueue(
        kind="email",
        event_id=event.id,
        participant_id=person.id,
        recipient=person.email,
        subject=composed.subject,
        payload=email.as_string(),
        message_id=message_id,
        now=now,
    )
    if invitation is None:
        invitation = Invitation(event_id=event.id, participant_id=person.id, sends=0)
        db.session.add(invitation)
    invitation.fingerprint = composed.fingerprint
    invitation.facts = json.dumps(composed.facts, ensure_ascii=False, sort_keys=True)
    invitation.cancelled = cancel
    invitation.sends = (invitation.sends or 0) + 1
    invitation.sent_at = now
    invitation.outbox = message
    db.session.flush()
    log.info(
        "invitation %s for participant %s queued (%s)", message_id, person.id, "withdrawal" if cancel else "invitation"
    )
    return invitation


def _message_id(request_key: str | None, person_id: int) -> str:
    """A new Message-ID; with the send's request key, the same one every time for this person, so a send
    submitted twice collides on the outbox's unique Message-ID instead of emailing anyone twice."""
    if not request_key:
        return outbox.new_message_id(calendars.uid_domain())
    digest = hashlib.sha256(f"{request_key}:{person_id}".encode()).hexdigest()[:24]
    return f"{digest}@{calendars.uid_domain()}"


@dataclass
class QueueResult:
    requests: int = 0
    cancels: int = 0
    unchanged: int = 0


def organizer_name(event: Event, organizer: Organizer | None) -> str:
    """The From name: the organiser's display name, else the event's title."""
    return (organizer.display_name if organizer is not None else "") or event.title


def queue_invites(
    event: Event,
    organizer: Organizer | None,
    audience: str,
    now: datetime,
    participant_id: int | None = None,
    *,
    enforce_readiness: bool = True,
    request_key: str | None = None,
) -> QueueResult:
    """Queue the emails of one send in the current transaction (the caller commits).

    Refused (InviteError) for a draft event, an unusable sender, or when nobody needs an email.
    """
    if enforce_readiness and (found := problems(event)):
        raise InviteError(" ".join(found))
    data = calendars.load(event)
    chosen = plan(event, audience, participant_id, data)
    if chosen.total == 0:
        raise InviteError(_l("There was nobody to send to: every invitation is up to date."))
    name = organizer_name(event, organizer)
    tracked = feeds.tracked_by_person(event, EntryKind.INVITE)
    rows = [(row.person.id, True) for row in chosen.cancel] + [(row.person.id, False) for row in chosen.invite]
    ids = [person_id for person_id, _cancel in rows]
    sent, found = invitations_of(ids), participants(ids)
    for person_id, cancel in rows:
        queue_one(
            data,
            found[person_id],
            sent.get(person_id),
            name,
            now,
            cancel=cancel,
            tracked=tracked.get(person_id, {}),
            request_key=request_key,
        )
    log.info("invites for %s: %s invitations, %s withdrawals", event.slug, len(chosen.invite), len(chosen.cancel))
    return QueueResult(len(chosen.invite), len(chosen.cancel), chosen.unchanged)


def invitation_ics(event: Event, person: Participant) -> bytes | None:
    """The calendar part of the person's last queued invitation (for the organiser to check)."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.participant_id == person.id)
    )
    message: OutboxMessage | None = invitation.outbox if invitation is not None else None
    if message is None:
        return None
    from email import message_from_string
    from email.policy import default

    parsed = message_from_string(message.payload, policy=default)
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else None
    return None


def mail_from_configured() -> bool:
    """Whether MAIL_FROM is a real address (for hints in the UI)."""
    return sender_problem(current_app.config.get("MAIL_FROM")) is None
