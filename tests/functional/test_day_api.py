"""GET /api/v1/me/<token> and /api/v1/me with the X-Personal-Token header."""

from __future__ import annotations

from flask.testing import FlaskClient
from freezegun import freeze_time

from tests.factories_day import make_day
from tests.instants import DURING_TALK, ROUND_1


def test_me_gives_event_now_next_and_rooms(client: FlaskClient) -> None:
    day = make_day()
    with freeze_time(ROUND_1):
        response = client.get(f"/api/v1/me/{day.people[0].token}")
    data = response.json
    assert response.status_code == 200 and data is not None
    assert data["event"]["slug"] == day.event.slug
    assert data["now"] == {
        "phase": "during",
        "item": data["now"]["item"],
        "round": 1,
        "round_ends_at": "2026-07-25T14:20:00+09:00",
        "started_by_hand": False,
    }
    assert data["next"]["round"] == 2
    first = data["rounds"][0]
    assert first["current"] is True and first["question"] == "最近の活動状況は？"
    assert first["room"]["name"] == "部屋B" and first["room"]["breakout_url"] == "https://zoom.us/j/100?room=b"
    assert first["room"]["host"]["family_name"] == "ホストB"
    assert [m["family_name"] for m in first["room"]["room_mates"]] == ["参加2"]
    assert [r["room"]["name"] for r in data["rounds"]] == ["部屋B", "部屋A", "部屋B"]
    assert "email" not in str(data)  # nobody's email, not even the holder's


def test_me_by_header_and_etag(client: FlaskClient) -> None:
    day = make_day()
    with freeze_time(DURING_TALK):
        response = client.get("/api/v1/me", headers={"X-Personal-Token": day.hosts[0].token})
        assert response.status_code == 200
        assert response.json["me"]["role"] == "facilitator"  # type: ignore[index]
        assert response.json["rounds"][0]["room"]["you_host"] is True  # type: ignore[index]
        again = client.get(
            "/api/v1/me", headers={"X-Personal-Token": day.hosts[0].token, "If-None-Match": response.headers["ETag"]}
        )
        assert again.status_code == 304


def test_me_unknown_token_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/me/" + "y" * 43)
    assert response.status_code == 404 and response.json["error"]["code"] == 404  # type: ignore[index]
    assert client.get("/api/v1/me").status_code == 404
