"""The organiser's live console: rounds by hand, broadcasts, check-in, late arrivals, links, QR, Zoom reconcile."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import func

from app.auth.models import Organizer
from app.day.models import Broadcast, ClockAction, ClockEntry
from app.events.models import CafeRound
from app.extensions import db
from app.participants.models import Participant, Rsvp, Status
from tests import factories
from tests.factories_day import make_day
from tests.instants import AFTER_SUMMIT, BETWEEN_ROUNDS, DURING_TALK, ROUND_1, ROUND_3


def base(day: object) -> str:
    return f"/manage/events/{day.event.slug}"  # type: ignore[attr-defined]


def test_console_shows_clock_now_and_the_clock_controls(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    with freeze_time(ROUND_1):
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "data-clock" in html and ">14:10<" in html  # the event clock, in the event's zone
    assert "Round 1" in html and "until" in html
    assert "Start round 2 now…" in html and "Extend or shorten round 1…" in html and "End round 1 now…" in html
    assert "Start round 3 now" not in html  # only the next round can start
    assert "Timeline" in html and "running" in html
    assert "Live console" in html  # the tab
    with freeze_time(ROUND_1):
        ja = client.get(base(day) + "/live", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    timeline = ja.split("タイムライン", 1)[1].split("</table>", 1)[0]
    assert "この後" in timeline and "遅らせる" not in timeline  # round 3 is still to come, not "to postpone"


def test_console_is_for_the_events_organisers_only(client: FlaskClient, logged_in: Organizer) -> None:
    stranger_event = make_day(organizer=factories.make_organizer())
    for path in ("/live", "/links", f"/links/{stranger_event.people[0].id}/qr.svg"):
        assert client.get(base(stranger_event) + path).status_code == 404
    assert client.post(base(stranger_event) + "/live/next").status_code == 404
    assert client.post(base(stranger_event) + "/live/broadcasts", data={"body": "x"}).status_code == 404


def test_console_needs_a_login(client: FlaskClient, db: object) -> None:
    day = make_day()
    response = client.get(base(day) + "/live")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


NEXT = {"confirm": "yes"}


def test_next_round_starts_early_and_pages_follow(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    me = day.people[0]
    with freeze_time(DURING_TALK):
        assert "data-room-name" not in client.get(f"/p/{me.token}").get_data(as_text=True)
        assert client.post(base(day) + "/live/next", data=NEXT).status_code == 302  # round 1 starts early
        html = client.get(f"/p/{me.token}").get_data(as_text=True)
        assert "data-room-name>部屋B</p>" in html
        assert 'data-countdown-to="2026-07-25T04:40:00+00:00"' in html  # 20 minutes from now
        rounds = {r.number: r for r in db.session.scalars(db.select(CafeRound).where(CafeRound.item_id == day.cafe.id))}
        # The café keeps its rhythm: round 2 follows round 1 after the planned 5-minute move.
        assert rounds[2].live_starts_at == datetime(2026, 7, 25, 4, 45, tzinfo=UTC)
    with freeze_time(DURING_TALK + timedelta(minutes=3)):
        client.post(base(day) + "/live/next", data=NEXT)  # round 2 now: round 1 ends now
        assert "data-room-name>部屋A</p>" in client.get(f"/p/{me.token}").get_data(as_text=True)
        log = db.session.scalars(db.select(ClockEntry).order_by(ClockEntry.id)).all()
        assert [(e.action, e.round.number) for e in log] == [(ClockAction.START, 1), (ClockAction.START, 2)]
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Round 1 started by hand." in html and "Round 2 started by hand." in html
        assert "運営 太郎" in html  # who moved the clock


def test_clock_moves_need_the_confirmation_button(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    with freeze_time(ROUND_1):
        for path, data in (("/live/next", {}), ("/live/extend", {"minutes": 5}), ("/live/end", {})):
            response = client.post(
                base(day) + path, data=data, follow_redirects=True, headers={"Accept-Language": "en"}
            )
            assert "confirm with the button in the box" in response.get_data(as_text=True), path
    assert db.session.scalar(db.select(func.count()).select_from(ClockEntry)) == 0
    assert all(r.live_starts_at is None and r.live_ends_at is None for r in day.cafe.rounds)


def test_extend_shorten_and_end_the_running_round(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    me = day.people[0]
    url = f"/p/{me.token}/state.json"
    with freeze_time(ROUND_1):  # 14:10, round 1 runs until 14:20
        etag = client.get(url).headers["ETag"]
        response = client.post(
            base(day) + "/live/extend",
            data={"minutes": 5, "direction": "later", "confirm": "yes"},
            follow_redirects=True,
            headers={"Accept-Language": "en"},
        )
        assert "Round 1 now ends at 14:25" in response.get_data(as_text=True)
        changed = client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200  # every countdown changes: the ETag moved
        assert 'data-countdown-to="2026-07-25T05:25:00+00:00"' in changed.json["html"]  # type: ignore[index]
        client.post(base(day) + "/live/extend", data={"minutes": 10, "direction": "earlier", "confirm": "yes"})
        assert 'data-countdown-to="2026-07-25T05:15:00+00:00"' in client.get(url).json["html"]  # type: ignore[index]
        response = client.post(
            base(day) + "/live/extend",
            data={"minutes": 30, "direction": "earlier", "confirm": "yes"},
            follow_redirects=True,
            headers={"Accept-Language": "en"},
        )
        assert "That would end the round in the past" in response.get_data(as_text=True)
        client.post(base(day) + "/live/end", data={"confirm": "yes"})
        html = client.get(url).json["html"]  # type: ignore[index]
        assert "day-countdown" not in html.split("Your rounds")[0] or "Ends at" not in html
    rounds = {r.number: r for r in db.session.scalars(db.select(CafeRound).where(CafeRound.item_id == day.cafe.id))}
    assert rounds[1].live_ends_at == ROUND_1 and rounds[1].starts_at == rounds[1].actual_starts_at
    # Round 2 keeps its 5-minute move after round 1's new end.
    assert rounds[2].live_starts_at == ROUND_1 + timedelta(minutes=5)
    with freeze_time(ROUND_1):
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Round 1 extended by 5 min (ends" in html and "Round 1 shortened by 10 min" in html
    assert "Round 1 ended early" in html


def test_between_rounds_the_next_round_can_be_postponed(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    with freeze_time(BETWEEN_ROUNDS):  # 14:22; round 2 at 14:25
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Postpone round 2…" in html and "End round" not in html
        client.post(base(day) + "/live/extend", data={"minutes": 10, "direction": "later", "confirm": "yes"})
        html = client.get(f"/p/{day.people[0].token}").get_data(as_text=True)
        assert "Round 2 · starts at" in html and "14:35" in html


def test_a_stale_console_cannot_start_a_second_round(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    other = make_day(organizer=logged_in)
    with freeze_time(BETWEEN_ROUNDS):
        # Two organisers saw "Start round 2"; the first click starts it, the second must not start round 3.
        client.post(base(day) + "/live/next", data={**NEXT, "round_id": day.cafe.rounds[1].id})
        response = client.post(
            base(day) + "/live/next",
            data={**NEXT, "round_id": day.cafe.rounds[1].id},
            follow_redirects=True,
            headers={"Accept-Language": "en"},
        )
        assert "not the next one any more" in response.get_data(as_text=True)
        response = client.post(
            base(day) + "/live/next",
            data={**NEXT, "round_id": other.cafe.rounds[0].id},
            follow_redirects=True,
            headers={"Accept-Language": "en"},
        )
        assert "not the next one any more" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(func.count()).select_from(ClockEntry)) == 1
    with freeze_time(ROUND_3):  # the last round runs: there is no next one
        response = client.post(
            base(day) + "/live/next", data=NEXT, follow_redirects=True, headers={"Accept-Language": "en"}
        )
        assert "There is no next round" in response.get_data(as_text=True)


def test_a_finished_event_shows_a_finished_console(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    client.post(base(day) + "/live/attendance", data={"ids": [day.people[0].id], "status": "absent"})
    with freeze_time(AFTER_SUMMIT):
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "The event has ended." in html and "Timeline" in html
        for offer in ("Start round", "Extend or shorten", "End round", "Re-plan round", "has no seating plan"):
            assert offer not in html, offer
        response = client.post(
            base(day) + "/live/next", data=NEXT, follow_redirects=True, headers={"Accept-Language": "en"}
        )
        assert "There is no next round" in response.get_data(as_text=True)


def test_broadcast_post_list_delete(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    url = f"/p/{day.people[0].token}/state.json"
    etag = client.get(url).headers["ETag"]
    client.post(base(day) + "/live/broadcasts", data={"body": "<b>ブレイクアウトへ移動</b>", "urgent": "y"})
    message = db.session.query(Broadcast).one()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200  # a new message changes the ETag
    assert "&lt;b&gt;ブレイクアウトへ移動&lt;/b&gt;" in response.json["html"]  # type: ignore[index]  (escaped)
    assert "ブレイクアウトへ移動" in client.get(base(day) + "/live").get_data(as_text=True)
    client.post(base(day) + f"/live/broadcasts/{message.id}/delete")
    assert db.session.query(Broadcast).count() == 0
    assert "ブレイクアウトへ移動" not in client.get(f"/p/{day.people[0].token}").get_data(as_text=True)


def test_empty_broadcast_is_refused(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    response = client.post(base(day) + "/live/broadcasts", data={"body": "  "}, headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "Write a message first" in response.get_data(as_text=True)
    assert db.session.query(Broadcast).count() == 0


def test_check_in_one_and_many_and_search(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    a, b, c = day.people[:3]
    client.post(base(day) + "/live/attendance", data={"set": f"present:{a.id}", "status": "present"})
    client.post(base(day) + "/live/attendance", data={"ids": [b.id, c.id], "status": "absent"})
    statuses = {p.id: p.status for p in db.session.query(Participant).all()}
    assert statuses[a.id] == Status.PRESENT and statuses[b.id] == Status.ABSENT and statuses[c.id] == Status.ABSENT
    html = client.get(base(day) + "/live?q=参加0").get_data(as_text=True)
    assert "参加0" in html and "参加3" not in html
    html = client.get(base(day) + "/live?status=absent").get_data(as_text=True)
    assert "参加1" in html and "参加0" not in html.split('id="checkin"')[1].split("</table>")[0]


def test_check_in_cannot_touch_another_events_people(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    other = make_day(organizer=factories.make_organizer())
    client.post(base(day) + "/live/attendance", data={"ids": [other.people[0].id], "status": "absent"})
    db.session.refresh(other.people[0])
    assert other.people[0].status == Status.REGISTERED


def test_bad_check_in_status_is_refused(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    response = client.post(
        base(day) + "/live/attendance",
        data={"set": f"cancelled:{day.people[0].id}", "status": "present"},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    assert "Unknown check-in status" in response.get_data(as_text=True)


def test_replan_call_to_action_counts_absent_and_late(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    client.post(base(day) + "/live/attendance", data={"ids": [day.people[0].id], "status": "absent"})
    client.post(
        base(day) + "/live/late",
        data={
            "family_name": "遅刻",
            "given_name": "太郎",
            "email": "late@example.lg.jp",
            "organization": "堺市",
            "joins_round": 2,
        },
    )
    late = db.session.query(Participant).filter_by(email="late@example.lg.jp").one()
    assert late.status == Status.PRESENT and late.joins_round == 2
    with freeze_time(BETWEEN_ROUNDS):
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 absent, 1 late since the plan" in html
    assert "re-plan round 2" in html


def test_the_console_counts_who_said_they_cant_attend_among_the_next_rounds_seats(
    client: FlaskClient, logged_in: Organizer
) -> None:
    day = make_day(organizer=logged_in)
    day.people[1].rsvp = day.people[2].rsvp = Rsvp.NO
    day.people[3].rsvp = Rsvp.MAYBE
    db.session.commit()
    with freeze_time(BETWEEN_ROUNDS):
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "2 people with a seat in round 2 said they can't attend" in html
        client.post(base(day) + "/live/attendance", data={"ids": [day.people[1].id], "status": "absent"})
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 person with a seat in round 2 said they can't attend" in html  # the one marked absent is done


def test_late_arrival_with_a_taken_email_is_refused(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    response = client.post(
        base(day) + "/live/late",
        data={"family_name": "重複", "email": day.people[0].email, "joins_round": 2},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert db.session.query(Participant).filter_by(family_name="重複").count() == 0


def test_links_page_qr_and_reissue(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    person = day.people[0]
    old = person.token
    html = client.get(base(day) + "/links").get_data(as_text=True)
    assert f"/p/{old}" in html
    svg = client.get(base(day) + f"/links/{person.id}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    client.post(base(day) + f"/links/{person.id}/reissue")
    db.session.refresh(person)
    assert person.token != old and len(person.token) >= 43
    assert client.get(f"/p/{old}").status_code == 404
    assert client.get(f"/p/{person.token}").status_code == 200


def test_reissue_of_another_events_person_is_refused(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    other = make_day(organizer=factories.make_organizer())
    token = other.people[0].token
    client.post(base(day) + f"/links/{other.people[0].id}/reissue")
    db.session.refresh(other.people[0])
    assert other.people[0].token == token
    assert client.get(base(day) + f"/links/{other.people[0].id}/qr.svg").status_code == 404


ZOOM_HEADER = "名前(元の名前),ユーザーメール,参加時間,退出時間,期間(分),ゲスト\r\n"


def test_zoom_report_preview_then_apply(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    a, b = day.people[0], day.people[1]
    csv = (
        ZOOM_HEADER
        + f"Zoomの名前,{a.email.upper()},2026/07/25 13:01:00,2026/07/25 18:00:00,299,いいえ\r\n"
        + f"{b.family_name} {b.given_name},,2026/07/25 13:05:00,2026/07/25 18:00:00,295,はい\r\n"
        + "知らない人,stranger@example.com,2026/07/25 13:05:00,2026/07/25 13:30:00,25,はい\r\n"
    ).encode("cp932")
    response = client.post(
        base(day) + "/live/zoom",
        data={"report": (io.BytesIO(csv), "participants.csv")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "知らない人" in html  # unmatched rows listed
    assert db.session.query(Participant).filter_by(status=Status.PRESENT).count() == 0  # nothing yet
    present = html.split('name="present" type="hidden" value="')[1].split('"')[0]
    absent = html.split('name="absent" type="hidden" value="')[1].split('"')[0]
    client.post(base(day) + "/live/zoom/apply", data={"present": present, "absent": absent})
    db.session.expire_all()
    assert db.session.get(Participant, a.id).status == Status.PRESENT  # type: ignore[union-attr]
    assert db.session.get(Participant, b.id).status == Status.PRESENT  # type: ignore[union-attr]
    assert db.session.get(Participant, day.people[2].id).status == Status.ABSENT  # type: ignore[union-attr]


def test_zoom_apply_ignores_other_events_ids(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    other = make_day(organizer=factories.make_organizer())
    client.post(base(day) + "/live/zoom/apply", data={"present": "", "absent": str(other.people[0].id)})
    db.session.refresh(other.people[0])
    assert other.people[0].status == Status.REGISTERED


def test_bad_zoom_files_get_a_clear_message(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    cases = [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "report.csv", "could not be read"),
        ("日付,件数\r\n1,2\r\n".encode(), "report.csv", "No participant table"),
        (b"name,email\r\n", "report.exe", "Upload the CSV file"),
    ]
    for data, name, message in cases:
        response = client.post(
            base(day) + "/live/zoom",
            data={"report": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 400, name
        assert message in response.get_data(as_text=True), message
    missing = client.post(base(day) + "/live/zoom", data={}, headers={"Accept-Language": "en"})
    assert missing.status_code == 400 and "Choose the CSV file" in missing.get_data(as_text=True)
