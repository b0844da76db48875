"""The café organiser pages: rooms, hosts, keep-apart, generate, review, adjust, publish, re-plan."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import Organizer
from app.cafe import planner, services
from app.cafe.models import KeepApart, Room, Seat
from app.events.models import CafeRound
from app.extensions import db
from app.participants.models import Rsvp, Status
from app.signals import rounds_published
from tests import factories
from tests.factories_cafe import Cafe, make_cafe_event
from tests.instants import FUTURE_SUMMIT


@pytest.fixture()
def cafe(logged_in: Organizer) -> Cafe:
    # 25 people in 5 hosted rooms of 5: zero repeats is possible.
    return make_cafe_event(organizer=logged_in, people=20, facilitators=5, rounds=3)


def _url(cafe: Cafe, tail: str = "") -> str:
    return f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}{tail}"


def _draft_room(cafe: Cafe, round_no: int, person_id: int) -> int:
    round_ = next(r for r in cafe.item.rounds if r.number == round_no)
    return db.session.scalar(
        select(Seat.room_id).where(
            Seat.round_id == round_.id, Seat.participant_id == person_id, Seat.published.is_(False)
        )
    )


def test_index_proposes_rooms_and_creates_them(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    item = factories.make_cafe(event=event)
    for _ in range(30):
        factories.make_participant(event=event)
    page = client.get(f"/manage/events/{event.slug}/cafe")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<strong>6 rooms</strong>" in text  # 30 people in rooms of about 5
    response = client.post(f"/manage/events/{event.slug}/cafe/{item.id}/rooms", data={"count": "6"})
    assert response.status_code == 302
    names = db.session.scalars(select(Room.name).where(Room.item_id == item.id).order_by(Room.position)).all()
    assert names == [f"Room {n}" for n in range(1, 7)]
    # Asking again for the same number adds nothing.
    client.post(f"/manage/events/{event.slug}/cafe/{item.id}/rooms", data={"count": "6"})
    assert len(db.session.scalars(select(Room).where(Room.item_id == item.id)).all()) == 6


def test_index_without_cafe_item_explains_what_to_do(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    text = client.get(f"/manage/events/{event.slug}/cafe").get_data(as_text=True)
    assert "no world café yet" in text


def test_index_lets_the_organiser_pick_among_several_cafes(client: FlaskClient, cafe: Cafe) -> None:
    second = factories.make_cafe(event=cafe.event)
    text = client.get(f"/manage/events/{cafe.event.slug}/cafe?item={second.id}").get_data(as_text=True)
    assert f"?item={cafe.item.id}" in text
    assert f'/cafe/{second.id}/rooms"' in text


def test_other_organisers_get_404_everywhere(client: FlaskClient, logged_in: Organizer) -> None:
    other = make_cafe_event(organizer=factories.make_organizer(), people=8, facilitators=2)
    services.generate(other.item, seed=1)
    services.publish(other.item, 3, confirm=False)
    db.session.commit()
    base = f"/manage/events/{other.event.slug}/cafe"
    assert client.get(base).status_code == 404
    for tail in ("/plan", "/rounds/1/zoom.csv", "/rounds/1/roster", "/rounds/1/movers"):
        assert client.get(f"{base}/{other.item.id}{tail}").status_code == 404, tail
    for tail in (
        "/rooms",
        "/generate",
        "/move",
        "/swap",
        "/publish",
        "/replan",
        "/absent",
        "/rsvp-absent",
        "/hosts",
        "/keep-apart",
    ):
        assert client.post(f"{base}/{other.item.id}{tail}", data={}).status_code == 404, tail
    assert client.post(f"{base}/{other.item.id}/rooms/{other.rooms[0].id}", data={}).status_code == 404


def test_logged_out_visitors_are_sent_to_login(client: FlaskClient, db: object) -> None:
    cafe = make_cafe_event(people=8, facilitators=2)
    response = client.get(f"/manage/events/{cafe.event.slug}/cafe")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_room_of_another_item_is_not_touched(client: FlaskClient, cafe: Cafe) -> None:
    other = make_cafe_event(organizer=cafe.event.organizers[0], people=8, facilitators=2)
    room = other.rooms[0]
    client.post(_url(cafe, f"/rooms/{room.id}"), data={f"room{room.id}-name": "Hijack"})
    client.post(_url(cafe, f"/rooms/{room.id}/delete"))
    db.session.refresh(room)
    assert room.name == "Room 1"


def test_rename_room_set_link_and_host(client: FlaskClient, cafe: Cafe) -> None:
    room = cafe.rooms[0]
    host = cafe.facilitators[3]
    cafe.rooms[3].host_id = None
    db.session.commit()
    data = {
        f"room{room.id}-name": "まちづくり",
        f"room{room.id}-breakout_url": "https://zoom.us/j/1",
        f"room{room.id}-host": str(host.id),
    }
    assert client.post(_url(cafe, f"/rooms/{room.id}"), data=data).status_code == 302
    db.session.refresh(room)
    assert (room.name, room.breakout_url, room.host_id) == ("まちづくり", "https://zoom.us/j/1", host.id)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/x", "not a link"])
def test_breakout_link_must_be_http(client: FlaskClient, cafe: Cafe, link: str) -> None:
    room = cafe.rooms[0]
    response = client.post(
        _url(cafe, f"/rooms/{room.id}"), data={f"room{room.id}-name": "A", f"room{room.id}-breakout_url": link},
        follow_redirects=True,
    )  # fmt: skip
    assert "https://" in response.get_data(as_text=True)
    db.session.refresh(room)
    assert room.breakout_url == "" and room.name == "Room 1"


def test_host_must_be_a_facilitator_hosting_no_other_room(client: FlaskClient, cafe: Cafe) -> None:
    room = cafe.rooms[0]
    for host, message in ((cafe.people[0], "Only a facilitator"), (cafe.facilitators[1], "already hosts")):
        response = client.post(
            _url(cafe, f"/rooms/{room.id}"), data={f"room{room.id}-name": "A", f"room{room.id}-host": str(host.id)},
            follow_redirects=True,
        )  # fmt: skip
        assert message in response.get_data(as_text=True)
        db.session.refresh(room)
        assert room.host_id == cafe.facilitators[0].id


def test_warns_when_fewer_facilitators_than_rooms(client: FlaskClient, cafe: Cafe) -> None:
    services.create_rooms(cafe.item, 7, "Room %(number)s")
    db.session.commit()
    text = client.get(f"/manage/events/{cafe.event.slug}/cafe").get_data(as_text=True)
    assert "There are 5 facilitators for 7 rooms: 2 rooms will run without a host" in text


def test_delete_room_keeps_published_rooms(client: FlaskClient, cafe: Cafe) -> None:
    extra = Room(item_id=cafe.item.id, name="Extra", position=99)
    db.session.add(extra)
    db.session.commit()
    client.post(_url(cafe, f"/rooms/{extra.id}/delete"))
    assert db.session.get(Room, extra.id) is None
    services.generate(cafe.item, seed=2)
    services.publish(cafe.item, 3, confirm=False)
    db.session.commit()
    text = client.post(_url(cafe, f"/rooms/{cafe.rooms[0].id}/delete"), follow_redirects=True).get_data(as_text=True)
    assert "cannot be deleted" in text
    assert db.session.get(Room, cafe.rooms[0].id) is not None


def test_assign_hosts_fills_rooms_without_host(client: FlaskClient, cafe: Cafe) -> None:
    for room in cafe.rooms:
        room.host_id = None
    db.session.commit()
    client.post(_url(cafe, "/hosts"))
    hosts = db.session.scalars(select(Room.host_id).where(Room.item_id == cafe.item.id)).all()
    assert sorted(hosts) == sorted(p.id for p in cafe.facilitators)


def test_keep_apart_pairs_are_added_once_and_removed(client: FlaskClient, cafe: Cafe) -> None:
    a, b = cafe.people[0], cafe.people[1]
    client.post(_url(cafe, "/keep-apart"), data={"first": a.id, "second": b.id})
    client.post(_url(cafe, "/keep-apart"), data={"first": b.id, "second": a.id})
    pairs = db.session.scalars(select(KeepApart)).all()
    assert len(pairs) == 1
    text = client.post(_url(cafe, "/keep-apart"), data={"first": a.id, "second": a.id}, follow_redirects=True)
    assert "two different people" in text.get_data(as_text=True)
    client.post(_url(cafe, f"/keep-apart/{pairs[0].id}/delete"))
    assert db.session.scalars(select(KeepApart)).all() == []


def test_generate_then_review_grid_paths_and_verdict(client: FlaskClient, cafe: Cafe) -> None:
    response = client.post(_url(cafe, "/generate"), data={"seed": "7"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/plan")
    text = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert "No one meets anyone twice." in text
    assert text.count('class="host"') == 5 * 3  # each host marked in each round
    assert cafe.people[0].organization in text
    assert "Each person&#39;s path" in text or "Each person's path" in text
    # Same seed, same plan.
    first = planner.load(cafe.item).draft
    client.post(_url(cafe, "/generate"), data={"seed": "7"})
    assert planner.load(cafe.item).draft == first


def test_reroll_makes_a_new_seed(client: FlaskClient, cafe: Cafe) -> None:
    client.post(_url(cafe, "/generate"), data={})
    assert cafe.item.rotation_seed > 0


def test_generate_without_rooms_says_so(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(
        organizer=logged_in, starts_at=FUTURE_SUMMIT, ends_at=FUTURE_SUMMIT + timedelta(hours=6)
    )
    item = factories.make_cafe(event=event)
    text = client.post(f"/manage/events/{event.slug}/cafe/{item.id}/generate", follow_redirects=True)
    assert "Create the rooms first." in text.get_data(as_text=True)


def test_generate_infeasible_attendance_gives_a_clear_message(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=1, facilitators=1, rooms=1)
    text = client.post(_url(cafe, "/generate"), follow_redirects=True).get_data(as_text=True)
    assert "The rooms cannot hold this attendance" in text


def test_zero_repeat_verdict_is_replaced_by_the_lower_bound_when_impossible(
    client: FlaskClient, logged_in: Organizer
) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=8, facilitators=0, rooms=2, rounds=3)
    client.post(_url(cafe, "/generate"), data={"seed": "1"})
    text = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert re.search(r"Zero repeats is impossible here: at least \d+ pairs must meet twice", text)


def test_move_person_updates_measures_and_warns_above_max(client: FlaskClient, cafe: Cafe) -> None:
    services.generate(cafe.item, seed=3)
    db.session.commit()
    cafe.item.room_size_max = 5
    db.session.commit()
    person = cafe.people[0]
    current = _draft_room(cafe, 1, person.id)
    target = next(r for r in cafe.rooms if r.id != current)
    response = client.post(
        _url(cafe, "/move"),
        data={"move-round": 1, "move-person": person.id, "move-room": target.id},
        follow_redirects=True,
    )
    assert _draft_room(cafe, 1, person.id) == target.id
    text = response.get_data(as_text=True)
    assert "Moved." in text
    assert f"{target.name} now has 6 people (the range is 4–5)." in text
    assert "Round 1: " in text and "has 6 people (the range is 4–5)" in text  # also in the measures


def test_moving_a_host_is_refused(client: FlaskClient, cafe: Cafe) -> None:
    services.generate(cafe.item, seed=3)
    db.session.commit()
    host = cafe.facilitators[0]
    text = client.post(
        _url(cafe, "/move"), data={"move-round": 2, "move-person": host.id, "move-room": cafe.rooms[1].id},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "stays there every round" in text
    assert _draft_room(cafe, 2, host.id) == cafe.rooms[0].id


def test_move_before_any_plan_is_refused(client: FlaskClient, cafe: Cafe) -> None:
    text = client.post(
        _url(cafe, "/move"), data={"move-round": 1, "move-person": cafe.people[0].id, "move-room": cafe.rooms[1].id},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "Round 1 has no plan yet." in text


def test_swap_two_people(client: FlaskClient, cafe: Cafe) -> None:
    services.generate(cafe.item, seed=3)
    db.session.commit()
    a = cafe.people[0]
    room_a = _draft_room(cafe, 2, a.id)
    b = next(p for p in cafe.people if _draft_room(cafe, 2, p.id) != room_a)
    room_b = _draft_room(cafe, 2, b.id)
    client.post(_url(cafe, "/swap"), data={"swap-round": 2, "swap-first": a.id, "swap-second": b.id})
    assert (_draft_room(cafe, 2, a.id), _draft_room(cafe, 2, b.id)) == (room_b, room_a)
    text = client.post(
        _url(cafe, "/swap"), data={"swap-round": 2, "swap-first": a.id, "swap-second": a.id}, follow_redirects=True
    ).get_data(as_text=True)
    assert "already in the same room" in text


def test_publish_then_republish_asks_for_confirmation(client: FlaskClient, cafe: Cafe) -> None:
    received: list[tuple[object, dict[str, object]]] = []

    def listener(sender: object, **extra: object) -> None:
        received.append((sender, extra))

    services.generate(cafe.item, seed=3)
    db.session.commit()
    with rounds_published.connected_to(listener):
        assert client.post(_url(cafe, "/publish"), data={"upto": 2}).status_code == 302
        rounds = sorted(cafe.item.rounds, key=lambda r: r.number)
        assert [r.published_at is not None for r in rounds] == [True, True, False]
        assert received[0][0].id == cafe.event.id and received[0][1]["rounds"] == [1, 2]
        # A hand change to a published round: publishing shows the change first.
        person = cafe.people[0]
        target = next(r for r in cafe.rooms if r.id != _draft_room(cafe, 1, person.id))
        services.move_person(cafe.item, 1, person.id, target.id)
        db.session.commit()
        response = client.post(_url(cafe, "/publish"), data={"upto": 3})
        assert response.status_code == 409
        assert person.family_name in response.get_data(as_text=True)
        published = db.session.scalar(
            select(Seat.room_id).where(Seat.participant_id == person.id, Seat.round_id == rounds[0].id, Seat.published)
        )
        assert published != target.id
        client.post(_url(cafe, "/publish"), data={"upto": 3, "confirm": "y"})
        published = db.session.scalar(
            select(Seat.room_id).where(Seat.participant_id == person.id, Seat.round_id == rounds[0].id, Seat.published)
        )
        assert published == target.id
        assert received[-1][1]["rounds"] == [1, 3]


def test_publish_without_plan_is_refused(client: FlaskClient, cafe: Cafe) -> None:
    text = client.post(_url(cafe, "/publish"), data={"upto": 1}, follow_redirects=True).get_data(as_text=True)
    assert "Round 1 has no plan yet." in text
    assert db.session.scalar(select(CafeRound.published_at).where(CafeRound.item_id == cafe.item.id)) is None


def test_mark_absent_and_replan_from_round_2(client: FlaskClient, cafe: Cafe) -> None:
    for r in cafe.item.rounds:  # the café is still ahead, so rounds 2.. can be re-planned
        r.starts_at = r.starts_at.replace(year=2099)
        r.ends_at = r.ends_at.replace(year=2099)
    db.session.commit()
    services.generate(cafe.item, seed=5)
    services.publish(cafe.item, 3, confirm=False)
    db.session.commit()
    gone = cafe.people[:3]
    client.post(_url(cafe, "/absent"), data={"people": [p.id for p in gone]})
    assert all(p.status == Status.ABSENT for p in gone)
    text = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert "has a room but does not attend" in text
    response = client.post(_url(cafe, "/replan"), data={"from_round": 2}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Rounds 2 onwards were re-planned" in text
    assert "Changes not yet published" in text and "— no room —" in text
    data = planner.load(cafe.item)
    assert data.draft[0] == data.published[0]
    assert not any(str(p.id) in m for p in gone for plan in data.draft[1:] for m in plan.values())


def test_before_the_cafe_people_who_cant_attend_are_counted_and_taken_out_of_the_plan(
    client: FlaskClient, cafe: Cafe
) -> None:
    for r in cafe.item.rounds:  # the café is still ahead
        r.starts_at, r.ends_at = r.starts_at.replace(year=2099), r.ends_at.replace(year=2099)
    services.generate(cafe.item, seed=5)
    services.publish(cafe.item, 3, confirm=False)
    db.session.commit()
    said_no = cafe.people[:3]
    host = cafe.facilitators[0]
    for person in (*said_no, host):
        person.rsvp = Rsvp.NO
    cafe.people[3].rsvp = Rsvp.MAYBE
    db.session.commit()
    text = client.get(_url(cafe, "/plan"), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "3 people said they can't attend" in text
    assert f"{host.family_name} {host.given_name}" in text.split('id="cant-attend"')[1].split("</section>")[0]
    assert "Take these 3 out of the plan" in text

    response = client.post(_url(cafe, "/rsvp-absent"), headers={"Accept-Language": "en"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "3 people who can&#39;t attend were taken out of the plan" in text
    assert 'id="cant-attend-title">Hosts who can' in text  # only the host is left to deal with
    db.session.expire_all()
    assert all(p.status == Status.ABSENT for p in said_no) and host.status != Status.ABSENT
    assert cafe.people[3].status != Status.ABSENT  # "not sure" is not "can't attend"
    data = planner.load(cafe.item)
    seated = {m for plan in data.draft for members in plan.values() for m in members}
    assert not {str(p.id) for p in said_no} & seated
    assert data.published != data.draft  # nothing reaches the participants until the organiser publishes


def test_once_the_cafe_has_started_cant_attend_answers_change_nothing_on_the_plan_page(
    client: FlaskClient, cafe: Cafe
) -> None:
    services.generate(cafe.item, seed=5)
    db.session.commit()
    cafe.people[0].rsvp = Rsvp.NO
    for r in cafe.item.rounds:
        r.starts_at, r.ends_at = r.starts_at.replace(year=2020), r.ends_at.replace(year=2020)
    db.session.commit()
    assert 'id="cant-attend"' not in client.get(_url(cafe, "/plan")).get_data(as_text=True)
    client.post(_url(cafe, "/rsvp-absent"))
    db.session.refresh(cafe.people[0])
    assert cafe.people[0].status != Status.ABSENT


def test_replan_form_offers_only_rounds_not_started(client: FlaskClient, cafe: Cafe) -> None:
    services.generate(cafe.item, seed=5)
    db.session.commit()
    for r in cafe.item.rounds:  # the café is now in the past: every round has started
        r.starts_at, r.ends_at = r.starts_at.replace(year=2020), r.ends_at.replace(year=2020)
    db.session.commit()
    text = client.get(_url(cafe, "/plan")).get_data(as_text=True)
    assert "nothing is left to re-plan" in text


def test_published_view_and_unknown_item(client: FlaskClient, cafe: Cafe) -> None:
    services.generate(cafe.item, seed=5)
    services.publish(cafe.item, 1, confirm=False)
    db.session.commit()
    text = client.get(_url(cafe, "/plan?view=published")).get_data(as_text=True)
    assert "Adjust by hand" not in text and "Rooms × rounds" in text
    assert client.get(f"/manage/events/{cafe.event.slug}/cafe/999999/plan").status_code == 404
