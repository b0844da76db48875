"""One person's invitation email, built the same way for the organiser's preview and for sending."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.domain import calendar as rules
from app.events.models import Event
from app.invites import calendars, drafting, feeds, mailer
from app.invites.calendars import EventData
from app.invites.ics import Entry, build_calendar
from app.invites.models import CalendarEntry, EntryKind, Invitation
from app.participants.models import Participant
from app.templating import local_datetime, person_name


@dataclass(frozen=True)
class Composed:
    """An invitation ready to queue (or to show): the email, its calendar part and what it says."""

    subject: str
    text: str
    html: str
    ics: bytes
    entries: list[Entry]
    facts: dict[str, Any]
    fingerprint: str
    changes: list[str]
    cancel: bool
    update: bool

    def email(
        self, *, sender: str, sender_name: str, recipient: Participant, message_id: str, date: datetime
    ) -> EmailMessage:
        return mailer.build_email(
            sender=sender,
            sender_name=sender_name,
            recipient=recipient.email,
            recipient_name=person_name(recipient),
            subject=self.subject,
            text=self.text,
            html=self.html,
            ics=self.ics,
            method="PUBLISH",
            message_id=message_id,
            date=date,
        )


def subscribe_links(feed_url: str) -> dict[str, str]:
    """The ways to follow a feed: webcal:// (Apple, Thunderbird, Outlook desktop), Google's add-by-URL
    link, and the plain https URL to paste into Outlook on the web or any other app."""
    webcal = rules.webcal_url(feed_url)
    return {
        "https": feed_url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
    }


def _when(value: str | None, event: Event) -> str:
    if not value:
        return ""
    return local_datetime(datetime.fromisoformat(value), event.timezone, "time")


def _label(facts: dict[str, Any]) -> str:
    if facts.get("round"):
        return _("Round %(number)s (%(item)s)", number=facts["round"], item=facts.get("title", ""))
    return str(facts.get("title", ""))


def _room(facts: dict[str, Any]) -> str:
    return facts.get("room") or _("not assigned yet")


def describe(change: rules.Change, event: Event) -> str:
    """One line of "what changed", in the reader's language."""
    kind, before, after = change.kind, change.before or {}, change.after or {}
    if kind == rules.ChangeKind.MEETING:
        return _("The meeting link changed: %(url)s", url=after.get("meeting") or "—")
    if kind == rules.ChangeKind.PAGE:
        return _("Your personal page has a new link (the old one no longer works).")
    if kind == rules.ChangeKind.ADDED:
        return _(
            "New: %(what)s, %(start)s–%(end)s",
            what=_label(after),
            start=_when(after.get("start"), event),
            end=_when(after.get("end"), event),
        )
    if kind == rules.ChangeKind.REMOVED:
        return _("Removed: %(what)s", what=_label(before))
    if kind == rules.ChangeKind.TIME:
        return _(
            "%(what)s: now %(start)s–%(end)s (was %(old_start)s–%(old_end)s)",
            what=_label(after),
            start=_when(after.get("start"), event),
            end=_when(after.get("end"), event),
            old_start=_when(before.get("start"), event),
            old_end=_when(before.get("end"), event),
        )
    if kind == rules.ChangeKind.TITLE:
        return _("Renamed: %(old)s → %(new)s", old=before.get("title", ""), new=after.get("title", ""))
    if kind == rules.ChangeKind.ROOM:
        return _(
            "%(what)s: your room is now %(new)s (was %(old)s)", what=_label(after), new=_room(after), old=_room(before)
        )
    if kind == rules.ChangeKind.HOST:
        if after.get("hosting"):
            return _("%(what)s: you host this room", what=_label(after))
        host = after.get("host")
        name = person_name(_Name(*host)) if host else _("no host")
        return _("%(what)s: the host is now %(name)s", what=_label(after), name=name)
    return _("%(what)s: new link %(url)s", what=_label(after), url=after.get("link") or "—")


@dataclass(frozen=True)
class _Name:
    family_name: str
    given_name: str


def compose(
    data: EventData,
    person: Participant,
    invitation: Invitation | None,
    now: datetime,
    *,
    cancel: bool,
    write: bool,
    tracked: dict[str, CalendarEntry] | None = None,
) -> Composed:
    """The person's invitation (or withdrawal) in their language; `write` stores the entries' SEQUENCEs.

    `tracked`: the person's invitation entries when the caller read them in bulk (feeds.tracked_by_person)."""
    event = data.event
    with force_locale(drafting.person_language(person)):
        facts = drafting.person_facts(data, person)
        drafts = drafting.person_drafts(data, person, invite=True)
        entries = feeds.sync(
            event, person, drafts, now, kind=EntryKind.INVITE, cancel_all=cancel, write=write, tracked=tracked
        )
        ics = build_calendar(entries, tz=event.timezone, organizer=calendars.organizer_of(event), stamp=now)
        update = invitation is not None and invitation.sends > 0 and not invitation.cancelled and not cancel
        changes: list[str] = []
        if update and invitation is not None:
            before = json.loads(invitation.facts or "{}")
            if before.get("entries"):
                changes = [describe(change, event) for change in rules.changes(before, facts)]
        personal_url = calendars.personal_page_url(person)
        context = {
            "event": event,
            "person": person,
            "entries": [e for e in entries if not e.cancelled],
            "items": data.items,
            "places": data.places(person.id),
            "cancel": cancel,
            "update": update,
            "changes": changes,
            "personal_url": personal_url,
            "attendance_url": personal_url + "#attendance",
            "feed": subscribe_links(calendars.personal_calendar_url(person)),
            "event_url": calendars.external("events.show", slug=event.slug),
            "zone": event.timezone,
        }
        if cancel:
            subject = _("Cancelled: %(event)s", event=event.title)
        elif update:
            subject = _("Updated invitation: %(event)s", event=event.title)
        else:
            subject = _("Invitation: %(event)s", event=event.title)
        text = render_template("email/invite.txt", **context)
        html = render_template("email/invite.html", **context)
    return Composed(
        subject=subject,
        text=text,
        html=html,
        ics=ics,
        entries=entries,
        facts=facts,
        fingerprint=drafting.person_fingerprint(data, person),
        changes=changes,
        cancel=cancel,
        update=update,
    )


def sender() -> str:
    """The configured sending address (MAIL_FROM)."""
    return str(current_app.config.get("MAIL_FROM") or "")
