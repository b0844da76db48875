"""Zoom's breakout-room pre-assignment: who a round's CSV will place automatically, and who it cannot.

Zoom places a person in their pre-assigned room only when they join signed in to the Zoom account of
the address in the file. Tsunagu writes each person's Zoom sign-in email when they gave one, else their
registration email — which only works if their Zoom account uses it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from app.domain.seating import split_evenly

# What Zoom accepts in one pre-assignment (its help pages): 50 rooms and 200 people; with "large
# breakout rooms" enabled on the account, 100 rooms and 1,000 people.
ROOM_LIMIT, PEOPLE_LIMIT = 50, 200
LARGE_ROOM_LIMIT, LARGE_PEOPLE_LIMIT = 100, 1000
# One meeting holds about 1,000 people at most (the "Large Meetings" add-on; most licences hold 100–500).
MEETING_LIMIT = 1000


@dataclass(frozen=True)
class Seated:
    """A person seated in a round: their key, room, registration email and Zoom sign-in email ('' if none)."""

    key: Hashable
    room: str
    email: str
    zoom_email: str = ""

    @property
    def address(self) -> str:
        """The address written in the pre-assignment file."""
        return (self.zoom_email or self.email).strip()


@dataclass
class Preassignment:
    """A round's pre-assignment and what to expect of it."""

    rows: list[tuple[str, str]] = field(default_factory=list)
    zoom_account: list[Seated] = field(default_factory=list)
    registration_email: list[Seated] = field(default_factory=list)
    shared: dict[str, list[Seated]] = field(default_factory=dict)
    not_seated: list[Hashable] = field(default_factory=list)
    rooms: int = 0

    @property
    def over_limit(self) -> bool:
        """Beyond what a Zoom account accepts without large breakout rooms."""
        return self.rooms > ROOM_LIMIT or len(self.rows) > PEOPLE_LIMIT

    @property
    def over_large_limit(self) -> bool:
        return self.rooms > LARGE_ROOM_LIMIT or len(self.rows) > LARGE_PEOPLE_LIMIT


def preassignment(seated: Sequence[Seated], expected: Sequence[Hashable] = ()) -> Preassignment:
    """The file's rows (room, address) in seating order, and who is placed how.

    `expected` are the people who should be in the meeting: those of them not seated in this round are
    not in the file and stay in the main room. Several people with one address cannot all be placed:
    Zoom keys the pre-assignment on the address.
    """
    result = Preassignment(rows=[(s.room, s.address) for s in seated], rooms=len({s.room for s in seated}))
    by_address: dict[str, list[Seated]] = {}
    for person in seated:
        by_address.setdefault(person.address.lower(), []).append(person)  # Zoom compares addresses ignoring case
        (result.zoom_account if person.zoom_email else result.registration_email).append(person)
    result.shared = {address: people for address, people in by_address.items() if len(people) > 1}
    keys = {s.key for s in seated}
    result.not_seated = [key for key in expected if key not in keys]
    return result


def meetings(
    sizes: Sequence[int], room_limit: int = LARGE_ROOM_LIMIT, people_limit: int = LARGE_PEOPLE_LIMIT
) -> list[range]:
    """Rooms (their sizes, in order) cut into the fewest runs of even length that Zoom pre-assigns each.

    400 rooms of 5 are four meetings of 100 rooms and 500 people. A room larger than `people_limit` stays
    alone in its run (nothing better exists).
    """
    count, total = len(sizes), sum(sizes)
    if not count:
        return []
    parts = max(1, -(-count // room_limit), -(-total // people_limit))
    while parts < count:
        runs = split_evenly(count, parts)
        if all(len(run) <= room_limit and sum(sizes[i] for i in run) <= people_limit for run in runs):
            return runs
        parts += 1
    return split_evenly(count, count)
