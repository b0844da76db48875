"""Calendar feeds and invitations. Each public function is one transaction (commits at most once)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Organizer
from app.domain import calendar as rules
from app.events.models import Event
from app.extensions import db
from app.invites import calendars, mailer, outbox
from app.invites.calendars import Draft
from app.invites.ics import Entry, Person, build_calendar
from app.invites.models import CalendarEntry, EntryKind, OutboxMessage
from app.participants.models import Participant, Status

log = logging.getLogger(__name__)

outbox.register_sender("email", mailer.send_email)


@dataclass(frozen=True)
class Feed:
    """A calendar file and the METHOD it carries (for the Content-Type)."""

    body: bytes
    method: str


def _tracked(event: Event, person: Participant | None, kind: EntryKind) -> dict[str, CalendarEntry]:
    query = select(CalendarEntry).where(CalendarEntry.event_id == event.id, CalendarEntry.kind == kind)
    if person is None:
        query = query.where(CalendarEntry.participant_id.is_(None))
    else:
        query = query.where(CalendarEntry.participant_id == person.id)
    return {row.uid: row for row in db.session.scalars(query)}


def _new_row(
    draft: Draft, event: Event, person: Participant | None, kind: EntryKind, sequence: int, now: datetime
) -> CalendarEntry:
    return CalendarEntry(
        uid=draft.uid,
        kind=kind,
        event_id=event.id,
        participant_id=person.id if person else None,
        item_id=draft.item_id,
        sequence=sequence,
        fingerprint=draft.fingerprint,
        summary=draft.summary[:300],
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        last_modified=now,
    )


def _sync(
    event: Event, person: Participant | None, drafts: list[Draft], now: datetime, *, cancel_all: bool
) -> list[Entry]:
    """Give each draft its SEQUENCE (stored, one up on a change) and cancel entries whose item is gone."""
    kind = EntryKind.PERSONAL if person else EntryKind.PUBLIC
    tracked = _tracked(event, person, kind)
    entries: list[Entry] = []
    changed = False
    for draft in drafts:
        row = tracked.pop(draft.uid, None)
        if row is None:
            row = _new_row(
                draft, event, person, kind, rules.next_sequence(None, None, draft.fingerprint, draft.base_sequence), now
            )
            db.session.add(row)
            changed = True
        else:
            sequence = rules.next_sequence(row.sequence, row.fingerprint, draft.fingerprint, draft.base_sequence)
            if sequence != row.sequence or row.cancelled != cancel_all:
                sequence = max(sequence, row.sequence + 1)
                row.sequence, row.fingerprint, row.last_modified = sequence, draft.fingerprint, now
                row.summary, row.starts_at, row.ends_at = draft.summary[:300], draft.starts_at, draft.ends_at
                row.cancelled = cancel_all
                changed = True
        entries.append(replace(draft.entry(row.sequence, row.last_modified), cancelled=cancel_all))
    for row in tracked.values():  # the item was removed from the programme
        if not row.cancelled:
            row.cancelled, row.sequence, row.last_modified = True, row.sequence + 1, now
            changed = True
            log.info("calendar entry %s cancelled (item removed)", row.uid)
        entries.append(
            Entry(
                row.uid,
                row.sequence,
                row.summary,
                row.starts_at,
                row.ends_at,
                last_modified=row.last_modified,
                cancelled=True,
            )
        )
    if changed:
        try:
            db.session.commit()
        except IntegrityError:  # two calendar clients polled at once: the other one stored the same rows
            db.session.rollback()
            return _sync(event, person, drafts, now, cancel_all=cancel_all)
    return sorted(entries, key=lambda e: (e.starts_at, e.uid))


def public_calendar(event: Event, now: datetime, language: str = "ja") -> Feed:
    """The programme as a public feed: METHOD:PUBLISH, one VEVENT per item, no attendees."""
    with force_locale(language):
        drafts = [calendars.item_draft(event, item, None, None) for item in event.items]
    entries = _sync(event, None, drafts, now, cancel_all=False)
    return Feed(build_calendar(entries, method="PUBLISH", tz=event.timezone, now=now, name=event.title), "PUBLISH")


def personal_calendar(person: Participant, now: datetime) -> Feed:
    """One person's programme with their room, host and breakout link in every café round.

    A withdrawn person's feed keeps every UID with STATUS:CANCELLED (a feed is METHOD:PUBLISH; the
    iTIP CANCEL goes by email, one UID per message).
    """
    event = person.event
    with force_locale(calendars.person_language(person)):
        rooms = calendars.rooms_of(person, list(event.items))
        drafts = [calendars.item_draft(event, item, person, rooms) for item in event.items]
        withdrawn = person.status == Status.CANCELLED
        entries = _sync(event, person, drafts, now, cancel_all=withdrawn)
        name = _("%(event)s (my schedule)", event=event.title)
    return Feed(build_calendar(entries, method="PUBLISH", tz=event.timezone, now=now, name=name), "PUBLISH")


# ---- invitations (iMIP) -------------------------------------------------------------------------


class Audience:
    """Who an organiser sends to."""

    ALL = "all"
    CHANGED = "changed"
    ONE = "one"


class InviteError(ValueError):
    """A send that cannot be done (nobody to send to, unknown person)."""

    def __init__(self, message: object) -> None:
        super().__init__(message)  # kept lazy: translated when shown, in the reader's language
        self.lazy = message

    def __str__(self) -> str:
        return str(self.lazy)


@dataclass
class QueueResult:
    requests: int = 0
    cancels: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class InviteRow:
    """A line of the organiser's invite page: who, what was last sent, and whether it changed since."""

    person: Participant
    entry: CalendarEntry | None
    message: OutboxMessage | None
    changed: bool
    withdrawn: bool

    @property
    def needs_sending(self) -> bool:
        if self.withdrawn:
            return self.entry is not None and self.entry.method == "REQUEST"
        return self.entry is None or self.changed


def _people(event: Event) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.event_id == event.id)
            .order_by(Participant.family_kana, Participant.family_name, Participant.id)
        )
    )


def _invite_entries(event: Event) -> dict[int, CalendarEntry]:
    rows = db.session.scalars(
        select(CalendarEntry).where(CalendarEntry.event_id == event.id, CalendarEntry.kind == EntryKind.INVITE)
    )
    return {row.participant_id: row for row in rows if row.participant_id is not None}


def invite_rows(event: Event) -> list[InviteRow]:
    """Every person with what they last got and whether their invitation changed since."""
    entries = _invite_entries(event)
    rows = []
    for person in _people(event):
        entry = entries.get(person.id)
        withdrawn = person.status == Status.CANCELLED
        with force_locale(calendars.person_language(person)):
            changed = (
                entry is not None
                and not withdrawn
                and calendars.summit_draft(event, person).fingerprint != entry.fingerprint
            )
        rows.append(InviteRow(person, entry, entry.outbox if entry else None, changed, withdrawn))
    return rows


def _organizer_person(event: Event, organizer: Organizer) -> Person:
    return Person(organizer.display_name or event.title, current_app.config["MAIL_FROM"])


def queue_one(
    event: Event, person: Participant, organizer: Organizer, entry: CalendarEntry | None, cancel: bool, now: datetime
) -> CalendarEntry:
    """Build the person's invitation (or cancellation), record it and put the email in the outbox (no commit)."""
    with force_locale(calendars.person_language(person)):
        draft = calendars.summit_draft(event, person)
        if cancel:
            assert entry is not None
            sequence = entry.sequence + 1
            fingerprint = entry.fingerprint
        else:
            sequence = rules.next_sequence(
                entry.sequence if entry else None, entry.fingerprint if entry else None, draft.fingerprint
            )
            fingerprint = draft.fingerprint
        method = "CANCEL" if cancel else "REQUEST"
        ics_entry = replace(draft.entry(sequence, now), cancelled=cancel)
        ics = build_calendar(
            [ics_entry],
            method=method,
            tz=event.timezone,
            now=now,
            organizer=_organizer_person(event, organizer),
            attendee=Person(calendars.person_name(person), person.email),
        )
        context = {
            "event": event,
            "person": person,
            "draft": draft,
            "rooms": calendars.rooms_of(person, list(event.items)),
            "cancel": cancel,
            "update": entry is not None and not cancel,
            "calendar_url": calendars.personal_calendar_url(person),
            "event_url": calendars.external("events.show", slug=event.slug),
            "personal_url": calendars.base_url() + f"/p/{person.token}",
        }
        if cancel:
            subject = _("Cancelled: %(event)s", event=event.title)
        elif entry is not None:
            subject = _("Updated invitation: %(event)s", event=event.title)
        else:
            subject = _("Invitation: %(event)s", event=event.title)
        message_id = outbox.new_message_id(calendars.uid_domain())
        email = mailer.build_email(
            sender=current_app.config["MAIL_FROM"],
            sender_name=organizer.display_name or "Tsunagu",
            recipient=person.email,
            recipient_name=calendars.person_name(person),
            subject=subject,
            text=render_template("email/invite.txt", **context),
            html=render_template("email/invite.html", **context),
            ics=ics,
            method=method,
            message_id=message_id,
            date=now,
        )
    message = outbox.enqueue(
        kind="email",
        event_id=event.id,
        participant_id=person.id,
        recipient=person.email,
        subject=subject,
        payload=email.as_string(),
        message_id=message_id,
        now=now,
    )
    if entry is None:
        entry = CalendarEntry(
            uid=draft.uid,
            kind=EntryKind.INVITE,
            event_id=event.id,
            participant_id=person.id,
            fingerprint=fingerprint,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
        )
        db.session.add(entry)
    entry.sequence, entry.fingerprint, entry.method = sequence, fingerprint, method
    entry.summary, entry.starts_at, entry.ends_at = draft.summary[:300], draft.starts_at, draft.ends_at
    entry.cancelled, entry.sent_at, entry.last_modified, entry.outbox = cancel, now, now, message
    log.info("invite %s queued for participant %s: %s SEQUENCE %s", entry.uid, person.id, method, sequence)
    return entry


def queue_invites(
    event: Event, organizer: Organizer, audience: str, now: datetime, participant_id: int | None = None
) -> QueueResult:
    """Queue invitation emails in one transaction with the record of what was sent.

    ALL: everyone attending (an unchanged invitation is sent again with the same SEQUENCE);
    CHANGED: those never invited or whose invitation changed since; ONE: one person.
    Withdrawn people who hold an invitation get a CANCEL in every mode.
    """
    result = QueueResult()
    rows = invite_rows(event)
    if audience == Audience.ONE:
        rows = [r for r in rows if r.person.id == participant_id]
        if not rows:
            raise InviteError(_l("This person is not part of the event."))
    for row in rows:
        if row.withdrawn:
            if row.entry is not None and row.entry.method == "REQUEST":
                queue_one(event, row.person, organizer, row.entry, True, now)
                result.cancels += 1
            continue
        if audience == Audience.CHANGED and not row.needs_sending:
            result.unchanged += 1
            continue
        queue_one(event, row.person, organizer, row.entry, False, now)
        result.requests += 1
    if result.requests + result.cancels == 0:
        db.session.rollback()
        raise InviteError(_l("There was nobody to send to: every invitation is up to date."))
    db.session.commit()
    log.info("invites for %s: %s requests, %s cancellations", event.slug, result.requests, result.cancels)
    return result


def invitation_ics(event: Event, person: Participant) -> bytes | None:
    """The calendar part of the person's last queued invitation (for the organiser to check)."""
    entry = _invite_entries(event).get(person.id)
    if entry is None or entry.outbox is None:
        return None
    from email import message_from_string
    from email.policy import default

    parsed = message_from_string(entry.outbox.payload, policy=default)
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True)
    return None
