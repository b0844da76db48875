"""Rendered personal pages kept briefly in each process, keyed by everything they show.

The key holds the token, the ETag (slot, seats, live revision, programme, language), the fingerprints of
the event's people, event row and (facilitators) round notes, the host and the path with its query string.
So a hit is the page a render would give now, except for data the ETag's snapshots themselves keep a little
(see app/day/holders.py and app/day/seating.py). Pages of signed-in visitors (session cookie) are never kept:
the site header shows their account and flashed messages.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from flask import current_app, request

# A 2,000-person event keeps at most two entries (page, update fragment) per person in each worker.
MAX_ENTRIES = 5000

_pages: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
_lock = threading.Lock()


def _ttl() -> float:
    return float(current_app.config["DAY_PAGE_CACHE_SECONDS"])


def anonymous() -> bool:
    """No session cookie: the page shows no account and no flashed messages, so it is the same for anyone."""
    return current_app.config["SESSION_COOKIE_NAME"] not in request.cookies


def cacheable() -> bool:
    """Anonymous visitors only: a session may carry an organiser's login or flashed messages."""
    return _ttl() > 0 and anonymous()


def key(with_path: bool, *parts: Hashable) -> tuple[Hashable, ...]:
    """A cache key: the host (absolute links), the path and query string if the body depends on them, `parts`."""
    return (request.host, request.full_path if with_path else "", *parts)


def get(cache_key: Hashable) -> str | None:
    """The cached page body for this key, or None if it is missing or older than DAY_PAGE_CACHE_SECONDS."""
    hit = _pages.get(cache_key)
    if hit is None or hit[0] <= time.monotonic():
        return None
    return hit[1]


def put(cache_key: Hashable, body: str) -> None:
    """Keep a rendered page for DAY_PAGE_CACHE_SECONDS, dropping the oldest entries beyond MAX_ENTRIES."""
    with _lock:
        _pages[cache_key] = (time.monotonic() + _ttl(), body)
        while len(_pages) > MAX_ENTRIES:
            _pages.popitem(last=False)


def clear() -> None:
    """Forget every kept page of this process (tests)."""
    with _lock:
        _pages.clear()
