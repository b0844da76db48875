"""The person picker suggests people for a name typed before its script ran (a slow connection)."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from app.auth.models import Organizer
from app.db import utcnow
from tests.browser.conftest import log_in, open_with_script_held
from tests.factories_cafe import make_cafe_event


def test_a_host_typed_before_the_script_ran_is_suggested(page: Page, live_server: str, organizer: Organizer) -> None:
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=30)
    cafe = make_cafe_event(organizer=organizer, people=12, facilitators=4, rooms=3, hosts=False, starts_at=start)
    wanted = cafe.facilitators[2]
    log_in(page, live_server, organizer)
    # The picker's script is held back (a slow connection) while the organiser types a host's name.
    release = open_with_script_held(page, f"{live_server}/manage/events/{cafe.event.slug}/cafe", "person-picker.js")
    picker = page.locator(".rooms-table tbody tr").first.locator("input[data-person-source]")
    picker.fill(wanted.family_name)
    release()
    expect(page.locator("#person-picker-list li[data-index]")).to_have_count(1)
    expect(page.locator("#person-picker-list")).to_contain_text(f"{wanted.family_name} {wanted.given_name}")
    picker.press("ArrowDown")
    picker.press("Enter")
    expect(picker).to_have_value(f"{wanted.family_name} {wanted.given_name}（{wanted.organization}）")
