"""Journey: an organiser imports ~120 people from Excel's CP932 CSV, meets a bad file, and sees the list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.auth.models import Organizer
from app.extensions import db
from tests import factories
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD
from tests.factories_participants import SAMPLE_CP932, csv_bytes

pytestmark = pytest.mark.browser


def test_organiser_imports_participants_from_excel_csv(
    page: Page, live_server: str, organizer: Organizer, tmp_path: Path
) -> None:
    base = live_server
    event = factories.make_event(organizer=organizer, slug="import-journey")
    slug = event.slug
    db.session.commit()

    page.goto(f"{base}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base}/manage/")

    # The tab on the event page leads to the (empty) list.
    page.goto(f"{base}/manage/events/{slug}")
    page.click(f"nav.tabs a[href='/manage/events/{slug}/participants']")
    expect(page.locator(".pp-empty")).to_be_visible()
    page.click(f".pp-actions a[href='/manage/events/{slug}/participants/import']")

    # Upload the CP932 file Excel wrote; the preview guesses every column.
    page.set_input_files("#file", str(SAMPLE_CP932))
    page.click("button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/participants/import/[\w-]+$"))
    expect(page.locator(".pp-ready")).to_contain_text("120")
    expect(page.locator("#map-0")).to_have_value("full_name")
    expect(page.locator("#map-1")).to_have_value("full_kana")
    expect(page.locator("#map-2")).to_have_value("email")
    expect(page.locator("#map-6")).to_have_value("role")
    expect(page.locator("table.pp-preview tbody tr")).to_have_count(120)
    expect(page.locator("table.pp-preview")).to_contain_text("髙")  # a CP932-only character survived
    screenshot(page, "participants-01-preview-cp932")
    page.click("button[value=apply]")

    # The list: everyone, with counts by role.
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".pp-count-total .pp-num")).to_have_text("120")
    expect(page.locator("table.pp-table tbody tr")).to_have_count(100)  # a page of 100, then the other 20
    screenshot(page, "participants-02-list")
    page.locator(".pager a[rel=next]").first.click()
    expect(page.locator("table.pp-table tbody tr")).to_have_count(20)
    page.select_option("#role", "facilitator")
    page.click(".pp-filter button[type=submit]")
    expect(page.locator("table.pp-table tbody tr")).to_have_count(20)

    # A second, small file with a bad row: the preview names row and column, and nothing is imported.
    bad = tmp_path / "追加参加者.csv"
    bad.write_bytes(
        csv_bytes(
            "新潟　一郎,にいがた いちろう,ichiro.niigata@city.niigata.example.lg.jp,新潟市,新潟県,企画課,参加者",
            "浜松 二郎,はままつ じろう,jiro.hamamatsu(at)city.hamamatsu,浜松市,静岡県,情報政策課,参加者",
            "京都 三子,きょうと みつこ,mitsuko@city.kyoto.example.lg.jp,京都市,京都府,文化振興課,司会",
            encoding="cp932",
        )
    )
    page.goto(f"{base}/manage/events/{slug}/participants/import")
    page.set_input_files("#file", str(bad))
    page.click("button[type=submit].primary")
    errors = page.locator(".pp-errors li")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("メールアドレス")
    expect(errors.nth(0)).to_contain_text("jiro.hamamatsu(at)city.hamamatsu")
    expect(errors.nth(1)).to_contain_text("役割")
    expect(page.locator("tr.pp-row-error")).to_have_count(2)
    expect(page.locator("button[value=apply]")).to_have_count(0)
    screenshot(page, "participants-03-preview-errors")

    # Changing the mapping is possible: ignoring the role column leaves only the email problem.
    page.select_option("#map-6", "")
    page.click("button[value=preview]")
    expect(page.locator(".pp-errors li")).to_have_count(1)

    page.goto(f"{base}/manage/events/{slug}/participants")
    expect(page.locator(".pp-count-total .pp-num")).to_have_text("120")


def test_visitor_registers_on_the_public_page(page: Page, live_server: str, organizer: Organizer) -> None:
    event = factories.make_event(organizer=organizer, slug="register-journey")
    event.registration_open = True
    event.registration_capacity = 100
    event.registration_domains = "lg.jp"
    event.registration_consent = "ご登録いただいた氏名・所属は、同じブレイクアウトルームの参加者と共有します。"
    db.session.commit()

    page.goto(f"{live_server}/events/{event.slug}")
    page.click(f"a[href='/events/{event.slug}/register']")
    page.fill("#family_name", "岩出")
    page.fill("#given_name", "花子")
    page.fill("#family_kana", "イワデ")
    page.fill("#given_kana", "ハナコ")
    page.fill("#email", "hanako@gmail.example")
    page.fill("#organization", "岩出市")
    page.select_option("#prefecture", "和歌山県")
    page.fill("#department", "情報政策課")
    page.click("button[type=submit].primary")
    expect(page.locator(".field.has-error")).to_have_count(2)  # domain and consent
    screenshot(page, "participants-04-register-errors")
    page.fill("#email", "hanako.iwade@city.iwade.lg.jp")
    page.check("#consent")
    page.click("button[type=submit].primary")
    expect(page.locator(".pp-done")).to_be_visible()
    screenshot(page, "participants-05-registered")
