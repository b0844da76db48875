"""State changes of an event's programme: its items, their speakers, a café's rounds.

Each function writes (flushes); its caller — the view — commits once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.domain import schedule
from app.events.models import (
    CafeRound,
    Event,
    ItemKind,
    ProgrammeItem,
    Speaker,
    SpeakerRole,
)
from app.events.services import ItemData, ProgrammeError, event_window, item_slot, raise_first_problem
from app.extensions import db

log = logging.getLogger(__name__)


def _check_item_fits(event: Event, item_id: object, starts_at: datetime, ends_at: datetime) -> None:
    others = [item_slot(i) for i in event.items if i.id != item_id]
    problems = schedule.slot_problems(schedule.Slot(item_id, starts_at, ends_at), event_window(event), others)
    raise_first_problem(problems, {i.id: i for i in event.items})


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
    db.session.flush()
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
    db.session.flush()
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
    slots = [item_slot(i) for i in event.items]
    moved = {s.key: s for s in schedule.shift(slots, item.id, new_start, move_following=True)}
    moved[item.id] = schedule.Slot(item.id, new_start, new_start + length)
    for slot in moved.values():
        problems = schedule.slot_problems(slot, event_window(event), [s for s in moved.values() if s.key != slot.key])
        raise_first_problem(problems, {i.id: i for i in event.items})
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
    db.session.flush()
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
    db.session.flush()
    log.info("items swapped in %s: %s and %s", item.event.slug, first.id, second.id)


def delete_item(item: ProgrammeItem) -> None:
    """Remove a programme item and renumber the remaining ones."""
    event = item.event
    event.items.remove(item)
    _renumber(event)
    db.session.flush()
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
    db.session.flush()
    return speaker


def delete_speaker(speaker: Speaker) -> None:
    """Remove a speaker from an item, bumping its SEQUENCE so calendar feeds send the change."""
    item = speaker.item
    item.speakers.remove(speaker)
    item.sequence += 1
    db.session.flush()


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
    db.session.flush()
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
    db.session.flush()
    return round_


def delete_last_round(item: ProgrammeItem) -> None:
    """Remove a café's last round; a café keeps at least one (raises ProgrammeError)."""
    if len(item.rounds) <= 1:
        raise ProgrammeError(_l("A café needs at least one round."))
    item.rounds.pop()
    item.sequence += 1
    db.session.flush()
