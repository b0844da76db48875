"""Public pages and the read-only JSON API: published events only, times in the event's zone."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from freezegun import freeze_time

from app.events.models import EventStatus, ItemKind
from app.extensions import db as _db
from tests.factories import make_cafe, make_event, make_item
from tests.instants import AFTER_SUMMIT, BEFORE_SUMMIT, EVENT_START


def test_drafts_are_invisible_to_the_public(client: FlaskClient, db: object) -> None:
    draft = make_event(title="下書きのサミット", status=EventStatus.DRAFT)
    assert "下書きのサミット" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/events/{draft.slug}").status_code == 404
    assert client.get(f"/api/v1/events/{draft.slug}").status_code == 404
    assert draft.slug not in client.get("/api/v1/events").get_data(as_text=True)


def test_index_lists_upcoming_first_then_past(client: FlaskClient, db: object) -> None:
    make_event(
        title="過去のサミット",
        starts_at=EVENT_START - timedelta(days=400),
        ends_at=EVENT_START - timedelta(days=400) + timedelta(hours=5),
    )
    make_event(title="次のサミット")
    with freeze_time(BEFORE_SUMMIT):
        page = client.get("/").get_data(as_text=True)
    assert page.index("次のサミット") < page.index("過去のサミット")
    with freeze_time(AFTER_SUMMIT + timedelta(days=500)):
        page = client.get("/").get_data(as_text=True)
    assert "No upcoming events yet." in page or "予定されているイベントはまだありません" in page


def test_event_page_shows_programme_in_event_zone(client: FlaskClient, db: object) -> None:
    event = make_event()
    make_item(
        event=event,
        kind=ItemKind.PANEL,
        title="対談「ネットワーク活動の未来」",
        speakers=(("後藤", "好美"), ("高倉", "真紀")),
    )
    make_cafe(event=event)
    page = client.get(f"/events/{event.slug}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "13:00" in page  # 04:00 UTC shown as Tokyo time
    assert "後藤 好美" in page  # family name first in Japanese
    assert "リアルだからこその価値は？" in page
    assert event.meeting_url not in page  # the meeting link goes to registered people only
    assert "参加リンクは登録された参加者にお送りします。" in page
    assert "Asia/Tokyo (UTC+09:00)" in page
    event.meeting_url_public = True
    _db.session.commit()
    page = client.get(f"/events/{event.slug}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert event.meeting_url in page  # the organiser chose to show it


def test_the_meeting_link_stays_off_the_public_api_unless_made_public(client: FlaskClient, db: object) -> None:
    event = make_event()
    make_cafe(event=event)
    assert client.get(f"/api/v1/events/{event.slug}").json["meeting_url"] is None  # type: ignore[index]
    assert event.meeting_url not in client.get(f"/api/v1/events/{event.slug}").get_data(as_text=True)
    assert event.meeting_url not in client.get(f"/events/{event.slug}/calendar.ics").get_data(as_text=True)
    event.meeting_url_public = True
    _db.session.commit()
    assert client.get(f"/api/v1/events/{event.slug}").json["meeting_url"] == event.meeting_url  # type: ignore[index]


def test_latin_names_are_given_name_first_in_english(client: FlaskClient, db: object) -> None:
    event = make_event()
    make_item(event=event, kind=ItemKind.TALK, title="事例紹介", speakers=(("長井", "伸晃"), ("Nagai", "Nobuaki")))
    english = client.get(f"/events/{event.slug}", headers={"Accept-Language": "en-GB,en"}).get_data(as_text=True)
    assert 'lang="en"' in english
    assert "長井 伸晃" in english and "Nobuaki Nagai" in english
    japanese = client.get(f"/events/{event.slug}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "Nagai Nobuaki" in japanese


def test_event_in_another_zone_is_shown_in_that_zone(client: FlaskClient, db: object) -> None:
    event = make_event(timezone="Europe/Berlin")
    make_item(event=event)
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "06:00" in page  # 04:00 UTC in Berlin summer time
    assert "Europe/Berlin (UTC+02:00)" in page


def test_api_lists_published_events_with_offsets(client: FlaskClient, db: object) -> None:
    event = make_event()
    data = client.get("/api/v1/events").get_json()
    [summary] = data["events"]
    assert summary["slug"] == event.slug
    assert summary["starts_at"] == "2026-07-25T13:00:00+09:00"
    assert summary["timezone"] == "Asia/Tokyo"
    assert summary["url"].endswith(f"/events/{event.slug}")


def test_api_event_has_programme_speakers_and_rounds(client: FlaskClient, db: object) -> None:
    event = make_event()
    make_item(event=event, kind=ItemKind.PANEL, title="対談", speakers=(("後藤", "好美"),))
    make_cafe(event=event, rounds=3)
    data = client.get(f"/api/v1/events/{event.slug}").get_json()
    panel, cafe = data["programme"]
    assert panel["speakers"][0] == {
        "role": "moderator",
        "family_name": "後藤",
        "given_name": "好美",
        "organization": "神戸市",
        "department": "",
        "bio": "",
    }
    assert [r["number"] for r in cafe["rounds"]] == [1, 2, 3]
    assert cafe["rounds"][0]["question"] == "最近の活動状況は？"


def test_api_errors_are_json(client: FlaskClient, db: object) -> None:
    response = client.get("/api/v1/events/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_unknown_pages_get_a_friendly_404(client: FlaskClient, db: object) -> None:
    response = client.get("/events/does-not-exist", headers={"Accept-Language": "ja"})
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)
