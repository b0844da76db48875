"""Calendar identity rules: stable UIDs, monotonic SEQUENCE numbers and content fingerprints."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


def fingerprint(content: Any) -> str:
    """A stable digest of what a calendar entry says (JSON with sorted keys; datetimes as ISO text)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def next_sequence(
    previous: int | None, previous_fingerprint: str | None, current_fingerprint: str, base: int = 0
) -> int:
    """The SEQUENCE to publish now: never lower than before, one higher when the content changed.

    `base` is a floor taken from the programme (ProgrammeItem.sequence), so entries never fall behind
    the editor's own counter; `previous` is what was last published or sent for the same UID.
    """
    if previous is None:
        return max(base, 0)
    if previous_fingerprint == current_fingerprint:
        return max(previous, base)
    return max(previous + 1, base)


def webcal_url(url: str) -> str:
    """The subscription form (webcal://) of an http(s) calendar URL."""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            return "webcal://" + url[len(prefix) :]
    return url


# ---- one person's entries: which ones, and what changed between two invitations ---------------------


@dataclass(frozen=True)
class RoundSpec:
    """A café round as the calendar sees it."""

    id: int
    number: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ItemSpec:
    """A programme item as the calendar sees it; a café has rounds."""

    id: int
    starts_at: datetime
    ends_at: datetime
    rounds: tuple[RoundSpec, ...] = ()


class Part(StrEnum):
    """What an entry covers: a whole item; or, of a café, its opening, one round, or its close."""

    WHOLE = "whole"
    OPENING = "opening"
    ROUND = "round"
    CLOSE = "close"


@dataclass(frozen=True)
class Segment:
    """One calendar entry of a person's programme. `key` is stable: it names the UID."""

    key: str
    item_id: int
    part: Part
    starts_at: datetime
    ends_at: datetime
    round: RoundSpec | None = None


def segments(item: ItemSpec) -> list[Segment]:
    """A personal calendar's entries for one item: the item itself, or for a café one entry per round,
    plus the café's opening and close when the rounds leave time before or after them (a briefing, a wrap-up).

    The opening keeps the item's own key, so a calendar that had the café as one entry sees it shrink
    instead of vanishing."""
    if not item.rounds:
        return [Segment(f"item-{item.id}", item.id, Part.WHOLE, item.starts_at, item.ends_at)]
    rounds = sorted(item.rounds, key=lambda r: (r.starts_at, r.number))
    found: list[Segment] = []
    if item.starts_at < rounds[0].starts_at:
        found.append(Segment(f"item-{item.id}", item.id, Part.OPENING, item.starts_at, rounds[0].starts_at))
    for round_ in rounds:
        found.append(Segment(f"round-{round_.id}", item.id, Part.ROUND, round_.starts_at, round_.ends_at, round_))
    if rounds[-1].ends_at < item.ends_at:
        found.append(Segment(f"item-{item.id}-close", item.id, Part.CLOSE, rounds[-1].ends_at, item.ends_at))
    return found


def entry_uid(key: str, holder: str, domain: str) -> str:
    """The UID of one entry: `holder` is "public", "p<id>" (personal feed) or "invite-p<id>" (emailed)."""
    return f"{key}-{holder}@{domain}"


def refresh_interval(now: datetime, starts_at: datetime, ends_at: datetime) -> timedelta:
    """How often a subscribed calendar should ask again: often on the day (rooms can still change),
    hourly before it, daily once it is over."""
    if now >= ends_at:
        return timedelta(days=1)
    if now >= starts_at - timedelta(days=1):
        return timedelta(minutes=15)
    return timedelta(hours=1)


class ChangeKind(StrEnum):
    """What changed in one entry (or in the invitation as a whole) since it was last sent."""

    ADDED = "added"
    REMOVED = "removed"
    TIME = "time"
    TITLE = "title"
    ROOM = "room"
    HOST = "host"
    LINK = "link"
    MEETING = "meeting"
    PAGE = "page"


@dataclass(frozen=True)
class Change:
    """One line of "what changed": the entry's facts before and after (None for the invitation itself)."""

    kind: ChangeKind
    key: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


_ENTRY_FIELDS = (
    (ChangeKind.TIME, ("start", "end")),
    (ChangeKind.TITLE, ("title",)),
    (ChangeKind.ROOM, ("room",)),
    (ChangeKind.HOST, ("host", "hosting")),
    (ChangeKind.LINK, ("link",)),
)


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """What a person should be told changed between two invitations' facts, in programme order.

    Facts: {"meeting": url, "page": url, "entries": {key: {"start", "end", "title", "room", "host",
    "hosting", "link", …}}}; entries are ordered by their start."""
    found: list[Change] = []
    if before.get("meeting") != after.get("meeting"):
        found.append(Change(ChangeKind.MEETING, "", before, after))
    if before.get("page") != after.get("page"):
        found.append(Change(ChangeKind.PAGE, "", before, after))
    old: Mapping[str, Mapping[str, Any]] = before.get("entries") or {}
    new: Mapping[str, Mapping[str, Any]] = after.get("entries") or {}
    keys = sorted(set(old) | set(new), key=lambda k: ((new.get(k) or old[k]).get("start", ""), k))
    for key in keys:
        was, now = old.get(key), new.get(key)
        if was is None:
            found.append(Change(ChangeKind.ADDED, key, None, now))
        elif now is None:
            found.append(Change(ChangeKind.REMOVED, key, was, None))
        else:
            found += [
                Change(kind, key, was, now)
                for kind, fields in _ENTRY_FIELDS
                if any(was.get(f) != now.get(f) for f in fields)
            ]
    return found
