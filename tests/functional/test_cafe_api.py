"""GET /api/v1/events/<slug>/assignments: the published café assignment, for the organiser's API token."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.auth.services import issue_api_token
from app.cafe import services
from app.extensions import db as sa
from tests import factories
from tests.factories_cafe import Cafe, make_cafe_event


@pytest.fixture()
def cafe(db: object) -> Cafe:
    cafe = make_cafe_event(people=20, facilitators=5, rounds=3)
    cafe.rooms[0].breakout_url = "https://zoom.us/j/1?room=1"
    sa.session.commit()
    services.generate(cafe.item, seed=4)
    services.publish(cafe.item, 2, confirm=False)
    sa.session.commit()
    return cafe


def _get(client: FlaskClient, slug: str, token: str | None) -> object:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get(f"/api/v1/events/{slug}/assignments", headers=headers)


def test_returns_the_published_rounds_with_rooms_hosts_and_members(client: FlaskClient, cafe: Cafe) -> None:
    token = issue_api_token(cafe.event.organizers[0])
    response = _get(client, cafe.event.slug, token)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["slug"] == cafe.event.slug
    [café] = body["cafes"]
    assert [r["number"] for r in café["rounds"]] == [1, 2, 3]
    first, _second, third = café["rounds"]
    assert first["starts_at"].endswith("+09:00") and first["question"]
    assert third["published_at"] is None and third["rooms"] == []
    assert len(first["rooms"]) == 5
    room = first["rooms"][0]
    assert room["name"] == "Room 1" and room["breakout_url"] == "https://zoom.us/j/1?room=1"
    assert room["host"]["email"] == cafe.facilitators[0].email
    assert len(room["members"]) == 4
    assert set(room["members"][0]) == {"id", "family_name", "given_name", "organization", "department", "email"}
    assert room["id"] == next(r.id for r in cafe.rooms if r.name == "Room 1")
    seated = [m["email"] for r in first["rooms"] for m in r["members"]] + [r["host"]["email"] for r in first["rooms"]]
    assert sorted(seated) == sorted(p.email for p in cafe.people + cafe.facilitators)


def test_drafts_are_not_returned(client: FlaskClient, cafe: Cafe) -> None:
    token = issue_api_token(cafe.event.organizers[0])
    person = cafe.people[0]
    before = _get(client, cafe.event.slug, token).get_json()
    target = next(r for r in cafe.rooms if r.name not in [x["name"] for x in before["cafes"][0]["rounds"][0]["rooms"]
                                                        if person.email in [m["email"] for m in x["members"]]])  # fmt: skip
    services.move_person(cafe.item, 1, person.id, target.id)
    sa.session.commit()
    assert _get(client, cafe.event.slug, token).get_json() == before


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz", "tsu_abc"])
def test_missing_or_bad_tokens_get_401(client: FlaskClient, cafe: Cafe, header: str | None) -> None:
    issue_api_token(cafe.event.organizers[0])
    headers = {"Authorization": header} if header else {}
    response = client.get(f"/api/v1/events/{cafe.event.slug}/assignments", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_old_token_stops_working_after_a_new_one(client: FlaskClient, cafe: Cafe) -> None:
    organizer = cafe.event.organizers[0]
    old = issue_api_token(organizer)
    issue_api_token(organizer)
    assert _get(client, cafe.event.slug, old).status_code == 401


def test_other_organisers_and_unknown_events_get_404(client: FlaskClient, cafe: Cafe) -> None:
    stranger = issue_api_token(factories.make_organizer())
    response = _get(client, cafe.event.slug, stranger)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404
    assert _get(client, "no-such-event", stranger).status_code == 404


def test_event_without_cafe_has_no_cafes(client: FlaskClient, db: object) -> None:
    event = factories.make_event()
    token = issue_api_token(event.organizers[0])
    assert _get(client, event.slug, token).get_json()["cafes"] == []
