"""Per-process caches of the personal pages: revocation, re-publication, isolation, 304s without the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import event

from app.auth.models import Organizer
from app.cafe.models import Seat
from app.day import services
from app.day.timetable import forget_everything
from app.db import utcnow
from app.extensions import db as _db
from app.participants.models import new_token
from tests import factories
from tests.factories_day import make_day
from tests.instants import AFTER_SUMMIT, BEFORE_SUMMIT, ROUND_1


@pytest.fixture()
def production_caches(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The running site's live check (tests otherwise re-read the live state on every request)."""
    monkeypatch.setitem(app.config, "DAY_LIVE_CHECK_SECONDS", 1.0)
    forget_everything()
    yield
    forget_everything()


@pytest.fixture()
def statements(app: Flask, db: object) -> Iterator[list[str]]:
    """Every SQL statement sent while the test runs."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


def test_a_reissued_link_stops_at_once_in_the_same_process(
    client: FlaskClient, organizer: Organizer, production_caches: None
) -> None:
    day = make_day(organizer=organizer)
    me = day.people[0]
    old = me.token
    with freeze_time(ROUND_1):
        assert client.get(f"/p/{old}").status_code == 200
        assert client.get(f"/p/{old}/state.json").status_code == 200
        services.reissue_token(day.event, me.id, organizer, utcnow())
        _db.session.commit()  # the service writes; its caller commits (and this process forgets the old link)
        assert client.get(f"/p/{old}").status_code == 404
        assert client.get(f"/p/{old}/state.json").status_code == 404
        assert client.get(f"/p/{me.token}").status_code == 200


def test_a_link_revoked_by_another_process_stops_within_the_live_check(
    client: FlaskClient, production_caches: None
) -> None:
    """Another worker changed the token: this one notices at its next live check (≤ 1 s)."""
    day = make_day()
    me = day.people[0]
    old = me.token
    with freeze_time(ROUND_1) as clock:
        assert client.get(f"/p/{old}/state.json").status_code == 200
        me.token = new_token()  # as another worker's service would, without telling this process
        _db.session.commit()
        clock.tick(timedelta(seconds=1.5))
        assert client.get(f"/p/{old}/state.json").status_code == 404
        assert client.get(f"/p/{old}").status_code == 404
        assert client.get(f"/p/{me.token}").status_code == 200


def test_a_deleted_person_loses_the_page_within_the_live_check(client: FlaskClient, production_caches: None) -> None:
    day = make_day()
    me = day.people[0]
    token = me.token
    with freeze_time(ROUND_1) as clock:
        assert client.get(f"/p/{token}").status_code == 200
        _db.session.execute(Seat.__table__.delete().where(Seat.participant_id == me.id))
        _db.session.delete(me)
        _db.session.commit()
        clock.tick(timedelta(seconds=1.5))
        assert client.get(f"/p/{token}").status_code == 404


def test_a_republished_seat_shows_after_the_cache_lifetimes(client: FlaskClient, production_caches: None) -> None:
    day = make_day()
    me = day.people[0]
    with freeze_time(ROUND_1) as clock:
        first = client.get(f"/p/{me.token}/state.json")
        assert "data-room-name>部屋B</p>" in first.get_json()["html"]
        etag = first.headers["ETag"]
        # Another worker moves the person to room A and re-publishes round 1.
        seat = _db.session.query(Seat).filter_by(round_id=day.cafe.rounds[0].id, participant_id=me.id).one()
        seat.room_id = day.rooms[0].id
        day.cafe.rounds[0].published_at = utcnow() + timedelta(seconds=1)
        _db.session.commit()
        clock.tick(timedelta(seconds=1.5))  # past the live check's 1 s: the one bound
        after = client.get(f"/p/{me.token}/state.json", headers={"If-None-Match": etag})
        assert after.status_code == 200
        assert "data-room-name>部屋A</p>" in after.get_json()["html"]
        assert "data-room-name>部屋A</p>" in client.get(f"/p/{me.token}").get_data(as_text=True)


def test_a_round_started_by_hand_shows_at_once_in_the_same_process(
    client: FlaskClient, organizer: Organizer, production_caches: None
) -> None:
    day = make_day(organizer=organizer)
    me = day.people[0]
    with freeze_time(ROUND_1):
        first = client.get(f"/p/{me.token}/state.json")
        services.start_next_round(day.event, organizer, utcnow())
        _db.session.commit()
        after = client.get(f"/p/{me.token}/state.json", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert "data-room-name>部屋A</p>" in after.get_json()["html"]  # round 2's room


def test_kept_pages_never_cross_links(client: FlaskClient, production_caches: None) -> None:
    """Two people in the same room: each page (kept or fresh) greets its holder and lists the other."""
    day = make_day()
    a, c = day.people[0], day.people[2]  # both in room B in round 1
    with freeze_time(ROUND_1):
        for _ in range(2):  # the second round comes from the page cache
            page_a = client.get(f"/p/{a.token}").get_data(as_text=True)
            page_c = client.get(f"/p/{c.token}").get_data(as_text=True)
            assert f"/p/{a.token}/state.json" in page_a and c.token not in page_a
            assert f"/p/{c.token}/state.json" in page_c and a.token not in page_c
            live_a = page_a.split("day-rounds")[0]
            live_c = page_c.split("day-rounds")[0]
            assert "参加2" in live_a and "参加0" in live_c
            assert "参加0</strong>" not in live_a and "参加2</strong>" not in live_c


def test_signed_in_visitors_never_get_a_kept_page(
    client: FlaskClient, organizer: Organizer, production_caches: None
) -> None:
    day = make_day(organizer=organizer)
    token = day.people[0].token
    with freeze_time(ROUND_1):
        anonymous = client.get(f"/p/{token}").get_data(as_text=True)
        assert "Organiser login" in anonymous
        client.post("/login", data={"email": organizer.email, "password": factories.PASSWORD})
        signed_in = client.get(f"/p/{token}").get_data(as_text=True)
    assert "Log out" in signed_in and "Organiser login" not in signed_in


def test_unchanged_polls_need_no_database(client: FlaskClient, production_caches: None, statements: list[str]) -> None:
    day = make_day()
    token = day.people[0].token
    with freeze_time(ROUND_1):
        etag = client.get(f"/p/{token}/state.json").headers["ETag"]
        client.get(f"/p/{token}")  # the full page too, kept after its first render
        statements.clear()
        for _ in range(5):
            assert client.get(f"/p/{token}/state.json", headers={"If-None-Match": etag}).status_code == 304
        assert client.get(f"/p/{token}").status_code == 200
    assert statements == []


def test_every_poll_rechecks_the_database_in_tests_by_default(client: FlaskClient, statements: list[str]) -> None:
    """Without production lifetimes (tests), every request re-reads the live state: changes show at once."""
    day = make_day()
    token = day.people[0].token
    with freeze_time(ROUND_1):
        etag = client.get(f"/p/{token}/state.json").headers["ETag"]
        statements.clear()
        assert client.get(f"/p/{token}/state.json", headers={"If-None-Match": etag}).status_code == 304
    assert statements


@pytest.mark.parametrize(("instant", "seconds"), [(BEFORE_SUMMIT, 15), (ROUND_1, 5), (AFTER_SUMMIT, 60)])
def test_polling_is_slower_when_nothing_runs(client: FlaskClient, instant: object, seconds: int) -> None:
    day = make_day()
    with freeze_time(instant):  # type: ignore[arg-type]
        data = client.get(f"/p/{day.people[0].token}/state.json").get_json()
        page = client.get(f"/p/{day.people[0].token}").get_data(as_text=True)
    assert data["poll"] == seconds
    assert f'data-poll="{seconds}"' in page
