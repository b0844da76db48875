"""Calendar feeds (public and personal) and the SEQUENCE bookkeeping they share with emailed invitations."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import savepoint
from app.domain import calendar as rules
from app.events.models import Event
from app.extensions import db
from app.invites import calendars, drafting
from app.invites.calendars import Draft
from app.invites.ics import Entry, build_calendar
from app.invites.models import CalendarEntry, EntryKind
from app.participants.models import Participant, Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Feed:
    """A calendar file with its validators: the same content gives the same bytes, ETag and Last-Modified."""

    body: bytes
    last_modified: datetime | None

    @property
    def etag(self) -> str:
        return hashlib.blake2b(self.body, digest_size=16).hexdigest()


def _tracked(event: Event, person: Participant | None, kind: EntryKind) -> dict[str, CalendarEntry]:
    query = select(CalendarEntry).where(CalendarEntry.event_id == event.id, CalendarEntry.kind == kind)
    if person is None:
        query = query.where(CalendarEntry.participant_id.is_(None))
    else:
        query = query.where(CalendarEntry.participant_id == person.id)
    return {row.uid: row for row in db.session.scalars(query)}


def sync(
    event: Event,
    person: Participant | None,
    drafts: list[Draft],
    now: datetime,
    *,
    kind: EntryKind,
    cancel_all: bool = False,
    write: bool = True,
    tracked: dict[str, CalendarEntry] | None = None,
) -> list[Entry]:
    """Give each draft its SEQUENCE (stored, one up on a change) and cancel entries whose item is gone.

    With `write` False nothing is stored (a preview shows what sending would say). `tracked`: the
    holder's rows when the caller read them in bulk. The caller commits.
    """
    tracked = dict(tracked) if tracked is not None else _tracked(event, person, kind)
    entries: list[Entry] = []
    for draft in drafts:
        row = tracked.pop(draft.uid, None)
        if row is None:
            sequence, modified = rules.next_sequence(None, None, draft.fingerprint, draft.base_sequence), now
            if write:
                db.session.add(
                    CalendarEntry(
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
                        cancelled=cancel_all,
                    )
                )
        else:
            sequence, modified = row.sequence, row.last_modified
            moved = rules.next_sequence(row.sequence, row.fingerprint, draft.fingerprint, draft.base_sequence)
            if moved != row.sequence or row.cancelled != cancel_all:
                sequence, modified = max(moved, row.sequence + 1), now
                if write:
                    row.sequence, row.fingerprint, row.last_modified = sequence, draft.fingerprint, now
                    row.summary, row.starts_at, row.ends_at = draft.summary[:300], draft.starts_at, draft.ends_at
                    row.cancelled = cancel_all
        entries.append(replace(draft.entry(sequence, modified), cancelled=cancel_all))
    for row in tracked.values():  # the item (or round) left the programme: say so under its UID
        sequence, modified = row.sequence, row.last_modified
        if not row.cancelled:
            sequence, modified = row.sequence + 1, now
            if write:
                row.cancelled, row.sequence, row.last_modified = True, sequence, now
                log.info("calendar entry %s cancelled (gone from the programme)", row.uid)
        entries.append(
            Entry(row.uid, sequence, row.summary, row.starts_at, row.ends_at, last_modified=modified, cancelled=True)
        )
    return sorted(entries, key=lambda e: (e.starts_at, e.uid))


def tracked_by_person(
    event: Event, kind: EntryKind, person_ids: list[int] | None = None
) -> dict[int, dict[str, CalendarEntry]]:
    """Holders' rows of one kind in one query (participant id → UID → row), for sends in bulk."""
    found: dict[int, dict[str, CalendarEntry]] = {}
    query = select(CalendarEntry).where(CalendarEntry.event_id == event.id, CalendarEntry.kind == kind)
    if person_ids is not None:
        query = query.where(CalendarEntry.participant_id.in_(person_ids))
    for row in db.session.scalars(query):
        if row.participant_id is not None:
            found.setdefault(row.participant_id, {})[row.uid] = row
    return found


def _synced(
    event: Event, person: Participant | None, drafts: list[Draft], now: datetime, *, cancel_all: bool
) -> list[Entry]:
    """sync() for a feed request, written (the view commits); two clients polling at once may both insert: the
    unique UID decides in a savepoint, and the loser reads the winner's rows."""
    kind = EntryKind.PERSONAL if person else EntryKind.PUBLIC
    try:
        with savepoint():
            entries = sync(event, person, drafts, now, kind=kind, cancel_all=cancel_all)
    except IntegrityError:  # the other one stored the same rows
        entries = sync(event, person, drafts, now, kind=kind, cancel_all=cancel_all)
        db.session.flush()
    return entries


def _feed(entries: list[Entry], event: Event, now: datetime, name: str) -> Feed:
    body = build_calendar(
        entries,
        tz=event.timezone,
        organizer=calendars.organizer_of(event),
        name=name,
        refresh=rules.refresh_interval(now, event.starts_at, event.ends_at),
    )
    modified = max((e.last_modified for e in entries if e.last_modified), default=None)
    return Feed(body, modified)


def public_calendar(event: Event, now: datetime, language: str = "ja") -> Feed:
    """The programme as a public feed: one entry per item, no people, no meeting link unless it is public."""
    data = calendars.load(event, person_ids=())
    with force_locale(language):
        drafts = drafting.public_drafts(data)
    entries = _synced(event, None, drafts, now, cancel_all=False)
    return _feed(entries, event, now, event.title)


def personal_calendar(person: Participant, now: datetime) -> Feed:
    """One person's programme: an entry per café round with their room, host and link, their page in each.

    A withdrawn person's feed keeps every UID with STATUS:CANCELLED, so their calendar app removes them.
    """
    event = person.event
    data = calendars.load(event, person_ids=(person.id,))
    with force_locale(drafting.person_language(person)):
        drafts = drafting.person_drafts(data, person, invite=False)
        entries = _synced(event, person, drafts, now, cancel_all=person.status == Status.CANCELLED)
        name = _("%(event)s (my schedule)", event=event.title)
    return _feed(entries, event, now, name)
