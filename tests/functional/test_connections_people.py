"""People you met: who shows, round by round, from the seats of rounds that took place; the personal page's way in."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from freezegun import freeze_time

from app.cafe.models import Seat
from app.day import services
from app.extensions import db
from app.participants.models import Role, Status
from tests import factories
from tests.factories_day import Day, make_day, seat
from tests.instants import AFTER_SUMMIT, BEFORE_SUMMIT, BETWEEN_ROUNDS, DURING_TALK, ROUND_1, ROUND_2

# make_day(people=6): person i sits in room (i + round) % 2 — A holds the odd people in rounds 1 and 3 and the
# even ones in round 2, so people[0] meets people[2] and people[4] (and both hosts), and never people[1].


def people_page(client: FlaskClient, token: str) -> str:
    response = client.get(f"/p/{token}/people")
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    return response.get_data(as_text=True)


def names_listed(html: str) -> set[str]:
    return {name for name in ("参加0", "参加1", "参加2", "参加3", "参加4", "参加5") if name in html}


def day6() -> Day:
    day = make_day(people=6)
    for i, person in enumerate(day.people):
        person.family_kana, person.given_kana = f"サンカ{i}", "ハナコ"
        person.department = f"デジタル推進課{i}"
    db.session.commit()
    return day


def test_only_people_of_rounds_that_took_place_show_round_by_round(client: FlaskClient) -> None:
    day = day6()
    me = day.people[0]
    with freeze_time(ROUND_1):
        html = people_page(client, me.token)
    assert names_listed(html) == {"参加0", "参加2", "参加4"}  # 参加0 only in the page header
    assert "ラウンド 2" not in html and "Round 2" not in html
    assert "Round 1" in html and "部屋B" in html
    assert "最近の活動状況は？" in html  # the question they discussed
    assert "ホストB" in html  # the facilitator
    assert "サンカ2 ハナコ" in html  # kana
    assert "デジタル推進課2" in html  # department
    with freeze_time(ROUND_2):
        html = people_page(client, me.token)
    assert "Round 2" in html and "部屋A" in html and "ホストA" in html
    assert "リアルだからこその価値は？" in html
    assert "参加1" not in html and "参加3" not in html and "参加5" not in html


def test_before_any_round_nobody_shows_and_the_personal_page_has_no_way_in(client: FlaskClient) -> None:
    day = day6()
    me = day.people[0]
    for instant in (BEFORE_SUMMIT, DURING_TALK):
        with freeze_time(instant):
            html = people_page(client, me.token)
            personal = client.get(f"/p/{me.token}").get_data(as_text=True)
        assert names_listed(html) == {"参加0"}
        assert "After each café round, the people you sat with appear here." in html
        assert f"/p/{me.token}/people" not in personal
    with freeze_time(BETWEEN_ROUNDS):
        personal = client.get(f"/p/{me.token}").get_data(as_text=True)
    assert f'href="/p/{me.token}/people"' in personal
    assert "See the people you met" in personal


def test_a_round_started_by_hand_counts_before_its_timetable(client: FlaskClient) -> None:
    day = day6()
    me = day.people[0]
    services.start_next_round(day.event, day.event.organizers[0], BETWEEN_ROUNDS)  # round 2, before 14:25
    db.session.commit()  # the service writes; its caller commits
    with freeze_time(BETWEEN_ROUNDS + timedelta(minutes=1)):
        html = people_page(client, me.token)
    assert "Round 2" in html and "ホストA" in html


def test_unpublished_rounds_and_draft_seats_never_count(client: FlaskClient) -> None:
    day = make_day(people=4, publish=False)
    a, b = day.rooms
    seat(room=a, round_number=1, person=day.people[0], published=False)
    seat(room=a, round_number=1, person=day.people[1], published=False)
    with freeze_time(ROUND_2):
        html = people_page(client, day.people[0].token)
    assert "参加1" not in html
    assert "You did not sit at a table in the rounds held so far" in html  # draft seats are not a table


def test_facilitators_see_everyone_who_came_to_their_table(client: FlaskClient) -> None:
    day = day6()
    host_a = day.hosts[0]
    with freeze_time(AFTER_SUMMIT):
        html = people_page(client, host_a.token)
    assert names_listed(html) == {"参加0", "参加1", "参加2", "参加3", "参加4", "参加5"}
    assert html.count("You hosted this table.") == 3
    assert "ホストB" not in html  # the other table's host never sat with them


def test_people_who_left_the_event_disappear_from_everyones_list(client: FlaskClient) -> None:
    day = day6()
    me = day.people[0]
    cancelled, absent, deleted = day.people[2], day.people[4], day.hosts[1]
    cancelled.status = Status.CANCELLED
    absent.status = Status.ABSENT
    db.session.delete(deleted)
    db.session.commit()
    with freeze_time(AFTER_SUMMIT):
        html = people_page(client, me.token)
        own = people_page(client, cancelled.token)
    assert names_listed(html) == {"参加0"}
    assert "ホストB" not in html and "ホストA" in html
    assert "参加0" not in own  # the one who cancelled sees nobody either


def test_people_of_another_event_at_a_room_of_the_same_name_are_never_listed(client: FlaskClient) -> None:
    day = day6()
    other = make_day(people=2)
    for i, person in enumerate(other.people):
        person.family_name = f"別会場{i}"
    db.session.commit()
    with freeze_time(AFTER_SUMMIT):
        html = people_page(client, day.people[0].token)
    assert "別会場" not in html


def test_unknown_links_get_the_friendly_404(client: FlaskClient) -> None:
    response = client.get("/p/" + "x" * 43 + "/people")
    assert response.status_code == 404
    assert "no longer valid" in response.get_data(as_text=True)
    assert client.get("/p/short/people").status_code == 404


def test_the_json_api_lists_the_same_people_with_token_in_path_or_header(client: FlaskClient) -> None:
    day = day6()
    me = day.people[0]
    with freeze_time(ROUND_2):
        by_path = client.get(f"/api/v1/me/{me.token}/people")
        by_header = client.get("/api/v1/me/people", headers={"X-Personal-Token": me.token})
    assert by_path.status_code == 200 and by_header.get_json() == by_path.get_json()
    data = by_path.get_json()
    assert [r["number"] for r in data["rounds"]] == [1, 2]
    first = data["rounds"][0]
    assert first["question"] == "最近の活動状況は？" and first["room"] == "部屋B"
    assert first["facilitator"]["family_name"] == "ホストB"
    assert {p["family_name"] for p in first["people"]} == {"参加2", "参加4"}
    person = first["people"][0]
    assert person["family_kana"].startswith("サンカ") and person["department"].startswith("デジタル推進課")
    assert person["contact"] is None and person["my_note"] is None
    assert "email" not in person
    assert data["my_contact"] == {"audience": "nobody", "share_email": False, "text": None, "reach": 0}
    assert client.get("/api/v1/me/people").status_code == 404


def test_late_arrival_seated_from_round_two_meets_only_those_tables(client: FlaskClient) -> None:
    day = day6()
    late = factories.make_participant(event=day.event, family_name="遅参", role=Role.PARTICIPANT)
    seat(room=day.rooms[0], round_number=2, person=late)
    with freeze_time(AFTER_SUMMIT):
        html = people_page(client, late.token)
    assert names_listed(html) == {"参加0", "参加2", "参加4"}
    assert "Round 1" not in html
    rows = db.session.query(Seat).filter_by(participant_id=late.id).count()
    assert rows == 1
