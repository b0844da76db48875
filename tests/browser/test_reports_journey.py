"""A reader (no login) finds a report in the archive, reads round 2's notes and downloads the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import Page, expect

from app.auth.models import Organizer
from app.extensions import db
from app.reports import services
from tests.browser.conftest import DOWNLOAD_TIMEOUT_MS, SCREENSHOTS, screenshot
from tests.factories import PASSWORD
from tests.factories_reports import make_summit

pytestmark = pytest.mark.browser


def test_reader_searches_reads_round_two_and_downloads_the_pdf(
    page: Page, live_server: str, organizer: Organizer
) -> None:
    summit = make_summit(
        organizer=organizer, slug="spinoff", title="全国自治体職員ネットワークサミット・スピンオフ企画"
    )
    report = services.create_report(summit.event, organizer)
    services.update_settings(
        report,
        overview="約120名の公務員がZoomに集い、ワールドカフェで語り合いました。",
        summary="このような時代だからこそ **「今の自分に何ができるのか？」** が大切。",
        tags=["ネットワーク活動", "オンライン"],
        show_names=False,
    )
    services.publish(report, organizer)
    other = make_summit(
        organizer=organizer, slug="other", title="別のサミット", people=3, rooms=1, rounds=1, with_notes=False
    )
    services.publish(services.create_report(other.event, organizer), organizer)
    db.session.commit()  # the services leave the commit to their caller; the server reads its own session

    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile("レポート|Reports")).first.click()
    expect(page.locator(".archive-entry")).to_have_count(2)
    page.get_by_label(re.compile("キーワード|Keyword")).fill("雑談")
    page.get_by_role("button", name=re.compile("検索|Search")).click()
    expect(page.locator(".archive-entry")).to_have_count(1)
    screenshot(page, "reports-archive-search")

    page.get_by_role("link", name="全国自治体職員ネットワークサミット・スピンオフ企画").click()
    expect(page.locator("h1")).to_have_text("全国自治体職員ネットワークサミット・スピンオフ企画")
    page.locator(".report-toc a[href='#round-2']").click()
    round_two = page.locator("#round-2")
    expect(round_two).to_contain_text("リアルだからこその価値は？")
    themes = round_two.locator(".round-themes .theme-card")
    expect(themes.first).to_contain_text("雑談の価値")  # the synthesis comes first, with its rooms
    expect(themes.first.locator(".theme-count")).to_have_text(re.compile("2"))
    expect(round_two.locator(".report-room").first).to_be_hidden()  # rooms folded under the synthesis
    themes.first.locator(".theme-rooms a").first.click()  # a theme's room link opens that room's notes
    expect(round_two.locator(".report-room").first).to_be_visible()
    expect(round_two.locator(".report-room")).to_have_count(2)  # the third room's note is internal
    screenshot(page, "reports-page")
    round_two.screenshot(path=str(SCREENSHOTS / "reports-round-2.png"))

    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:  # laid out on the first request (then cached)
        page.get_by_role("link", name="PDF").click()
    download = info.value
    assert download.suggested_filename == "spinoff-report-v1.pdf"
    pdf = SCREENSHOTS / "reports-download.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):  # the pages as pictures, to look at (Japanese must render)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(SCREENSHOTS / "reports-pdf")],
            check=True,
        )
        assert (SCREENSHOTS / "reports-pdf-1.png").exists()


def test_organiser_reviews_themes_merges_two_hides_one_and_publishes(
    page: Page, live_server: str, organizer: Organizer
) -> None:
    summit = make_summit(organizer=organizer, slug="harvest", people=6, rooms=3, rounds=2)
    page.goto(f"{live_server}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/manage/events/harvest/report")
    page.locator("form[action$='/report/create'] button").click()
    page.fill("#overview", "オンラインで全国の職員がつながった半日。")
    page.locator("#settings button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    rows = page.locator("#themes .theme-row")
    count = rows.count()
    assert count >= 3
    first_title = rows.nth(0).locator(".theme-title").input_value()
    second_title = rows.nth(1).locator(".theme-title").input_value()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    rows.nth(0).locator("input[name=theme]").check()
    rows.nth(1).locator("input[name=theme]").check()
    page.locator("#themes .bulk-bar button[value=merge]").click()
    expect(page.locator("#themes .flash-success")).to_be_visible()
    expect(page.locator("#themes .theme-row")).to_have_count(count - 1)
    assert page.evaluate("window.__sameDocument") is True  # answered without a full reload

    merged = page.locator("#themes .theme-row", has=page.locator(f".theme-title[value='{first_title}']"))
    merged.locator("details.theme-points summary").click()
    expect(merged.locator(".theme-points li")).to_have_count(4)  # both themes' points, from their rooms
    expect(merged).to_contain_text(second_title)
    merged.locator(".theme-title").fill("雑談とつながりの価値")
    merged.locator("button[value$=':rename']").click()
    expect(page.locator("#themes .theme-title[value='雑談とつながりの価値']")).to_have_count(1)

    hidden = page.locator("#themes .theme-row").nth(1)
    hidden_title = hidden.locator(".theme-title").input_value()
    hidden.locator("button[value$=':hide']").click()
    expect(page.locator("#themes .theme-row.is-hidden")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True
    screenshot(page, "reports-editor-themes")

    page.get_by_role("link", name=re.compile("^(Preview|プレビュー)$")).first.click()
    expect(page.locator(".preview-banner")).to_be_visible()
    expect(page.locator("#round-1 .round-themes")).to_contain_text("雑談とつながりの価値")
    expect(page.locator("#round-1 .round-themes")).not_to_contain_text(hidden_title)
    screenshot(page, "reports-preview")
    page.locator(".preview-banner button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"{live_server}/reports/harvest")
    expect(page.locator("h1")).to_have_text(summit.event.title)
    expect(page.locator("#round-1 .theme-card").first).to_contain_text("雑談とつながりの価値")


def test_themes_editor_works_without_javascript(browser, live_server: str, organizer: Organizer) -> None:  # type: ignore[no-untyped-def]
    make_summit(organizer=organizer, slug="nojs", people=6, rooms=3, rounds=1)
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/manage/events/nojs/report")
    page.locator("form[action$='/report/create'] button").click()
    row = page.locator("#themes .theme-row").first
    row.locator("button[value$=':hide']").click()  # a plain form post, back at the themes
    expect(page.locator("#themes .theme-row.is-hidden")).to_have_count(1)
    expect(page.locator(".flashes .flash-success")).to_be_visible()
    context.close()


def test_a_large_theme_shows_all_its_points_without_a_reload(
    page: Page, live_server: str, organizer: Organizer
) -> None:
    make_summit(organizer=organizer, slug="folds", people=9, rooms=9, rounds=1)
    page.goto(f"{live_server}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/manage/events/folds/report")
    page.locator("form[action$='/report/create'] button").click()
    # every room had the same idea (the last room's note is internal): one theme of 8 points, 6 shown
    theme = page.locator("#themes .theme-row", has=page.locator(".badge.kind-idea"))
    theme.locator("details.theme-points summary").click()
    expect(theme.locator(".theme-points li")).to_have_count(6)
    page.evaluate("window.__sameDocument = true")
    theme.locator("a[data-theme-more]").click()
    expect(
        page.locator("#themes .theme-row", has=page.locator(".badge.kind-idea")).locator(".theme-points li")
    ).to_have_count(8)
    assert page.evaluate("window.__sameDocument") is True  # the themes section was swapped in
    opened = page.locator("#themes .theme-row", has=page.locator(".badge.kind-idea"))
    expect(opened.locator("details.theme-points")).to_have_attribute("open", "")
    expect(opened.locator("a[data-theme-more]")).to_have_count(0)
