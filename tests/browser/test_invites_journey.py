"""Journey: an organiser sends invitations and sees the log; registers a webhook; a visitor downloads the .ics."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from app import outbox
from app.auth.models import Organizer
from app.domain import delivery
from tests import factories
from tests.browser.conftest import DOWNLOAD_TIMEOUT_MS, screenshot
from tests.factories import PASSWORD
from tests.factories_invites import make_room, seat
from tests.http_receiver import start_receiver
from tests.instants import EVENT_START
from tests.invites_helpers import events, parse, utc
from tests.jobs_helpers import work_off
from tests.smtp_server import SMTPServer

pytestmark = pytest.mark.browser


def test_organiser_sends_invites_and_visitor_downloads_the_calendar(
    page: Page, live_server: str, organizer: Organizer, app: Flask
) -> None:
    event = factories.make_event(organizer=organizer, title="全国自治体職員ネットワークサミット2026")
    factories.make_item(
        event=event, title="オンライン活用先進事例紹介「オンライン市役所」", speakers=(("脇田", "雅也"),)
    )
    cafe = factories.make_cafe(event=event)
    host = factories.make_participant(event=event, family_name="後藤", given_name="好美")
    people = [
        factories.make_participant(event=event, family_name=n, given_name="花子") for n in ("山田", "佐藤", "鈴木")
    ]
    room = make_room(item=cafe, name="テーブルA", host=host, breakout_url="https://zoom.us/j/1?a")
    for person in people:
        for round_ in cafe.rounds:
            seat(person, room, round_)
    smtp = SMTPServer().start()
    receiver, http_server, thread = start_receiver()
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_TLS="none", SMTP_USER="", WEBHOOK_ALLOW_PRIVATE=True
    )
    try:
        base = live_server
        page.goto(f"{base}/login")
        page.fill("#email", organizer.email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        expect(page).to_have_url(f"{base}/manage/")

        # Invites: send to everyone, then the worker sends, then the log says who got what.
        page.goto(f"{base}/manage/events/{event.slug}")
        page.locator(f"nav.tabs a[href='/manage/events/{event.slug}/invites']").click()
        expect(page.locator(".invites-table tbody tr")).to_have_count(4)
        page.check("input[name=audience][value=all]")
        page.click(".send-form button[type=submit]")
        # The preview: how many, and exactly what one real person gets, before anything is queued.
        expect(page.locator(".confirm-box")).to_contain_text("4人に招待メールが届きます")
        expect(page.locator(".entry-table tbody tr")).to_have_count(5)  # the talk, three rounds, the café's close
        expect(page.locator(".entry-table")).to_contain_text("第1ラウンド：")
        frame = page.frame_locator("iframe.email-frame")
        expect(frame.locator("body")).to_contain_text("個人ページを開く")
        assert outbox.drain().total == 0
        screenshot(page, "invites-preview")
        page.click(".confirm-box button[type=submit]")
        expect(page.locator(".flash-success")).to_be_visible()
        # The request only queued a job: the page shows it waiting, then (the worker ran it) reloads by itself.
        expect(page.locator("#sending .job-state")).to_have_text("ワーカーの開始待ち")
        screenshot(page, "invites-job-waiting")
        assert work_off() == 1
        expect(page.locator("#sending .job-state")).to_have_text("完了")
        expect(page.locator(".invites-table .msg-pending")).to_have_count(4)
        screenshot(page, "invites-queued")
        assert outbox.drain().sent == 4
        assert len(smtp.received) == 4
        # The email queue's counts follow the worker without a reload.
        expect(page.locator("[data-email-count=sent]")).to_have_text("4")
        expect(page.locator("[data-email-count=pending]")).to_have_text("0")
        page.reload()
        expect(page.locator(".invites-table .msg-sent")).to_have_count(4)
        screenshot(page, "invites-sent")

        # Webhooks: register a local receiver, the secret is shown once, a test call is signed.
        page.locator(f"nav.tabs a[href='/manage/events/{event.slug}/webhooks']").click()
        page.fill("#url", receiver.url)
        page.check("input[name=topics][value='rounds.published']")
        page.click("form[novalidate] button[type=submit]")
        secret = page.locator("code.secret").inner_text()
        assert len(secret) >= 32
        screenshot(page, "webhooks-secret-once")
        receiver.script = [(503, {}, 0.0)]
        page.click(".endpoint form[action$='/test'] button")
        expect(page.locator(".flash-success")).to_be_visible()
        assert outbox.drain().retrying == 1
        page.reload()
        expect(page.locator(".deliveries-table .msg-pending")).to_have_count(1)
        page.click(".deliveries-table form[action$='/retry'] button")
        assert outbox.drain().sent == 1
        page.goto(f"{base}/manage/events/{event.slug}/webhooks")
        expect(page.locator(".deliveries-table .msg-sent")).to_have_count(1)
        expect(page.locator(".deliveries-table")).to_contain_text("HTTP 503")
        screenshot(page, "webhooks-log")
        call = receiver.calls[-1]
        stamp = int(call.headers["X-Tsunagu-Timestamp"])
        assert delivery.verify(secret, call.body, call.headers["X-Tsunagu-Signature"], now=stamp)
        assert json.loads(call.body)["topic"] == "ping"

        # A visitor downloads the public programme.
        visitor = page.context.browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")  # type: ignore[union-attr]
        tab = visitor.new_page()
        tab.goto(f"{base}/events/{event.slug}")
        subscribe = tab.locator("a[href^='webcal://']")
        expect(subscribe).to_have_attribute(
            "href", f"webcal://127.0.0.1:{base.rsplit(':', 1)[1]}/events/{event.slug}/calendar.ics"
        )
        screenshot(tab, "invites-event-page")
        with tab.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as download_info:
            tab.locator("a[href$='calendar.ics?download=1']").click()
        path = download_info.value.path()
        calendar = parse(path.read_bytes())
        assert calendar.method.value == "PUBLISH"
        found = events(calendar)
        assert len(found) == 2 and min(utc(e.dtstart.value) for e in found) == EVENT_START
        assert any("オンライン市役所" in e.summary.value for e in found)
        visitor.close()

        # A participant answers on their personal page; the organiser sees it counted.
        person = people[0]
        guest = page.context.browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")  # type: ignore[union-attr]
        mine = guest.new_page()
        mine.goto(f"{base}/p/{person.token}")
        mine.click("#attendance button[value=yes]")
        expect(mine.locator(".attendance-current")).to_contain_text("出席")
        expect(mine.locator("#attendance button[value=yes]")).to_have_attribute("aria-pressed", "true")
        expect(mine.locator("a[href^='webcal://']")).to_have_attribute(
            "href", f"webcal://127.0.0.1:{base.rsplit(':', 1)[1]}/p/{person.token}/calendar.ics"
        )
        screenshot(mine, "personal-page-attendance")
        guest.close()
        page.goto(f"{base}/manage/events/{event.slug}/invites")
        expect(page.locator(".counts .answer-yes + strong")).to_have_text("1")
        screenshot(page, "invites-answers")
    finally:
        app.config.update(WEBHOOK_ALLOW_PRIVATE=False)
        smtp.stop()
        http_server.shutdown()
        http_server.server_close()
        thread.join(timeout=5)
