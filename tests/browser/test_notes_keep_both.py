"""Notes never lose a word, in Chromium: two tabs type into the same field, both texts survive; restore."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import new_context, screenshot
from tests.browser.test_notes_journey import STATUS, stored, wait_state
from tests.factories_notes import make_notes_cafe

pytestmark = pytest.mark.browser


def test_same_field_in_two_tabs_keeps_both_texts_then_an_old_version_is_restored(
    browser: Browser, live_server: str, db: object
) -> None:
    cafe = make_notes_cafe()
    context = new_context(browser)
    tab_a, tab_b = context.new_page(), context.new_page()
    for tab in (tab_a, tab_b):
        tab.goto(live_server + cafe.url())

    tab_a.fill("#summary", "雑談の価値について盛り上がった。")
    wait_state(tab_a, "saved")
    tab_b.fill("#summary", "偶然の出会いがなくなることが話題になった。")
    wait_state(tab_b, "conflict")
    tab_b.click("[data-conflict-resolve]")
    summary = tab_b.locator("[data-merge-field=summary]")
    expect(summary.locator("input[value=edited]")).to_be_checked()
    expect(summary.locator("textarea")).to_have_value(
        "雑談の価値について盛り上がった。\n\n偶然の出会いがなくなることが話題になった。"
    )
    summary.locator("input[value=yours]").check()  # looking at one side, then back: both again
    expect(summary.locator("textarea")).to_have_value("偶然の出会いがなくなることが話題になった。")
    summary.locator("input[value=edited]").check()
    expect(summary.locator("textarea")).to_contain_text("雑談の価値")
    screenshot(tab_b, "notes-04-keep-both")
    tab_b.get_by_role("button", name="統合した記録を保存").click()  # the big button, as it comes

    expect(tab_b.locator(".flash-success")).to_be_visible()
    note = stored(cafe)
    assert "雑談の価値" in note.summary and "偶然の出会い" in note.summary
    expect(tab_b.locator(STATUS)).not_to_have_attribute("data-state", "conflict")

    tab_b.goto(live_server + cafe.url(suffix="/history"))
    rows = tab_b.locator(".history-table tbody tr")
    expect(rows).to_have_count(2)
    rows.last.get_by_role("button", name="この版を復元").click()
    expect(tab_b.locator(".flash-success")).to_contain_text("第1版を第3版として復元しました")
    expect(tab_b.locator("#summary")).to_have_value("雑談の価値について盛り上がった。")
    screenshot(tab_b, "notes-05-restored")
    assert [r.version for r in stored(cafe).revisions] == [1, 2, 3]
    context.close()
