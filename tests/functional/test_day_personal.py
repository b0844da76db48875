"""Personal-link pages: where am I now, by the clock; facilitator page; isolation; ETag/304; the update endpoint."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.extensions import db as _db
from app.notes.models import RoundNote
from tests import factories
from tests.factories_day import make_day
from tests.instants import (
    AFTER_SUMMIT,
    BEFORE_SUMMIT,
    BETWEEN_ROUNDS,
    DURING_TALK,
    ROUND_1,
    ROUND_2,
    ROUND_3,
)


def page(client: FlaskClient, token: str, **headers: str) -> str:
    response = client.get(f"/p/{token}", headers=headers)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_during_round_one_shows_room_host_question_mates_and_countdown(client: FlaskClient) -> None:
    day = make_day()
    me = day.people[0]
    with freeze_time(ROUND_1):
        html = page(client, me.token)
    assert "data-room-name>部屋B</p>" in html
    assert "https://zoom.us/j/100?room=b" in html
    assert "ホストB" in html  # the host's name
    assert "最近の活動状況は？" in html  # round 1's question
    assert "参加2" in html and "参加1" not in html.split("Your rounds")[0].split("あなたのラウンド")[0]
    assert 'data-countdown-to="2026-07-25T05:20:00+00:00"' in html
    assert "14:20" in html  # ends at, in the event's zone


def test_every_round_is_listed_with_its_room(client: FlaskClient) -> None:
    day = make_day()
    with freeze_time(ROUND_1):
        html = page(client, day.people[0].token)
    listing = html[html.index("day-round-list") :]
    assert listing.index("部屋B") < listing.index("部屋A")  # B, A, B over rounds 1–3
    assert listing.count("部屋B") == 2 and listing.count("部屋A") == 1


@pytest.mark.parametrize(
    ("instant", "room", "expected"),
    [
        (ROUND_2, "部屋A", "リアルだからこその価値は？"),
        (ROUND_3, "部屋B", "今、何ができるか？"),
        (BETWEEN_ROUNDS, "部屋A", "14:25"),  # round 2's room, shown ahead with its start time
    ],
)
def test_the_page_follows_the_clock_round_by_round(
    client: FlaskClient, instant: object, room: str, expected: str
) -> None:
    day = make_day()
    with freeze_time(instant):  # type: ignore[arg-type]
        html = page(client, day.people[0].token)
    assert f"data-room-name>{room}</p>" in html
    assert expected in html


def test_during_the_talk_shows_the_talk_and_what_is_next(client: FlaskClient) -> None:
    day = make_day()
    with freeze_time(DURING_TALK):
        html = page(client, day.people[0].token, **{"Accept-Language": "en"})
    assert "基調講演" in html
    assert "Next" in html and "ワールドカフェ" in html
    assert "data-room-name" not in html
    assert "https://zoom.us/j/81234567890" in html  # the main meeting link


def test_before_the_event_says_when_it_starts_with_planned_rooms(client: FlaskClient) -> None:
    day = make_day()
    with freeze_time(BEFORE_SUMMIT):
        html = page(client, day.people[0].token, **{"Accept-Language": "en"})
    assert "See you soon" in html
    assert 'data-countdown-to="2026-07-25T04:00:00+00:00"' in html
    assert "部屋B" in html and "部屋A" in html  # planned rooms listed


def test_before_the_event_next_is_the_first_items_own_time(client: FlaskClient) -> None:
    """The event opens at 13:00 but its first item (the talk) begins at 13:10: "Next" says 13:10."""
    day = make_day()
    talk = next(i for i in day.event.items if i.title == "基調講演")
    talk.starts_at += timedelta(minutes=10)
    talk.ends_at += timedelta(minutes=10)
    _db.session.commit()
    with freeze_time(BEFORE_SUMMIT):
        html = page(client, day.people[0].token, **{"Accept-Language": "ja"})
    nownext = html.split('class="day-nownext"')[1].split("</dl>")[0]
    assert "基調講演" in nownext and "13:10" in nownext and "13:00" not in nownext


def test_after_the_event_thanks(client: FlaskClient) -> None:
    day = make_day()
    with freeze_time(AFTER_SUMMIT):
        html = page(client, day.people[0].token, **{"Accept-Language": "en"})
    assert "Thank you for taking part" in html


def test_event_zone_times_for_a_viewer_abroad(client: FlaskClient) -> None:
    """Times are the event's (Tokyo) whatever the viewer's zone; the script adds local ones."""
    day = make_day()
    with freeze_time(ROUND_1):
        html = page(client, day.people[0].token, **{"Accept-Language": "en-GB"})
    assert "Ends at" in html and "14:20" in html
    assert 'data-event-zone="Asia/Tokyo"' in html
    assert 'datetime="2026-07-25T05:20:00+00:00" data-local-time' in html


def test_unseated_person_is_told_to_wait(client: FlaskClient) -> None:
    day = make_day()
    late = factories.make_participant(event=day.event, family_name="遅刻")
    with freeze_time(ROUND_1):
        html = page(client, late.token, **{"Accept-Language": "en"})
    assert "Your room is not assigned yet" in html


def test_a_latecomer_sees_which_round_they_join_in(client: FlaskClient) -> None:
    day = make_day()
    late = factories.make_participant(event=day.event, family_name="森田", given_name="健一")
    late.joins_round = 2
    _db.session.commit()
    with freeze_time(BEFORE_SUMMIT):
        html = page(client, late.token, **{"Accept-Language": "ja"})
    rows = html.split('class="day-round-num"')[1:]
    assert "第2ラウンドから参加" in rows[0]  # round 1: before they join
    assert "第2ラウンドから参加" not in rows[1] and "未割り当て" in rows[1]  # round 2: their room is still to come
    other = page(client, day.people[0].token, **{"Accept-Language": "ja"})
    assert "ラウンドから参加" not in other  # the shared rows are not mixed up


def test_unpublished_seats_are_not_shown(client: FlaskClient) -> None:
    day = make_day(publish=False)
    from tests.factories_day import seat

    seat(room=day.rooms[0], round_number=1, person=day.people[0], published=False)
    with freeze_time(ROUND_1):
        html = page(client, day.people[0].token)
    assert "data-room-name" not in html


def test_unknown_or_revoked_token_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/p/" + "x" * 43, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "no longer valid" in response.get_data(as_text=True)
    assert client.get("/p/short").status_code == 404
    assert client.get("/p/" + "x" * 43 + "/state.json").status_code == 404


def test_a_link_sees_only_its_holder(client: FlaskClient) -> None:
    day = make_day()
    other = make_day(people=2)
    with freeze_time(ROUND_1):
        mine = page(client, day.people[0].token)
        theirs = page(client, other.people[0].token)
    assert day.people[0].family_name in mine
    assert day.people[0].token not in theirs
    assert other.event.title in theirs
    # Room-mates are people of the same room and round only.
    assert "参加1" not in mine[mine.index("day-focus") : mine.index("day-round-list")]
    assert "@example.lg.jp" not in mine  # no emails on a personal page


def test_personal_pages_are_private(client: FlaskClient) -> None:
    day = make_day()
    response = client.get(f"/p/{day.people[0].token}")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "private" in response.headers["Cache-Control"]
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert "<script>" not in response.get_data(as_text=True)  # no inline scripts


def test_etag_gives_304_until_something_changes(client: FlaskClient) -> None:
    day = make_day()
    url = f"/p/{day.people[0].token}/state.json"
    with freeze_time(ROUND_1):
        first = client.get(url)
        assert first.status_code == 200
        etag = first.headers["ETag"]
        assert first.json and "部屋B" in first.json["html"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
        page_304 = client.get(f"/p/{day.people[0].token}", headers={"If-None-Match": etag})
        assert page_304.status_code == 304
    with freeze_time(ROUND_2):  # the slot changed
        changed = client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and "部屋A" in changed.json["html"]  # type: ignore[index]


def test_etag_changes_when_seats_are_republished(client: FlaskClient, db: object) -> None:
    day = make_day()
    url = f"/p/{day.people[0].token}/state.json"
    with freeze_time(ROUND_1):
        etag = client.get(url).headers["ETag"]
        from app.cafe.models import Seat

        row = db.session.query(Seat).filter_by(participant_id=day.people[0].id, round_id=day.cafe.rounds[0].id).one()  # type: ignore[attr-defined]
        row.room_id = day.rooms[0].id
        day.cafe.rounds[0].published_at = ROUND_1
        db.session.commit()  # type: ignore[attr-defined]
        moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and "部屋A" in moved.json["html"]  # type: ignore[index]


def test_etag_differs_by_language(client: FlaskClient) -> None:
    day = make_day()
    url = f"/p/{day.people[0].token}/state.json"
    ja = client.get(url, headers={"Accept-Language": "ja"}).headers["ETag"]
    en = client.get(url, headers={"Accept-Language": "en"}).headers["ETag"]
    assert ja != en


def test_facilitator_page_shows_room_guests_question_and_previous_summary(client: FlaskClient, db: object) -> None:
    day = make_day()
    host = day.hosts[0]  # hosts room A
    db.session.add(RoundNote(round_id=day.cafe.rounds[0].id, room_id=day.rooms[0].id, summary="防災の連携が話題に"))  # type: ignore[attr-defined]
    db.session.commit()  # type: ignore[attr-defined]
    with freeze_time(ROUND_2):
        html = page(client, host.token, **{"Accept-Language": "en"})
    assert "You host" in html and "data-room-name>部屋A</p>" in html
    assert "防災の連携が話題に" in html  # round 1 at their table, to brief newcomers
    assert "リアルだからこその価値は？" in html
    guests = html[html.index("Coming to your table") :]
    assert "参加0" in guests and "参加2" in guests  # (i + 2) % 2 == 0 → room A in round 2
    assert f"/p/{host.token}/notes/2" in html  # the notes link
    assert "room-notes" in html  # the notes feature's partial, per round


def test_facilitator_page_before_publication(client: FlaskClient) -> None:
    day = make_day(publish=False)
    with freeze_time(BEFORE_SUMMIT):
        html = page(client, day.hosts[0].token, **{"Accept-Language": "en"})
    assert "Thank you for hosting a table" in html
    assert "not published yet" in html
    assert "below once the organisers publish the seating" in html


def test_facilitator_page_before_the_day_once_published_says_the_rooms_are_below(client: FlaskClient) -> None:
    day = make_day(publish=True)
    with freeze_time(BEFORE_SUMMIT):
        html = page(client, day.hosts[0].token, **{"Accept-Language": "en"})
    assert "Your room, questions and guests for each round are below. Open this page again" in html
    assert "once the organisers publish the seating" not in html  # they have: the page must not say otherwise


def test_broadcasts_show_on_every_personal_page(client: FlaskClient, db: object) -> None:
    from app.day.models import Broadcast

    day = make_day()
    db.session.add(Broadcast(event_id=day.event.id, body="14:20 から休憩です", urgent=True))  # type: ignore[attr-defined]
    db.session.commit()  # type: ignore[attr-defined]
    assert "14:20 から休憩です" in page(client, day.people[0].token)
    assert "14:20 から休憩です" in page(client, day.hosts[0].token)


def test_a_message_sent_before_the_day_shows_its_date(client: FlaskClient, db: object) -> None:
    """On the day a message shows its time; one sent days before shows its date too (not a bare 03:41)."""
    from app.day.models import Broadcast

    day = make_day()
    db.session.add(Broadcast(event_id=day.event.id, body="当日は開始10分前から入室できます", created_at=BEFORE_SUMMIT))  # type: ignore[attr-defined]
    db.session.add(Broadcast(event_id=day.event.id, body="14:20 から休憩です", created_at=DURING_TALK))  # type: ignore[attr-defined]
    db.session.commit()  # type: ignore[attr-defined]
    with freeze_time(DURING_TALK):
        html = page(client, day.people[0].token, **{"Accept-Language": "ja"})
    assert '<span class="day-broadcast-time">2026年7月20日(月) 12:00</span>' in html
    talk_time = DURING_TALK.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    assert f'<span class="day-broadcast-time">{talk_time}</span>' in html


def test_every_personal_page_shows_the_meeting_link_before_and_during(client: FlaskClient) -> None:
    day = make_day()
    meeting = day.event.meeting_url
    for who in (day.people[0], day.hosts[0]):
        for moment in (BEFORE_SUMMIT, DURING_TALK, ROUND_1, BETWEEN_ROUNDS):
            with freeze_time(moment):
                html = page(client, who.token)
            assert f'href="{meeting}"' in html, (who.family_name, moment)
        with freeze_time(ROUND_1):
            html = page(client, who.token)
        assert 'href="https://zoom.us/j/100?room=' in html and 'data-join="room"' in html  # the room's own link
        with freeze_time(AFTER_SUMMIT):
            assert f'href="{meeting}"' not in page(client, who.token)
    # The JSON `me` endpoint carries it too (registered people only).
    assert client.get(f"/api/v1/me/{day.people[0].token}").json["meeting_url"] == meeting  # type: ignore[index]


def test_a_removed_persons_link_stops_at_once_in_the_process_that_removed_them(
    app: Flask, client: FlaskClient, logged_in: Organizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with a long live-check interval: the removal drops this process's roster of the event."""
    monkeypatch.setitem(app.config, "DAY_LIVE_CHECK_SECONDS", 3600.0)
    day = make_day(organizer=logged_in)
    person = day.people[0]
    token, person_id, slug = person.token, person.id, day.event.slug
    assert client.get(f"/p/{token}").status_code == 200
    assert client.post(f"/manage/events/{slug}/participants/{person_id}/delete").status_code == 302
    assert client.get(f"/p/{token}").status_code == 404
