"""State changes of events and their programme. Each function writes (flushes); its caller — the view, the
CLI command — commits once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import Organizer
from app.db import savepoint
from app.domain import schedule
from app.domain.slugs import readable_slug
from app.events.models import (
    Event,
    EventStatus,
    ItemKind,
    OrganizerInvite,
    ProgrammeItem,
)
from app.extensions import db

log = logging.getLogger(__name__)


class ProgrammeError(ValueError):
    """A change that would break the programme; `field` names the form field to blame."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


class ConflictError(ValueError):
    """The record changed since the form was opened (optimistic locking)."""


@dataclass(frozen=True)
class EventData:
    title: str
    description: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    meeting_url: str
    slug: str = ""
    meeting_url_public: bool = False


@dataclass(frozen=True)
class ItemData:
    kind: ItemKind
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    room_size_min: int = 4
    room_size_max: int = 6


def item_slot(item: ProgrammeItem) -> schedule.Slot:
    """An item's time as the schedule checks see it."""
    return schedule.Slot(item.id, item.starts_at, item.ends_at)


def event_window(event: Event) -> schedule.Slot:
    """The event's time window, inside which every item must fit."""
    return schedule.Slot("event", event.starts_at, event.ends_at)


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise ConflictError("changed by someone else")


def raise_first_problem(problems: list[schedule.Problem], items_by_id: dict[object, ProgrammeItem]) -> None:
    """Refuse a change with the first problem the schedule found, worded for the organiser's form."""
    for problem in problems:
        if problem.kind == schedule.ProblemKind.ENDS_BEFORE_START:
            raise ProgrammeError(_l("The end must be after the start."), "ends_at")
        if problem.kind == schedule.ProblemKind.OUTSIDE_WINDOW:
            raise ProgrammeError(_l("The item must be inside the event's time window."), "starts_at")
        other = items_by_id.get(problem.other)
        title = other.title if other else "?"
        raise ProgrammeError(_l("This overlaps with “%(title)s”.", title=title), "starts_at")


def _unique_slug(title: str, event_start: datetime, tz: str) -> str:
    """A readable address nobody uses yet: the title's Latin words, or the event's date (-2, -3… if taken)."""
    return readable_slug(title, event_start.astimezone(ZoneInfo(tz)).date(), slug_taken)


def reserved_slugs() -> set[str]:
    """Words the site's own addresses use where an event's slug goes (/manage/events/new …), read from the
    URL map, so a route added later is protected too: an event with such a slug could not be opened."""
    rules = [rule.rule.split("/") for rule in current_app.url_map.iter_rules()]
    prefixes = {tuple(parts[:i]) for parts in rules for i, part in enumerate(parts) if part == "<slug>"}
    return {
        part
        for parts in rules
        for i, part in enumerate(parts)
        if part and "<" not in part and tuple(parts[:i]) in prefixes
    }


def slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    """Whether another event (not `exclude_id`) already uses this slug, or the site itself does."""
    if slug in reserved_slugs():
        return True
    query = select(Event.id).where(Event.slug == slug)
    if exclude_id is not None:
        query = query.where(Event.id != exclude_id)
    return db.session.scalar(query) is not None


def create_event(organizer: Organizer, data: EventData) -> Event:
    """Create a draft event owned by `organizer`."""
    slug = data.slug or _unique_slug(data.title, data.starts_at, data.timezone)
    if slug in reserved_slugs():
        raise ProgrammeError(_l("This web address is used by the site itself. Please choose another."), "slug")
    if slug_taken(slug):
        raise _slug_used()
    # Two events given the same address at once: the unique slug decides.
    with savepoint(lambda _error: _slug_used()):
        event = Event(
            slug=slug,
            title=data.title,
            description=data.description,
            timezone=data.timezone,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            meeting_url=data.meeting_url,
            meeting_url_public=data.meeting_url_public,
            organizers=[organizer],
        )
        db.session.add(event)
    log.info("event created: %s by organiser %s", event.slug, organizer.id)
    return event


def update_event(event: Event, data: EventData, expected_version: int | None) -> Event:
    """Change an event's details; its items must still fit in the new window."""
    _check_version(event.version, expected_version)
    if data.slug and data.slug != event.slug and data.slug in reserved_slugs():
        raise ProgrammeError(_l("This web address is used by the site itself. Please choose another."), "slug")
    if data.slug and data.slug != event.slug and slug_taken(data.slug, event.id):
        raise _slug_used()
    window = schedule.Slot("event", data.starts_at, data.ends_at)
    for item in event.items:
        if schedule.slot_problems(item_slot(item), window, []):
            raise ProgrammeError(
                _l("“%(title)s” would fall outside the new time window.", title=item.title), "starts_at"
            )
    try:
        # In a savepoint: saved by someone else since the form was read (the version decides), or the
        # address taken at the same time (the unique slug decides), and the caller's transaction goes on.
        with savepoint(lambda _error: _slug_used()):
            if data.meeting_url != event.meeting_url:
                for item in event.items:
                    item.sequence += 1  # the join link is in every calendar entry
            event.title = data.title
            event.description = data.description
            event.timezone = data.timezone
            event.starts_at = data.starts_at
            event.ends_at = data.ends_at
            event.meeting_url = data.meeting_url
            event.meeting_url_public = data.meeting_url_public
            if data.slug:
                event.slug = data.slug
    except StaleDataError as error:
        raise ConflictError("changed by someone else") from error
    log.info("event updated: %s", event.slug)
    return event


def _slug_used() -> ProgrammeError:
    return ProgrammeError(_l("This web address is already used by another event."), "slug")


def delete_event(event: Event) -> None:
    """Delete an event and everything that belongs to it (the relationships cascade)."""
    log.info("event deleted: %s", event.slug)
    db.session.delete(event)
    db.session.flush()


ALLOWED_STATUS_CHANGES = {
    EventStatus.DRAFT: {EventStatus.PUBLISHED},
    EventStatus.PUBLISHED: {EventStatus.DRAFT, EventStatus.FINISHED},
    EventStatus.FINISHED: {EventStatus.PUBLISHED},
}


def set_status(event: Event, status: EventStatus) -> Event:
    """Move an event along draft → published → finished (or one step back)."""
    if status not in ALLOWED_STATUS_CHANGES[event.status]:
        raise ProgrammeError(_l("This status change is not possible."))
    if status == EventStatus.PUBLISHED and not event.items:
        raise ProgrammeError(_l("Add at least one programme item before publishing."))
    event.status = status
    db.session.flush()
    log.info("event %s is now %s", event.slug, status.value)
    return event


def add_organizer(event: Event, email: str) -> OrganizerInvite:
    """Add a colleague's email to the event's organisers: they organise it once they sign in with an
    account of this email. The answer is the same whether such an account exists or not."""
    email = email.strip().lower()
    if any(o.email == email for o in event.organizers) or any(i.email == email for i in event.organizer_invites):
        raise _already_organizer()
    # The same colleague added twice at once: the unique (event, email) decides.
    with savepoint(lambda _error: _already_organizer()):
        invite = OrganizerInvite(event_id=event.id, email=email)
        event.organizer_invites.append(invite)
    log.info("organiser invite added to event %s", event.slug)
    return invite


def _already_organizer() -> ProgrammeError:
    return ProgrammeError(_l("This email is already on the event's list of organisers."), "email")


def claim_organizer_invites(organizer: Organizer) -> int:
    """Make the organiser an organiser of every event that added their email; returns how many."""
    invites = db.session.scalars(select(OrganizerInvite).where(OrganizerInvite.email == organizer.email.lower())).all()
    for invite in invites:
        event = db.session.get(Event, invite.event_id)
        if event is not None and not event.is_organized_by(organizer):
            event.organizers.append(organizer)
        db.session.delete(invite)
    if invites:
        db.session.flush()
        log.info("organiser %s joined %d events they were added to", organizer.id, len(invites))
    return len(invites)
