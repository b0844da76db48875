"""The organiser's café journey in Chromium: rooms, hosts, generate, review, publish, re-plan, Zoom CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.auth.models import Organizer
from app.db import utcnow
from app.extensions import db
from tests.browser.conftest import DOWNLOAD_TIMEOUT_MS, screenshot
from tests.factories import PASSWORD
from tests.factories_cafe import make_cafe_event, make_person

pytestmark = pytest.mark.browser


def test_organiser_plans_publishes_and_replans_the_cafe(page: Page, live_server: str, organizer: Organizer) -> None:
    base = live_server
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=30)
    cafe = make_cafe_event(organizer=organizer, people=50, facilitators=10, rooms=0, rounds=4, starts_at=start)
    slug = cafe.event.slug

    page.goto(f"{base}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/manage/events/{slug}/cafe")

    # Rooms: the proposal for 60 people is 12 rooms; create them in one click.
    expect(page.locator("#rooms")).to_contain_text("12")
    page.get_by_role("button", name="ルームを作成").or_(page.get_by_role("button", name="Create rooms")).click()
    expect(page.locator(".rooms-table tbody tr")).to_have_count(12)
    expect(page.locator(".warn-hosts")).to_be_visible()  # 10 facilitators for 12 rooms

    # Host of the first room by hand, the rest with one click.
    first_row = page.locator(".rooms-table tbody tr").first
    # The host picker suggests facilitators as you type; pick the one suggestion with the keyboard.
    picker = first_row.locator("input[data-person-source]")
    picker.fill("山田1003")
    expect(page.locator("#person-picker-list li[data-index]")).to_have_count(1)
    picker.press("ArrowDown")
    picker.press("Enter")
    expect(picker).to_have_value(re.compile(r"^山田1003 花子（"))
    first_row.locator("input[type=url]").fill("https://zoom.us/j/81234567890")
    first_row.locator("button[type=submit]").first.click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.locator("form[action$='/hosts'] button").click()
    expect(page.locator("#rooms")).to_contain_text("10")
    screenshot(page, "cafe-rooms")

    # Keep two people apart, then generate.
    page.fill("#first", "p0@example.lg.jp")  # typed, resolved by the server
    page.fill("#second", "山田1 花子（岩出市）")
    page.locator("#keep-apart button[type=submit]").last.click()
    expect(page.locator("#keep-apart .list li")).to_have_count(1)
    page.locator("form[action$='/generate'] button[type=submit]").click()

    # Review: the verdict, the measures, the grid with hosts marked.
    expect(page.locator(".verdict-none")).to_be_visible()
    expect(page.locator(".cafe-grid tbody tr")).to_have_count(12)
    expect(page.locator(".cafe-grid li.host")).to_have_count(10 * 4)
    screenshot(page, "cafe-plan-review")

    # Publish all four rounds.
    page.locator("#publish button[type=submit]").click()
    expect(page.locator(".round-chip.is-published")).to_have_count(4)

    # On the day: three people are absent and two latecomers join for round 2; re-plan from round 2.
    for n in range(2):
        late = make_person(cafe.event, 900 + n, org="上越市")
        late.joins_round = 2
    db.session.commit()
    page.reload()
    expect(page.locator("#measures .flash-error")).to_be_visible()  # latecomers have no room yet
    plan_url = page.url
    page.locator("#on-the-day [data-action=missing]").click()  # the one screen for absentees and latecomers
    for person in cafe.people[5:8]:
        page.fill("#q", person.family_name)  # search as you type
        page.locator(f'[data-person="{person.id}"] [data-action=mark-absent]').click()
        expect(page.locator("#absent")).to_contain_text(person.family_name)
    page.goto(plan_url)
    page.select_option("#from_round", "2")
    page.locator("form[action$='/replan'] button[type=submit]").click()
    expect(page.locator("#changes table.changes tbody tr")).not_to_have_count(0)
    expect(page.locator(".verdict-none")).to_be_visible()
    page.locator("#changes").scroll_into_view_if_needed()
    screenshot(page, "cafe-replan-changes")

    # Re-publishing shows what changes and asks first.
    page.locator("#publish button[type=submit]").click()
    expect(page.locator(".conflict")).to_be_visible()
    screenshot(page, "cafe-publish-confirm")
    page.locator(".conflict button[type=submit]").click()
    expect(page.locator("#changes")).not_to_contain_text("上越市")

    # Exports: the Zoom CSV of round 2 and the mover sheet 1 → 2.
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as download_info:
        page.locator("a[href$='/rounds/2/zoom.csv']").click()
    download = download_info.value
    assert download.suggested_filename == f"{slug}-round2-zoom.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["Pre-assign Room Name", "Email Address"]
    assert len(rows) == 1 + 60 - 3 + 2
    emails = {r[1] for r in rows}
    assert {"p900@example.lg.jp", "p901@example.lg.jp"} <= emails  # the latecomers
    assert not {p.email for p in cafe.people[5:8]} & emails  # the absent

    page.goto(f"{base}/manage/events/{slug}/cafe/{cafe.item.id}/rounds/1/movers")
    expect(page.locator(".mover-group").first).to_be_visible()
    screenshot(page, "cafe-mover-sheet")
    page.goto(f"{base}/manage/events/{slug}/cafe/{cafe.item.id}/rounds/2/roster")
    expect(page.locator(".roster-room")).to_have_count(12)
    screenshot(page, "cafe-seating-chart")
    page.emulate_media(media="print")
    screenshot(page, "cafe-seating-chart-print")
