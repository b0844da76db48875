"""The contacts shared with a person as one vCard 3.0 file (vobject): what phones and Outlook import."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import vobject

# UIDs derive from this namespace, the event and the person: importing the file again updates, not duplicates.
UID_NAMESPACE = uuid.UUID("5b0b7f55-8d0f-4c1e-9a43-1f3c2e5a7d10")


@dataclass(frozen=True)
class Entry:
    """One contact as the file carries it."""

    key: str  # stable and opaque: "<event id>:<participant id>"
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    organization: str
    department: str
    email: str
    text: str
    met: str  # where the two met: "<event> · round 2 (ルーム3)"
    note: str  # the viewer's own private note, only in their own download
    category: str  # the event's title, so the contacts of one summit stay together


def _card(entry: Entry) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("uid").value = f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, entry.key)}"
    card.add("n").value = vobject.vcard.Name(family=entry.family_name, given=entry.given_name)
    card.add("fn").value = " ".join(p for p in (entry.family_name, entry.given_name) if p)
    if entry.family_kana or entry.given_kana:
        # iOS, Android and Outlook read the reading of a Japanese name from these.
        if entry.family_kana:
            card.add("x-phonetic-last-name").value = entry.family_kana
        if entry.given_kana:
            card.add("x-phonetic-first-name").value = entry.given_kana
        card.add("sort-string").value = " ".join(p for p in (entry.family_kana, entry.given_kana) if p)
    if entry.organization or entry.department:
        card.add("org").value = [entry.organization] + ([entry.department] if entry.department else [])
    if entry.email:
        email = card.add("email")
        email.value = entry.email
        email.type_param = "INTERNET"
    lines = [entry.text, entry.met, entry.note]
    card.add("note").value = "\n".join(line for line in lines if line)
    if entry.category:
        card.add("categories").value = [entry.category]
    return card


def vcards(entries: list[Entry]) -> str:
    """All entries in one .vcf text (CRLF line ends, lines folded at 75 octets, text escaped by vobject)."""
    return "".join(_card(entry).serialize() for entry in entries)
