"""ICS building with `icalendar`: plain entries in, RFC 5545 bytes out (CRLF, folded, with VTIMEZONE).

Every file is METHOD:PUBLISH (RFC 5546 §3.2.1): the feeds and the emailed invitations alike. PUBLISH may
carry many entries with different UIDs (one per café round), needs an ORGANIZER and forbids ATTENDEEs, so
calendar apps offer "add" instead of yes/no buttons whose replies nothing would read — attendance is
answered on the personal page instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vText

PRODID = "-//Tsunagu//Tsunagu calendar//JA"
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "GMT", "Etc/GMT"}


@dataclass(frozen=True)
class Person:
    """The ORGANIZER: a name and an email address."""

    name: str
    email: str


@dataclass(frozen=True)
class Conference:
    """An RFC 7986 CONFERENCE: a link to join, with a label (the room's name, "Main meeting")."""

    url: str
    label: str


@dataclass(frozen=True)
class Entry:
    """One VEVENT: times are aware UTC instants, written in the calendar's zone."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    last_modified: datetime | None = None
    cancelled: bool = False
    conferences: tuple[Conference, ...] = ()


def build_calendar(
    entries: Sequence[Entry],
    *,
    tz: str,
    organizer: Person,
    stamp: datetime | None = None,
    name: str = "",
    refresh: timedelta | None = None,
) -> bytes:
    """A METHOD:PUBLISH VCALENDAR with one VEVENT per entry, written in `tz` (with its VTIMEZONE).

    `stamp` is every entry's DTSTAMP (an email's creation time); without it each entry is stamped with
    its LAST-MODIFIED, so a feed's bytes change only when its content does (ETag). `refresh` adds the
    RFC 7986 REFRESH-INTERVAL and its older twin X-PUBLISHED-TTL.
    """
    utc = tz in _UTC_NAMES
    zone = ZoneInfo(tz)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", name)  # RFC 7986
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", tz)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))  # unknown to icalendar: typed by hand
    for entry in entries:
        calendar.add_component(_vevent(entry, None if utc else zone, stamp, organizer))
    if entries and not utc:
        first = min(e.starts_at for e in entries)
        last = max(e.ends_at for e in entries)
        # Before the events, as Outlook likes it; every TZID used is the calendar's zone.
        calendar.subcomponents.insert(0, _vtimezone(tz, first.year, last.year))
    return calendar.to_ical()


@lru_cache(maxsize=32)
def _vtimezone(tz: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of `tz` from zoneinfo for a window around the entries (short, yet right for every
    time used). Building it walks the zone's transitions (~30 ms), so it is made once per zone and years."""
    return Timezone.from_tzid(tz, first_date=date(first_year - 1, 1, 1), last_date=date(last_year + 2, 1, 1))


def _address(person: Person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name or person.email)
    return address


def _vevent(entry: Entry, zone: ZoneInfo | None, stamp: datetime | None, organizer: Person) -> Event:
    """One VEVENT; `zone` None writes UTC times (…Z) and needs no VTIMEZONE."""
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", (stamp or entry.last_modified or entry.starts_at).astimezone(UTC))
    event.add("sequence", entry.sequence)
    event.add("dtstart", entry.starts_at.astimezone(zone or UTC))
    event.add("dtend", entry.ends_at.astimezone(zone or UTC))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    for conference in entry.conferences:
        event.add(
            "conference", conference.url, parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": conference.label}
        )
    if entry.last_modified is not None:
        event.add("last-modified", entry.last_modified.astimezone(UTC))
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer))
    return event
