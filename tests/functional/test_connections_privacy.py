"""Privacy of connections: nothing of it in public pages, exports, webhooks or the public API; organisers see counts."""

from __future__ import annotations

import email
import email.policy
import io
import json

import pypdf
import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.connections import queries
from app.connections.models import ConnectionSettings
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.participants.models import Participant
from app.reports import services as report_services
from app.webhooks.models import WebhookEndpoint
from tests.factories import PASSWORD
from tests.factories_reports import Summit, make_summit
from tests.instants import AFTER_SUMMIT

SHARED_TEXT = "内線-CX-SHARED-5521"
NOTE_TEXT = "非公開メモ-CX-NOTE-8842"


def _met_pair(summit: Summit) -> tuple[Participant, Participant]:
    guests = [p for p in summit.people if p.family_name.startswith("参加者")]
    first = guests[0]
    with freeze_time(AFTER_SUMMIT):
        met = queries.met_ids(first, AFTER_SUMMIT)
    second = next(p for p in guests if p.id in met)
    return first, second


def _exchange(client: FlaskClient, summit: Summit) -> tuple[Participant, Participant]:
    """Everyone shares; one pair shares text, notes each other and wishes to talk again (mutual)."""
    db.session.add(ConnectionSettings(event_id=summit.event.id, talk_again=True, in_report=True))
    db.session.add(
        WebhookEndpoint(
            event_id=summit.event.id,
            url="https://hooks.example.com/tsunagu",
            topics="rounds.published round.started notes.submitted report.published",
            secret="webhook-secret",
        )
    )
    db.session.commit()
    first, second = _met_pair(summit)
    with freeze_time(AFTER_SUMMIT):
        for person in summit.people:
            data = {"audience": "everyone", "share_email": "y", "text": SHARED_TEXT, "version": 0}
            assert client.post(f"/p/{person.token}/people/card", data=data).status_code == 302
        for a, b in ((first, second), (second, first)):
            client.post(f"/p/{a.token}/people/{b.id}/note", data={"text": NOTE_TEXT, "version": "0"})
            client.post(f"/p/{a.token}/people/{b.id}/talk-again", data={"wish": "1"})
        # It all works for the people themselves (so the checks below can fail).
        page = client.get(f"/p/{second.token}/people").get_data(as_text=True)
    assert SHARED_TEXT in page and first.email in page and NOTE_TEXT in page
    return first, second


def _text(response: object) -> str:
    data = response.get_data(as_text=True)  # type: ignore[attr-defined]
    if response.mimetype == "application/json":  # type: ignore[attr-defined]
        return json.dumps(response.get_json(), ensure_ascii=False)  # type: ignore[attr-defined]
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize("show_names", [False, True])
def test_nothing_private_in_public_pages_exports_api_or_webhooks(
    client: FlaskClient, organizer: Organizer, show_names: bool
) -> None:
    summit = make_summit(organizer=organizer, slug="cx-private", with_notes=False)
    first, second = _exchange(client, summit)
    with freeze_time(AFTER_SUMMIT):
        report = report_services.create_report(summit.event, organizer)
        report_services.update_settings(report, overview="", summary="", tags=["つながり"], show_names=show_names)
        report_services.publish(report, organizer)
        slug = summit.event.slug
        public = {
            url: _text(client.get(url))
            for url in (
                "/",
                f"/events/{slug}",
                f"/events/{slug}/calendar.ics",
                "/api/v1/events",
                f"/api/v1/events/{slug}",
                f"/api/v1/events/{slug}/report",
                "/reports",
                f"/reports/{slug}",
                f"/reports/{slug}/report.md",
                f"/reports/{slug}/report.html",
            )
        }
        pdf = client.get(f"/reports/{slug}/report.pdf").data
        found = client.get("/reports", query_string={"q": "CX-SHARED-5521"}).get_data(as_text=True)
        found_note = client.get("/reports", query_string={"q": "CX-NOTE-8842"}).get_data(as_text=True)
    # The archive's search does not find the report by anything shared or noted (it would if it were indexed).
    assert f'href="/reports/{slug}"' not in found and f'href="/reports/{slug}"' not in found_note
    assert f'href="/reports/{slug}"' in public["/reports"]
    public["pdf"] = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for where, text in public.items():
        assert SHARED_TEXT not in text and NOTE_TEXT not in text, where
        assert first.email not in text and second.email not in text, where
    # The report does show the network picture: counts and groups, never people.
    report_page = public[f"/reports/{slug}"]
    assert 'id="network"' in report_page and 'class="chord"' in report_page
    assert "Which prefectures met" in report_page
    if not show_names:
        assert first.family_name not in report_page and "Which organisations met" not in report_page
    else:
        assert "Which organisations met" in report_page  # organisations only when names are shown

    # Organisers' pages and exports carry no shared text and no private note either.
    client.post("/login", data={"email": organizer.email, "password": PASSWORD})
    item = summit.cafe.id
    with freeze_time(AFTER_SUMMIT):
        organiser_pages = {
            url: _text(client.get(url))
            for url in (
                f"/manage/events/{slug}",
                f"/manage/events/{slug}/connections",
                f"/manage/events/{slug}/participants",
                f"/manage/events/{slug}/participants/export.csv",
                f"/manage/events/{slug}/cafe/{item}/rounds/1/roster",
                f"/manage/events/{slug}/cafe/{item}/rounds/1/zoom.csv",
                f"/manage/events/{slug}/cafe/{item}/rounds/2/movers",
                f"/manage/events/{slug}/live",
                f"/manage/events/{slug}/links",
                f"/manage/events/{slug}/report",
                f"/manage/events/{slug}/report/preview",
                f"/manage/events/{slug}/webhooks",
                f"/manage/events/{slug}/invites",
            )
        }
    for where, text in organiser_pages.items():
        assert SHARED_TEXT not in text and NOTE_TEXT not in text, where
    stats = organiser_pages[f"/manage/events/{slug}/connections"]
    assert first.family_name not in stats and second.family_name not in stats  # the network, not the people
    assert 'class="chord"' in stats

    # Webhook deliveries and emails in the outbox: nothing shared, nothing noted.
    messages = db.session.query(OutboxMessage).all()
    assert any(m.kind == "webhook" for m in messages)  # the report's publication went out
    emails = [m for m in messages if m.kind == "email"]
    assert sorted(m.recipient for m in emails) == sorted([first.email, second.email])  # the one mutual match
    for message in messages:
        text = _decoded(message)
        assert "CX-SHARED" not in text and "CX-NOTE" not in text, message.kind
    for message in emails:
        other = second if message.recipient == first.email else first
        text = _decoded(message)
        assert other.family_name in text  # it is the match email, decoded
        assert other.email not in text  # the email never leaks the other's address


def _decoded(message: OutboxMessage) -> str:
    """The payload as a person would read it: MIME parts decoded, JSON with its escapes undone."""
    if message.kind == "webhook":
        return json.dumps(json.loads(message.payload), ensure_ascii=False)
    parsed = email.message_from_string(message.payload, policy=email.policy.default)
    return "\n".join(part.get_content() for part in parsed.walk() if part.get_content_maintype() == "text")
