"""Reads of participants for pages, exports and other features (cafe, invites)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from app.domain import participant_import as pi
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant, Role, Status


def _ordering() -> list[ColumnElement[object]]:
    # Gojūon order by reading; people without a reading after, by name.
    return [
        case((Participant.family_kana == "", 1), else_=0),
        Participant.family_kana,
        Participant.given_kana,
        Participant.family_name,
        Participant.given_name,
        Participant.id,
    ]  # type: ignore[list-item]


def participants_of(
    event: Event, roles: Iterable[Role | str] | None = None, statuses: Iterable[Status | str] | None = None
) -> list[Participant]:
    """An event's people, optionally of some roles and statuses, ordered by kana reading then name."""
    query = select(Participant).where(Participant.event_id == event.id)
    if roles is not None:
        query = query.where(Participant.role.in_([Role(r) for r in roles]))
    if statuses is not None:
        query = query.where(Participant.status.in_([Status(s) for s in statuses]))
    return list(db.session.scalars(query.order_by(*_ordering())))


def search(event: Event, text: str = "", role: str = "", status: str = "") -> list[Participant]:
    """The organiser's list: free text over names, readings, email, organisation and department."""
    return list(db.session.scalars(search_query(event, text, role, status)))


def search_query(event: Event, text: str = "", role: str = "", status: str = "") -> Select[tuple[Participant]]:
    """The statement behind `search`, ordered, for callers that page or limit it."""
    query = select(Participant).where(Participant.event_id == event.id)
    if role in Role._value2member_map_:
        query = query.where(Participant.role == Role(role))
    if status in Status._value2member_map_:
        query = query.where(Participant.status == Status(status))
    columns = (
        Participant.family_name,
        Participant.given_name,
        Participant.family_kana,
        Participant.given_kana,
        Participant.email,
        Participant.organization,
        Participant.department,
        Participant.prefecture,
        Participant.family_name + Participant.given_name,
    )
    for word in text.replace("\u3000", " ").split()[:5]:
        # Readings are stored in katakana: a search in hiragana finds them too.
        needle = pi.normalise_kana(word).lower()
        query = query.where(
            or_(
                *(func.lower(c).contains(needle, autoescape=True) for c in columns),
                *(func.lower(c).contains(word.lower(), autoescape=True) for c in columns),
            )
        )
    return query.order_by(*_ordering())


@dataclass(frozen=True)
class Counts:
    """Head-counts of an event's people."""

    total: int = 0
    by_role: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    organizations: int = 0
    prefectures: int = 0
    attending: int = 0


def counts(event: Event) -> Counts:
    """Totals by role and status, and how many organisations and prefectures are represented."""
    rows = db.session.execute(
        select(Participant.role, Participant.status, Participant.organization, Participant.prefecture).where(
            Participant.event_id == event.id
        )
    ).all()
    roles = Counter(r.role.value for r in rows)
    statuses = Counter(r.status.value for r in rows)
    return Counts(
        total=len(rows),
        by_role={r.value: roles.get(r.value, 0) for r in Role},
        by_status={s.value: statuses.get(s.value, 0) for s in Status},
        organizations=len({r.organization for r in rows if r.organization}),
        prefectures=len({r.prefecture for r in rows if r.prefecture}),
        attending=sum(1 for r in rows if r.status not in (Status.CANCELLED, Status.ABSENT)),
    )


def taken_places(event: Event) -> int:
    """People counted against the registration capacity: everyone who has not cancelled."""
    return (
        db.session.scalar(
            select(func.count(Participant.id)).where(
                Participant.event_id == event.id, Participant.status != Status.CANCELLED
            )
        )
        or 0
    )


def participant_by_token(token: str) -> Participant | None:
    """The holder of a personal link, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Participant).where(Participant.token == token))


def participant_by_email(event: Event, email: str) -> Participant | None:
    """A person of the event by email, compared case-insensitively."""
    return db.session.scalar(
        select(Participant).where(Participant.event_id == event.id, func.lower(Participant.email) == email.lower())
    )


def emails_of(event: Event) -> dict[str, Participant]:
    """Everyone in the event by lower-case email (for imports)."""
    people = db.session.scalars(select(Participant).where(Participant.event_id == event.id))
    return {p.email.lower(): p for p in people}


def owned_participant_or_404(event: Event, participant_id: int) -> Participant:
    """A person of this event; people of other events look missing."""
    person = db.session.get(Participant, participant_id)
    if person is None or person.event_id != event.id:
        abort(404)
    return person
