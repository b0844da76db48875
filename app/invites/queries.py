"""What the invites page shows: counts for everyone, one page of people, searchable; a fixed number of queries."""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app import outbox
from app.events.models import Event
from app.extensions import db
from app.invites import calendars, services
from app.invites.services import PersonRow, Recipient, Sent
from app.outbox.models import MessageStatus, OutboxMessage
from app.participants.models import Participant, Rsvp, Status

PER_PAGE = 50


class RowState:
    """What the page says of one person's invitation (also the filter's values)."""

    NOT_INVITED = "not_invited"
    CHANGED = "changed"
    UP_TO_DATE = "up_to_date"
    CANCEL_DUE = "cancel_due"
    WITHDRAWN = "withdrawn"


def state_of(row: Recipient) -> str:
    """Where a recipient's invitation stands (not invited, up to date, changed, cancellation due, withdrawn)."""
    if row.withdrawn:
        return RowState.CANCEL_DUE if row.holds_invitation else RowState.WITHDRAWN
    if row.invitation is None or not row.invitation.sends or row.invitation.cancelled:
        return RowState.NOT_INVITED
    return RowState.CHANGED if row.changed else RowState.UP_TO_DATE


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    recipient: Recipient
    state: str
    message: OutboxMessage | None

    @property
    def person(self) -> PersonRow:
        return self.recipient.person

    @property
    def invitation(self) -> Sent | None:
        return self.recipient.invitation


@dataclass
class Overview:
    """Counts over everyone, and the rows of one page of the (filtered) list."""

    rows: list[Row]
    states: Counter[str]
    answers: Counter[str]
    emails: dict[str, int]
    total: int
    matching: int
    page: int
    pages: int
    search: str = ""
    state: str = ""
    answer: str = ""
    to_send: int = 0
    problems: list[str] = field(default_factory=list)


def _folded(text: str) -> str:
    """Case-, width- and kana-insensitive form for search (Ｙａｍａｄａ, やまだ and ヤマダ find each other)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def _haystack(row: Recipient) -> str:
    p = row.person
    return _folded(
        " ".join(
            (
                p.family_name,
                p.given_name,
                p.family_name + p.given_name,
                p.family_kana,
                p.given_kana,
                p.family_kana + p.given_kana,
                p.email,
                p.organization,
                p.department,
            )
        )
    )


def _answer(row: Recipient) -> str:
    return row.person.rsvp.value if row.person.rsvp else "none"


def overview(event: Event, *, search: str = "", state: str = "", answer: str = "", page: int = 1) -> Overview:
    """The invites page's data: a fixed number of statements for 20 or 2,000 people."""
    everyone = services.recipients(event, calendars.load(event))
    states = Counter(state_of(r) for r in everyone)
    answers = Counter(_answer(r) for r in everyone if not r.withdrawn)
    chosen = everyone
    if search.strip():
        needles = _folded(search).split()
        chosen = [r for r in chosen if all(n in _haystack(r) for n in needles)]
    if state:
        chosen = [r for r in chosen if state_of(r) == state]
    if answer:
        chosen = [r for r in chosen if _answer(r) == answer]
    pages = max(1, math.ceil(len(chosen) / PER_PAGE))
    page = min(max(page, 1), pages)
    shown = chosen[(page - 1) * PER_PAGE : page * PER_PAGE]
    message_ids = [r.invitation.outbox_id for r in shown if r.invitation is not None and r.invitation.outbox_id]
    messages = (
        {m.id: m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))}
        if message_ids
        else {}
    )
    rows = [
        Row(
            r,
            state_of(r),
            messages.get(r.invitation.outbox_id) if r.invitation is not None and r.invitation.outbox_id else None,
        )
        for r in shown
    ]
    emails = {status: count for (kind, status), count in outbox.status_counts(event.id).items() if kind == "email"}
    return Overview(
        rows=rows,
        states=states,
        answers=answers,
        emails=emails,
        total=len(everyone),
        matching=len(chosen),
        page=page,
        pages=pages,
        search=search,
        state=state,
        answer=answer,
        to_send=states[RowState.NOT_INVITED] + states[RowState.CHANGED] + states[RowState.CANCEL_DUE],
        problems=services.problems(event),
    )


def answer_counts(event: Event) -> dict[Rsvp, int]:
    """How many (not withdrawn) people answered attend / can't attend / not sure."""
    rows = db.session.execute(
        select(Participant.rsvp, func.count())
        .where(Participant.event_id == event.id, Participant.rsvp.is_not(None), Participant.status != Status.CANCELLED)
        .group_by(Participant.rsvp)
    )
    return {Rsvp(answer): count for answer, count in rows}


def failed_emails(event: Event) -> int:
    """How many of the event's emails the outbox gave up on."""
    return outbox.status_counts(event.id).get(("email", MessageStatus.FAILED.value), 0)
