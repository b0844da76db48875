"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Objects are closed (`additionalProperties: false`): the suite checks every answer against this
description (schemathesis on a running server), so a field added to an answer without being described
here fails the tests. Empty optional texts are `null`, never "".
"""

from __future__ import annotations

from app.api.openapi_schemas import STRING, Schema, ref, schemas

VERSION = "1.1.0"


def _json(schema: str, description: str, headers: dict[str, Schema] | None = None) -> Schema:
    answer: Schema = {"description": description, "content": {"application/json": {"schema": ref(schema)}}}
    if headers:
        answer["headers"] = headers
    return answer


def _error(description: str, headers: dict[str, Schema] | None = None) -> Schema:
    return _json("Error", description, headers)


# Text without control characters: the app refuses them anywhere in a request (app/security/input_guard.py).
PLAIN_TEXT = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
CORS = {"Access-Control-Allow-Origin": {"schema": {"const": "*"}, "required": True,
                                        "description": "Public reads may be fetched from any web site."}}  # fmt: skip
SLUG = {"name": "slug", "in": "path", "required": True,
        "schema": {"type": "string", "minLength": 1, "pattern": PLAIN_TEXT},
        "description": "The event's slug (its address on the site)."}  # fmt: skip
LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False,
            "schema": {"type": "string", "pattern": PLAIN_TEXT},
            "description": "Error messages are in Japanese (default) or English."}  # fmt: skip


def _not_found(what: str) -> Schema:
    return _error(f"{what} (an error body in the caller's language).")


CONTROL = _error("The request holds control characters (e.g. NUL), which the app refuses everywhere.")


def _paths() -> dict[str, Schema]:
    return {
        "/api/v1/events": {
            "get": {
                "operationId": "listEvents",
                "summary": "Published events, upcoming first (soonest first), then past (latest first)",
                "tags": ["public"],
                "parameters": [
                    {
                        "name": "page",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1},
                    },
                    {
                        "name": "per_page",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                    },
                    LANGUAGE,
                ],  # fmt: skip
                "responses": {
                    "200": _json(
                        "EventList",
                        "One page of events; `Link` has rel=first/prev/next/last (RFC 8288).",
                        {**CORS, "Link": {"schema": STRING, "required": True}},
                    ),
                    "400": _error("`page` or `per_page` is not a whole number in range, or control characters.", CORS),
                },
            }
        },
        "/api/v1/events/{slug}": {
            "get": {
                "operationId": "getEvent",
                "summary": "One public event with its programme (items, speakers, café rounds and questions)",
                "tags": ["public"],
                "parameters": [SLUG, LANGUAGE],
                "responses": {
                    "200": _json("Event", "The event.", CORS),
                    "400": CONTROL,
                    "404": _not_found("No such public event"),
                },
            }
        },
        "/api/v1/events/{slug}/report": {
            "get": {
                "operationId": "getReport",
                "summary": "The latest published version of an event's report",
                "tags": ["public"],
                "parameters": [SLUG, LANGUAGE],
                "responses": {
                    "200": _json("Report", "The report.", CORS),
                    "400": CONTROL,
                    "404": _not_found("No published report for this event"),
                },
            }
        },
        "/api/v1/events/{slug}/assignments": {
            "get": {
                "operationId": "getAssignments",
                "summary": "The published seating of every café round (organisers of the event only)",
                "tags": ["organisers"],
                "security": [{"apiToken": []}],
                "parameters": [SLUG, LANGUAGE],
                "responses": {
                    "200": _json("Assignments", "Rooms, hosts and members per published round."),
                    "400": CONTROL,
                    "401": _error(
                        "No token, or not a valid one.",
                        {"WWW-Authenticate": {"schema": STRING, "required": True}},
                    ),
                    "404": _not_found("No such event, or it belongs to other organisers"),
                },
            }
        },
        "/api/v1/me/{token}": {
            "get": {
                "operationId": "getMeByPath",
                "summary": "A personal link holder's day: now, next and their room in every round",
                "tags": ["personal"],
                "parameters": [
                    {
                        "name": "token",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "pattern": PLAIN_TEXT},
                        "description": "The personal link's token.",
                    },
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "pattern": PLAIN_TEXT},
                    },
                    LANGUAGE,
                ],  # fmt: skip
                "responses": {
                    "200": _json("Me", "The holder's day.", {"ETag": {"schema": STRING, "required": True}}),
                    "304": {"description": "Unchanged since the ETag sent in If-None-Match."},
                    "400": CONTROL,
                    "404": _not_found("Unknown or revoked token"),
                },
            }
        },
        "/api/v1/me": {
            "get": {
                "operationId": "getMe",
                "summary": "The same, with the token in a header (keeps it out of access logs)",
                "tags": ["personal"],
                "parameters": [
                    {
                        "name": "X-Personal-Token",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "pattern": PLAIN_TEXT},
                    },
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "pattern": PLAIN_TEXT},
                    },
                    LANGUAGE,
                ],  # fmt: skip
                "responses": {
                    "200": _json("Me", "The holder's day.", {"ETag": {"schema": STRING, "required": True}}),
                    "304": {"description": "Unchanged since the ETag sent in If-None-Match."},
                    "400": CONTROL,
                    "404": _not_found("No token, or an unknown or revoked one"),
                },
            }
        },
        "/api/v1/me/{token}/people": {
            "get": {
                "operationId": "getPeopleMetByPath",
                "summary": "The people the holder met, round by round, with what they share with the holder",
                "tags": ["personal"],
                "parameters": [
                    {
                        "name": "token",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "pattern": PLAIN_TEXT},
                    },
                    LANGUAGE,
                ],  # fmt: skip
                "responses": {
                    "200": _json("People", "Rounds that took place, the tables and the people met."),
                    "400": CONTROL,
                    "404": _not_found("Unknown or revoked token"),
                },
            }
        },
        "/api/v1/me/people": {
            "get": {
                "operationId": "getPeopleMet",
                "summary": "The same, with the token in a header",
                "tags": ["personal"],
                "parameters": [
                    {
                        "name": "X-Personal-Token",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "pattern": PLAIN_TEXT},
                    },
                    LANGUAGE,
                ],  # fmt: skip
                "responses": {
                    "200": _json("People", "Rounds that took place, the tables and the people met."),
                    "400": CONTROL,
                    "404": _not_found("No token, or an unknown or revoked one"),
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "getOpenAPI",
                "summary": "This description",
                "tags": ["public"],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "headers": CORS,
                        "content": {"application/json": {"schema": {"type": "object", "required": ["openapi"]}}},
                    },
                    "400": CONTROL,
                },
            }
        },
    }


def description(base_url: str) -> Schema:
    """The whole document; `base_url` is where this site answers (PUBLIC_BASE_URL or the request's host)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tsunagu API",
            "version": VERSION,
            "summary": "Programmes, reports, café seating and personal schedules of online summits and world cafés.",
            "description": (
                "Read-only JSON (UTF-8). Times are ISO 8601 with the event zone's offset. Empty optional texts "
                'are null. Errors are `{"error": {"code", "message"}}` in the language of Accept-Language '
                "(Japanese by default). Public reads (tag `public`) send `Access-Control-Allow-Origin: *`; "
                "personal and organiser endpoints do not. A method a path does not offer answers 405 with `Allow`."
            ),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": base_url}],
        "tags": [
            {"name": "public", "description": "No login; CORS allowed from any origin."},
            {"name": "organisers", "description": "An organiser's API token (issued at /account/api-token)."},
            {"name": "personal", "description": "A personal link's token is the credential."},
        ],
        "paths": _paths(),
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "apiToken": {"type": "http", "scheme": "bearer", "description": "Issued at /account/api-token."}
            },
        },
    }
