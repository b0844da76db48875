"""The read-only JSON API, /api/v1 (documented in the README)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, url_for
from werkzeug.wrappers import Response

from app.db import utcnow
from app.events import queries
from app.events.models import CafeRound, Event, ProgrammeItem, Speaker
from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def iso(value: Any, tz: str) -> str:
    """An instant as ISO 8601 with the event zone's offset, e.g. 2026-07-25T13:00:00+09:00."""
    return value.astimezone(ZoneInfo(tz)).isoformat()


def event_summary(event: Event) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "title": event.title,
        "status": event.status.value,
        "timezone": event.timezone,
        "starts_at": iso(event.starts_at, event.timezone),
        "ends_at": iso(event.ends_at, event.timezone),
        "url": url_for("events.show", slug=event.slug, _external=True),
    }


def _speaker(speaker: Speaker) -> dict[str, Any]:
    return {
        "role": speaker.role.value,
        "family_name": speaker.family_name,
        "given_name": speaker.given_name,
        "organization": speaker.organization,
        "department": speaker.department,
        "bio": speaker.bio,
    }


def _round(round_: CafeRound, tz: str) -> dict[str, Any]:
    return {
        "number": round_.number,
        "question": round_.question,
        "starts_at": iso(round_.starts_at, tz),
        "ends_at": iso(round_.ends_at, tz),
    }


def _item(item: ProgrammeItem, tz: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": item.kind.value,
        "title": item.title,
        "description": item.description,
        "starts_at": iso(item.starts_at, tz),
        "ends_at": iso(item.ends_at, tz),
        "speakers": [_speaker(s) for s in item.speakers],
    }
    if item.rounds:
        data["rounds"] = [_round(r, tz) for r in item.rounds]
    return data


@bp.get("/events")
def events() -> Response:
    """Published events, upcoming first then past."""
    upcoming, past = queries.public_events(utcnow())
    return jsonify(events=[event_summary(e) for e in upcoming + past])


@bp.get("/events/<slug>")
def event(slug: str) -> Response:
    """One public event with its programme."""
    found = queries.public_event_or_404(slug)
    return jsonify(
        {
            **event_summary(found),
            "description": found.description,
            # The meeting link goes to registered people only, unless the organiser made it public.
            "meeting_url": found.public_meeting_url or None,
            "programme": [_item(i, found.timezone) for i in found.items],
        }
    )
