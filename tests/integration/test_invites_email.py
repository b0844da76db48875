"""Invitations by email through the outbox, against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app import outbox
from app.events.models import EventStatus
from app.extensions import db
from app.invites import services
from app.invites.models import Invitation
from app.outbox.models import MessageStatus, OutboxMessage
from app.participants.models import Status
from tests import factories
from tests.calendar_checks import by_uid, checked
from tests.factories_invites import make_room, move, seat
from tests.instants import BEFORE_SUMMIT
from tests.invites_helpers import tzids, vtimezones
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


def _parts(received):  # type: ignore[no-untyped-def]
    return {p.get_content_type(): p for p in received.message.walk()}


def _calendar(received):  # type: ignore[no-untyped-def]
    part = _parts(received)["text/calendar"]
    assert part.get_param("method") == "PUBLISH" and part.get_content_charset() == "utf-8"
    return part.get_payload(decode=True)


def _send(event, organizer, audience, now, **kwargs):  # type: ignore[no-untyped-def]
    result = services.queue_invites(event, organizer, audience, now, **kwargs)
    db.session.commit()
    return result


def test_an_invitation_has_the_personal_page_and_an_entry_per_round_and_asks_no_reply(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, cafe, (host, hanako, taro), _ = summit
    result = _send(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    assert result.requests == 3
    assert smtp.received == []  # queued, not sent: the worker sends
    assert outbox.drain(BEFORE_SUMMIT).sent == 3
    assert sorted(r.recipients[0] for r in smtp.received) == sorted(p.email for p in (host, hanako, taro))
    received = next(r for r in smtp.received if r.recipients == [hanako.email])
    assert received.message.get_content_type() == "multipart/alternative"
    parts = _parts(received)
    text, html = parts["text/plain"].get_content(), parts["text/html"].get_content()
    assert "山田 花子" in text and "テーブルA" in html
    assert f"/p/{hanako.token}" in text and f"/p/{hanako.token}#attendance" in html
    assert f"webcal://localhost:5000/p/{hanako.token}/calendar.ics" in text  # subscribe, not import
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Flocalhost%3A5000%2Fp%2F" in html
    body = _calendar(received)
    assert tzids(body) == vtimezones(body) == {"Asia/Tokyo"}
    calendar = checked(body)
    assert calendar["method"] == "PUBLISH"
    found = by_uid(calendar)
    assert len(found) == len(event.items) - 1 + len(cafe.rounds) + 1  # the talk, each round, the café's close
    for round_ in cafe.rounds:
        entry = found[f"round-{round_.id}-invite-p{hanako.id}@tsunagu"]
        assert entry["location"] == "テーブルA（ホスト：後藤 好美）"
        assert entry["url"] == "https://zoom.us/j/1?a" and entry["sequence"] == 0
        assert f"/p/{hanako.token}" in entry["description"]
        assert entry["organizer"] == "mailto:summit@city.kobe.lg.jp" and entry["attendees"] == []
    assert b"RSVP" not in body and b"ATTENDEE" not in body
    message_id = received.message["Message-ID"].strip("<>")
    assert message_id == db.session.scalar(
        select(OutboxMessage.message_id).where(OutboxMessage.recipient == hanako.email)
    )


def test_a_room_change_sends_an_update_that_says_what_changed(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, cafe, (host, hanako, taro), (room_a, room_b) = summit
    _send(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    outbox.drain(BEFORE_SUMMIT)
    move(taro, cafe.rounds[2], room_a)
    rows = {r.person.id: r for r in services.recipients(event)}
    assert rows[taro.id].changed and not rows[hanako.id].changed
    later = BEFORE_SUMMIT + timedelta(hours=1)
    result = _send(event, organizer, services.Audience.CHANGED, later)
    assert (result.requests, result.unchanged) == (1, 2)
    outbox.drain(later)
    first, second = [r for r in smtp.received if r.recipients == [taro.email]]
    assert second.message["Subject"].startswith("Updated invitation") or "更新" in second.message["Subject"]
    text = _parts(second)["text/plain"].get_content()
    assert "第3ラウンド（ワールドカフェ）：あなたのルームはテーブルAになりました（変更前 テーブルB）" in text
    assert "第1ラウンド（ワールドカフェ）：あなたのルーム" not in text  # only what changed
    before, after = by_uid(checked(_calendar(first))), by_uid(checked(_calendar(second)))
    assert set(before) == set(after)
    moved = f"round-{cafe.rounds[2].id}-invite-p{taro.id}@tsunagu"
    kept = f"round-{cafe.rounds[0].id}-invite-p{taro.id}@tsunagu"
    assert after[moved]["sequence"] == before[moved]["sequence"] + 1 and after[moved]["location"].startswith(
        "テーブルA"
    )
    assert after[kept]["sequence"] == before[kept]["sequence"]
    # Nothing left to send to anyone.
    with pytest.raises(services.InviteError):
        _send(event, organizer, services.Audience.CHANGED, later + timedelta(hours=1))


def test_resend_to_all_keeps_the_sequence_when_nothing_changed(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, *_ = summit
    _send(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    _send(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    outbox.drain(BEFORE_SUMMIT)
    sequences = {e["sequence"] for r in smtp.received for e in checked(_calendar(r))["events"]}
    assert len(smtp.received) == 6 and sequences == {0}


def test_withdrawn_person_gets_every_entry_cancelled(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, cafe, (host, hanako, taro), _ = summit
    _send(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    outbox.drain(BEFORE_SUMMIT)
    taro.status = Status.CANCELLED
    db.session.commit()
    result = _send(event, organizer, services.Audience.CHANGED, BEFORE_SUMMIT)
    assert (result.requests, result.cancels) == (0, 1)
    outbox.drain(BEFORE_SUMMIT)
    first, last = [r for r in smtp.received if r.recipients == [taro.email]]
    cancelled = by_uid(checked(_calendar(last)))
    assert set(cancelled) == set(by_uid(checked(_calendar(first))))
    assert all(e["status"] == "CANCELLED" and e["sequence"] == 1 for e in cancelled.values())
    invitation = db.session.scalar(select(Invitation).where(Invitation.participant_id == taro.id))
    assert invitation.cancelled and invitation.sends == 2
    # A second run does not cancel again.
    with pytest.raises(services.InviteError):
        _send(event, organizer, services.Audience.CHANGED, BEFORE_SUMMIT)


def test_one_person(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, cafe, (host, hanako, taro), _ = summit
    _send(event, organizer, services.Audience.ONE, BEFORE_SUMMIT, participant_id=hanako.id)
    outbox.drain(BEFORE_SUMMIT)
    assert [r.recipients for r in smtp.received] == [[hanako.email]]
    stranger = factories.make_participant(event=factories.make_event())
    with pytest.raises(services.InviteError):
        _send(event, organizer, services.Audience.ONE, BEFORE_SUMMIT, participant_id=stranger.id)


@pytest.mark.parametrize("sender", ["", "tsunagu@localhost", "noreply@example.com", "summit@city.test", "no-at-sign"])
def test_placeholder_or_missing_sender_is_refused(app: Flask, summit, sender: str) -> None:  # type: ignore[no-untyped-def]
    organizer, event, *_ = summit
    old = app.config["MAIL_FROM"]
    app.config["MAIL_FROM"] = sender
    try:
        assert any("MAIL_FROM" in p for p in services.problems(event))
        with pytest.raises(services.InviteError, match="MAIL_FROM"):
            services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    finally:
        app.config["MAIL_FROM"] = old
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_a_draft_event_is_refused(summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, *_ = summit
    event.status = EventStatus.DRAFT
    db.session.commit()
    with pytest.raises(services.InviteError, match="draft"):
        services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_smtp_outage_loses_nothing_and_sends_nothing_twice(app: Flask, summit) -> None:  # type: ignore[no-untyped-def]
    organizer, event, *_ = summit
    server = SMTPServer()  # not started: the port refuses connections
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TLS="none", SMTP_USER="")
    services.queue_invites(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    db.session.commit()
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
    db.session.commit()
    result = outbox.drain(BEFORE_SUMMIT)
    assert result.failed == 3
    row = db.session.scalars(select(OutboxMessage)).first()
    assert row.status == MessageStatus.FAILED and "550" in row.last_error
    assert outbox.retry(row, BEFORE_SUMMIT) and row.status == MessageStatus.PENDING


def test_a_title_or_name_with_a_line_break_in_the_data_does_not_break_sending(smtp: SMTPServer, summit) -> None:  # type: ignore[no-untyped-def]
    """Stored before the forms refused line breaks (or arriving another way): every send used to fail."""
    organizer, event, _cafe, (_host, hanako, _taro), _ = summit
    event.title = "全国サミット\r\nBcc: everyone@example.com"
    hanako.family_name = "山田\n"
    db.session.commit()
    _send(event, organizer, services.Audience.ALL, BEFORE_SUMMIT)
    assert outbox.drain(BEFORE_SUMMIT).sent == 3
    received = next(r for r in smtp.received if r.recipients == [hanako.email])
    assert received.message["Subject"].endswith("全国サミット Bcc: everyone@example.com")
    assert received.message["Bcc"] is None and all(r.recipients[0] != "everyone@example.com" for r in smtp.received)
