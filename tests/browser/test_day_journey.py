"""On the day: a participant's page switches rooms by itself when the organiser advances the round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from app.auth.models import Organizer
from app.db import utcnow
from tests.browser.conftest import log_in, new_context, screenshot
from tests.factories_day import make_day

pytestmark = pytest.mark.browser


def start_next_round(page: Page) -> None:
    """The console's "start the next round now": open the box, then confirm."""
    page.locator("summary[data-action=next-round]").click()
    page.locator("button[data-confirm=next-round]").click()
    expect(page.locator(".flash-success")).to_be_visible()


def test_participant_page_follows_the_console(
    page: Page, browser: Browser, live_server: str, organizer: Organizer
) -> None:
    base = live_server
    now = utcnow().replace(second=0, microsecond=0)
    # The talk ended 20 minutes ago; the café is scheduled for later, so the organiser starts it by hand.
    day = make_day(organizer=organizer, people=6, start=now - timedelta(hours=1), cafe_start=now + timedelta(hours=2))
    me = day.people[0]

    participant = new_context(browser)
    participant.set_default_timeout(15_000)
    mine = participant.new_page()
    mine.goto(f"{base}/p/{me.token}")
    expect(mine.locator(".day-focus")).to_be_visible()
    expect(mine.locator("[data-room-name]")).to_have_count(0)
    mine.evaluate("window.__marker = 'no reload'")

    log_in(page, base, organizer)
    page.goto(f"{base}/manage/events/{day.event.slug}/live")
    start_next_round(page)
    screenshot(page, "day-console-desktop")

    expect(mine.locator("[data-room-name]")).to_have_text("部屋B")  # by itself, from the poll
    expect(mine.locator(".day-countdown")).to_be_visible()
    assert mine.evaluate("window.__marker") == "no reload"
    screenshot(mine, "day-participant-round1-desktop")

    page.fill("#body", "まもなくラウンド2です。メインルームに戻らずお待ちください。")
    page.locator("#broadcasts button[type=submit]").first.click()
    expect(page.locator(".day-broadcast-admin")).to_contain_text("まもなくラウンド2です")
    expect(mine.locator(".day-broadcast")).to_contain_text("まもなくラウンド2です")

    start_next_round(page)
    expect(mine.locator("[data-room-name]")).to_have_text("部屋A")
    assert mine.evaluate("window.__marker") == "no reload"

    phone = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone.set_default_timeout(10_000)
    small = phone.new_page()
    small.goto(f"{base}/p/{me.token}")
    expect(small.locator("[data-room-name]")).to_have_text("部屋A")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(small, "day-participant-round2-phone")

    host = phone.new_page()
    host.goto(f"{base}/p/{day.hosts[0].token}")
    expect(host.locator("[data-room-name]")).to_have_text("部屋A")
    screenshot(host, "day-facilitator-phone")
    phone.close()

    page.goto(f"{base}/manage/events/{day.event.slug}/links")
    page.locator(".day-qr summary").first.click()
    expect(page.locator(".day-qr img").first).to_be_visible()
    screenshot(page, "day-links-desktop")
    participant.close()


def test_viewer_abroad_sees_local_times_too(browser: Browser, live_server: str, db: object) -> None:
    now = utcnow().replace(second=0, microsecond=0)
    day = make_day(start=now - timedelta(hours=1), cafe_start=now - timedelta(minutes=5))
    context = new_context(browser, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.goto(f"{live_server}/p/{day.people[0].token}")
    expect(tab.locator("[data-room-name]")).to_have_text("部屋B")
    expect(tab.locator(".day-viewer-time").first).to_contain_text("your time")
    screenshot(tab, "day-participant-london")
    context.close()
