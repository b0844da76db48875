"""State changes of events and their programme. Each public function is one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import Organizer
from app.domain import schedule
from app.domain.slugs import readable_slug
from app.events.models import (
    CafeRound,
    Event,
    EventStatus,
    ItemKind,
    OrganizerInvite,
    ProgrammeItem,
    Speaker,
    SpeakerRole,
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


def _slot(item: ProgrammeItem) -> schedule.Slot:
    return schedule.Slot(item.id, item.starts_at, item.ends_at)


def _window(event: Event) -> schedule.Slot:
    return schedule.Slot("event", event.starts_at, event.ends_at)


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise ConflictError("changed by someone else")


def _raise_first(problems: list[schedule.Problem], items_by_id: dict[object, ProgrammeItem]) -> None:
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
        raise ProgrammeError(_l("This web address is already used by another event."), "slug")
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
    db.session.commit()
    log.info("event created: %s by organiser %s", event.slug, organizer.id)
    return event


def update_event(event: Event, data: EventData, expected_version: int | None) -> Event:
    """Change an event's details; its items must still fit in the new window."""
    _check_version(event.version, expected_version)
    if data.slug and data.slug != event.slug and data.slug in reserved_slugs():
        raise ProgrammeError(_l("This web address is used by the site itself. Please choose another."), "slug")
    if data.slug and data.slug != event.slug and slug_taken(data.slug, event.id):
        raise ProgrammeError(_l("This web address is already used by another event."), "slug")
    window = schedule.Slot("event", data.starts_at, data.ends_at)
    for item in event.items:
        if schedule.slot_problems(_slot(item), window, []):
            raise ProgrammeError(
                _l("“%(title)s” would fall outside the new time window.", title=item.title), "starts_at"
            )
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
    _commit_or_conflict()
    log.info("event updated: %s", event.slug)
    return event


def _commit_or_conflict() -> None:
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise ConflictError("changed by someone else") from error


def delete_event(event: Event) -> None:
    """Delete an event and everything that belongs to it (the relationships cascade). Commits."""
    log.info("event deleted: %s", event.slug)
    db.session.delete(event)
    db.session.commit()


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
    db.session.commit()
    log.info("event %s is now %s", event.slug, status.value)
    return event


def add_organizer(event: Event, email: str) -> OrganizerInvite:
    """Add a colleague's email to the event's organisers: they organise it once they sign in with an
    account of this email. The answer is the same whether such an account exists or not."""
    email = email.strip().lower()
    if any(o.email == email for o in event.organizers) or any(i.email == email for i in event.organizer_invites):
        raise ProgrammeError(_l("This email is already on the event's list of organisers."), "email")
    invite = OrganizerInvite(event_id=event.id, email=email)
    event.organizer_invites.append(invite)
    db.session.commit()
    log.info("organiser invite added to event %s", event.slug)
    return invite


def claim_organizer_invites(organizer: Organizer) -> int:
    """Make the organiser an organiser of every event that added their email; returns how many."""
    invites = db.session.scalars(select(OrganizerInvite).where(OrganizerInvite.email == organizer.email.lower())).all()
    for invite in invites:
        event = db.session.get(Event, invite.event_id)
        if event is not None and not event.is_organized_by(organizer):
            event.organizers.append(organizer)
        db.session.delete(invite)
    if invites:
        db.session.commit()
        log.info("organiser %s joined %d events they were added to", organizer.id, len(invites))
    return len(invites)


def _check_item_fits(event: Event, item_id: object, starts_at: datetime, ends_at: datetime) -> None:
    others = [_slot(i) for i in event.items if i.id != item_id]
    problems = schedule.slot_problems(schedule.Slot(item_id, starts_at, ends_at), _window(event), others)
    _raise_first(problems, {i.id: i for i in event.items})


def add_item(
    event: Event, data: ItemData, *, round_count: int = 3, round_gap: timedelta = timedelta(0)
) -> ProgrammeItem:
    """Add a programme item; a café item gets `round_count` rounds dividing its time."""
    _check_item_fits(event, None, data.starts_at, data.ends_at)
    item = ProgrammeItem(
        event=event,
        kind=data.kind,
        title=data.title,
        description=data.description,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        room_size_min=data.room_size_min,
        room_size_max=data.room_size_max,
    )
    if data.kind == ItemKind.CAFE:
        try:
            parts = schedule.split_evenly(schedule.Slot(None, data.starts_at, data.ends_at), round_count, gap=round_gap)
        except ValueError as error:
            raise ProgrammeError(_l("The café is too short for that many rounds."), "round_count") from error
        item.rounds = [CafeRound(number=n, starts_at=s, ends_at=e) for n, (s, e) in enumerate(parts, start=1)]
    db.session.add(item)
    _renumber(event, item)
    db.session.commit()
    log.info("item added to %s: %s (%s)", event.slug, item.title, item.kind.value)
    return item


def _renumber(event: Event, extra: ProgrammeItem | None = None) -> None:
    """Positions follow start times (the programme reads in time order)."""
    items = list(event.items)
    if extra is not None and extra not in items:
        items.append(extra)
    for position, item in enumerate(sorted(items, key=lambda i: i.starts_at)):
        item.position = position


def update_item(item: ProgrammeItem, data: ItemData, *, move_following: bool = False) -> ProgrammeItem:
    """Change an item. With `move_following`, a new start moves the later items by as much."""
    event = item.event
    if move_following and data.starts_at != item.starts_at:
        _shift(item, data.starts_at, data.ends_at - data.starts_at)
    else:
        _check_item_fits(event, item.id, data.starts_at, data.ends_at)
        _retime(item, data.starts_at, data.ends_at)
    if data.kind != item.kind and item.rounds and data.kind != ItemKind.CAFE:
        raise ProgrammeError(_l("Remove the rounds before turning a café into another kind of item."), "kind")
    if data.title != item.title:
        item.sequence += 1
    item.kind = data.kind
    item.title = data.title
    item.description = data.description
    item.room_size_min = data.room_size_min
    item.room_size_max = data.room_size_max
    _renumber(event)
    db.session.commit()
    log.info("item updated: %s in %s", item.id, event.slug)
    return item


def _retime(item: ProgrammeItem, starts_at: datetime, ends_at: datetime) -> None:
    """Give an item new times; its rounds move with its start (and are clipped by nothing: checked later)."""
    if (starts_at, ends_at) == (item.starts_at, item.ends_at):
        return
    delta = starts_at - item.starts_at
    for round_ in item.rounds:
        round_.starts_at += delta
        round_.ends_at += delta
        if round_.ends_at > ends_at:
            raise ProgrammeError(
                _l("The café's rounds would not fit in the new time. Shorten the rounds first."), "ends_at"
            )
    item.starts_at, item.ends_at = starts_at, ends_at
    item.sequence += 1


def _shift(item: ProgrammeItem, new_start: datetime, length: timedelta) -> None:
    event = item.event
    slots = [_slot(i) for i in event.items]
    moved = {s.key: s for s in schedule.shift(slots, item.id, new_start, move_following=True)}
    moved[item.id] = schedule.Slot(item.id, new_start, new_start + length)
    for slot in moved.values():
        problems = schedule.slot_problems(slot, _window(event), [s for s in moved.values() if s.key != slot.key])
        _raise_first(problems, {i.id: i for i in event.items})
    for other in event.items:
        new = moved[other.id]
        _retime(other, new.starts_at, new.ends_at)


def shift_item(item: ProgrammeItem, new_start: datetime, *, move_following: bool) -> None:
    """Move an item to a new start, keeping its length; optionally move every later item too."""
    length = item.ends_at - item.starts_at
    if move_following:
        _shift(item, new_start, length)
    else:
        _check_item_fits(item.event, item.id, new_start, new_start + length)
        _retime(item, new_start, new_start + length)
    _renumber(item.event)
    db.session.commit()
    log.info("item shifted: %s in %s", item.id, item.event.slug)


def swap_with_neighbour(item: ProgrammeItem, direction: int) -> None:
    """Reorder: swap an item's place in time with the one before (-1) or after (+1), keeping gaps."""
    items = sorted(item.event.items, key=lambda i: i.starts_at)
    index = items.index(item)
    other_index = index + direction
    if not 0 <= other_index < len(items):
        raise ProgrammeError(_l("This item is already at that end of the programme."))
    first, second = sorted((item, items[other_index]), key=lambda i: i.starts_at)
    gap = second.starts_at - first.ends_at
    start = first.starts_at
    second_len, first_len = second.ends_at - second.starts_at, first.ends_at - first.starts_at
    _retime(second, start, start + second_len)
    _retime(first, start + second_len + gap, start + second_len + gap + first_len)
    _renumber(item.event)
    db.session.commit()
    log.info("items swapped in %s: %s and %s", item.event.slug, first.id, second.id)


def delete_item(item: ProgrammeItem) -> None:
    """Remove a programme item and renumber the remaining ones. Commits."""
    event = item.event
    event.items.remove(item)
    _renumber(event)
    db.session.commit()
    log.info("item deleted from %s", event.slug)


def save_speaker(item: ProgrammeItem, speaker: Speaker | None, **fields: str) -> Speaker:
    """Add a speaker to a talk or panel, or change one. A panel has at most one moderator."""
    if item.kind not in (ItemKind.TALK, ItemKind.PANEL):
        raise ProgrammeError(_l("Only talks and panels have speakers."))
    if fields.get("role") == SpeakerRole.MODERATOR:
        if item.kind != ItemKind.PANEL:
            raise ProgrammeError(_l("Only a panel has a moderator."), "role")
        current = item.moderator
        if current is not None and current is not speaker:
            raise ProgrammeError(_l("This panel already has a moderator."), "role")
    if speaker is None:
        speaker = Speaker(item=item, position=len(item.speakers))
        db.session.add(speaker)
    for name, value in fields.items():
        setattr(speaker, name, value)
    item.sequence += 1
    db.session.commit()
    return speaker


def delete_speaker(speaker: Speaker) -> None:
    """Remove a speaker from an item, bumping its SEQUENCE so calendar feeds send the change. Commits."""
    item = speaker.item
    item.speakers.remove(speaker)
    item.sequence += 1
    db.session.commit()


def update_round(round_: CafeRound, question: str, starts_at: datetime, ends_at: datetime) -> CafeRound:
    """Change a round's question and times: inside its café, not overlapping the other rounds."""
    item = round_.item
    others = [schedule.Slot(r.id, r.starts_at, r.ends_at) for r in item.rounds if r.id != round_.id]
    problems = schedule.slot_problems(
        schedule.Slot(round_.id, starts_at, ends_at), schedule.Slot(item.id, item.starts_at, item.ends_at), others
    )
    for problem in problems:
        if problem.kind == schedule.ProblemKind.OUTSIDE_WINDOW:
            raise ProgrammeError(_l("The round must be inside the café's time."), "starts_at")
        if problem.kind == schedule.ProblemKind.OVERLAP:
            raise ProgrammeError(_l("This overlaps with another round."), "starts_at")
        raise ProgrammeError(_l("The end must be after the start."), "ends_at")
    if (starts_at, ends_at) != (round_.starts_at, round_.ends_at) or question != round_.question:
        item.sequence += 1
    round_.question, round_.starts_at, round_.ends_at = question, starts_at, ends_at
    db.session.commit()
    return round_


def add_round(item: ProgrammeItem) -> CafeRound:
    """Add one more round at the end of a café, if its time allows."""
    if item.kind != ItemKind.CAFE:
        raise ProgrammeError(_l("Only a world café has rounds."))
    last = item.rounds[-1] if item.rounds else None
    start = last.ends_at if last else item.starts_at
    length = (last.ends_at - last.starts_at) if last else (item.ends_at - item.starts_at)
    if start + length > item.ends_at:
        raise ProgrammeError(_l("There is no time left in the café for another round. Lengthen the café first."))
    round_ = CafeRound(item=item, number=len(item.rounds) + 1, starts_at=start, ends_at=start + length)
    db.session.add(round_)
    item.sequence += 1
    db.session.commit()
    return round_


def delete_last_round(item: ProgrammeItem) -> None:
    """Remove a café's last round; a café keeps at least one (raises ProgrammeError). Commits."""
    if len(item.rounds) <= 1:
        raise ProgrammeError(_l("A café needs at least one round."))
    item.rounds.pop()
    item.sequence += 1
    db.session.commit()
