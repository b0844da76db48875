"""Readable web addresses for events: from the title's Latin words when it has some, else from the date,
with -2, -3… when taken (never a random suffix)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date

MAX_LENGTH = 80


def _base(title: str, day: date) -> str:
    # NFKC folds full-width letters and digits (ＳＵＭＭＩＴ２０２７) to ASCII; NFKD then drops accents (café).
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", plain)
    if any(len(word) >= 3 and not word.isdigit() for word in words):
        # real words ("Code for Japan Summit"), not a lone "in" or "DX" inside a Japanese title
        base = "-".join(words)
        if not re.search(r"(19|20)\d\d", base):
            base = f"{base}-{day.year}"
        return base[: MAX_LENGTH - 4].strip("-")
    return day.isoformat()  # a Japanese title: its date, 2027-01-23


def candidates(title: str, day: date) -> Iterator[str]:
    """The slug for `title` on `day`, then the same with -2, -3, …"""
    base = _base(title, day)
    yield base
    number = 2
    while True:
        yield f"{base}-{number}"
        number += 1


def readable_slug(title: str, day: date, taken: Callable[[str], bool]) -> str:
    """The first candidate that `taken` does not refuse."""
    return next(slug for slug in candidates(title, day) if not taken(slug))
