"""Exports of the café: Zoom pre-assignment CSV, seating chart and mover sheet."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.cafe import planner, services
from app.extensions import db
from tests.factories_cafe import Cafe, make_cafe_event


@pytest.fixture()
def cafe(logged_in: Organizer) -> Cafe:
    cafe = make_cafe_event(organizer=logged_in, people=20, facilitators=4, rooms=5, rounds=3)
    services.generate(cafe.item, seed=11)
    db.session.commit()
    return cafe


def _url(cafe: Cafe, number: int, tail: str) -> str:
    return f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rounds/{number}/{tail}"


def test_zoom_csv_of_a_published_round(client: FlaskClient, cafe: Cafe) -> None:
    services.publish(cafe.item, 2, confirm=False)
    db.session.commit()
    response = client.get(_url(cafe, 2, "zoom.csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f'filename="{cafe.event.slug}-round2-zoom.csv"' in response.headers["Content-Disposition"]
    body = response.data.decode("utf-8")
    assert not body.startswith("\ufeff")
    assert body.splitlines()[0] == "Pre-assign Room Name,Email Address"
    rows = list(csv.reader(io.StringIO(body)))[1:]
    data = planner.load(cafe.item)
    expected = {
        (room.name, person.email)
        for room in data.rooms
        for person in data.people
        if str(person.id) in data.published[1][str(room.id)]
    }
    assert len(rows) == 24 == len(expected)  # one row per person, hosts included
    assert {tuple(r) for r in rows} == expected
    hosts = {p.email for p in cafe.facilitators}
    assert hosts <= {email for _room, email in rows}
    # Hosts are listed first in their room, rooms in order.
    assert rows[0] == [cafe.rooms[0].name, cafe.facilitators[0].email]


def test_zoom_csv_of_an_unpublished_round_points_to_the_draft(client: FlaskClient, cafe: Cafe) -> None:
    response = client.get(_url(cafe, 3, "zoom.csv"), follow_redirects=True)
    assert "Round 3 is not published yet" in response.get_data(as_text=True)
    draft = client.get(_url(cafe, 3, "zoom.csv?draft=1"))
    assert draft.status_code == 200
    assert "round3-draft-zoom.csv" in draft.headers["Content-Disposition"]
    assert len(draft.data.decode().splitlines()) == 25


def test_room_names_with_commas_and_japanese_are_quoted(client: FlaskClient, cafe: Cafe) -> None:
    cafe.rooms[0].name = "ルーム1, 神戸"
    db.session.commit()
    body = client.get(_url(cafe, 1, "zoom.csv?draft=1")).data.decode("utf-8")
    assert '"ルーム1, 神戸",' in body


def test_seating_chart(client: FlaskClient, cafe: Cafe) -> None:
    services.publish(cafe.item, 1, confirm=False)
    db.session.commit()
    text = client.get(_url(cafe, 1, "roster")).get_data(as_text=True)
    assert "Seating chart" in text and "DRAFT" not in text
    for room in cafe.rooms:
        assert room.name in text
    assert text.count('class="host"') == 4  # four hosted rooms, one without a host
    assert cafe.people[0].organization in text
    draft = client.get(_url(cafe, 2, "roster?draft=1")).get_data(as_text=True)
    assert "DRAFT" in draft


def test_mover_sheet_groups_by_destination(client: FlaskClient, cafe: Cafe) -> None:
    services.publish(cafe.item, 3, confirm=False)
    db.session.commit()
    text = client.get(_url(cafe, 1, "movers")).get_data(as_text=True)
    assert "Mover sheet: round 1 → round 2" in text
    data = planner.load(cafe.item)
    before = {p: r for r, m in data.published[0].items() for p in m}
    after = {p: r for r, m in data.published[1].items() for p in m}
    moving = [p for p in after if before.get(p) != after[p]]
    assert len(moving) == 20  # everyone but the hosts moves
    for room in cafe.rooms:
        assert f"→ {room.name}" in text
    for person in cafe.facilitators:
        assert text.count(person.family_name) == 1  # named once, as the room's host, never as a mover


def test_mover_sheet_needs_both_rounds_published_and_a_next_round(client: FlaskClient, cafe: Cafe) -> None:
    services.publish(cafe.item, 1, confirm=False)
    db.session.commit()
    response = client.get(_url(cafe, 1, "movers"), follow_redirects=True)
    assert "Round 2 is not published yet" in response.get_data(as_text=True)
    assert client.get(_url(cafe, 1, "movers?draft=1")).status_code == 200
    assert client.get(_url(cafe, 3, "movers?draft=1")).status_code == 404
    assert client.get(_url(cafe, 9, "roster?draft=1")).status_code == 404


def test_printouts_split_among_co_hosts(client: FlaskClient, logged_in: Organizer) -> None:
    """Each co-host gets a run of rooms: 10 rooms for 3 co-hosts are 1–4, 5–7, 8–10; one part can print alone."""
    cafe = make_cafe_event(organizer=logged_in, people=40, facilitators=10, rooms=10, rounds=2)
    services.generate(cafe.item, seed=5)
    services.publish(cafe.item, 2, confirm=False)
    db.session.commit()
    names = [room.name for room in cafe.rooms]
    roster = client.get(_url(cafe, 1, "roster?cohosts=3")).get_data(as_text=True)
    heads = re.findall(r'<h2 class="cohost-head">([^<]+)</h2>', roster)
    assert heads == [
        f"Co-host 1 of 3: {names[0]} – {names[3]}",
        f"Co-host 2 of 3: {names[4]} – {names[6]}",
        f"Co-host 3 of 3: {names[7]} – {names[9]}",
    ]
    assert roster.count('class="roster-room') == 10
    second = client.get(_url(cafe, 1, "roster?cohosts=3&cohost=2")).get_data(as_text=True)
    assert re.findall(r"<h2>(Room \d+) <span", second) == names[4:7]
    movers = client.get(_url(cafe, 1, "movers?cohosts=3&cohost=3")).get_data(as_text=True)
    targets = re.findall(r"<h2>→ (Room \d+)", movers)
    assert targets and set(targets) <= set(names[7:])
    whole = client.get(_url(cafe, 1, "movers")).get_data(as_text=True)  # one part: no co-host headings
    assert "cohost-head" not in whole and sorted(re.findall(r"<h2>→ (Room \d+)", whole)) == sorted(names)
    # Nonsense in the query string: the whole printout, never an error.
    assert client.get(_url(cafe, 1, "roster?cohosts=abc&cohost=-1")).status_code == 200
    assert client.get(_url(cafe, 1, "roster?cohosts=999&cohost=7")).get_data(as_text=True).count("roster-room") == 1
