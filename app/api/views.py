"""The read-only JSON API, /api/v1: public events and programmes, and the OpenAPI description of it all."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, url_for
from werkzeug.wrappers import Response

from app.api import http
from app.api.http import event_summary, iso
from app.api.openapi import description
from app.db import utcnow
from app.events import queries
from app.events.models import CafeRound, Event, ProgrammeItem, Speaker
from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.record_once(lambda state: http.init_app(state.app))


def _speaker(speaker: Speaker) -> dict[str, Any]:
    return {
        "id": speaker.id,
        "role": speaker.role.value,
        "family_name": speaker.family_name,
        "given_name": http.opt(speaker.given_name),
        "organization": http.opt(speaker.organization),
        "department": http.opt(speaker.department),
        "bio": http.opt(speaker.bio),
    }


def _round(round_: CafeRound, tz: str) -> dict[str, Any]:
    return {
        "id": round_.id,
        "number": round_.number,
        "question": http.opt(round_.question),
        "starts_at": iso(round_.starts_at, tz),
        "ends_at": iso(round_.ends_at, tz),
    }


def _item(item: ProgrammeItem, tz: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "title": item.title,
        "description": http.opt(item.description),
        "starts_at": iso(item.starts_at, tz),
        "ends_at": iso(item.ends_at, tz),
        "speakers": [_speaker(s) for s in item.speakers],
        "rounds": [_round(r, tz) for r in item.rounds],
    }


@bp.get("/events")
@http.public_read("api.events")
def events() -> Response:
    """Published events, upcoming first then past, a page at a time (?page=, ?per_page=)."""
    upcoming, past = queries.public_events(utcnow())
    found = upcoming + past
    page = http.page_of(len(found))
    return http.paginated("api.events", page, "events", [event_summary(e) for e in page.slice(found)])


@bp.get("/events/<slug>")
@http.public_read("api.event")
def event(slug: str) -> Response:
    """One public event with its programme."""
    found: Event = queries.public_event_or_404(slug)
    return jsonify(
        {
            **event_summary(found),
            "description": http.opt(found.description),
            # The meeting link goes to registered people only, unless the organiser made it public.
            "meeting_url": http.opt(found.public_meeting_url),
            "programme": [_item(i, found.timezone) for i in found.items],
        }
    )


@bp.get("/openapi.json")
@http.public_read("api.openapi")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API (checked against the real answers in the test suite)."""
    response = jsonify(description(url_for("api.events", _external=True).rsplit("/api/v1/", 1)[0]))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
