"""Late arrivals pasted as a list (one person a line, from an email, a chat or a spreadsheet): read and check them.

A line holds a name, an email address and, optionally, an organisation, separated by tabs (a spreadsheet
paste), commas or "、". The email is recognised by its "@", so the order of the fields does not matter.
The name is split into family and given name at the first space (half- or full-width).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LINES = 200
_SEPARATORS = re.compile(r"\t|,|、|，")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Problem:
    """Why a line cannot be read (the UI translates these)."""

    NO_EMAIL = "no_email"
    BAD_EMAIL = "bad_email"
    NO_NAME = "no_name"
    TOO_LONG = "too_long"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Arrival:
    """One person from the list."""

    line: int
    family_name: str
    given_name: str
    email: str
    organization: str


@dataclass(frozen=True)
class LineProblem:
    line: int
    text: str
    problem: str


@dataclass(frozen=True)
class Parsed:
    arrivals: list[Arrival]
    problems: list[LineProblem]


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().strip("\"'")


def parse(text: str) -> Parsed:
    """The people of a pasted list, and the lines that cannot be read (with why); empty lines are skipped."""
    arrivals: list[Arrival] = []
    problems: list[LineProblem] = []
    seen: set[str] = set()
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        return Parsed([], [LineProblem(MAX_LINES + 1, "", Problem.TOO_LONG)])
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        fields = [_clean(f) for f in _SEPARATORS.split(raw)]
        fields = [f for f in fields if f]
        emails = [f for f in fields if "@" in f]
        others = [f for f in fields if "@" not in f]
        if not emails:
            problems.append(LineProblem(number, raw.strip(), Problem.NO_EMAIL))
            continue
        email = emails[0].lower().replace(" ", "")
        if not _EMAIL.match(email) or len(email) > 254:
            problems.append(LineProblem(number, raw.strip(), Problem.BAD_EMAIL))
            continue
        if not others:
            problems.append(LineProblem(number, raw.strip(), Problem.NO_NAME))
            continue
        if email in seen:
            problems.append(LineProblem(number, raw.strip(), Problem.DUPLICATE))
            continue
        seen.add(email)
        family, _, given = others[0].replace("\u3000", " ").partition(" ")
        organization = others[1] if len(others) > 1 else ""
        arrivals.append(Arrival(number, family[:80], given.strip()[:80], email, organization[:200]))
    return Parsed(arrivals, problems)
