"""The person picker: one searchable list of an event's people, instead of a 2,000-name <select> per row.

Without JavaScript the picker is a plain text box: whatever the organiser types (a name, a reading, an
email, the label the picker shows) is resolved here to one person, or a clear message says why not.
With JavaScript (static/js/person-picker.js) the box suggests people as you type from `options`.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.events.models import Event
from app.extensions import db
from app.participants import queries
from app.participants.models import Participant, Role
from app.templating import affiliation, person_name

LIMIT = 20

# Which people a picker offers: the role names a form may ask for.
GROUPS: dict[str, tuple[Role, ...]] = {
    "facilitators": (Role.FACILITATOR,),
    "seated": (Role.PARTICIPANT, Role.FACILITATOR, Role.SPEAKER),
    "everyone": tuple(Role),
}


class PickError(ValueError):
    """The text names nobody, or more than one person."""


def label(person: Participant) -> str:
    """What the picker shows and puts in the box: "Name（organisation）"."""
    org = affiliation(person)
    return f"{person_name(person)}（{org}）" if org else person_name(person)


def _query(event: Event, text: str, roles: Iterable[Role]):  # type: ignore[no-untyped-def]
    return queries.search_query(event, text).where(Participant.role.in_(list(roles)))


def options(event: Event, text: str, group: str, limit: int = LIMIT) -> tuple[list[dict[str, object]], bool]:
    """Up to `limit` people of the group matching the text, as {id, label, detail}; and whether there are more."""
    roles = GROUPS.get(group, GROUPS["everyone"])
    people = list(db.session.scalars(_query(event, text.strip()[:100], roles).limit(limit + 1)))
    return [
        {"id": p.id, "label": label(p), "detail": " ".join(x for x in (p.family_kana, p.given_kana) if x)}
        for p in people[:limit]
    ], len(people) > limit


def resolve(event: Event, text: str, group: str) -> Participant | None:
    """The one person of the group the text names; None for an empty box; PickError otherwise."""
    text = " ".join(text.replace("\u3000", " ").split())[:200]
    if not text:
        return None
    roles = GROUPS.get(group, GROUPS["everyone"])
    if text.removeprefix("#").isdigit():  # an id (names never are digits only); the services check the role
        person = db.session.scalar(
            select(Participant).where(Participant.event_id == event.id, Participant.id == int(text.removeprefix("#")))
        )
        if person is None:
            raise PickError(_l("Nobody on the list matches “%(text)s”.", text=text))
        return person
    # The label the picker shows ("Name（organisation）"): search by the name part, keep the exact match.
    name = text.split("（", 1)[0].strip()
    candidates = list(db.session.scalars(_query(event, name, roles).limit(50)))
    exact = [p for p in candidates if label(p) == text]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise PickError(_l("Several people are called “%(text)s”: type the email instead.", text=text))
    found = list(db.session.scalars(_query(event, text, roles).limit(LIMIT + 1)))
    if len(found) == 1:
        return found[0]
    if not found and len(candidates) == 1:
        return candidates[0]
    if not found:
        raise PickError(_l("Nobody on the list matches “%(text)s”.", text=text))
    raise PickError(
        _l(
            "%(count)s people match “%(text)s”: type more of the name, or the email.",
            count=f"{LIMIT}+" if len(found) > LIMIT else len(found),
            text=text,
        )
    )
