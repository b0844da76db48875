""" "Who is missing?" searches what the organiser typed, even when they typed before the page's script ran."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from app.auth.models import Organizer
from app.db import utcnow
from tests.browser.conftest import log_in, open_with_script_held
from tests.factories_day import make_day
from tests.instants import CAFE_START, EVENT_START


def test_a_name_typed_before_the_script_ran_is_searched(page: Page, live_server: str, organizer: Organizer) -> None:
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=30)  # every round still to come
    day = make_day(organizer=organizer, people=6, start=start, cafe_start=start + (CAFE_START - EVENT_START))
    wanted = day.people[4]
    log_in(page, live_server, organizer)
    # The page's script is held back (a slow connection) while the organiser types a name.
    release = open_with_script_held(
        page, f"{live_server}/manage/events/{day.event.slug}/live/missing", "day-missing.js"
    )
    page.fill("#q", wanted.family_name)
    release()
    expect(page.locator(f'[data-person="{wanted.id}"] [data-action=mark-absent]')).to_be_visible()
