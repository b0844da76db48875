"""A person's own data as JSON through their personal token (for chat bots and room displays)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, make_response, request
from werkzeug.wrappers import Response

from app.api.http import event_summary, iso, opt
from app.day import queries
from app.db import utcnow
from app.extensions import csrf

bp = Blueprint("day_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

TOKEN_HEADER = "X-Personal-Token"


def _person(p: queries.Person | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "id": p.id,
        "family_name": p.family_name,
        "given_name": opt(p.given_name),
        "organization": opt(p.organization),
        "department": opt(p.department),
    }


def _payload(state: queries.Personal) -> dict[str, Any]:
    event = state.participant.event
    tz = event.timezone
    prog, now = state.programme, state.now

    def item(key: object) -> dict[str, Any] | None:
        info = prog.items.get(key) if isinstance(key, int) else None
        if info is None:
            return None
        return {
            "id": info.id,
            "kind": info.kind.value,
            "title": info.title,
            "starts_at": iso(info.starts_at, tz),
            "ends_at": iso(info.ends_at, tz),
        }

    rounds = []
    for rnd in state.rounds():
        seat = state.seats.get(rnd.id)
        rounds.append(
            {
                "id": rnd.id,
                "number": rnd.number,
                "question": opt(rnd.question),
                "starts_at": iso(rnd.starts_at, tz),
                "ends_at": iso(rnd.ends_at, tz),
                "current": rnd.id == now.round,
                "room": None
                if seat is None
                else {
                    "id": seat.room_id,
                    "name": seat.room_name,
                    "breakout_url": opt(seat.breakout_url),
                    "host": _person(seat.host),
                    "you_host": seat.hosting,
                    "room_mates": [_person(p) for p in state.mates.get(rnd.id, [])],
                },
            }
        )
    current = state.current_round
    return {
        "event": event_summary(event),
        "meeting_url": opt(event.meeting_url),
        "me": {
            "id": state.participant.id,
            "family_name": state.participant.family_name,
            "given_name": opt(state.participant.given_name),
            "organization": opt(state.participant.organization),
            "role": state.participant.role.value,
        },
        "now": {
            "phase": now.phase.value,
            "item": item(now.item),
            "round": current.number if current else None,
            "round_ends_at": iso(now.round_ends_at, tz) if now.round_ends_at else None,
            "started_by_hand": now.overridden,
        },
        "next": {
            "item": item(now.next_item),
            "round": state.next_round.number if state.next_round else None,
            "starts_at": iso(now.next_starts_at, tz) if now.next_starts_at else None,
        },
        "rounds": rounds,
        "broadcasts": [
            {"id": b.id, "body": b.body, "important": b.urgent, "posted_at": iso(b.created_at, tz)}
            for b in state.broadcasts
        ],
    }


def _answer(token: str) -> Response:
    # Unlike the page, the API gives room-mates for every round, so a bot can answer "who is in round 3".
    state = queries.state_for_token(token, utcnow())
    etag = state.etag("api")
    unchanged = etag in request.if_none_match
    response = make_response("", 304) if unchanged else jsonify(_payload(queries.fill_page(state, all_rounds=True)))
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/me/<token>")
def me(token: str) -> Response:
    """The holder's event, now/next and their rooms per round (token in the path)."""
    return _answer(token)


@bp.get("/me")
def me_by_header() -> Response:
    """The same, with the token in the X-Personal-Token header (keeps it out of access logs)."""
    token = request.headers.get(TOKEN_HEADER, "")
    if not token:
        abort(404)
    return _answer(token)
