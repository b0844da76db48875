"""Public and personal calendar feeds, read back by ical.js (Thunderbird), vobject and strict RFC checks:
one entry per café round with the holder's room, UTC and Asia/Tokyo alike, stable UIDs, SEQUENCE."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.events import programme_changes
from app.events.models import ItemKind
from app.invites import feeds
from app.participants.models import Status
from tests import factories
from tests.calendar_checks import by_uid, checked, icaljs, rfc_problems
from tests.factories_invites import make_room, move, seat
from tests.instants import BEFORE_SUMMIT, EVENT_START
from tests.invites_helpers import check_raw

LONG_TITLE = (
    "オンライン市役所の事例紹介：全国の自治体職員がつながる、学び合う、支え合う；そして明日からの仕事にどう活かすか" * 2
)


def _summit(timezone: str = "Asia/Tokyo"):  # type: ignore[no-untyped-def]
    event = factories.make_event(title="全国自治体職員ネットワークサミット, 2026; 夏", timezone=timezone)
    talk = factories.make_item(event=event, title=LONG_TITLE, speakers=(("脇田", "雅也"),))
    cafe = factories.make_cafe(event=event)
    return event, talk, cafe


def _iso(value) -> str:  # type: ignore[no-untyped-def]
    return value.isoformat().replace("+00:00", ".000Z")


def test_public_feed_is_publish_with_one_event_per_item_an_organizer_and_no_people(db: object) -> None:
    event, talk, cafe = _summit()
    body = feeds.public_calendar(event, BEFORE_SUMMIT).body
    result = checked(body)
    assert result["method"] == "PUBLISH" and result["timezones"] == ["Asia/Tokyo"]
    assert b"ATTENDEE" not in body
    found = by_uid(result)
    assert set(found) == {f"item-{talk.id}-public@tsunagu", f"item-{cafe.id}-public@tsunagu"}
    entry = found[f"item-{talk.id}-public@tsunagu"]
    assert entry["start"] == {"utc": _iso(EVENT_START), "tzid": "Asia/Tokyo", "floating": False}
    assert entry["end"]["utc"] == _iso(EVENT_START + timedelta(minutes=40))
    assert entry["summary"].startswith(LONG_TITLE)  # folded and unfolded intact, commas and semicolons too
    assert "全国自治体職員ネットワークサミット, 2026; 夏" in entry["summary"]
    assert entry["organizer"] == "mailto:summit@city.kobe.lg.jp"
    # The meeting link is for registered people: not in a public file.
    assert event.meeting_url.encode() not in body
    assert "参加リンクは登録された参加者にお送りします" in entry["description"] and "脇田" in entry["description"]
    assert entry["sequence"] == 0
    cafe_entry = found[f"item-{cafe.id}-public@tsunagu"]
    assert "リアルだからこその価値は？" in cafe_entry["description"]


def test_escapes_folding_and_refresh_hints_on_raw_bytes(db: object) -> None:
    event, talk, _ = _summit()
    body = feeds.public_calendar(event, BEFORE_SUMMIT).body
    check_raw(body)
    assert b"\\, 2026\\; " in body.replace(b"\r\n ", b"")  # RFC 5545 escapes for , and ;
    assert any(len(line) > 70 for line in body.split(b"\r\n"))  # long Japanese lines were really folded
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body and b"X-PUBLISHED-TTL:PT1H\r\n" in body
    on_the_day = feeds.public_calendar(event, EVENT_START - timedelta(hours=3)).body
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n" in on_the_day
    result = icaljs(body)[0]
    assert (result["refresh"], result["refreshValueType"], result["ttl"]) == ("PT1H", "duration", "PT1H")


def test_same_content_gives_the_same_bytes_so_validators_hold(db: object) -> None:
    event, talk, _ = _summit()
    first = feeds.public_calendar(event, BEFORE_SUMMIT)
    again = feeds.public_calendar(event, BEFORE_SUMMIT + timedelta(minutes=5))
    assert first.body == again.body and first.etag == again.etag
    assert first.last_modified == BEFORE_SUMMIT
    programme_changes.shift_item(talk, talk.starts_at + timedelta(minutes=10), move_following=True)
    moved = feeds.public_calendar(event, BEFORE_SUMMIT + timedelta(minutes=10))
    assert moved.etag != first.etag and moved.last_modified == BEFORE_SUMMIT + timedelta(minutes=10)


def test_moved_item_keeps_uid_and_raises_sequence(db: object) -> None:
    event, talk, _ = _summit()
    uid = f"item-{talk.id}-public@tsunagu"
    before = by_uid(checked(feeds.public_calendar(event, BEFORE_SUMMIT).body))[uid]
    programme_changes.shift_item(talk, talk.starts_at + timedelta(minutes=10), move_following=True)
    after = by_uid(checked(feeds.public_calendar(event, BEFORE_SUMMIT).body))[uid]
    assert after["sequence"] > before["sequence"]
    assert after["start"]["utc"] == _iso(EVENT_START + timedelta(minutes=10))
    again = by_uid(checked(feeds.public_calendar(event, BEFORE_SUMMIT).body))[uid]
    assert again["sequence"] == after["sequence"]  # no change, no new sequence


def test_removed_item_is_cancelled_in_the_feed(db: object) -> None:
    event, talk, _ = _summit()
    uid = f"item-{talk.id}-public@tsunagu"
    first = by_uid(checked(feeds.public_calendar(event, BEFORE_SUMMIT).body))[uid]
    programme_changes.delete_item(talk)
    gone = by_uid(checked(feeds.public_calendar(event, BEFORE_SUMMIT).body))[uid]
    assert gone["status"] == "CANCELLED"
    assert gone["sequence"] == first["sequence"] + 1
    assert gone["start"]["utc"] == _iso(EVENT_START)


@pytest.mark.parametrize("timezone", ["Asia/Tokyo", "UTC"])
def test_personal_feed_has_an_entry_per_round_with_room_host_and_link(db: object, timezone: str) -> None:
    event, talk, cafe = _summit(timezone)
    host = factories.make_participant(event=event, family_name="後藤", given_name="好美")
    person = factories.make_participant(event=event, family_name="山田", given_name="花子")
    room_a = make_room(item=cafe, name="部屋A", host=host, breakout_url="https://zoom.us/j/1?room=a")
    room_b = make_room(item=cafe, name="部屋B")
    for round_ in cafe.rounds:
        seat(person, room_a, round_)
    body = feeds.personal_calendar(person, BEFORE_SUMMIT).body
    result = checked(body)
    assert result["timezones"] == ([] if timezone == "UTC" else ["Asia/Tokyo"])
    found = by_uid(result)
    rounds = [found[f"round-{r.id}-p{person.id}@tsunagu"] for r in cafe.rounds]
    for number, (entry, round_) in enumerate(zip(rounds, cafe.rounds, strict=True), start=1):
        assert entry["summary"] == f"第{number}ラウンド：部屋A · ワールドカフェ（{event.title}）"
        assert entry["location"] == "部屋A（ホスト：後藤 好美）"
        assert entry["url"] == "https://zoom.us/j/1?room=a"
        assert entry["conference"] == [
            {"value": "https://zoom.us/j/1?room=a", "label": "部屋A", "feature": "VIDEO"},
            {"value": event.meeting_url, "label": "メインミーティング", "feature": "VIDEO"},
        ]
        assert entry["start"]["utc"] == _iso(round_.starts_at) and entry["end"]["utc"] == _iso(round_.ends_at)
        assert entry["start"]["tzid"] == (None if timezone == "UTC" else "Asia/Tokyo")
        assert not entry["start"]["floating"]
        assert f"/p/{person.token}" in entry["description"]
    talk_entry = found[f"item-{talk.id}-p{person.id}@tsunagu"]
    assert talk_entry["location"] == event.meeting_url and talk_entry["url"] == event.meeting_url
    assert f"/p/{person.token}" in talk_entry["description"]
    # The café's rounds leave five minutes at the end: back together, its own entry.
    assert found[f"item-{cafe.id}-close-p{person.id}@tsunagu"]["summary"].startswith("ワールドカフェ（全体）")
    first_sequence = rounds[1]["sequence"]

    move(person, cafe.rounds[1], room_b)
    changed = by_uid(checked(feeds.personal_calendar(person, BEFORE_SUMMIT).body))
    second = changed[f"round-{cafe.rounds[1].id}-p{person.id}@tsunagu"]
    assert second["sequence"] == first_sequence + 1 and second["location"] == "部屋B"
    assert second["url"] == event.meeting_url  # room B has no link of its own: the main meeting
    untouched = changed[f"round-{cafe.rounds[0].id}-p{person.id}@tsunagu"]
    assert untouched["sequence"] == rounds[0]["sequence"]


def test_a_facilitator_hosts_their_room_in_every_round(db: object) -> None:
    event, talk, cafe = _summit()
    host = factories.make_participant(event=event, family_name="後藤", given_name="好美")
    make_room(item=cafe, name="部屋A", host=host, breakout_url="https://zoom.us/j/1?room=a")
    found = by_uid(checked(feeds.personal_calendar(host, BEFORE_SUMMIT).body))
    for round_ in cafe.rounds:
        entry = found[f"round-{round_.id}-p{host.id}@tsunagu"]
        assert entry["summary"].startswith(f"第{round_.number}ラウンド：部屋Aでホスト")
        assert entry["location"] == "部屋A（あなたがこのルームのホストです）"
        assert "ホスト：" not in entry["description"]


def test_not_yet_seated_says_so(db: object) -> None:
    event, talk, cafe = _summit()
    person = factories.make_participant(event=event)
    found = by_uid(checked(feeds.personal_calendar(person, BEFORE_SUMMIT).body))
    entry = found[f"round-{cafe.rounds[0].id}-p{person.id}@tsunagu"]
    assert "ルーム未定" in entry["summary"] and entry["location"] == "ルームは後日お知らせします"


def test_public_feed_speaks_the_readers_language(db: object) -> None:
    event, talk, cafe = _summit()
    english = by_uid(checked(feeds.public_calendar(event, BEFORE_SUMMIT, "en").body))
    assert "Round 1, " in english[f"item-{cafe.id}-public@tsunagu"]["description"]
    japanese = by_uid(checked(feeds.public_calendar(event, BEFORE_SUMMIT, "ja").body))
    assert "第1ラウンド" in japanese[f"item-{cafe.id}-public@tsunagu"]["description"]
    # The language is wording only: the entries' SEQUENCE does not move between readers.
    assert {u: e["sequence"] for u, e in english.items()} == {u: e["sequence"] for u, e in japanese.items()}


def test_withdrawn_person_gets_every_entry_cancelled(db: object) -> None:
    event, talk, cafe = _summit()
    person = factories.make_participant(event=event)
    first = by_uid(checked(feeds.personal_calendar(person, BEFORE_SUMMIT).body))
    person.status = Status.CANCELLED
    factories.db.session.commit()
    cancelled = by_uid(checked(feeds.personal_calendar(person, BEFORE_SUMMIT).body))
    assert set(cancelled) == set(first)
    for uid, entry in cancelled.items():
        assert entry["status"] == "CANCELLED"
        assert entry["sequence"] == first[uid]["sequence"] + 1


def test_other_zone_gets_its_own_vtimezone(db: object) -> None:
    event = factories.make_event(timezone="Europe/Berlin")
    factories.make_item(event=event, kind=ItemKind.TALK)
    body = feeds.public_calendar(event, BEFORE_SUMMIT).body
    result = checked(body)
    assert result["timezones"] == ["Europe/Berlin"]
    assert result["events"][0]["start"]["utc"] == _iso(EVENT_START)
    assert b"DTSTART;TZID=Europe/Berlin:20260725T060000" in body


def test_the_strict_checks_catch_what_they_claim(db: object) -> None:
    """The RFC checker itself: a PUBLISH without ORGANIZER, an ATTENDEE, a TZID without VTIMEZONE."""
    event, talk, _ = _summit()
    body = feeds.public_calendar(event, BEFORE_SUMMIT).body
    assert rfc_problems(body) == []
    no_organizer = b"\r\n".join(line for line in body.split(b"\r\n") if not line.startswith(b"ORGANIZER"))
    assert any("ORGANIZER" in p for p in rfc_problems(no_organizer))
    with_attendee = body.replace(b"TRANSP:OPAQUE\r\n", b"TRANSP:OPAQUE\r\nATTENDEE:mailto:a@b.jp\r\n", 1)
    assert any("ATTENDEE" in p for p in rfc_problems(with_attendee))
    start, end = body.index(b"BEGIN:VTIMEZONE"), body.index(b"END:VTIMEZONE\r\n") + len(b"END:VTIMEZONE\r\n")
    assert any("without VTIMEZONE" in p for p in rfc_problems(body[:start] + body[end:]))
    with pytest.raises(AssertionError, match="VTIMEZONE"):
        icaljs(body[:start] + body[end:])


def test_public_feed_shows_the_meeting_link_only_when_the_organiser_made_it_public(db: object) -> None:
    event, talk, _ = _summit()
    assert event.meeting_url.encode() not in feeds.public_calendar(event, BEFORE_SUMMIT).body
    event.meeting_url_public = True
    factories.db.session.commit()
    entry = by_uid(checked(feeds.public_calendar(event, BEFORE_SUMMIT).body))[f"item-{talk.id}-public@tsunagu"]
    assert entry["url"] == event.meeting_url and entry["location"] == event.meeting_url
    assert entry["conference"][0]["value"] == event.meeting_url
