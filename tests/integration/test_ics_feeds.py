"""Public and personal calendar feeds, parsed back with vobject: UTC times, UIDs, SEQUENCE, Japanese text."""

from __future__ import annotations

from datetime import timedelta

from app.events import services as programme
from app.events.models import ItemKind
from app.invites import services
from app.participants.models import Status
from tests import factories
from tests.factories_invites import make_room, move, seat
from tests.instants import BEFORE_SUMMIT, EVENT_START
from tests.invites_helpers import by_uid, check_raw, events, parse, tzids, utc, vtimezones

LONG_TITLE = (
    "オンライン市役所の事例紹介：全国の自治体職員がつながる、学び合う、支え合う；そして明日からの仕事にどう活かすか" * 2
)


def _summit(db: object):  # type: ignore[no-untyped-def]
    event = factories.make_event(title="全国自治体職員ネットワークサミット, 2026; 夏")
    talk = factories.make_item(event=event, title=LONG_TITLE, speakers=(("脇田", "雅也"),))
    cafe = factories.make_cafe(event=event)
    return event, talk, cafe


def test_public_feed_is_publish_with_one_event_per_item_and_no_attendees(db: object) -> None:
    event, talk, cafe = _summit(db)
    body = services.public_calendar(event, BEFORE_SUMMIT).body
    calendar = parse(body)
    assert calendar.method.value == "PUBLISH"
    found = events(calendar)
    assert len(found) == 2
    assert b"ATTENDEE" not in body and b"ORGANIZER" not in body
    assert tzids(body) == {"Asia/Tokyo"} and vtimezones(body) == {"Asia/Tokyo"}
    entry = by_uid(calendar)[f"item-{talk.id}-public@tsunagu"]
    assert utc(entry.dtstart.value) == EVENT_START
    assert utc(entry.dtend.value) == EVENT_START + timedelta(minutes=40)
    assert entry.summary.value.startswith(LONG_TITLE)  # folded and unfolded intact, commas and semicolons too
    assert "全国自治体職員ネットワークサミット, 2026; 夏" in entry.summary.value
    # The public feed never carries the meeting link (registered people get it in their own calendar)…
    assert "location" not in entry.contents and entry.url.value.endswith(f"/events/{event.slug}")
    assert event.meeting_url not in body.decode()
    # …unless the organiser made it public.
    event.meeting_url_public = True
    public = by_uid(parse(services.public_calendar(event, BEFORE_SUMMIT).body))[f"item-{talk.id}-public@tsunagu"]
    assert public.location.value == event.meeting_url and event.meeting_url in public.description.value
    assert "脇田" in entry.description.value
    assert entry.sequence.value == "0"
    assert utc(entry.dtstamp.value) == BEFORE_SUMMIT and entry.last_modified.value.tzinfo is not None
    cafe_entry = by_uid(calendar)[f"item-{cafe.id}-public@tsunagu"]
    assert "リアルだからこその価値は？" in cafe_entry.description.value


def test_escapes_and_folding_on_raw_bytes(db: object) -> None:
    event, talk, _ = _summit(db)
    body = services.public_calendar(event, BEFORE_SUMMIT).body
    check_raw(body)
    assert b"\\, 2026\\; " in body.replace(b"\r\n ", b"")  # RFC 5545 escapes for , and ;
    assert any(len(line) > 70 for line in body.split(b"\r\n"))  # long Japanese lines were really folded


def test_moved_item_keeps_uid_and_raises_sequence(db: object) -> None:
    event, talk, _ = _summit(db)
    before = by_uid(parse(services.public_calendar(event, BEFORE_SUMMIT).body))[f"item-{talk.id}-public@tsunagu"]
    programme.shift_item(talk, talk.starts_at + timedelta(minutes=10), move_following=True)
    after = by_uid(parse(services.public_calendar(event, BEFORE_SUMMIT).body))[f"item-{talk.id}-public@tsunagu"]
    assert int(after.sequence.value) > int(before.sequence.value)
    assert utc(after.dtstart.value) == EVENT_START + timedelta(minutes=10)
    again = by_uid(parse(services.public_calendar(event, BEFORE_SUMMIT).body))[f"item-{talk.id}-public@tsunagu"]
    assert again.sequence.value == after.sequence.value  # no change, no new sequence


def test_removed_item_is_cancelled_in_the_feed(db: object) -> None:
    event, talk, _ = _summit(db)
    uid = f"item-{talk.id}-public@tsunagu"
    first = by_uid(parse(services.public_calendar(event, BEFORE_SUMMIT).body))[uid]
    programme.delete_item(talk)
    gone = by_uid(parse(services.public_calendar(event, BEFORE_SUMMIT).body))[uid]
    assert gone.status.value == "CANCELLED"
    assert int(gone.sequence.value) == int(first.sequence.value) + 1
    assert utc(gone.dtstart.value) == EVENT_START


def test_personal_feed_says_room_host_and_breakout_and_follows_changes(db: object) -> None:
    event, talk, cafe = _summit(db)
    host = factories.make_participant(event=event, family_name="後藤", given_name="好美")
    person = factories.make_participant(event=event, family_name="山田", given_name="花子")
    room_a = make_room(item=cafe, name="部屋A", host=host, breakout_url="https://zoom.us/j/1?room=a")
    room_b = make_room(item=cafe, name="部屋B", breakout_url="https://zoom.us/j/1?room=b")
    for round_ in cafe.rounds:
        seat(person, room_a, round_)
    uid = f"item-{cafe.id}-p{person.id}@tsunagu"
    body = services.personal_calendar(person, BEFORE_SUMMIT).body
    entry = by_uid(parse(body))[uid]
    text = entry.description.value
    assert text.count("部屋A") == 3 and "後藤 好美" in text and "https://zoom.us/j/1?room=a" in text
    assert entry.location.value == "https://zoom.us/j/1?room=a"
    assert f"item-{talk.id}-p{person.id}@tsunagu" in by_uid(parse(body))
    first_sequence = int(entry.sequence.value)

    move(person, cafe.rounds[1], room_b)
    changed = by_uid(parse(services.personal_calendar(person, BEFORE_SUMMIT).body))[uid]
    assert int(changed.sequence.value) == first_sequence + 1
    assert "部屋B" in changed.description.value
    assert changed.location.value == event.meeting_url  # two different breakout links: the main meeting
    # The host's own calendar places them in their room every round, without any seat.
    hosted = by_uid(parse(services.personal_calendar(host, BEFORE_SUMMIT).body))[f"item-{cafe.id}-p{host.id}@tsunagu"]
    assert hosted.description.value.count("部屋A") == 3


def test_withdrawn_person_gets_every_entry_cancelled(db: object) -> None:
    event, talk, cafe = _summit(db)
    person = factories.make_participant(event=event)
    first = by_uid(parse(services.personal_calendar(person, BEFORE_SUMMIT).body))
    person.status = Status.CANCELLED
    factories.db.session.commit()
    body = services.personal_calendar(person, BEFORE_SUMMIT).body
    cancelled = by_uid(parse(body))
    assert set(cancelled) == set(first)
    for uid, entry in cancelled.items():
        assert entry.status.value == "CANCELLED"
        assert int(entry.sequence.value) == int(first[uid].sequence.value) + 1


def test_other_zone_gets_its_own_vtimezone(db: object) -> None:
    event = factories.make_event(timezone="Europe/Berlin")
    factories.make_item(event=event, kind=ItemKind.TALK)
    body = services.public_calendar(event, BEFORE_SUMMIT).body
    assert tzids(body) == vtimezones(body) == {"Europe/Berlin"}
    entry = events(parse(body))[0]
    assert utc(entry.dtstart.value) == EVENT_START
    assert b"DTSTART;TZID=Europe/Berlin:20260725T060000" in body
