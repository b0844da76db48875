"""Routes of the invites feature: calendar files and their validators, the organiser's preview → confirm
flow, refusals (draft event, placeholder sender), authorisation, bad input, and the attendance answer."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import Organizer
from app.events.models import EventStatus
from app.extensions import db
from app.invites.models import Invitation
from app.outbox.models import MessageStatus, OutboxMessage
from app.participants.models import Participant, Rsvp
from tests import factories
from tests.calendar_checks import by_uid, checked
from tests.factories_invites import make_room, seat
from tests.jobs_helpers import work_off


def _event(organizer: Organizer, **kwargs):  # type: ignore[no-untyped-def]
    event = factories.make_event(organizer=organizer, title="全国自治体職員ネットワークサミット", **kwargs)
    factories.make_item(event=event, title="事例紹介")
    cafe = factories.make_cafe(event=event)
    return event, cafe


def test_public_feed_route_with_validators(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert len(checked(response.data)["events"]) == 2
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert etag and modified and "Accept-Language" in response.headers["Vary"]
    assert client.get(f"/events/{event.slug}/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
    again = client.get(f"/events/{event.slug}/calendar.ics", headers={"If-Modified-Since": modified})
    assert again.status_code == 304 and again.data == b""
    download = client.get(f"/events/{event.slug}/calendar.ics?download=1")
    assert download.headers["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert b"@example.lg.jp" not in response.data and b"ATTENDEE" not in response.data


def test_public_feed_of_a_draft_is_404(client: FlaskClient, organizer: Organizer) -> None:
    event = factories.make_event(organizer=organizer, status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404
    assert client.get("/events/nope/calendar.ics").status_code == 404


def test_event_page_offers_subscription_for_every_kind_of_calendar(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f"/events/{event.slug}/calendar.ics?download=1" in html
    assert f"webcal://tsunagu.test/events/{event.slug}/calendar.ics" in html
    assert f"calendar.google.com/calendar/render?cid=webcal%3A%2F%2Ftsunagu.test%2Fevents%2F{event.slug}" in html


def test_personal_feed_shows_only_its_holder_and_answers_304(client: FlaskClient, organizer: Organizer) -> None:
    event, cafe = _event(organizer)
    hanako = factories.make_participant(event=event, family_name="山田", given_name="花子")
    taro = factories.make_participant(event=event, family_name="佐藤", given_name="太郎")
    room_a, room_b = make_room(item=cafe, name="テーブルA"), make_room(item=cafe, name="テーブルB")
    for round_ in cafe.rounds:
        seat(hanako, room_a, round_)
        seat(taro, room_b, round_)
    response = client.get(f"/p/{hanako.token}/calendar.ics")
    assert response.status_code == 200 and "method=PUBLISH" in response.headers["Content-Type"]
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    found = by_uid(checked(response.data))
    assert {f"round-{r.id}-p{hanako.id}@tsunagu" for r in cafe.rounds} <= set(found)
    text = response.get_data(as_text=True)
    assert "テーブルA" in text and "テーブルB" not in text and "佐藤" not in text
    etag = response.headers["ETag"]
    assert client.get(f"/p/{hanako.token}/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/p/not-a-token/calendar.ics").status_code == 404


def test_invites_pages_require_login_and_ownership(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    person = factories.make_participant(event=event)
    assert client.get(f"/manage/events/{event.slug}/invites").status_code == 302  # to the login page
    other = factories.make_organizer()
    client.post("/login", data={"email": other.email, "password": factories.PASSWORD})
    base = f"/manage/events/{event.slug}"
    for path in (
        "/invites",
        "/invites/preview?audience=all",
        f"/invites/preview/{person.id}/email.html",
        f"/invites/preview/{person.id}.ics",
        f"/invites/{person.id}.ics",
        "/invites/progress.json",
    ):
        assert client.get(base + path).status_code == 404, path
    assert client.post(base + "/invites/send", data={"audience": "all"}).status_code == 404
    assert client.post(base + "/outbox/1/retry").status_code == 404
    assert db.session.scalar(select(OutboxMessage)) is None


def test_preview_then_confirm_then_see_who_got_what(client: FlaskClient, logged_in: Organizer) -> None:
    event, cafe = _event(logged_in)
    hanako = factories.make_participant(event=event, family_name="山田", given_name="花子")
    taro = factories.make_participant(event=event, family_name="佐藤", given_name="太郎")
    page = client.get(f"/manage/events/{event.slug}/invites").get_data(as_text=True)
    assert "山田 花子" in page and "佐藤 太郎" in page
    preview = client.get(f"/manage/events/{event.slug}/invites/preview?audience=changed")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "2 people will get an invitation email." in html and "Send 2 emails" in html
    assert "What 佐藤 太郎 will get" in html  # one real person, the first in kana order
    assert "Round 1: room to be announced" in html or "第1ラウンド：ルーム未定" in html
    assert db.session.scalar(select(OutboxMessage)) is None  # a preview stores nothing
    other = client.get(f"/manage/events/{event.slug}/invites/preview?audience=changed&person={hanako.id}")
    assert "What 山田 花子 will get" in other.get_data(as_text=True)
    email = client.get(f"/manage/events/{event.slug}/invites/preview/{hanako.id}/email.html")
    assert email.status_code == 200 and "山田 花子" in email.get_data(as_text=True)
    assert "sandbox" in email.headers["Content-Security-Policy"]
    ics = client.get(f"/manage/events/{event.slug}/invites/preview/{hanako.id}.ics")
    assert f"round-{cafe.rounds[0].id}-invite-p{hanako.id}@tsunagu" in by_uid(checked(ics.data))
    assert db.session.scalar(select(Invitation)) is None

    response = client.post(f"/manage/events/{event.slug}/invites/send", data={"audience": "changed", "expected": 2})
    assert response.status_code == 302
    assert db.session.scalar(select(OutboxMessage)) is None  # the request only queued the job
    page = client.get(f"/manage/events/{event.slug}/invites").get_data(as_text=True)
    assert "being prepared in the background" in page and "Waiting for the worker" in page
    assert work_off() == 1
    progress = client.get(f"/manage/events/{event.slug}/invites/progress.json").get_json()
    assert progress["job"]["state"] == "done" and progress["job"]["result"]["invitations"] == 2
    assert progress["emails"] == {"pending": 2, "sending": 0, "sent": 0, "failed": 0}
    assert hanako.email not in str(progress)  # nothing private in it
    assert {m.recipient for m in db.session.scalars(select(OutboxMessage))} == {hanako.email, taro.email}
    page = client.get(f"/manage/events/{event.slug}/invites").get_data(as_text=True)
    assert "2 invitations queued." in page and "up to date" in page
    sent = client.get(f"/manage/events/{event.slug}/invites/{hanako.id}.ics")
    assert sent.status_code == 200 and "method=PUBLISH" in sent.headers["Content-Type"]
    assert (
        f"/p/{hanako.token}"
        in by_uid(checked(sent.data))[f"item-{event.items[0].id}-invite-p{hanako.id}@tsunagu"]["description"]
    )
    # Nothing left: the preview says so and offers no button.
    html = client.get(f"/manage/events/{event.slug}/invites/preview?audience=changed").get_data(as_text=True)
    assert "every invitation is up to date" in html and "Send 0" not in html


def test_a_double_submit_of_changed_sends_once_and_shows_no_error_page(
    client: FlaskClient, logged_in: Organizer
) -> None:
    event, _ = _event(logged_in)
    factories.make_participant(event=event)
    first = client.post(f"/manage/events/{event.slug}/invites/send", data={"audience": "changed"})
    second = client.post(
        f"/manage/events/{event.slug}/invites/send", data={"audience": "changed"}, follow_redirects=True
    )
    assert first.status_code == 302 and second.status_code == 200
    work_off()
    assert db.session.query(OutboxMessage).count() == 1


def test_the_same_confirmation_twice_queues_once(client: FlaskClient, logged_in: Organizer) -> None:
    event, _ = _event(logged_in)
    factories.make_participant(event=event)
    factories.make_participant(event=event)
    html = client.get(f"/manage/events/{event.slug}/invites/preview?audience=all").get_data(as_text=True)
    assert 'name="request_key"' in html
    send = f"/manage/events/{event.slug}/invites/send"
    data = {"audience": "all", "request_key": "same-confirmation-1"}
    first = client.post(send, data=data)
    second = client.post(send, data=data, follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "already queued; nothing was sent twice" in second.get_data(as_text=True)
    assert work_off() == 1
    assert db.session.query(OutboxMessage).count() == 2
    # The same confirmation after its job has run: still nothing more.
    assert "already queued" in client.post(send, data=data, follow_redirects=True).get_data(as_text=True)
    assert work_off() == 0 and db.session.query(OutboxMessage).count() == 2
    # Another confirmation is a deliberate resend to everyone.
    client.post(send, data={"audience": "all", "request_key": "another-confirmation"})
    work_off()
    assert db.session.query(OutboxMessage).count() == 4


def test_a_draft_event_cannot_send(client: FlaskClient, logged_in: Organizer) -> None:
    event, _ = _event(logged_in, status=EventStatus.DRAFT)
    factories.make_participant(event=event)
    html = client.get(f"/manage/events/{event.slug}/invites/preview?audience=all").get_data(as_text=True)
    assert "still a draft" in html and "Send 1 email" not in html
    response = client.post(f"/manage/events/{event.slug}/invites/send", data={"audience": "all"}, follow_redirects=True)
    assert "still a draft" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_a_placeholder_sender_is_named_on_the_page(app: Flask, client: FlaskClient, logged_in: Organizer) -> None:
    event, _ = _event(logged_in)
    factories.make_participant(event=event)
    old = app.config["MAIL_FROM"]
    app.config["MAIL_FROM"] = "tsunagu@localhost"
    try:
        html = client.get(f"/manage/events/{event.slug}/invites").get_data(as_text=True)
        assert "tsunagu@localhost is a placeholder" in html and "MAIL_FROM" in html
        client.post(f"/manage/events/{event.slug}/invites/send", data={"audience": "all"})
    finally:
        app.config["MAIL_FROM"] = old
    assert db.session.scalar(select(OutboxMessage)) is None


def test_bad_send_input(client: FlaskClient, logged_in: Organizer) -> None:
    event, _ = _event(logged_in)
    response = client.get(f"/manage/events/{event.slug}/invites/preview?audience=everyone-ever", follow_redirects=True)
    assert response.status_code == 200 and "Please choose who to send to." in response.get_data(as_text=True)
    stranger = factories.make_participant(event=factories.make_event())
    response = client.post(
        f"/manage/events/{event.slug}/invites/send",
        data={"audience": "one", "participant_id": stranger.id},
        follow_redirects=True,
    )
    assert "not part of the event" in response.get_data(as_text=True)
    assert client.get(f"/manage/events/{event.slug}/invites/preview/{stranger.id}/email.html").status_code == 404
    assert db.session.scalar(select(OutboxMessage)) is None


def test_retry_an_email(client: FlaskClient, logged_in: Organizer) -> None:
    event, _ = _event(logged_in)
    person = factories.make_participant(event=event)
    client.post(f"/manage/events/{event.slug}/invites/send", data={"audience": "all"})
    work_off()
    message = db.session.scalar(select(OutboxMessage))
    message.status, message.attempts = MessageStatus.FAILED, 8
    db.session.commit()
    page = client.get(f"/manage/events/{event.slug}/invites").get_data(as_text=True)
    assert "Retry now" in page and person.family_name in page
    response = client.post(f"/manage/events/{event.slug}/outbox/{message.id}/retry")
    assert response.status_code == 302
    db.session.refresh(message)
    assert message.status == MessageStatus.PENDING and message.max_attempts > message.attempts


def test_personal_page_offers_attendance_and_calendar_subscription(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    person = factories.make_participant(event=event)
    html = client.get(f"/p/{person.token}").get_data(as_text=True)
    assert 'id="attendance"' in html and f'action="/p/{person.token}/attendance"' in html
    assert f"/p/{person.token}/calendar.ics?download=1" in html
    assert f"webcal://tsunagu.test/p/{person.token}/calendar.ics" in html
    assert "calendar.google.com/calendar/render?cid=" in html
    assert f'tsunagu.test/p/{person.token}/calendar.ics"' in html  # the address to paste into Outlook on the web


def test_attendance_answer_shows_on_the_page_and_is_counted(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    person = factories.make_participant(event=event, family_name="山田", given_name="花子")
    factories.make_participant(event=event)
    first = client.get(f"/p/{person.token}")
    assert "Your answer:" not in first.get_data(as_text=True)
    response = client.post(f"/p/{person.token}/attendance", data={"answer": "no"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/p/{person.token}#attendance")
    db.session.expire_all()
    assert db.session.get(Participant, person.id).rsvp == Rsvp.NO
    # The browser revalidates with its old ETag: the page changed, so it gets the new one.
    page = client.get(f"/p/{person.token}", headers={"If-None-Match": first.headers["ETag"]})
    assert page.status_code == 200 and "Your answer: you can't attend." in page.get_data(as_text=True)
    client.post("/login", data={"email": organizer.email, "password": factories.PASSWORD})
    invites = client.get(f"/manage/events/{event.slug}/invites?answer=no").get_data(as_text=True)
    assert "1 of 2 people" in invites and "山田 花子" in invites


def test_attendance_refuses_bad_input_and_cross_site_posts(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    person = factories.make_participant(event=event)
    response = client.post(f"/p/{person.token}/attendance", data={"answer": "perhaps"}, follow_redirects=True)
    assert response.status_code == 200 and "Please choose one of the answers." in response.get_data(as_text=True)
    forged = client.post(
        f"/p/{person.token}/attendance", data={"answer": "no"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert forged.status_code == 403
    assert client.post("/p/not-a-real-token-at-all-xxxxxxxx/attendance", data={"answer": "yes"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Participant, person.id).rsvp is None


def test_a_finished_event_asks_for_no_attendance_answer(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    person = factories.make_participant(event=event)
    event.status = EventStatus.FINISHED
    db.session.commit()
    html = client.get(f"/p/{person.token}").get_data(as_text=True)
    assert 'id="attendance"' not in html and "Will you attend?" not in html
    assert f"/p/{person.token}/calendar.ics" in html  # the calendar stays
    response = client.post(f"/p/{person.token}/attendance", data={"answer": "yes"}, follow_redirects=True)
    assert "The event is over" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participant, person.id).rsvp is None
