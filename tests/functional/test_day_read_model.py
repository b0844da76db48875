"""One read path for the day: every change a personal page shows reaches it within one staleness bound.

The changes are made straight in the database, as another worker's service would (this process is not told),
with the running site's live check (DAY_LIVE_CHECK_SECONDS = 1 s). Within the bound the page may still be
the old one; once the bound has passed, the page, its update endpoint and the JSON `me` endpoint all show it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select

from app.cafe.models import Seat
from app.day.models import Broadcast, LiveState
from app.day.timetable import forget_everything
from app.events.models import CafeRound
from app.extensions import db
from app.notes.models import RoundNote
from tests.factories_day import Day, make_day
from tests.instants import ROUND_1

BOUND = timedelta(seconds=1)  # DAY_LIVE_CHECK_SECONDS of the running site (app/config.py)


@pytest.fixture()
def site_caches(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The running site's live check; every other snapshot is keyed by it (there is nothing else to set)."""
    monkeypatch.setitem(app.config, "DAY_LIVE_CHECK_SECONDS", BOUND.total_seconds())
    forget_everything()
    yield
    forget_everything()


def _room_link(day: Day) -> str:
    day.rooms[1].breakout_url = "https://zoom.us/j/100?room=b-new"
    return "https://zoom.us/j/100?room=b-new"


def _room_name(day: Day) -> str:
    day.rooms[1].name = "部屋B（大）"
    return "部屋B（大）"


def _round_end(day: Day) -> str:
    # The organiser's clock, moved by another worker: round 1 ends five minutes later.
    rnd = day.cafe.rounds[0]
    rnd.live_starts_at, rnd.live_ends_at = rnd.starts_at, rnd.ends_at + timedelta(minutes=5)
    state = db.session.scalar(select(LiveState).where(LiveState.event_id == day.event.id))
    if state is None:
        db.session.add(LiveState(event_id=day.event.id, revision=1))
    else:
        state.revision += 1
    return (rnd.ends_at + timedelta(minutes=5)).isoformat()


def _broadcast(day: Day) -> str:
    db.session.add(Broadcast(event_id=day.event.id, body="第1ラウンドを5分延長します"))
    state = db.session.scalar(select(LiveState).where(LiveState.event_id == day.event.id))
    if state is None:
        db.session.add(LiveState(event_id=day.event.id, revision=1))
    else:
        state.revision += 1
    return "第1ラウンドを5分延長します"


def _reseated(day: Day) -> str:
    me = day.people[0]
    seat = db.session.scalar(
        select(Seat).where(Seat.round_id == day.cafe.rounds[0].id, Seat.participant_id == me.id, Seat.published)
    )
    seat.room_id = day.rooms[0].id  # type: ignore[union-attr]
    day.cafe.rounds[0].published_at = day.cafe.rounds[0].published_at + timedelta(seconds=1)  # type: ignore[operator]
    return "data-room-name>部屋A</p>"


def _mates_name(day: Day) -> str:
    day.people[2].family_name = "改名"  # in room B with people[0] in round 1
    return "改名"


def _meeting_link(day: Day) -> str:
    day.event.meeting_url = "https://zoom.us/j/99999999999"
    return "https://zoom.us/j/99999999999"


CHANGES: dict[str, Callable[[Day], str]] = {
    "a room's breakout link": _room_link,
    "a room's name": _room_name,
    "a round's time (clock)": _round_end,
    "a broadcast": _broadcast,
    "a re-published seat": _reseated,
    "a room-mate's name": _mates_name,
    "the event's meeting link": _meeting_link,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_shows_within_the_bound(client: FlaskClient, site_caches: None, change: str) -> None:
    day = make_day()
    me = day.people[0]
    with freeze_time(ROUND_1) as clock:
        first = client.get(f"/p/{me.token}/state.json")
        client.get(f"/p/{me.token}")  # the page and its pieces are kept too
        api = client.get(f"/api/v1/me/{me.token}")
        expected = CHANGES[change](day)
        db.session.commit()
        clock.tick(BOUND + timedelta(milliseconds=100))
        after = client.get(f"/p/{me.token}/state.json", headers={"If-None-Match": first.headers["ETag"]})
        assert after.status_code == 200, change
        assert expected in after.get_json()["html"], change
        assert expected in client.get(f"/p/{me.token}").get_data(as_text=True), change
        fresh = client.get(f"/api/v1/me/{me.token}", headers={"If-None-Match": api.headers["ETag"]})
        assert fresh.status_code == 200, change
        as_text = json.dumps(fresh.get_json(), ensure_ascii=False)
        if change == "a round's time (clock)":
            expected = datetime.fromisoformat(expected).astimezone(ZoneInfo("Asia/Tokyo")).isoformat()
        elif change == "a re-published seat":
            expected = '"name": "部屋A"'
        assert expected in as_text, change


def test_a_note_shows_on_the_facilitators_page_within_the_bound(client: FlaskClient, site_caches: None) -> None:
    day = make_day()
    host = day.hosts[1]  # hosts room B
    with freeze_time(ROUND_1) as clock:
        first = client.get(f"/p/{host.token}/state.json")
        db.session.add(
            RoundNote(
                round_id=day.cafe.rounds[0].id, room_id=day.rooms[1].id, summary="移動時間が減った", submitted=True
            )
        )
        db.session.commit()
        clock.tick(BOUND + timedelta(milliseconds=100))
        after = client.get(f"/p/{host.token}/state.json", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200


def test_nothing_changed_is_still_a_304_without_reading_seats(client: FlaskClient, site_caches: None) -> None:
    """The bound costs one small query per second per worker, not a re-read per request."""
    day = make_day()
    me = day.people[0]
    with freeze_time(ROUND_1) as clock:
        first = client.get(f"/p/{me.token}/state.json")
        clock.tick(BOUND * 3)
        again = client.get(f"/p/{me.token}/state.json", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        db.session.get(CafeRound, day.cafe.rounds[2].id).question = "新しい問い"  # type: ignore[union-attr]
        db.session.commit()
        clock.tick(BOUND * 2)
        changed = client.get(f"/p/{me.token}/state.json", headers={"If-None-Match": first.headers["ETag"]})
        assert changed.status_code == 200 and "新しい問い" in changed.get_json()["html"]
