"""The organiser's live console: rounds by hand, broadcasts, check-in, late arrivals, links, QR, Zoom reconcile."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.day.models import Broadcast, LiveState
from app.extensions import db
from app.participants.models import Participant, Status
from tests import factories
from tests.factories_day import make_day
from tests.instants import BETWEEN_ROUNDS, DURING_TALK, ROUND_1


def base(day: object) -> str:
    return f"/manage/events/{day.event.slug}"  # type: ignore[attr-defined]


def test_console_shows_clock_now_and_round_buttons(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    with freeze_time(ROUND_1):
        html = client.get(base(day) + "/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "data-clock" in html and ">14:10<" in html  # the event clock, in the event's zone
    assert "Round 1" in html and "until" in html
    assert "Start round 3 now" in html
    assert "Live console" in html  # the tab


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


def test_next_round_overrides_the_timetable_and_pages_follow(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    me = day.people[0]
    with freeze_time(DURING_TALK):
        assert "data-room-name" not in client.get(f"/p/{me.token}").get_data(as_text=True)
        assert client.post(base(day) + "/live/next").status_code == 302  # round 1 starts early
        html = client.get(f"/p/{me.token}").get_data(as_text=True)
        assert "data-room-name>部屋B</p>" in html
        assert 'data-countdown-to="2026-07-25T04:40:00+00:00"' in html  # 20 minutes from now
        client.post(base(day) + "/live/next")  # round 2
        assert "data-room-name>部屋A</p>" in client.get(f"/p/{me.token}").get_data(as_text=True)
        client.post(base(day) + "/live/timetable")
        assert "data-room-name" not in client.get(f"/p/{me.token}").get_data(as_text=True)


def test_start_a_chosen_round_and_refuse_foreign_rounds(client: FlaskClient, logged_in: Organizer) -> None:
    day = make_day(organizer=logged_in)
    other = make_day(organizer=logged_in)
    with freeze_time(BETWEEN_ROUNDS):
        client.post(base(day) + "/live/round", data={"round_id": day.cafe.rounds[2].id})
        state = db.session.query(LiveState).filter_by(event_id=day.event.id).one()
        assert state.round_id == day.cafe.rounds[2].id
        response = client.post(
            base(day) + "/live/round",
            data={"round_id": other.cafe.rounds[0].id},
            follow_redirects=True,
            headers={"Accept-Language": "en"},
        )
        assert "does not belong" in response.get_data(as_text=True)
        db.session.refresh(state)
        assert state.round_id == day.cafe.rounds[2].id
        # After the last round there is no next one.
        response = client.post(base(day) + "/live/next", follow_redirects=True, headers={"Accept-Language": "en"})
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
