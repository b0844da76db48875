"""Rendered pieces of personal pages shared by everyone who sees the same thing, kept in each process.

At a round change every ETag moves at once, so every page is a fresh render. But most of a participant's
live part is the same for everyone in the same room in the same round (room, breakout link, host, question,
countdown, "now and next"), and each row of "Your rounds" is the same for everyone in that room. So those
pieces are rendered once per worker under a key holding every value they show (plain frozen values: room,
round, moment, event, language) and only the small personal part (the room-mates other than the holder) is
rendered per person. Shared pieces hold nothing private: names and affiliations of the room's people (what
every room-mate sees anyway), never emails or tokens; pieces with a personal link (the facilitator's notes
link) are keyed by the holder's token.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app
from markupsafe import Markup

# Rooms × rounds × languages plus the small personal pieces of a 2,000-person event, per worker.
MAX_ENTRIES = 20000

# Where a personal piece goes in a shared one: random per process, so no stored text can contain it.
SLOT = Markup(f"<!--slot-{secrets.token_hex(12)}-->")

_pieces: OrderedDict[Hashable, tuple[float, tuple[str, ...]]] = OrderedDict()
_lock = threading.Lock()


def _ttl() -> float:
    return float(current_app.config["DAY_FRAGMENT_CACHE_SECONDS"])


def kept(key: Hashable, render: Callable[[], str]) -> tuple[str, ...]:
    """`render()` split at SLOT, from this process's cache when the same key was rendered lately."""
    hit = _pieces.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    parts = tuple(render().split(SLOT))
    ttl = _ttl()
    if ttl > 0:
        with _lock:
            _pieces[key] = (time.monotonic() + ttl, parts)
            while len(_pieces) > MAX_ENTRIES:
                _pieces.popitem(last=False)
    return parts


def fill(parts: tuple[str, ...], personal: str) -> str:
    """The shared parts with the personal piece put back wherever SLOT was (nowhere: the piece is unused)."""
    return personal.join(parts)


def clear() -> None:
    """Forget every kept piece of this process (tests)."""
    with _lock:
        _pieces.clear()
