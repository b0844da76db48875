"""'I'd like to talk again': off unless the organiser allows it; mutual wishes email both people once, through the outbox."""

from __future__ import annotations

import email
import email.policy

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from app import outbox
from app.auth.models import Organizer
from app.connections import services
from app.connections.models import ConnectionSettings, TalkAgain, TalkAgainMatch
from app.connections.services import ConnectionsError
from app.extensions import db
from app.outbox.models import MessageStatus, OutboxMessage
from tests.factories_day import Day, make_day
from tests.instants import AFTER_SUMMIT
from tests.smtp_server import SMTPServer


@pytest.fixture()
def day(db: object, organizer: Organizer) -> Day:
    made = make_day(organizer=organizer, people=6)
    db.session.add(ConnectionSettings(event_id=made.event.id, talk_again=True))  # type: ignore[attr-defined]
    db.session.commit()  # type: ignore[attr-defined]
    return made


def wish(client: FlaskClient, day_: Day, a: int, b: int, on: bool = True) -> str:
    me, other = day_.people[a], day_.people[b]
    with freeze_time(AFTER_SUMMIT):
        response = client.post(
            f"/p/{me.token}/people/{other.id}/talk-again", data={"wish": "1" if on else "0"}, follow_redirects=True
        )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def emails() -> list[OutboxMessage]:
    return list(db.session.query(OutboxMessage).filter_by(kind="email").order_by(OutboxMessage.id))


def test_off_by_default_and_no_button_then(client: FlaskClient, organizer: Organizer) -> None:
    day = make_day(organizer=organizer, people=6)
    html = wish(client, day, 0, 2)
    assert "not turned this on" in html
    assert "I&#39;d like to talk again" not in html and "talk-again" not in html.split("</h1>")[1]
    assert db.session.query(TalkAgain).count() == 0


def test_one_sided_wish_tells_nobody(client: FlaskClient, day: Day) -> None:
    wish(client, day, 0, 2)
    assert db.session.query(TalkAgain).count() == 1
    assert emails() == []
    # The other person is not told either: their page shows no sign of it.
    with freeze_time(AFTER_SUMMIT):
        html = client.get(f"/p/{day.people[2].token}/people").get_data(as_text=True)
    assert "You both would like to talk again" not in html


def test_mutual_wish_emails_both_once_and_never_again(client: FlaskClient, day: Day) -> None:
    a, b = day.people[0], day.people[2]
    wish(client, day, 0, 2)
    html = wish(client, day, 2, 0)
    assert "We sent each of you one email." in html
    sent = emails()
    assert sorted(m.recipient for m in sent) == sorted([a.email, b.email])
    assert {m.participant_id for m in sent} == {a.id, b.id}
    # Taking it back and wishing again, from either side, any number of times: no more emails.
    for _ in range(3):
        wish(client, day, 0, 2, on=False)
        wish(client, day, 0, 2)
        wish(client, day, 2, 0, on=False)
        wish(client, day, 2, 0)
    assert len(emails()) == 2
    assert db.session.query(TalkAgainMatch).count() == 1


def test_the_match_email_is_readable_and_links_to_the_persons_own_page(client: FlaskClient, day: Day) -> None:
    a, b = day.people[0], day.people[2]
    wish(client, day, 0, 2)
    wish(client, day, 2, 0)
    to_a = next(m for m in emails() if m.recipient == a.email)
    parsed = email.message_from_string(to_a.payload, policy=email.policy.default)
    assert parsed["To"].addresses[0].addr_spec == a.email
    assert b.family_name in str(parsed["Subject"])
    text = parsed.get_body(("plain",)).get_content()
    assert f"/p/{a.token}/people" in text
    assert b.token not in to_a.payload and b.email not in text
    assert parsed.get_body(("html",)) is not None


def test_the_outbox_delivers_the_two_emails_to_a_real_smtp_server(client: FlaskClient, day: Day, app: Flask) -> None:
    wish(client, day, 0, 2)
    wish(client, day, 2, 0)
    server = SMTPServer().start()
    old = (app.config["SMTP_HOST"], app.config["SMTP_PORT"])
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port)
    try:
        result = outbox.drain(force=True)
    finally:
        server.stop()
        app.config.update(SMTP_HOST=old[0], SMTP_PORT=old[1])
    assert result.sent == 2
    db.session.expire_all()
    assert {m.status for m in emails()} == {MessageStatus.SENT}
    got = sorted(r for received in server.received for r in received.recipients)
    assert got == sorted([day.people[0].email, day.people[2].email])
    assert all("また話したい" in str(r.message["Subject"]) for r in server.received)  # in the person's language


def test_only_for_people_met(day: Day) -> None:
    with freeze_time(AFTER_SUMMIT), pytest.raises(ConnectionsError):
        services.set_talk_again(day.people[0], day.people[1].id, True, AFTER_SUMMIT)


def test_turning_it_off_drops_pending_wishes(client: FlaskClient, day: Day, organizer: Organizer) -> None:
    wish(client, day, 0, 2)
    services.update_settings(day.event, talk_again=False, in_report=True, actor=organizer)
    db.session.commit()
    assert db.session.query(TalkAgain).count() == 0
