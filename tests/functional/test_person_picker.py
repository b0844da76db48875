"""Person pickers: one searchable JSON list instead of a roster per row; a plain text box works without JS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy import select

from app.auth.models import Organizer
from app.cafe.models import KeepApart, Room
from app.extensions import db
from app.participants.models import Role
from tests import factories
from tests.factories_cafe import Cafe, make_cafe_event, make_person


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)


def _people(client: FlaskClient, cafe: Cafe, q: str, group: str = "everyone") -> dict:
    response = client.get(
        f"/manage/events/{cafe.event.slug}/participants/people.json", query_string={"q": q, "group": group}
    )
    assert response.status_code == 200
    return response.get_json()


def test_the_list_suggests_people_by_name_reading_and_email(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=30, facilitators=3)
    cafe.people[7].family_kana, cafe.people[7].given_kana = "ヤマダ", "ハナコ"
    db.session.commit()
    found = _people(client, cafe, "やまだ")  # hiragana finds the katakana reading
    assert [p["id"] for p in found["people"]] == [cafe.people[7].id]
    assert found["people"][0]["label"] == "山田7 花子（富田林市）"
    assert [p["id"] for p in _people(client, cafe, "p12@example")["people"]] == [cafe.people[12].id]
    everyone = _people(client, cafe, "")
    assert len(everyone["people"]) == 20 and everyone["more"] is True  # a few at a time, never the roster
    hosts = _people(client, cafe, "", group="facilitators")
    assert {p["id"] for p in hosts["people"]} == {p.id for p in cafe.facilitators} and hosts["more"] is False
    assert "@" not in str(hosts)  # the list shows names, not emails


def test_the_list_is_for_the_events_organisers_only(client: FlaskClient, logged_in: Organizer) -> None:
    other = make_cafe_event(organizer=factories.make_organizer(email="other@city.osaka.lg.jp"), people=3)
    assert client.get(f"/manage/events/{other.event.slug}/participants/people.json").status_code == 404
    client.post("/logout")
    response = client.get(f"/manage/events/{other.event.slug}/participants/people.json")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_host_is_chosen_by_typing_without_javascript(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=10, facilitators=3, rooms=3, hosts=False)
    room, url = cafe.rooms[0], f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rooms/{cafe.rooms[0].id}"
    host = cafe.facilitators[1]  # 山田1001 花子
    # The label the enhanced picker puts in the box, or just enough of the name.
    for text in ("山田1001 花子（仙台市）", "山田1001", "p1001@example.lg.jp"):
        room.host_id = None
        db.session.commit()
        client.post(url, data={f"room{room.id}-name": "A", f"room{room.id}-host": text})
        db.session.refresh(room)
        assert room.host_id == host.id, text
    # Too vague, nobody, or not a facilitator: a clear message and nothing changes.
    for text, message in (
        ("山田100", "3 people match “山田100”"),
        ("鈴木", "Nobody on the list matches “鈴木”"),
        ("山田3 花子", "Nobody on the list matches"),  # a participant, not a facilitator
    ):
        page = client.post(
            url, data={f"room{room.id}-name": "A", f"room{room.id}-host": text}, follow_redirects=True
        ).get_data(as_text=True)
        assert message in page, text
        db.session.refresh(room)
        assert room.host_id == host.id
    # An empty box: no host.
    client.post(url, data={f"room{room.id}-name": "A", f"room{room.id}-host": ""})
    db.session.refresh(room)
    assert room.host_id is None


def test_keep_apart_and_move_take_names(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=20, facilitators=5)
    base = f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}"
    client.post(f"{base}/keep-apart", data={"first": "山田3 花子（山形市）", "second": "p4@example.lg.jp"})
    pair = db.session.scalar(select(KeepApart).where(KeepApart.item_id == cafe.item.id))
    assert {pair.first_id, pair.second_id} == {cafe.people[3].id, cafe.people[4].id}
    page = client.post(f"{base}/keep-apart", data={"first": "山田", "second": "山田4"}, follow_redirects=True)
    assert "people match “山田”" in page.get_data(as_text=True)


def test_the_rooms_page_does_not_repeat_the_roster(client: FlaskClient, logged_in: Organizer) -> None:
    """Statements and page weight per room stay flat whatever the number of facilitators."""
    sizes = {}
    for hosts in (4, 40):
        cafe = make_cafe_event(organizer=logged_in, people=hosts * 4, facilitators=hosts)
        with statements() as seen:
            page = client.get(f"/manage/events/{cafe.event.slug}/cafe").get_data(as_text=True)
        assert "<option" not in page.split('id="keep-apart"')[0]  # no select of people in the rooms table
        assert page.count("data-person-source=") == hosts + 2  # one picker per room, two for keep-apart
        sizes[hosts] = (len(seen), len(page) / hosts)
    assert sizes[4][0] == sizes[40][0]
    assert sizes[40][1] < 1500  # bytes per room


def test_four_hundred_rooms_can_be_created(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    item = factories.make_cafe(event=event)
    for n in range(30):
        make_person(event, n, role=Role.FACILITATOR)
    db.session.commit()
    response = client.post(f"/manage/events/{event.slug}/cafe/{item.id}/rooms", data={"count": "400"})
    assert response.status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(Room).where(Room.item_id == item.id)) == 400


def test_a_rooms_row_saves_and_deletes_with_its_one_form_and_token(
    app: Flask, client: FlaskClient, logged_in: Organizer
) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=8, facilitators=2, rooms=2)
    room = cafe.rooms[1]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get(f"/manage/events/{cafe.event.slug}/cafe").get_data(as_text=True)
        token = re.search(rf'name="room{room.id}-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        delete = f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rooms/{room.id}/delete"
        assert f'formaction="{delete}"' in page
        client.post(delete, data={f"room{room.id}-name": room.name})  # no token: refused
        assert db.session.get(Room, room.id) is not None
        client.post(delete, data={f"room{room.id}-csrf_token": token, f"room{room.id}-name": room.name})
        db.session.expire_all()
        assert db.session.get(Room, room.id) is None
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_rooms_come_in_pages_and_saving_returns_to_the_rooms_page(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=20, facilitators=5, rooms=120)
    base = f"/manage/events/{cafe.event.slug}/cafe"
    first = client.get(base).get_data(as_text=True)
    assert first.count('<tr id="row-') == 50 and "Rooms 1–50 of 120." in first
    third = client.get(f"{base}?rooms=3").get_data(as_text=True)
    assert third.count('<tr id="row-') == 20 and f'id="row-{cafe.rooms[119].id}"' in third
    room = cafe.rooms[74]
    saved = client.post(f"{base}/{cafe.item.id}/rooms/{room.id}", data={f"room{room.id}-name": "七十五"})
    assert saved.headers["Location"].endswith(f"rooms=2#row-{room.id}")


def test_a_room_is_found_by_its_name_or_its_host(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=20, facilitators=5, rooms=120)
    base = f"/manage/events/{cafe.event.slug}/cafe"
    found = client.get(base, query_string={"room_q": "Room 75"}).get_data(as_text=True)
    assert re.findall(r'<tr id="row-(\d+)"', found) == [str(cafe.rooms[74].id)]
    by_host = client.get(base, query_string={"room_q": "山田1003"}).get_data(as_text=True)
    assert re.findall(r'<tr id="row-(\d+)"', by_host) == [str(cafe.rooms[3].id)]
    none = client.get(base, query_string={"room_q": "どこにもない"}).get_data(as_text=True)
    assert "No room or host matches this search." in none
