"""ICS building with `icalendar`: plain entries in, RFC 5545 bytes out (CRLF, folded, with VTIMEZONE)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

PRODID = "-//Tsunagu//Tsunagu calendar//JA"


@dataclass(frozen=True)
class Person:
    """An ORGANIZER or ATTENDEE: a name and an email address."""

    name: str
    email: str


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


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name or person.email)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def build_calendar(
    entries: Sequence[Entry],
    *,
    method: str,
    tz: str,
    now: datetime,
    name: str = "",
    organizer: Person | None = None,
    attendee: Person | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per entry, a VTIMEZONE for `tz`, and METHOD `method`.

    For iTIP methods (REQUEST, CANCEL) pass `organizer` and `attendee`; RFC 5546 wants one UID per
    message, so those calendars must hold exactly one entry.
    """
    if method in ("REQUEST", "CANCEL") and len({e.uid for e in entries}) != 1:
        raise ValueError("an iTIP message carries exactly one UID")
    zone = ZoneInfo(tz)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", tz)
    for entry in entries:
        calendar.add_component(_vevent(entry, zone, now, method, organizer, attendee))
    if entries:
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


def _vevent(
    entry: Entry, zone: ZoneInfo, now: datetime, method: str, organizer: Person | None, attendee: Person | None
) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now)
    event.add("sequence", entry.sequence)
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    if entry.last_modified is not None:
        event.add("last-modified", entry.last_modified)
    event.add("status", "CANCELLED" if entry.cancelled or method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None:
        event.add("organizer", _address(organizer))
    if attendee is not None:
        event.add(
            "attendee",
            _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="TRUE", CUTYPE="INDIVIDUAL"),
        )
    return event
