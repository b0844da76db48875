"""Invitations by email through the outbox, against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.invites import outbox, services
from app.invites.models import CalendarEntry, EntryKind, MessageStatus, OutboxMessage
from app.participants.models import Status
from tests import factories
from tests.factories_invites import make_room, move, seat
from tests.instants import BEFORE_SUMMIT, EVENT_END, EVENT_START
from tests.invites_helpers import events, parse, tzids, utc, vtimezones
from tests.smtp_server import SMTPServer


@pytest.fixture()
def smtp(app: Flask) -> Iterator[SMTPServer]:
    server = SMTPServer().start()
    old = {k: app.config[k] for k in ("SMTP_HOST", "SMTP_PORT", "SMTP_TLS", "SMTP_USER", "MAIL_FROM")}
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TLS="none", SMTP_USER="", MAIL_FROM="summit@city.kobe.lg.jp"
    )
    yield server
    server.stop()
    app.config.update(old)


@pytest.fixture()
def summit(db: object):  # type: ignore[no-untyped-def]
    organizer = factories.make_organizer(name="神戸市 企画課")
    event = factories.make_event(organizer=organizer)
    factories.make_item(event=event, title="事例紹介")
    cafe = factories.make_cafe(event=event)
    host = factories.make_participant(event=event, family_name="後藤", given_name="好美")
    hanako = factories.make_participant(
        event=event, family_name="山田", given_name="花子", email="hanako@city.kobe.lg.jp"
    )
    taro = factories.make_participant(
        event=event, family_name="佐藤", given_name="太郎", email="taro@city.yamagata.lg.jp"
    )
    room_a = make_room(item=cafe, name="テーブルA", host=host, breakout_url="https://zoom.us/j/1?a")
    room_b = make_room(item=cafe, name="テーブルB")
    for round_ in cafe.rounds:
        seat(hanako, room_a, round_)
        seat(taro, room_b, round_)
    return organizer, event, cafe, (host, hanako, taro), (room_a, room_b)


def _calendar_part(received):  # type: ignore[no-untyped-def]
    parts = {p.get_content_type(): p for p in received.message.walk()}
    return parts


def test_invites_are_imip_emails_with_one_uid_and_the_rooms(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, cafe, (host, hanako, taro), _ = summit
    result = services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    assert result.requests == 3
    assert smtp.received == []  # queued, not sent: the worker sends
    sent = outbox.drain(BEFORE_SUMMIT)
    assert sent.sent == 3
    assert sorted(r.recipients[0] for r in smtp.received) == sorted(p.email for p in (host, hanako, taro))
    received = next(r for r in smtp.received if r.recipients == [hanako.email])
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    parts = _calendar_part(received)
    assert set(parts) >= {"text/plain", "text/html", "text/calendar"}
    calendar_part = parts["text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST" and calendar_part.get_content_charset() == "utf-8"
    assert "山田 花子" in parts["text/plain"].get_content()
    assert "テーブルA" in parts["text/html"].get_content()
    body = calendar_part.get_payload(decode=True)
    assert tzids(body) == vtimezones(body) == {"Asia/Tokyo"}
    calendar = parse(body)
    assert calendar.method.value == "REQUEST"
    [vevent] = events(calendar)
    assert vevent.uid.value == f"summit-{event.id}-p{hanako.id}@tsunagu"
    assert vevent.sequence.value == "0"
    assert utc(vevent.dtstart.value) == EVENT_START and utc(vevent.dtend.value) == EVENT_END
    assert vevent.organizer.value == "mailto:summit@city.kobe.lg.jp"
    attendee = vevent.attendee
    assert attendee.value == f"mailto:{hanako.email}" and attendee.params["RSVP"] == ["TRUE"]
    assert attendee.params["CN"] == ["山田 花子"]
    assert vevent.description.value.count("テーブルA") == 3 and "後藤 好美" in vevent.description.value
    assert vevent.location.value == event.meeting_url
    assert message["Message-ID"].strip("<>") == db.session.scalar(
        select(OutboxMessage.message_id).where(OutboxMessage.recipient == hanako.email)
    )


def test_room_change_sends_an_update_with_the_same_uid_and_a_higher_sequence(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, cafe, (host, hanako, taro), (room_a, room_b) = summit
    services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    outbox.drain(BEFORE_SUMMIT)
    move(taro, cafe.rounds[2], room_a)
    rows = {r.person.id: r for r in services.invite_rows(event)}
    assert rows[taro.id].changed and not rows[hanako.id].changed
    result = services.queue_invites(event, organizer, services.Audience.CHANGED, BEFORE_SUMMIT + timedelta(hours=1))
    assert (result.requests, result.unchanged) == (1, 2)
    outbox.drain(BEFORE_SUMMIT + timedelta(hours=1))
    updates = [r for r in smtp.received if r.recipients == [taro.email]]
    assert len(updates) == 2
    first, second = (events(parse(_calendar_part(r)["text/calendar"].get_payload(decode=True)))[0] for r in updates)
    assert first.uid.value == second.uid.value
    assert int(second.sequence.value) == int(first.sequence.value) + 1
    assert "テーブルA" in second.description.value
    assert second.last_modified.value > first.last_modified.value
    # Nothing left to send to anyone.
    with pytest.raises(services.InviteError):
        services.queue_invites(event, organizer, services.Audience.CHANGED, BEFORE_SUMMIT + timedelta(hours=2))


def test_resend_to_all_keeps_the_sequence_when_nothing_changed(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, *_ = summit
    services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    outbox.drain(BEFORE_SUMMIT)
    sequences = {
        events(parse(_calendar_part(r)["text/calendar"].get_payload(decode=True)))[0].sequence.value
        for r in smtp.received
    }
    assert len(smtp.received) == 6 and sequences == {"0"}


def test_withdrawn_person_gets_a_cancel(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, cafe, (host, hanako, taro), _ = summit
    services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    outbox.drain(BEFORE_SUMMIT)
    taro.status = Status.CANCELLED
    db.session.commit()
    result = services.queue_invites(event, organizer, services.Audience.CHANGED, BEFORE_SUMMIT)
    assert (result.requests, result.cancels) == (0, 1)
    outbox.drain(BEFORE_SUMMIT)
    last = [r for r in smtp.received if r.recipients == [taro.email]][-1]
    part = _calendar_part(last)["text/calendar"]
    assert part.get_param("method") == "CANCEL"
    calendar = parse(part.get_payload(decode=True))
    assert calendar.method.value == "CANCEL"
    [vevent] = events(calendar)
    assert vevent.status.value == "CANCELLED" and vevent.sequence.value == "1"
    assert vevent.uid.value == f"summit-{event.id}-p{taro.id}@tsunagu"
    entry = db.session.scalar(
        select(CalendarEntry).where(CalendarEntry.participant_id == taro.id, CalendarEntry.kind == EntryKind.INVITE)
    )
    assert entry.method == "CANCEL"
    # A second run does not cancel again.
    with pytest.raises(services.InviteError):
        services.queue_invites(event, organizer, services.Audience.CHANGED, BEFORE_SUMMIT)


def test_one_person(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, cafe, (host, hanako, taro), _ = summit
    services.queue_invites(event, organizer, services.Audience.ONE, BEFORE_SUMMIT, participant_id=hanako.id)
    outbox.drain(BEFORE_SUMMIT)
    assert [r.recipients for r in smtp.received] == [[hanako.email]]
    other = factories.make_event()
    stranger = factories.make_participant(event=other)
    with pytest.raises(services.InviteError):
        services.queue_invites(event, organizer, services.Audience.ONE, BEFORE_SUMMIT, participant_id=stranger.id)


def test_smtp_outage_loses_nothing_and_sends_nothing_twice(app: Flask, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, *_ = summit
    server = SMTPServer()  # not started: the port refuses connections
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TLS="none", SMTP_USER="")
    services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    down = outbox.drain(BEFORE_SUMMIT)
    assert (down.sent, down.retrying) == (0, 3)
    rows = list(db.session.scalars(select(OutboxMessage)))
    assert all(r.status == MessageStatus.PENDING and r.attempts == 1 for r in rows)
    assert all(r.next_attempt_at > BEFORE_SUMMIT for r in rows)
    assert all("Connection" in r.last_error or "refused" in r.last_error.lower() for r in rows)
    server.start()
    try:
        assert outbox.drain(BEFORE_SUMMIT).total == 0  # not due yet: the backoff is respected
        later = BEFORE_SUMMIT + timedelta(minutes=5)
        back = outbox.drain(later)
        assert back.sent == 3
        assert outbox.drain(later + timedelta(hours=1), force=True).total == 0
        assert len(server.received) == 3
        assert len({r.message["Message-ID"] for r in server.received}) == 3
        db.session.expire_all()
        assert all(
            r.status == MessageStatus.SENT and r.attempts == 2 for r in db.session.scalars(select(OutboxMessage))
        )
    finally:
        server.stop()


def test_permanent_refusal_is_not_retried(app: Flask, smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, *_ = summit

    async def refuse(server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        return "550 No such user"

    smtp.recorder.handle_RCPT = refuse  # type: ignore[attr-defined]
    services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    result = outbox.drain(BEFORE_SUMMIT)
    assert result.failed == 3
    row = db.session.scalars(select(OutboxMessage)).first()
    assert row.status == MessageStatus.FAILED and "550" in row.last_error
    assert outbox.retry(row, BEFORE_SUMMIT) and row.status == MessageStatus.PENDING
