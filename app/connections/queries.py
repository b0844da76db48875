"""Reads for connections: the rounds that took place, who sat at which table, and what a person may see."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select
from werkzeug.exceptions import NotFound

from app.cafe.models import Room, Seat
from app.connections.models import (
    ConnectionSettings,
    ContactCard,
    ContactPick,
    PersonNote,
    TalkAgain,
    TalkAgainMatch,
)
from app.domain import clock
from app.domain import connections as domain
from app.events.models import CafeRound, Event, ItemKind, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Status

# People who cancelled, or were marked absent (did not come, or left), are nobody's encounter: a contact
# shows only to people who really met its owner, so when in doubt the person is left out.
NOT_THERE = (Status.CANCELLED, Status.ABSENT)

Table = tuple[Hashable, Hashable]


class LinkNotValid(NotFound):
    """A personal link that does not exist (any more): a friendly 404."""

    custom = True


def holder_or_404(token: str) -> Participant:
    """The holder of a personal link, read from the database on every request (no cache: consent is live)."""
    if not 20 <= len(token) <= 64:
        raise LinkNotValid(_link_message())
    person = db.session.scalar(select(Participant).where(Participant.token == token))
    if person is None:
        raise LinkNotValid(_link_message())
    return person


def _link_message() -> str:
    from flask_babel import gettext as _

    return _("This personal link is no longer valid. Please contact the organisers for a new one.")


# ---- the rounds that took place -------------------------------------------------------------------


@dataclass(frozen=True)
class HeldRound:
    """A café round whose seating was published and which has started."""

    id: int
    item_id: int
    number: int
    question: str
    starts_at: datetime


def held_rounds(event_id: int, now: datetime) -> dict[int, HeldRound]:
    """round id → the rounds of the event's cafés that have started by `now`.

    "Started" is the live timetable's (app/domain/clock.py): by the programme, or by the organiser's hand on
    the live console. Who sat where comes from its published seats.
    """
    rows = db.session.execute(
        select(
            CafeRound.id,
            CafeRound.item_id,
            CafeRound.number,
            CafeRound.question,
            CafeRound.starts_at,
            CafeRound.live_starts_at,
        )
        .join(ProgrammeItem, ProgrammeItem.id == CafeRound.item_id)
        .where(ProgrammeItem.event_id == event_id, ProgrammeItem.kind == ItemKind.CAFE)
    ).all()
    held = {}
    for r in rows:
        if clock.has_started(r.starts_at, r.live_starts_at, now):
            held[r.id] = HeldRound(r.id, r.item_id, r.number, r.question, r.live_starts_at or r.starts_at)
    return held


# ---- who sat where ----------------------------------------------------------------------------------


def present_ids(event_id: int) -> set[int]:
    """Everyone of the event who can have met anyone: not cancelled, not marked absent."""
    return set(
        db.session.scalars(
            select(Participant.id).where(Participant.event_id == event_id, Participant.status.not_in(NOT_THERE))
        )
    )


def _hosts(tables: set[Table]) -> list[domain.Sitting]:
    """Hosts stay at their table: each room's host sat there in every held round the room had published seats."""
    rooms = {m for _r, m in tables}
    if not rooms:
        return []
    hosts = dict(
        db.session.execute(select(Room.id, Room.host_id).where(Room.id.in_(rooms), Room.host_id.is_not(None))).all()
    )
    return [domain.Sitting(r, m, hosts[m]) for r, m in tables if m in hosts]


def event_sittings(rounds: dict[int, HeldRound]) -> list[domain.Sitting]:
    """Every published seat of the held rounds, and the hosts of the rooms they were in."""
    if not rounds:
        return []
    rows = db.session.execute(
        select(Seat.round_id, Seat.room_id, Seat.participant_id).where(
            Seat.round_id.in_(list(rounds)), Seat.published.is_(True)
        )
    )
    sittings = [domain.Sitting(r, m, p) for r, m, p in rows]
    return sittings + _hosts({(s.round_key, s.room_key) for s in sittings})  # type: ignore[misc]


def person_sittings(person_id: int, rounds: dict[int, HeldRound]) -> list[domain.Sitting]:
    """The tables one person sat at or hosted in the held rounds, with everyone who sat there too."""
    if not rounds:
        return []
    held = list(rounds)
    seated = select(Seat.round_id, Seat.room_id).where(Seat.round_id.in_(held), Seat.published.is_(True))
    mine = {(r, m) for r, m in db.session.execute(seated.where(Seat.participant_id == person_id))}
    hosted = list(db.session.scalars(select(Room.id).where(Room.host_id == person_id)))
    if hosted:
        mine |= {(r, m) for r, m in db.session.execute(seated.where(Seat.room_id.in_(hosted)).distinct())}
    if not mine:
        return []
    rows = db.session.execute(
        select(Seat.round_id, Seat.room_id, Seat.participant_id).where(
            Seat.published.is_(True), or_(*(and_(Seat.round_id == r, Seat.room_id == m) for r, m in mine))
        )
    )
    return [domain.Sitting(r, m, p) for r, m, p in rows] + _hosts(mine)


def tables_of_person(person: Participant, now: datetime) -> tuple[dict[int, HeldRound], dict[Table, set[int]]]:
    """The held rounds and the tables the person sat at, with only people who were there."""
    rounds = held_rounds(person.event_id, now)
    if person.status in NOT_THERE:
        return rounds, {}
    by_table = domain.tables(person_sittings(person.id, rounds), present_ids(person.event_id))
    return rounds, {key: members for key, members in by_table.items() if person.id in members}


def met_ids(person: Participant, now: datetime) -> set[int]:
    """Everyone the person really met: shared a table in a round that took place, both of them there."""
    _rounds, by_table = tables_of_person(person, now)
    return domain.met_by(person.id, by_table)


# ---- consent ----------------------------------------------------------------------------------------


def consents(owner_ids: Collection[int], *, event_id: int | None = None) -> dict[int, domain.Consent]:
    """owner id → what they share and with whom (`event_id`: every owner of that event, read by a join)."""
    if not owner_ids and event_id is None:
        return {}
    if event_id is not None:
        of_event = select(Participant.id).where(Participant.event_id == event_id)
        card_where, pick_where = ContactCard.participant_id.in_(of_event), ContactPick.owner_id.in_(of_event)
    else:
        card_where = ContactCard.participant_id.in_(list(owner_ids))
        pick_where = ContactPick.owner_id.in_(list(owner_ids))
    # Plain columns, no ORM objects: at 2,000 people the organiser's page reads hundreds of cards.
    cards = db.session.execute(
        select(ContactCard.participant_id, ContactCard.audience, ContactCard.share_email, ContactCard.text).where(
            card_where
        )
    ).all()
    picked: dict[int, set[int]] = {}
    for owner, recipient in db.session.execute(
        select(ContactPick.owner_id, ContactPick.recipient_id).where(pick_where)
    ):
        picked.setdefault(owner, set()).add(recipient)
    return {
        c.participant_id: domain.Consent(
            domain.Audience(c.audience), c.share_email, c.text, frozenset(picked.get(c.participant_id, ()))
        )
        for c in cards
    }


def card_of(person: Participant) -> ContactCard | None:
    """The contact card this person shares, or None if they have not made one."""
    return db.session.scalar(select(ContactCard).where(ContactCard.participant_id == person.id))


def picks_of(person: Participant) -> set[int]:
    """Ids of the people this person chose to send their contact card to."""
    return set(db.session.scalars(select(ContactPick.recipient_id).where(ContactPick.owner_id == person.id)))


def settings_for(event_id: int) -> ConnectionSettings:
    """The event's settings row, or an unsaved one with the defaults."""
    found = db.session.scalar(select(ConnectionSettings).where(ConnectionSettings.event_id == event_id))
    return found or ConnectionSettings(event_id=event_id, talk_again=False, in_report=True)


# ---- what a personal page shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    """Someone met, as a personal page shows them (their email only inside a shared contact)."""

    id: int
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    organization: str
    department: str

    @property
    def kana(self) -> str:
        return " ".join(p for p in (self.family_kana, self.given_kana) if p)


@dataclass(frozen=True)
class SharedContact:
    """A contact shared with the viewer: the owner's email (if they chose) and their free text."""

    email: str
    text: str


@dataclass(frozen=True)
class Encounter:
    """One table the holder sat at: the round, the room, its facilitator and the others there."""

    round: HeldRound
    room_name: str
    host: PersonView | None
    hosting: bool
    people: list[PersonView]


@dataclass
class MetPage:
    """Everything the "people you met" page and its JSON show to the holder, and nothing more."""

    holder: Participant
    tables: list[Encounter]
    people: dict[int, PersonView]
    shared_with_me: dict[int, SharedContact]
    card: ContactCard | None
    picks: set[int]
    notes: dict[int, PersonNote]
    talk_again: set[int] = field(default_factory=set)
    mutual: set[int] = field(default_factory=set)
    talk_again_enabled: bool = False
    rounds_held: int = 0

    @property
    def consent(self) -> domain.Consent:
        card = self.card
        if card is None:
            return domain.Consent()
        return domain.Consent(domain.Audience(card.audience), card.share_email, card.text, frozenset(self.picks))

    @property
    def reach(self) -> int:
        return domain.reach(self.consent, self.people)


def _views(ids: Iterable[int]) -> dict[int, PersonView]:
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Participant.id,
            Participant.family_name,
            Participant.given_name,
            Participant.family_kana,
            Participant.given_kana,
            Participant.organization,
            Participant.department,
        ).where(Participant.id.in_(ids))
    )
    return {r.id: PersonView(*r) for r in rows}


def shared_with(viewer: Participant, met: Collection[int]) -> dict[int, SharedContact]:
    """owner id → the contact they share with `viewer`: only people the viewer met, only while consent stands."""
    found = consents(met)
    visible = [owner for owner, consent in found.items() if domain.may_see_contact(consent, viewer.id, owner in met)]
    if not visible:
        return {}
    emails = dict(
        db.session.execute(select(Participant.id, Participant.email).where(Participant.id.in_(visible))).all()
    )
    return {
        owner: SharedContact(emails[owner] if found[owner].share_email else "", found[owner].text.strip())
        for owner in visible
    }


def met_page(holder: Participant, now: datetime) -> MetPage:
    """The holder's tables round by round, the people there, what they share with the holder, the holder's notes."""
    rounds, by_table = tables_of_person(holder, now)
    met = domain.met_by(holder.id, by_table)
    room_rows = db.session.execute(
        select(Room.id, Room.name, Room.host_id, Room.position).where(Room.id.in_({m for _r, m in by_table}))
    ).all()
    rooms = {r.id: r for r in room_rows}
    people = _views(met | {r.host_id for r in room_rows if r.host_id})
    tables = []
    for (round_id, room_id), members in by_table.items():
        room = rooms[room_id]
        host_id = room.host_id if room.host_id in members else None
        others = [people[p] for p in members if p not in (holder.id, host_id) and p in people]
        others.sort(key=lambda p: (p.family_kana or p.family_name, p.given_kana or p.given_name, p.id))
        tables.append(
            Encounter(
                round=rounds[round_id],
                room_name=room.name,
                host=people.get(host_id) if host_id and host_id != holder.id else None,
                hosting=host_id == holder.id,
                people=others,
            )
        )
    tables.sort(key=lambda t: (t.round.starts_at, t.round.number))
    notes = {
        n.subject_id: n
        for n in db.session.scalars(select(PersonNote).where(PersonNote.author_id == holder.id))
        if n.subject_id in met
    }
    page = MetPage(
        holder=holder,
        tables=tables,
        people={pid: view for pid, view in people.items() if pid in met},
        shared_with_me=shared_with(holder, met),
        card=card_of(holder),
        picks=picks_of(holder) & met,
        notes=notes,
        rounds_held=len(rounds),
    )
    page.talk_again_enabled = settings_for(holder.event_id).talk_again
    if page.talk_again_enabled:
        page.talk_again = set(db.session.scalars(select(TalkAgain.to_id).where(TalkAgain.from_id == holder.id))) & met
        wanted_me = set(db.session.scalars(select(TalkAgain.from_id).where(TalkAgain.to_id == holder.id)))
        page.mutual = page.talk_again & wanted_me
    return page


def note_of(author: Participant, subject_id: int) -> PersonNote | None:
    """The private note this author keeps about another participant, or None."""
    return db.session.scalar(
        select(PersonNote).where(PersonNote.author_id == author.id, PersonNote.subject_id == subject_id)
    )


def has_match(first: int, second: int) -> bool:
    """Whether these two people both asked to talk again (the pair is stored lowest id first)."""
    low, high = sorted((first, second))
    return (
        db.session.scalar(
            select(TalkAgainMatch.id).where(TalkAgainMatch.first_id == low, TalkAgainMatch.second_id == high)
        )
        is not None
    )


def event_or_404(event_id: int) -> Event:
    """The event with this id, or 404."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    return event
