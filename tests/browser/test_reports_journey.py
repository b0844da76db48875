"""A reader (no login) finds a report in the archive, reads round 2's notes and downloads the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import Page, expect

from app.auth.models import Organizer
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
    expect(round_two).to_contain_text("雑談の価値 R2-0")
    expect(round_two.locator(".report-room")).to_have_count(2)  # the third room's note is internal
    screenshot(page, "reports-page")
    round_two.screenshot(path=str(SCREENSHOTS / "reports-round-2.png"))

    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
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


def test_organiser_harvests_highlights_previews_and_publishes(
    page: Page, live_server: str, organizer: Organizer
) -> None:
    summit = make_summit(organizer=organizer, slug="harvest", people=6, rooms=2, rounds=2)
    page.goto(f"{live_server}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/manage/events/harvest/report")
    page.locator("form[action$='/report/create'] button").click()
    page.fill("#overview", "オンラインで全国の職員がつながった半日。")
    page.fill("#summary", "まずは行動に移すことに意味がある。")
    page.fill("#tags", "オンライン, ワールドカフェ")
    page.locator("#settings button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    point = page.locator(".report-edit-points li", has_text="雑談の価値 R1-0")
    point.locator("button", has_text=re.compile("Highlight|ハイライト")).click()
    expect(page.locator(".report-edit-points li.is-highlight")).to_have_count(1)
    expect(page.locator(".report-edit-points .badge-private")).to_have_count(3)
    screenshot(page, "reports-editor")
    page.get_by_role("link", name=re.compile("^(Preview|プレビュー)$")).first.click()
    expect(page.locator(".preview-banner")).to_be_visible()
    expect(page.locator("#round-1 .report-highlights")).to_contain_text("雑談の価値 R1-0")
    screenshot(page, "reports-preview")
    page.locator(".preview-banner button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"{live_server}/reports/harvest")
    expect(page.locator("h1")).to_have_text(summit.event.title)
