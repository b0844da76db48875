"""The components of the API description: the JSON shapes of every answer (closed objects, null for empty texts)."""

from __future__ import annotations

from typing import Any

from app.domain.participant_import import ROLES

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    """A reference to one of the named schemas below."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """The schema, or null (optional values are null, never left out)."""
    return {"anyOf": [schema, {"type": "null"}]}


def closed_object(properties: dict[str, Schema], *, optional: tuple[str, ...] = ()) -> Schema:
    """An object with exactly these properties, all required but `optional`: an undescribed field fails."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


STRING: Schema = {"type": "string"}


TEXT: Schema = nullable({"type": "string", "minLength": 1})  # an optional text: null when not given


ID: Schema = {"type": "integer", "minimum": 1}


INSTANT: Schema = {"type": "string", "format": "date-time"}


URL: Schema = {"type": "string", "format": "uri"}


def schemas() -> dict[str, Schema]:
    """The named schemas of the document (components.schemas), one per kind of answer."""
    person = {
        "id": ID,
        "family_name": STRING,
        "given_name": TEXT,
        "organization": TEXT,
        "department": TEXT,
    }
    summary = {
        "id": ID,
        "slug": STRING,
        "title": STRING,
        "status": {"enum": ["draft", "published", "finished"]},
        "timezone": {"type": "string", "examples": ["Asia/Tokyo"]},
        "starts_at": INSTANT,
        "ends_at": INSTANT,
        "url": URL,
    }
    cafe_round = {
        "id": ID,
        "number": {"type": "integer", "minimum": 1},
        "question": TEXT,
        "starts_at": INSTANT,
        "ends_at": INSTANT,
    }
    room = {"id": ID, "name": STRING, "breakout_url": nullable(URL)}
    item_brief = closed_object(
        {
            "id": ID,
            "kind": {"enum": ["talk", "panel", "cafe", "break", "social"]},
            "title": STRING,
            "starts_at": INSTANT,
            "ends_at": INSTANT,
        }
    )
    return {
        "Error": closed_object(
            {"error": closed_object({"code": {"type": "integer", "minimum": 400, "maximum": 599}, "message": STRING})}
        ),
        "EventSummary": closed_object(summary),
        "Pagination": closed_object(
            {
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": 200},
                "total": {"type": "integer", "minimum": 0},
                "pages": {"type": "integer", "minimum": 1},
                "next": nullable(URL),
                "previous": nullable(URL),
            }
        ),
        "EventList": closed_object(
            {"events": {"type": "array", "items": ref("EventSummary")}, "pagination": ref("Pagination")}
        ),
        "Speaker": closed_object(
            {
                "id": ID,
                "role": {"enum": ["speaker", "moderator"]},
                "family_name": STRING,
                "given_name": TEXT,
                "organization": TEXT,
                "department": TEXT,
                "bio": TEXT,
            }
        ),
        "Round": closed_object(cafe_round),
        "ProgrammeItem": closed_object(
            {
                "id": ID,
                "kind": {"enum": ["talk", "panel", "cafe", "break", "social"]},
                "title": STRING,
                "description": TEXT,
                "starts_at": INSTANT,
                "ends_at": INSTANT,
                "speakers": {"type": "array", "items": ref("Speaker")},
                "rounds": {"type": "array", "items": ref("Round")},
            }
        ),
        "Event": closed_object(
            {
                **summary,
                "description": TEXT,
                "meeting_url": nullable(URL),
                "programme": {"type": "array", "items": ref("ProgrammeItem")},
            }
        ),
        "Report": closed_object(
            {
                "event": ref("EventSummary"),
                "version": {"type": "integer", "minimum": 1},
                "published_at": INSTANT,
                "versions": {
                    "type": "array",
                    "items": closed_object({"number": {"type": "integer", "minimum": 1}, "url": URL}),
                },
                "url": URL,
                "downloads": closed_object({"md": URL, "html": URL, "pdf": URL}),
                "report": {
                    "type": "object",
                    "description": "The published snapshot; see docs/api-reports.md for its fields.",
                    "required": ["title", "programme", "rounds", "stats"],
                },
            }
        ),
        "Person": closed_object(person),
        "PersonWithEmail": closed_object({**person, "email": {"type": "string", "format": "email"}}),
        "Assignments": closed_object(
            {
                **summary,
                "cafes": {
                    "type": "array",
                    "items": closed_object(
                        {
                            "id": ID,
                            "title": STRING,
                            "room_size": closed_object({"min": {"type": "integer"}, "max": {"type": "integer"}}),
                            "rounds": {
                                "type": "array",
                                "items": closed_object(
                                    {
                                        **cafe_round,
                                        "published_at": nullable(INSTANT),
                                        "rooms": {
                                            "type": "array",
                                            "items": closed_object(
                                                {
                                                    **room,
                                                    "host": nullable(ref("PersonWithEmail")),
                                                    "members": {"type": "array", "items": ref("PersonWithEmail")},
                                                }
                                            ),
                                        },
                                    }
                                ),
                            },
                        }
                    ),
                },
            }
        ),
        "ItemBrief": item_brief,
        "Met": {
            "type": "object",
            "properties": {
                **person,
                "family_kana": TEXT,
                "given_kana": TEXT,
                "contact": nullable(
                    closed_object({"email": nullable({"type": "string", "format": "email"}), "text": TEXT})
                ),
                "my_note": TEXT,
                "sees_my_contact": {"type": "boolean"},
                "talk_again": {"type": "boolean"},
                "mutual": {"type": "boolean"},
            },
            "required": [*person, "family_kana", "given_kana", "contact", "my_note", "sees_my_contact"],
            "additionalProperties": False,
            "description": "Someone the holder met. `talk_again` and `mutual` only when the organiser turned the feature on.",
        },
        "People": closed_object(
            {
                "rounds": {
                    "type": "array",
                    "items": closed_object(
                        {
                            "id": ID,
                            "number": {"type": "integer", "minimum": 1},
                            "question": TEXT,
                            "starts_at": INSTANT,
                            "room": STRING,
                            "facilitator": nullable(ref("Met")),
                            "you_hosted": {"type": "boolean"},
                            "people": {"type": "array", "items": ref("Met")},
                        }
                    ),
                },
                "my_contact": closed_object(
                    {
                        "audience": {"enum": ["nobody", "everyone", "picked"]},
                        "share_email": {"type": "boolean"},
                        "text": TEXT,
                        "reach": {"type": "integer", "minimum": 0},
                    }
                ),
                "talk_again_enabled": {"type": "boolean"},
                "withheld_from_organiser": {"type": "boolean"},
            }
        ),
        "Me": closed_object(
            {
                "event": ref("EventSummary"),
                "meeting_url": nullable(URL),
                "me": closed_object(
                    {
                        "id": ID,
                        "family_name": STRING,
                        "given_name": TEXT,
                        "organization": TEXT,
                        "role": {"enum": list(ROLES)},
                    }
                ),
                "now": closed_object(
                    {
                        "phase": {"enum": ["before", "during", "after"]},
                        "item": nullable(ref("ItemBrief")),
                        "round": nullable({"type": "integer", "minimum": 1}),
                        "round_ends_at": nullable(INSTANT),
                        "started_by_hand": {"type": "boolean"},
                    }
                ),
                "next": closed_object(
                    {
                        "item": nullable(ref("ItemBrief")),
                        "round": nullable({"type": "integer", "minimum": 1}),
                        "starts_at": nullable(INSTANT),
                    }
                ),
                "rounds": {
                    "type": "array",
                    "items": closed_object(
                        {
                            **cafe_round,
                            "current": {"type": "boolean"},
                            "room": nullable(
                                closed_object(
                                    {
                                        **room,
                                        "host": nullable(ref("Person")),
                                        "you_host": {"type": "boolean"},
                                        "room_mates": {"type": "array", "items": ref("Person")},
                                    }
                                )
                            ),
                        }
                    ),
                },
                "broadcasts": {
                    "type": "array",
                    "items": closed_object(
                        {"id": ID, "body": STRING, "important": {"type": "boolean"}, "posted_at": INSTANT}
                    ),
                },
            }
        ),
    }
