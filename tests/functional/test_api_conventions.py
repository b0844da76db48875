"""API conventions integrators rely on: UTF-8 JSON, CORS on public reads only, pagination, 405 with Allow,
errors in the caller's language, stable ids and null (never "") for what is not set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from app.auth.services import issue_api_token
from app.events.models import EventStatus
from app.extensions import db as _db
from tests import factories
from tests.factories_day import make_day
from tests.instants import EVENT_END, EVENT_START


def test_json_is_utf8_text_not_ascii_escapes(client: FlaskClient, db: object) -> None:
    factories.make_event(title="全国自治体職員ネットワークサミット")
    raw = client.get("/api/v1/events").get_data()
    assert "全国自治体職員ネットワークサミット".encode() in raw and b"\\u5168" not in raw
    assert client.get("/api/v1/events").mimetype == "application/json"


def test_public_reads_allow_any_origin(client: FlaskClient, db: object) -> None:
    event = factories.make_event()
    for url in ("/api/v1/events", f"/api/v1/events/{event.slug}", "/api/v1/openapi.json",
                f"/api/v1/events/{event.slug}/report"):  # fmt: skip
        response = client.get(url, headers={"Origin": "https://www.city.kobe.lg.jp"})
        assert response.status_code in (200, 404) and response.headers["Access-Control-Allow-Origin"] == "*", url
        assert "Link" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/events",
        headers={"Origin": "https://www.city.kobe.lg.jp", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "accept-language"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Accept-Language" in preflight.headers["Access-Control-Allow-Headers"]
    missing = client.get("/api/v1/events/nope", headers={"Origin": "https://example.jp"})
    assert missing.status_code == 404 and missing.headers["Access-Control-Allow-Origin"] == "*"


def test_personal_and_organiser_answers_are_not_shared_with_other_sites(client: FlaskClient, db: object) -> None:
    day = make_day()
    token = issue_api_token(day.event.organizers[0])
    answers = [
        client.get(f"/api/v1/me/{day.people[0].token}", headers={"Origin": "https://evil.example"}),
        client.get("/api/v1/me", headers={"X-Personal-Token": day.people[0].token, "Origin": "https://evil.example"}),
        client.get(f"/api/v1/me/{day.people[0].token}/people", headers={"Origin": "https://evil.example"}),
        client.get(
            "/api/v1/me/people", headers={"X-Personal-Token": day.people[0].token, "Origin": "https://a.example"}
        ),
        client.options(f"/api/v1/me/{day.people[0].token}/people", headers={"Origin": "https://evil.example"}),
        client.get(f"/api/v1/events/{day.event.slug}/assignments", headers={"Authorization": f"Bearer {token}"}),
        client.options(f"/api/v1/me/{day.people[0].token}", headers={"Origin": "https://evil.example"}),
        client.options(f"/api/v1/events/{day.event.slug}/assignments", headers={"Origin": "https://evil.example"}),
    ]
    for response in answers:
        assert "Access-Control-Allow-Origin" not in response.headers, response.request.path
    assert answers[0].status_code == answers[2].status_code == answers[3].status_code == answers[5].status_code == 200


def test_lists_come_in_pages_with_links(client: FlaskClient, db: object) -> None:
    organizer = factories.make_organizer()
    for days in range(5):
        factories.make_event(
            organizer=organizer,
            starts_at=EVENT_START + timedelta(days=days),
            ends_at=EVENT_END + timedelta(days=days),
        )
    factories.make_event(organizer=organizer, status=EventStatus.DRAFT)
    everything = client.get("/api/v1/events").get_json()
    assert everything["pagination"] == {"page": 1, "per_page": 50, "total": 5, "pages": 1, "next": None,
                                        "previous": None}  # fmt: skip
    response = client.get("/api/v1/events?per_page=2&page=2")
    body = response.get_json()
    assert [e["id"] for e in body["events"]] == [e["id"] for e in everything["events"][2:4]]
    assert body["pagination"]["pages"] == 3 and body["pagination"]["total"] == 5
    assert body["pagination"]["next"].endswith("/api/v1/events?page=3&per_page=2")
    assert body["pagination"]["previous"].endswith("/api/v1/events?page=1&per_page=2")
    links = response.headers["Link"]
    for rel, page in (("first", 1), ("prev", 1), ("next", 3), ("last", 3)):
        assert f'page={page}&per_page=2>; rel="{rel}"' in links
    past_the_end = client.get("/api/v1/events?per_page=2&page=9").get_json()
    assert past_the_end["events"] == [] and past_the_end["pagination"]["next"] is None


@pytest.mark.parametrize("query", ["per_page=0", "per_page=201", "per_page=abc", "page=0", "page=-1",
                                   "page=99999999999999999999", "page=１"])  # fmt: skip
def test_bad_page_parameters_get_a_clear_400(client: FlaskClient, db: object, query: str) -> None:
    response = client.get(f"/api/v1/events?{query}", headers={"Accept-Language": "ja"})
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert "1から" in message and ("per_page" in message or "page" in message)


def test_405_says_which_methods_are_allowed(client: FlaskClient, db: object) -> None:
    event = factories.make_event()
    for method, url in (("post", "/api/v1/events"), ("delete", f"/api/v1/events/{event.slug}"),
                        ("put", "/api/v1/openapi.json"), ("post", "/")):  # fmt: skip
        response = getattr(client, method)(url)
        assert response.status_code == 405, url
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}, url
    assert client.post("/api/v1/events").get_json()["error"]["code"] == 405


def test_401_and_404_speak_the_callers_language(client: FlaskClient, db: object) -> None:
    event = factories.make_event()
    url = f"/api/v1/events/{event.slug}/assignments"
    japanese = client.get(url, headers={"Accept-Language": "ja"})
    english = client.get(url, headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert japanese.status_code == english.status_code == 401
    assert "APIトークン" in japanese.get_json()["error"]["message"]
    assert "A valid API token is needed" in english.get_json()["error"]["message"]
    assert japanese.headers["Content-Language"] == "ja" and english.headers["Content-Language"] == "en"
    assert "Accept-Language" in japanese.headers["Vary"]
    assert "Bearer" in japanese.headers["WWW-Authenticate"]
    missing = client.get("/api/v1/events/nope", headers={"Accept-Language": "ja"}).get_json()
    assert "存在しない" in missing["error"]["message"]


def test_ids_are_stable_and_unset_values_are_null_in_every_endpoint(client: FlaskClient, db: object) -> None:
    """breakout_url was null in one endpoint and "" in another: now null everywhere it is not set."""
    day = make_day()
    for room in day.rooms:
        room.breakout_url = ""
    _db.session.commit()
    token = issue_api_token(day.event.organizers[0])
    me = client.get(f"/api/v1/me/{day.people[0].token}").get_json()
    assignments = client.get(
        f"/api/v1/events/{day.event.slug}/assignments", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    seated = [r["room"] for r in me["rounds"] if r["room"]]
    assert seated and all(room["breakout_url"] is None for room in seated)
    rooms = [room for cafe in assignments["cafes"] for rnd in cafe["rounds"] for room in rnd["rooms"]]
    assert rooms and all(room["breakout_url"] is None for room in rooms)
    assert {room["id"] for room in seated} <= {room.id for room in day.rooms}
    assert me["event"]["id"] == assignments["id"] == day.event.id
    # The slug can change; the id does not.
    old = day.event.slug
    day.event.slug = "renamed-summit"
    _db.session.commit()
    assert client.get("/api/v1/events/renamed-summit").get_json()["id"] == day.event.id
    assert client.get(f"/api/v1/events/{old}").status_code == 404
