"""State changes of connections: consent, picks, private notes, "talk again", settings. Each flushes; the edge commits."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Organizer
from app.connections import mail, queries
from app.connections.models import (
    ConnectionSettings,
    ContactCard,
    ContactPick,
    PersonNote,
    TalkAgain,
    TalkAgainMatch,
)
from app.domain.connections import Audience
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant

log = logging.getLogger(__name__)

TEXT_MAX = 300
NOTE_MAX = 1000
# Control characters would break a vCard line or a page; tabs and newlines are kept in notes only.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ConnectionsError(ValueError):
    """A request we cannot honour; the message is shown to the person, `field` names the form field."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


class StaleEdit(ConnectionsError):
    """The form was filled in from an older state (another tab saved meanwhile)."""


def clean_line(text: str) -> str:
    """One line of free text: no control characters, no line breaks, single spaces at the ends removed."""
    return " ".join(_CONTROL.sub("", text).split())


def clean_note(text: str) -> str:
    """A note's text: control characters removed, Windows line breaks made plain."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


@dataclass(frozen=True)
class CardData:
    """What the person chose in the "share my contact" form."""

    audience: Audience
    share_email: bool
    text: str
    version: int  # the card's version the form was filled from (0: there was none)


def save_card(holder: Participant, data: CardData) -> ContactCard:
    """Record what the holder shares and with whom; refuses a form filled from an older state."""
    card = queries.card_of(holder)
    if (card.version if card else 0) != data.version:
        raise StaleEdit(_l("Your sharing settings were changed in another window. Please check them and save again."))
    text = clean_line(data.text)
    if len(text) > TEXT_MAX:
        raise ConnectionsError(_l("Please keep this under %(n)s characters.", n=TEXT_MAX), "text")
    if data.audience != Audience.NOBODY and not data.share_email and not text:
        raise ConnectionsError(_l("Choose what to share: your email address, a short text, or both."), "share_email")
    if card is None:
        card = ContactCard(participant_id=holder.id)
        db.session.add(card)
    card.audience, card.share_email, card.text = data.audience, data.share_email, text
    db.session.flush()
    log.info("contact card of participant %s: audience %s", holder.id, data.audience.value)
    return card


def withdraw(holder: Participant) -> bool:
    """Stop sharing with anyone, at once. Returns whether anything was shared before."""
    card = queries.card_of(holder)
    if card is None or card.audience == Audience.NOBODY:
        return False
    card.audience = Audience.NOBODY
    db.session.flush()
    log.info("contact card of participant %s: consent withdrawn", holder.id)
    return True


def _met_or_refuse(holder: Participant, other_id: int, now: datetime) -> None:
    if other_id == holder.id or other_id not in queries.met_ids(holder, now):
        raise ConnectionsError(_l("You can only do this for people you met at a table."))


def set_pick(holder: Participant, other_id: int, share: bool, now: datetime) -> None:
    """Share (or stop sharing) the holder's contact with one person they met.

    Sharing with one person while sharing with nobody switches the audience to "picked people".
    """
    _met_or_refuse(holder, other_id, now)
    card = queries.card_of(holder)
    existing = db.session.scalar(
        select(ContactPick).where(ContactPick.owner_id == holder.id, ContactPick.recipient_id == other_id)
    )
    if share:
        if card is None or not (card.share_email or card.text.strip()):
            raise ConnectionsError(_l("First choose what to share (your email address or a short text) above."))
        if existing is None:
            db.session.add(ContactPick(owner_id=holder.id, recipient_id=other_id))
        if card.audience == Audience.NOBODY:
            card.audience = Audience.PICKED
    elif existing is not None:
        db.session.delete(existing)
    db.session.flush()
    log.info(
        "participant %s %s their contact with participant %s", holder.id, "shares" if share else "unshares", other_id
    )


def save_note(holder: Participant, other_id: int, text: str, version: int, now: datetime) -> PersonNote | None:
    """Keep (or, when empty, delete) the holder's private note on someone they met."""
    _met_or_refuse(holder, other_id, now)
    text = clean_note(text)
    if len(text) > NOTE_MAX:
        raise ConnectionsError(_l("Please keep this under %(n)s characters.", n=NOTE_MAX), "text")
    note = db.session.scalar(
        select(PersonNote).where(PersonNote.author_id == holder.id, PersonNote.subject_id == other_id)
    )
    if (note.version if note else 0) != version:
        raise StaleEdit(_l("This note was changed in another window. Both texts are shown: keep what you need."))
    if not text:
        if note is not None:
            db.session.delete(note)
            db.session.flush()
        return None
    if note is None:
        note = PersonNote(author_id=holder.id, subject_id=other_id)
        db.session.add(note)
    note.text = text
    db.session.flush()
    return note


def set_talk_again(holder: Participant, other_id: int, wish: bool, now: datetime) -> bool:
    """Record or take back the wish to talk again; returns True when this made the wish mutual for the first time.

    A mutual pair is recorded once (a unique row per pair), and only then are the two emails queued:
    taking a wish back and making it again never sends anything twice.
    """
    if not queries.settings_for(holder.event_id).talk_again:
        raise ConnectionsError(_l("The organisers have not turned this on for this event."))
    _met_or_refuse(holder, other_id, now)
    existing = db.session.scalar(select(TalkAgain).where(TalkAgain.from_id == holder.id, TalkAgain.to_id == other_id))
    if not wish:
        if existing is not None:
            db.session.delete(existing)
            db.session.flush()
        return False
    if existing is None:
        db.session.add(TalkAgain(from_id=holder.id, to_id=other_id, created_at=now))
    db.session.flush()
    mutual = db.session.scalar(select(TalkAgain.id).where(TalkAgain.from_id == other_id, TalkAgain.to_id == holder.id))
    if mutual is None or queries.has_match(holder.id, other_id):
        return False
    low, high = sorted((holder.id, other_id))
    try:
        with db.session.begin_nested():  # a click on the other side at the same moment may have recorded it first
            db.session.add(TalkAgainMatch(event_id=holder.event_id, first_id=low, second_id=high, matched_at=now))
    except IntegrityError:
        return False
    other = db.session.get(Participant, other_id)
    assert other is not None
    mail.queue_match(holder, other, now)
    mail.queue_match(other, holder, now)
    log.info("talk again: participants %s and %s matched; two emails queued", low, high)
    return True


def forget_wishes_of(event: Event) -> int:
    """When the organiser turns "talk again" off, pending one-sided wishes are dropped (matches stay recorded)."""
    ids = select(Participant.id).where(Participant.event_id == event.id)
    result = db.session.execute(delete(TalkAgain).where(TalkAgain.from_id.in_(ids)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def update_settings(event: Event, *, talk_again: bool, in_report: bool, actor: Organizer) -> ConnectionSettings:
    """The organiser's choices for the event's connections."""
    settings = queries.settings_for(event.id)
    if settings.id is None:
        db.session.add(settings)
    if settings.talk_again and not talk_again:
        forget_wishes_of(event)
    settings.talk_again, settings.in_report = talk_again, in_report
    db.session.flush()
    log.info(
        "connections settings of event %s: talk_again=%s in_report=%s by organiser %s",
        event.id,
        talk_again,
        in_report,
        actor.id,
    )
    return settings
