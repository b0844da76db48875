"""The OpenAPI description tells the truth: schemathesis checks a running server's answers against it.

The server is a real WSGI server on 127.0.0.1 with the demo loaded; every operation is called with real
slugs and tokens (answers 200/304) and with generated values (answers 400/401/404/405), and each answer
must match the description: status, headers, content type and body schema (objects are closed, so an
undescribed field fails).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from flask import Flask
from flask.testing import FlaskCliRunner
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from sqlalchemy import select

from app import create_app
from app.auth.models import Organizer
from app.auth.services import issue_api_token
from app.events.models import Event, EventStatus
from app.extensions import db as _db
from app.participants.models import Participant, Role
from tests.wsgi_server import serving

# The served app answers from its own connections in its own threads: the demo it reads must be committed.
pytestmark = pytest.mark.committed_db


@pytest.fixture(scope="module")
def served(app: Flask) -> Iterator[str]:
    """The app on the test database, served by a real server on a free local port."""
    server_app = create_app(
        {"TESTING": True, "SECRET_KEY": "api-test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    with serving(server_app) as url:
        yield url


@pytest.fixture()
def demo(runner: FlaskCliRunner) -> dict[str, Any]:
    """The demo's events, an organiser token and personal tokens (a participant and a host per event)."""
    result = runner.invoke(args=["demo", "--password", "api-test-password"])
    assert result.exit_code == 0, result.output
    upcoming = _db.session.scalar(select(Event).where(Event.status == EventStatus.PUBLISHED))
    finished = _db.session.scalar(select(Event).where(Event.status == EventStatus.FINISHED))
    organizer = _db.session.scalar(select(Organizer))
    tokens = []
    for event in (upcoming, finished):
        for role in (Role.PARTICIPANT, Role.FACILITATOR):
            person = _db.session.scalars(
                select(Participant).where(Participant.event_id == event.id, Participant.role == role)
            ).first()
            tokens.append(person.token)
    api_token = issue_api_token(organizer)
    _db.session.commit()  # the service leaves the commit to its caller; the served app reads its own connection
    return {"events": [upcoming.slug, finished.slug], "report": finished.slug, "api_token": api_token, "tokens": tokens}


def _schema(served: str) -> Any:
    return schemathesis.openapi.from_url(f"{served}/api/v1/openapi.json")


def test_the_description_is_valid_openapi_3_1(served: str, db: object) -> None:
    document = requests.get(f"{served}/api/v1/openapi.json", timeout=10).json()
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": served}]
    assert set(document["paths"]) == {
        "/api/v1/events",
        "/api/v1/events/{slug}",
        "/api/v1/events/{slug}/report",
        "/api/v1/events/{slug}/assignments",
        "/api/v1/me/{token}",
        "/api/v1/me",
        "/api/v1/me/{token}/people",
        "/api/v1/me/people",
        "/api/v1/openapi.json",
    }


def _empty_strings(value: Any, path: str = "$") -> list[str]:
    if value == "":
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _empty_strings(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _empty_strings(item, f"{path}[{i}]")]
    return []


def test_real_answers_match_the_description(served: str, demo: dict[str, Any]) -> None:
    schema = _schema(served)
    bearer = {"Authorization": f"Bearer {demo['api_token']}"}
    calls: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/events", {}),
        ("/api/v1/events", {"query": {"per_page": 1, "page": 2}}),
        ("/api/v1/openapi.json", {}),
        ("/api/v1/events/{slug}/report", {"path_parameters": {"slug": demo["report"]}}),
    ]
    for slug in demo["events"]:
        calls.append(("/api/v1/events/{slug}", {"path_parameters": {"slug": slug}}))
        calls.append(("/api/v1/events/{slug}/assignments", {"path_parameters": {"slug": slug}, "headers": bearer}))
    for token in demo["tokens"]:
        calls.append(("/api/v1/me/{token}", {"path_parameters": {"token": token}}))
        calls.append(("/api/v1/me", {"headers": {"X-Personal-Token": token}}))
        calls.append(("/api/v1/me/{token}/people", {"path_parameters": {"token": token}}))
        calls.append(("/api/v1/me/people", {"headers": {"X-Personal-Token": token}}))
    checked = 0
    for path, values in calls:
        case = schema[path]["GET"].Case(**values)
        response = case.call_and_validate(base_url=served)
        assert response.status_code == 200, (path, response.text[:300])
        body = response.json()
        if path != "/api/v1/events/{slug}/report":  # the report snapshot has its own conventions
            assert _empty_strings(body) == [], path  # consistent nulls: never "" for "not set"
        checked += 1
    assert checked == len(calls) == 24
    # The personal answer's ETag comes back as 304, also described.
    token = demo["tokens"][0]
    first = requests.get(f"{served}/api/v1/me/{token}", timeout=10)
    case = schema["/api/v1/me/{token}"]["GET"].Case(
        path_parameters={"token": token}, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert case.call_and_validate(base_url=served).status_code == 304


def _explore(
    operation: Any, mode: GenerationMode, served: str, headers: dict[str, str] | None, seen: set[tuple[str, int]]
) -> None:
    """Call one operation with generated values and check every answer against the description."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def call(case: schemathesis.Case) -> None:
        response = case.call_and_validate(base_url=served, headers=headers)
        seen.add((operation.path, response.status_code))

    call()


def test_generated_requests_get_described_answers(served: str, demo: dict[str, Any]) -> None:
    """Random slugs, tokens, pages and headers: every answer is one the description lists (no 5xx)."""
    schema = _schema(served)
    bearer = {"Authorization": f"Bearer {demo['api_token']}"}
    seen: set[tuple[str, int]] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        headers = bearer if operation.path.endswith("/assignments") else None
        # Invalid values exist only for bounded query parameters (a path segment or header can be any text).
        bounded = any(p["in"] == "query" for p in operation.definition.raw.get("parameters", []))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if bounded else (GenerationMode.POSITIVE,):
            _explore(operation, mode, served, headers, seen)
    statuses = {status for _path, status in seen}
    assert statuses <= {200, 304, 400, 401, 404}, seen
    assert {400, 404} <= statuses


def test_every_api_route_is_described_and_only_public_reads_are_tagged_public(app: Flask, db: object) -> None:
    """A new /api/v1 route (or method) that the description forgets fails here, and so does a public tag on an
    endpoint that sends no CORS headers (or the other way round)."""
    from app.api.http import PUBLIC_READ

    document = app.test_client().get("/api/v1/openapi.json").get_json()
    routes: dict[str, set[str]] = {}
    public: set[str] = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        routes[path] = {m.lower() for m in rule.methods or ()} - {"head", "options"}
        if rule.endpoint in PUBLIC_READ:
            public.add(path)
    described = {path: set(operations) for path, operations in document["paths"].items()}
    assert described == routes
    tagged = {path for path, operations in document["paths"].items() if "public" in operations["get"]["tags"]}
    assert tagged == public
    assert {"/api/v1/me/{token}/people", "/api/v1/me/people"} <= set(described) - tagged
