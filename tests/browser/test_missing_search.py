""" "Who is missing?" searches what the organiser typed, even when they typed before the page's script ran."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, Route, expect

from app.auth.models import Organizer
from app.db import utcnow
from tests import factories
from tests.factories_day import make_day
from tests.instants import CAFE_START, EVENT_START
from tests.waiting import wait_until


def test_a_name_typed_before_the_script_ran_is_searched(page: Page, live_server: str, organizer: Organizer) -> None:
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=30)  # every round still to come
    day = make_day(organizer=organizer, people=6, start=start, cafe_start=start + (CAFE_START - EVENT_START))
    wanted = day.people[4]
    page.goto(f"{live_server}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/manage/")

    # The page's script is held back (a slow connection) while the organiser types a name.
    held: list[Route] = []
    page.route("**/js/day-missing.js", lambda route: held.append(route))
    page.goto(f"{live_server}/manage/events/{day.event.slug}/live/missing", wait_until="commit")
    page.fill("#q", wanted.family_name)
    wait_until(lambda: page.evaluate("0") == 0 and bool(held), "the browser to ask for the script")
    held[0].continue_()
    expect(page.locator(f'[data-person="{wanted.id}"] [data-action=mark-absent]')).to_be_visible()
