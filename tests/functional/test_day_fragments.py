"""Pieces of the live part shared by room-mates: changes show, rooms never mix, language kept, nothing private."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.cafe.models import Seat
from app.day import fragments
from app.day.timetable import forget_everything
from app.db import utcnow
from app.extensions import db as _db
from tests.factories_day import make_day
from tests.instants import ROUND_1


@pytest.fixture(autouse=True)
def fresh_pieces(app: Flask) -> Iterator[None]:
    forget_everything()
    yield
    forget_everything()


def live(client: FlaskClient, token: str, lang: str = "ja") -> str:
    response = client.get(f"/p/{token}/state.json", headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.get_json()["html"]


def card(html: str) -> str:
    """The "where to go now" card, without "Your rounds" below it."""
    return html.split("day-rounds")[0]


def test_a_room_mate_renamed_shows_on_the_kept_card(client: FlaskClient) -> None:
    day = make_day()
    me, mate = day.people[0], day.people[2]  # both in room B in round 1
    with freeze_time(ROUND_1):
        assert "参加2" in card(live(client, me.token))
        mate.family_name = "改名"
        day.hosts[1].family_name = "新ホスト"
        _db.session.commit()
        after = card(live(client, me.token))
    assert "改名" in after and "参加2" not in after
    assert "新ホスト" in after and "ホストB" not in after


def test_a_room_mate_moved_away_leaves_the_list(client: FlaskClient) -> None:
    day = make_day()
    me, mate = day.people[0], day.people[2]
    with freeze_time(ROUND_1):
        assert "参加2" in card(live(client, me.token))
        # The organisers move the mate to room A and re-publish round 1.
        seat = _db.session.query(Seat).filter_by(round_id=day.cafe.rounds[0].id, participant_id=mate.id).one()
        seat.room_id = day.rooms[0].id
        day.cafe.rounds[0].published_at = utcnow() + timedelta(seconds=1)
        _db.session.commit()
        mine, theirs = card(live(client, me.token)), card(live(client, mate.token))
    assert "参加2" not in mine and "With you" not in mine and "一緒" not in mine  # alone with the host now
    assert "data-room-name>部屋A</p>" in theirs and "参加1" in theirs


def test_two_rooms_never_mix(client: FlaskClient) -> None:
    """People of room A and room B, asked in turns with every piece kept: each sees only their own room."""
    day = make_day()
    in_b = [day.people[0], day.people[2]]
    in_a = [day.people[1], day.people[3]]
    with freeze_time(ROUND_1):
        for _ in range(2):
            for person in (*in_a, *in_b):
                html = card(live(client, person.token))
                mine, other = ("A", "B") if person in in_a else ("B", "A")
                assert f"data-room-name>部屋{mine}</p>" in html and f"部屋{other}" not in html
                assert f"ホスト{mine}" in html and f"ホスト{other}" not in html
                mates = in_a if person in in_a else in_b
                others = in_b if person in in_a else in_a
                assert all(m.family_name in html for m in mates if m is not person)
                assert f"{person.family_name}</strong>" not in html  # never listed as their own room-mate
                assert not any(o.family_name in html for o in others)


def test_language_is_respected_by_shared_pieces(client: FlaskClient) -> None:
    day = make_day()
    me, mate = day.people[0], day.people[2]
    with freeze_time(ROUND_1):
        japanese = live(client, me.token, "ja")
        english = live(client, mate.token, "en")  # same room: the Japanese card is kept, must not be reused
        japanese_again = live(client, mate.token, "ja")
    assert "Your room" in english and "Your rounds" in english and "Round 1" in english
    assert "Your room" not in japanese and "Your rounds" not in japanese
    assert "Your room" not in japanese_again


def test_shared_pieces_hold_no_tokens_or_emails(client: FlaskClient) -> None:
    day = make_day()
    people = [*day.people, *day.hosts]
    with freeze_time(ROUND_1):
        for person in people:
            live(client, person.token)
            client.get(f"/p/{person.token}")
    secrets = [p.token for p in people] + [p.email for p in people]
    personal = ("host-card", "host-round")
    shared = [parts for key, (_expiry, parts) in fragments._pieces.items() if key[0] not in personal]
    assert shared
    assert not any(secret in "".join(parts) for parts in shared for secret in secrets)
    # The facilitator's own cards link to their notes, so they are kept under their token only.
    assert any(key[0] in personal for key in fragments._pieces)
    for key, (_expiry, parts) in fragments._pieces.items():
        if key[0] in personal:
            assert all(p.token not in "".join(parts) for p in people if p.token != key[1])
