"""The people a person met, as JSON through their personal token (part of the personal JSON API)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from werkzeug.wrappers import Response

from app.api.http import iso, opt
from app.connections import queries
from app.connections.views import organiser_looking
from app.db import utcnow
from app.domain.connections import may_see_contact
from app.extensions import csrf

bp = Blueprint("connections_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

TOKEN_HEADER = "X-Personal-Token"


def _person(p: queries.PersonView) -> dict[str, Any]:
    return {
        "id": p.id,
        "family_name": p.family_name,
        "given_name": opt(p.given_name),
        "family_kana": opt(p.family_kana),
        "given_kana": opt(p.given_kana),
        "organization": opt(p.organization),
        "department": opt(p.department),
    }


def payload(page: queries.MetPage, withheld: bool = False) -> dict[str, Any]:
    """The holder's encounters, round by round, with what is shared with them and their own notes."""
    tz = page.holder.event.timezone
    consent = page.consent

    def someone(p: queries.PersonView) -> dict[str, Any]:
        contact = page.shared_with_me.get(p.id)
        note = page.notes.get(p.id)
        entry = _person(p) | {
            "contact": {"email": contact.email or None, "text": contact.text or None} if contact else None,
            "my_note": opt(note.text) if note else None,
            "sees_my_contact": may_see_contact(consent, p.id, True),
        }
        if page.talk_again_enabled:
            entry |= {"talk_again": p.id in page.talk_again, "mutual": p.id in page.mutual}
        return entry

    return {
        "rounds": [
            {
                "id": t.round.id,
                "number": t.round.number,
                "question": opt(t.round.question),
                "starts_at": iso(t.round.starts_at, tz),
                "room": t.room_name,
                "facilitator": someone(t.host) if t.host else None,
                "you_hosted": t.hosting,
                "people": [someone(p) for p in t.people],
            }
            for t in page.tables
        ],
        "my_contact": {
            "audience": consent.audience.value,
            "share_email": consent.share_email,
            "text": opt(consent.text),
            "reach": page.reach,
        },
        "talk_again_enabled": page.talk_again_enabled,
        "withheld_from_organiser": withheld,
    }


def _answer(token: str) -> Response:
    holder = queries.holder_or_404(token)
    page = queries.met_page(holder, utcnow())
    withheld = organiser_looking(holder)
    if withheld:
        page.shared_with_me, page.notes = {}, {}
    response = jsonify(payload(page, withheld))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/me/<token>/people")
def people(token: str) -> Response:
    """The people the holder met, per round (token in the path)."""
    return _answer(token)


@bp.get("/me/people")
def people_by_header() -> Response:
    """The same, with the token in the X-Personal-Token header (keeps it out of access logs)."""
    token = request.headers.get(TOKEN_HEADER, "")
    if not token:
        abort(404)
    return _answer(token)
