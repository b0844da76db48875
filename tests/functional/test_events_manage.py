"""The organisers' event and programme editor, through the test client."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import Organizer
from app.events.models import Event, EventStatus, ItemKind, ProgrammeItem
from app.extensions import db
from tests.factories import PASSWORD, make_cafe, make_event, make_item, make_organizer

EVENT_FORM = {
    "title": "全国自治体職員ネットワークサミット",
    "slug": "summit-2026",
    "description": "組織の壁を越えて。",
    "timezone": "Asia/Tokyo",
    "starts_at": "2026-07-25T13:00",
    "ends_at": "2026-07-25T18:30",
    "meeting_url": "https://zoom.us/j/81234567890",
}


def _event(slug: str = "summit-2026") -> Event:
    found = db.session.scalar(select(Event).where(Event.slug == slug))
    assert found is not None
    return found


def test_create_event_stores_times_in_utc(client: FlaskClient, logged_in: Organizer) -> None:
    response = client.post("/manage/events/new", data=EVENT_FORM)
    assert response.status_code == 302
    event = _event()
    assert event.starts_at.isoformat() == "2026-07-25T04:00:00+00:00"
    assert event.status == EventStatus.DRAFT
    assert event.is_organized_by(logged_in)


def test_event_form_errors_are_clear_and_nothing_is_saved(client: FlaskClient, logged_in: Organizer) -> None:
    bad = {**EVENT_FORM, "ends_at": "2026-07-25T12:00", "meeting_url": "javascript:alert(1)", "timezone": "Mars/Base"}
    response = client.post("/manage/events/new", data=bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The end must be after the start." in page
    assert "https://" in page  # the link error explains what is expected
    assert db.session.scalar(select(Event)) is None


def test_garbage_dates_give_a_form_error_not_a_500(client: FlaskClient, logged_in: Organizer) -> None:
    response = client.post("/manage/events/new", data={**EVENT_FORM, "starts_at": "yesterday"})
    assert response.status_code == 400


def test_an_empty_address_becomes_a_readable_one(client: FlaskClient, logged_in: Organizer) -> None:
    """A Japanese title gets its date (then -2, -3…); a title with Latin words gets them. No random hex."""
    for _ in range(2):
        assert client.post("/manage/events/new", data={**EVENT_FORM, "slug": ""}).status_code == 302
    latin = {**EVENT_FORM, "slug": "", "title": "Code for Japan Summit ＜自治体編＞"}
    assert client.post("/manage/events/new", data=latin).status_code == 302
    slugs = sorted(db.session.scalars(select(Event.slug)))
    assert slugs == ["2026-07-25", "2026-07-25-2", "code-for-japan-summit-2026"]


def test_slug_must_be_unique(client: FlaskClient, logged_in: Organizer) -> None:
    make_event(slug="summit-2026")
    response = client.post("/manage/events/new", data=EVENT_FORM)
    assert response.status_code == 400
    assert "already used" in response.get_data(as_text=True)


def test_other_organisers_get_404_everywhere(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=make_organizer())
    item = make_item(event=event)
    urls = [
        f"/manage/events/{event.slug}",
        f"/manage/events/{event.slug}/edit",
        f"/manage/events/{event.slug}/delete",
        f"/manage/events/{event.slug}/items/new",
        f"/manage/events/{event.slug}/items/{item.id}",
        f"/manage/events/{event.slug}/items/{item.id}/shift",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/manage/events/{event.slug}/delete").status_code == 404
    assert client.post(f"/manage/events/{event.slug}/status/draft").status_code == 404
    assert db.session.get(Event, event.id) is not None


def test_stale_edit_is_refused_and_shows_the_other_version(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in, slug="summit-2026")
    opened_version = event.version
    event.title = "変更されたタイトル"
    db.session.commit()
    response = client.post(f"/manage/events/{event.slug}/edit", data={**EVENT_FORM, "version": opened_version})
    assert response.status_code == 409
    assert "変更されたタイトル" in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.title == "変更されたタイトル"


def test_items_must_fit_the_window_and_not_overlap(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    make_item(event=event, title="事例紹介")  # 13:00–13:40 JST
    base = {"kind": "talk", "title": "対談", "description": ""}
    outside = client.post(
        f"/manage/events/{event.slug}/items/new",
        data={**base, "starts_at": "2026-07-25T12:00", "ends_at": "2026-07-25T12:30"},
    )
    assert "inside the event's time window" in html.unescape(outside.get_data(as_text=True))
    overlap = client.post(
        f"/manage/events/{event.slug}/items/new",
        data={**base, "starts_at": "2026-07-25T13:30", "ends_at": "2026-07-25T14:00"},
    )
    assert "overlaps with “事例紹介”" in overlap.get_data(as_text=True)
    ok = client.post(
        f"/manage/events/{event.slug}/items/new",
        data={**base, "starts_at": "2026-07-25T13:40", "ends_at": "2026-07-25T14:30"},
    )
    assert ok.status_code == 302
    assert [i.title for i in event.items] == ["事例紹介", "対談"]


def test_cafe_item_gets_rounds_dividing_its_time(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    data = {
        "kind": "cafe",
        "title": "ワールドカフェ",
        "starts_at": "2026-07-25T15:10",
        "ends_at": "2026-07-25T16:25",
        "round_count": "3",
        "round_gap": "3",
        "room_size_min": "4",
        "room_size_max": "6",
    }
    assert client.post(f"/manage/events/{event.slug}/items/new", data=data).status_code == 302
    cafe = db.session.scalar(select(ProgrammeItem).where(ProgrammeItem.kind == ItemKind.CAFE))
    assert cafe is not None and [r.number for r in cafe.rounds] == [1, 2, 3]
    assert cafe.rounds[-1].ends_at <= cafe.ends_at


def test_room_size_range_is_checked(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    data = {
        "kind": "cafe",
        "title": "ワールドカフェ",
        "starts_at": "2026-07-25T15:10",
        "ends_at": "2026-07-25T16:25",
        "round_count": "3",
        "room_size_min": "6",
        "room_size_max": "4",
    }
    response = client.post(f"/manage/events/{event.slug}/items/new", data=data)
    assert response.status_code == 400
    assert "cannot be smaller" in response.get_data(as_text=True)


def test_round_question_and_time_are_edited_within_the_cafe(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    cafe = make_cafe(event=event)
    url = f"/manage/events/{event.slug}/items/{cafe.id}/rounds/2"
    outside = client.post(url, data={"question": "q", "starts_at": "2026-07-25T17:00", "ends_at": "2026-07-25T17:20"})
    assert "inside the café" in outside.get_data(as_text=True)
    start = cafe.rounds[1].starts_at
    ok = client.post(
        url,
        data={"question": "リアルだからこその価値は？", "starts_at": "2026-07-25T13:25", "ends_at": "2026-07-25T13:45"},
    )
    assert ok.status_code == 302
    assert cafe.rounds[1].question == "リアルだからこその価値は？"
    assert cafe.rounds[1].starts_at == start


def test_shift_moves_the_following_items_when_asked(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    talk = make_item(event=event, title="事例紹介")
    panel = make_item(event=event, kind=ItemKind.PANEL, title="対談", minutes=60)
    panel_start, talk_sequence = panel.starts_at, talk.sequence
    response = client.post(
        f"/manage/events/{event.slug}/items/{talk.id}/shift",
        data={"starts_at": "2026-07-25T13:10", "move_following": "y"},
    )
    assert response.status_code == 302
    assert (panel.starts_at - panel_start).total_seconds() == 600
    assert talk.sequence == talk_sequence + 1


def test_reorder_swaps_neighbours(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    talk = make_item(event=event, title="事例紹介", minutes=40)
    panel = make_item(event=event, title="対談", minutes=60)
    client.post(f"/manage/events/{event.slug}/items/{panel.id}/move/up")
    assert [i.title for i in sorted(event.items, key=lambda i: i.starts_at)] == ["対談", "事例紹介"]
    assert panel.starts_at == event.starts_at and talk.starts_at == panel.ends_at


def test_panel_speakers_with_one_moderator(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    panel = make_item(event=event, kind=ItemKind.PANEL, title="対談")
    url = f"/manage/events/{event.slug}/items/{panel.id}/speakers"
    speaker = {
        "role": "moderator",
        "family_name": "後藤",
        "given_name": "好美",
        "organization": "山形市",
        "department": "",
        "bio": "",
    }
    assert client.post(url, data=speaker).status_code == 302
    second = client.post(url, data={**speaker, "family_name": "高倉"}, follow_redirects=True)
    assert "already has a moderator" in second.get_data(as_text=True)
    assert [s.family_name for s in panel.speakers] == ["後藤"]
    missing = client.post(url, data={**speaker, "role": "speaker", "family_name": ""})
    assert missing.status_code == 400


def test_publish_needs_a_programme_then_status_moves_on(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in, status=EventStatus.DRAFT)
    page = client.post(f"/manage/events/{event.slug}/status/published", follow_redirects=True).get_data(as_text=True)
    assert "Add at least one programme item" in page
    make_item(event=event)
    client.post(f"/manage/events/{event.slug}/status/published")
    assert event.status == EventStatus.PUBLISHED
    client.post(f"/manage/events/{event.slug}/status/finished")
    assert event.status == EventStatus.FINISHED
    client.post(f"/manage/events/{event.slug}/status/bogus")
    assert event.status == EventStatus.FINISHED


def test_delete_needs_confirmation(client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    make_cafe(event=event)
    assert "Yes, delete the event" in client.get(f"/manage/events/{event.slug}/delete").get_data(as_text=True)
    assert client.post(f"/manage/events/{event.slug}/delete").status_code == 302
    assert db.session.scalar(select(Event)) is None
    assert db.session.scalar(select(ProgrammeItem)) is None


def test_co_organiser_joins_at_sign_in_and_can_then_edit(app: Flask, client: FlaskClient, logged_in: Organizer) -> None:
    event = make_event(organizer=logged_in)
    colleague = make_organizer(email="colleague@city.iwade.lg.jp")
    page = client.post(
        f"/manage/events/{event.slug}/organizers", data={"email": "Colleague@city.iwade.lg.jp"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "colleague@city.iwade.lg.jp was added" in page and "joins when they sign in" in page
    other = app.test_client()
    assert other.post("/login", data={"email": colleague.email, "password": PASSWORD}).status_code == 302
    db.session.refresh(event)
    assert event.is_organized_by(colleague) and event.organizer_invites == []
    assert other.get(f"/manage/events/{event.slug}").status_code == 200
    again = client.post(
        f"/manage/events/{event.slug}/organizers", data={"email": colleague.email}, follow_redirects=True
    )
    assert "already on the event" in again.get_data(as_text=True)


def test_adding_a_co_organiser_does_not_tell_whether_an_account_exists(
    client: FlaskClient, logged_in: Organizer
) -> None:
    event = make_event(organizer=logged_in)
    make_organizer(email="exists@city.iwade.lg.jp")
    pages = []
    for email in ("exists@city.iwade.lg.jp", "nobody@city.iwade.lg.jp"):
        response = client.post(f"/manage/events/{event.slug}/organizers", data={"email": email}, follow_redirects=True)
        pages.append(response.get_data(as_text=True).replace(email, "EMAIL"))
    message = "EMAIL was added. They can open this event once they sign in with an organiser account of this email"
    assert all(message in page and "No organiser account" not in page for page in pages)
    manage = client.get(f"/manage/events/{event.slug}").get_data(as_text=True)
    assert manage.count("(added; joins when they sign in)") == 2
    assert not event.is_organized_by(
        db.session.scalar(select(Organizer).where(Organizer.email == "exists@city.iwade.lg.jp"))
    )
