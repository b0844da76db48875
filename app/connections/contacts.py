"""The contacts shared with a person, as the entries of their vCard download."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.connections import queries
from app.connections.vcard import Entry, vcards
from app.participants.models import Participant


def entries_for(holder: Participant, now: datetime) -> list[Entry]:
    """One entry per person who shares their contact with the holder right now, with where they met."""
    page = queries.met_page(holder, now)
    where: dict[int, list[str]] = {}
    for table in page.tables:
        label = _("Round %(number)s (%(room)s)", number=table.round.number, room=table.room_name)
        members = [p.id for p in table.people] + ([table.host.id] if table.host else [])
        for pid in members:
            where.setdefault(pid, []).append(label)
    event = holder.event
    entries = []
    for pid, contact in page.shared_with_me.items():
        person = page.people[pid]
        note = page.notes.get(pid)
        met = _("Met at %(event)s: %(where)s", event=event.title, where=", ".join(where.get(pid, [])))
        entries.append(
            Entry(
                key=f"{event.id}:{pid}",
                family_name=person.family_name,
                given_name=person.given_name,
                family_kana=person.family_kana,
                given_kana=person.given_kana,
                organization=person.organization,
                department=person.department,
                email=contact.email,
                text=contact.text,
                met=met,
                note=note.text if note else "",
                category=event.title,
            )
        )
    entries.sort(key=lambda e: (e.family_kana or e.family_name, e.given_kana or e.given_name))
    return entries


def vcard_text(entries: list[Entry]) -> str:
    """The .vcf file's text."""
    return vcards(entries)
