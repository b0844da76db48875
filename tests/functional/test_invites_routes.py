"""Routes of the invites feature: calendar files, the organiser page, authorisation and bad input."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import Organizer
from app.events.models import EventStatus
from app.extensions import db
from app.invites.models import CalendarEntry, MessageStatus, OutboxMessage
from tests import factories
from tests.factories_invites import make_room, seat
from tests.invites_helpers import by_uid, events, parse


def _event(organizer: Organizer):  # type: ignore[no-untyped-def]
    event = factories.make_event(organizer=organizer, title="全国自治体職員ネットワークサミット")
    factories.make_item(event=event, title="事例紹介")
    cafe = factories.make_cafe(event=event)
    return event, cafe


def test_public_feed_route(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert len(events(parse(response.data))) == 2
    download = client.get(f"/events/{event.slug}/calendar.ics?download=1")
    assert download.headers["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert b"@example.lg.jp" not in response.data and b"ATTENDEE" not in response.data


def test_public_feed_of_a_draft_is_404(client: FlaskClient, organizer: Organizer) -> None:
    event = factories.make_event(organizer=organizer, status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404
    assert client.get("/events/nope/calendar.ics").status_code == 404


def test_event_page_offers_download_and_subscription(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f"/events/{event.slug}/calendar.ics?download=1" in html
    assert f"webcal://tsunagu.test/events/{event.slug}/calendar.ics" in html


def test_personal_feed_shows_only_its_holder(client: FlaskClient, organizer: Organizer) -> None:
    event, cafe = _event(organizer)
    hanako = factories.make_participant(event=event, family_name="山田", given_name="花子")
    taro = factories.make_participant(event=event, family_name="佐藤", given_name="太郎")
    room_a, room_b = make_room(item=cafe, name="テーブルA"), make_room(item=cafe, name="テーブルB")
    for round_ in cafe.rounds:
        seat(hanako, room_a, round_)
        seat(taro, room_b, round_)
    response = client.get(f"/p/{hanako.token}/calendar.ics")
    assert response.status_code == 200 and "method=PUBLISH" in response.headers["Content-Type"]
    calendar = by_uid(parse(response.data))
    assert set(calendar) == {f"item-{i.id}-p{hanako.id}@tsunagu" for i in event.items}
    text = response.get_data(as_text=True)
    assert "テーブルA" in text and "テーブルB" not in text and "佐藤" not in text
    assert client.get("/p/not-a-token/calendar.ics").status_code == 404


def test_invites_page_requires_login_and_ownership(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    assert client.get(f"/manage/events/{event.slug}/invites").status_code == 302  # to the login page
    other = factories.make_organizer()
    client.post("/login", data={"email": other.email, "password": factories.PASSWORD})
    assert client.get(f"/manage/events/{event.slug}/invites").status_code == 404
    assert client.post(f"/manage/events/{event.slug}/invites", data={"audience": "all"}).status_code == 404
    assert client.get(f"/manage/events/{event.slug}/invites/1.ics").status_code == 404
    assert client.post(f"/manage/events/{event.slug}/outbox/1/retry").status_code == 404
    assert db.session.scalar(select(OutboxMessage)) is None


def test_send_invites_and_see_who_got_what(client: FlaskClient, logged_in: Organizer) -> None:
    event, cafe = _event(logged_in)
    hanako = factories.make_participant(event=event, family_name="山田", given_name="花子")
    taro = factories.make_participant(event=event, family_name="佐藤", given_name="太郎")
    page = client.get(f"/manage/events/{event.slug}/invites").get_data(as_text=True)
    assert "山田 花子" in page and "佐藤 太郎" in page
    response = client.post(
        f"/manage/events/{event.slug}/invites", data={"audience": "one", "participant_id": hanako.id}
    )
    assert response.status_code == 302
    [message] = db.session.scalars(select(OutboxMessage))
    assert message.recipient == hanako.email and message.status == MessageStatus.PENDING
    page = client.get(f"/manage/events/{event.slug}/invites").get_data(as_text=True)
    assert "1 invitation queued." in page
    sent = client.get(f"/manage/events/{event.slug}/invites/{hanako.id}.ics")
    assert sent.status_code == 200 and "method=REQUEST" in sent.headers["Content-Type"]
    assert events(parse(sent.data))[0].attendee.value == f"mailto:{hanako.email}"
    assert client.get(f"/manage/events/{event.slug}/invites/{taro.id}.ics").status_code == 404
    # "Changed" sends to the one never invited.
    client.post(f"/manage/events/{event.slug}/invites", data={"audience": "changed"})
    assert {m.recipient for m in db.session.scalars(select(OutboxMessage))} == {hanako.email, taro.email}
    # Nothing left: a clear message, nothing queued.
    response = client.post(f"/manage/events/{event.slug}/invites", data={"audience": "changed"}, follow_redirects=True)
    assert "nobody to send to" in response.get_data(as_text=True)
    assert db.session.query(CalendarEntry).filter_by(kind="invite").count() == 2


def test_bad_send_input(client: FlaskClient, logged_in: Organizer) -> None:
    event, _ = _event(logged_in)
    response = client.post(f"/manage/events/{event.slug}/invites", data={"audience": "everyone-ever"})
    assert response.status_code == 200 and "Please choose who to send to." in response.get_data(as_text=True)
    stranger = factories.make_participant(event=factories.make_event())
    response = client.post(
        f"/manage/events/{event.slug}/invites", data={"audience": "one", "participant_id": stranger.id}
    )
    assert "not part of the event" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_retry_an_email(client: FlaskClient, logged_in: Organizer) -> None:
    event, _ = _event(logged_in)
    person = factories.make_participant(event=event)
    client.post(f"/manage/events/{event.slug}/invites", data={"audience": "all"})
    message = db.session.scalar(select(OutboxMessage))
    message.status, message.attempts = MessageStatus.FAILED, 8
    db.session.commit()
    page = client.get(f"/manage/events/{event.slug}/invites").get_data(as_text=True)
    assert "Retry now" in page and person.family_name in page
    response = client.post(f"/manage/events/{event.slug}/outbox/{message.id}/retry")
    assert response.status_code == 302
    db.session.refresh(message)
    assert message.status == MessageStatus.PENDING and message.max_attempts > message.attempts


def test_personal_page_links_to_the_personal_calendar(client: FlaskClient, organizer: Organizer) -> None:
    event, _ = _event(organizer)
    person = factories.make_participant(event=event)
    html = client.get(f"/p/{person.token}").get_data(as_text=True)
    assert f"/p/{person.token}/calendar.ics?download=1" in html
    assert f"webcal://tsunagu.test/p/{person.token}/calendar.ics" in html
