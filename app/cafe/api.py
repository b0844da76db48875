"""Organiser-only JSON API: the published café assignment of each round (Bearer API token)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.api.http import error, event_summary, iso, opt
from app.auth.models import Organizer
from app.auth.services import organizer_for_api_token
from app.cafe import planner, queries
from app.events import queries as event_queries
from app.extensions import csrf
from app.participants.models import Participant

bp = Blueprint("cafe_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _bearer_organizer() -> Organizer | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return organizer_for_api_token(token.strip())


def _unauthorized() -> tuple[Response, int]:
    """401 in the caller's language (Accept-Language), with the scheme to use."""
    response, status = error(401, _("A valid API token is needed: Authorization: Bearer <token>."))
    response.headers["WWW-Authenticate"] = 'Bearer realm="tsunagu"'
    return response, status


def _person(person: Participant) -> dict[str, Any]:
    return {
        "id": person.id,
        "family_name": person.family_name,
        "given_name": opt(person.given_name),
        "organization": opt(person.organization),
        "department": opt(person.department),
        "email": person.email,
    }


def _cafe(data: planner.CafeData, tz: str) -> dict[str, Any]:
    rounds = []
    grid = queries.grid(data, data.published)
    for index, round_ in enumerate(data.rounds):
        entry: dict[str, Any] = {
            "id": round_.id,
            "number": round_.number,
            "question": opt(round_.question),
            "starts_at": iso(round_.starts_at, tz),
            "ends_at": iso(round_.ends_at, tz),
            "published_at": iso(round_.published_at, tz) if round_.published_at else None,
            "rooms": [],
        }
        if round_.published_at is not None:
            for room, cells in grid:
                cell = cells[index]
                if not cell.people:
                    continue
                host = next((p for p in cell.people if p.id == room.host_id), None)
                entry["rooms"].append(
                    {
                        "id": room.id,
                        "name": room.name,
                        "breakout_url": opt(room.breakout_url),
                        "host": _person(host) if host else None,
                        "members": [_person(p) for p in cell.people if p is not host],
                    }
                )
        rounds.append(entry)
    return {"id": data.item.id, "title": data.item.title,
            "room_size": {"min": data.item.room_size_min, "max": data.item.room_size_max}, "rounds": rounds}  # fmt: skip


@bp.get("/events/<slug>/assignments")
def assignments(slug: str) -> Response | tuple[Response, int]:
    """Each café of an event with, per round, the published rooms, hosts and members (organisers only)."""
    organizer = _bearer_organizer()
    if organizer is None:
        return _unauthorized()
    event = event_queries.owned_event_or_404(slug, organizer)
    cafes = [_cafe(planner.load(item), event.timezone) for item in queries.cafe_items(event)]
    response = jsonify({**event_summary(event), "cafes": cafes})
    response.headers["Cache-Control"] = "no-store"
    return response
