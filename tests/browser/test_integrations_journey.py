"""Journey: an organiser reads the café's Zoom page and downloads the Excel seating chart, then connects a
Teams channel and a Slack channel through the webhooks page; both test calls arrive in the shape those
services require."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from app import outbox
from app.auth.models import Organizer
from app.cafe import services
from app.extensions import db
from tests.browser.conftest import log_in, screenshot
from tests.factories_cafe import make_cafe_event
from tests.http_receiver import start_receiver

pytestmark = pytest.mark.browser


def test_zoom_page_and_excel_seating(page: Page, live_server: str, organizer: Organizer) -> None:
    cafe = make_cafe_event(organizer=organizer, people=20, facilitators=4, rooms=5, rounds=3)
    for person in cafe.people[:5]:
        person.zoom_email = f"{person.email.split('@')[0]}.zoom@example.jp"
    db.session.commit()
    services.generate(cafe.item, seed=3)
    services.publish(cafe.item, 1, confirm=False)
    db.session.commit()  # the services write; the test, their caller here, commits
    log_in(page, live_server, organizer)
    page.goto(f"{live_server}/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/plan")
    page.get_by_role("link", name="Zoomページ（自動で割り当てられる人、CSV・Excelファイル）").click()
    expect(page.get_by_role("heading", name="Zoomが自動で割り当てる人")).to_be_visible()
    expect(page.locator(".zoom-stat-ok strong")).to_have_text("5")
    expect(page.locator(".zoom-stat-maybe strong")).to_have_text("19")
    expect(page.locator(".zoom-excel")).to_contain_text("繝ｫ繝ｼ繝1")
    screenshot(page, "zoom-page")
    page.locator(".zoom-list summary").first.click()  # the list of people relying on their registration email
    expect(page.locator(".zoom-list table").first).to_be_visible()
    with page.expect_download() as download:
        page.locator("#files tbody tr").first.get_by_role("link", name="Excel").first.click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    values = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert any(row[0] == "ルーム" and row[2] == "氏名" for row in values)
    assert download.value.suggested_filename == f"{cafe.event.slug}-round1-seating.xlsx"
    page.goto(f"{live_server}/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/zoom?round=2")
    expect(page.locator(".draft-label")).to_be_visible()
    screenshot(page, "zoom-page-round2-draft")


def test_teams_and_slack_webhooks_from_the_page(page: Page, live_server: str, organizer: Organizer, app: Flask) -> None:
    cafe = make_cafe_event(organizer=organizer, people=8, facilitators=2, rooms=2, rounds=2)
    teams, teams_server, teams_thread = start_receiver(shape="teams")
    slack, slack_server, slack_thread = start_receiver(shape="slack")
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    try:
        log_in(page, live_server, organizer)
        page.goto(f"{live_server}/manage/events/{cafe.event.slug}/webhooks")
        for receiver, label in (
            (teams, "Microsoft Teams（アダプティブカード）"),
            (slack, "Slack（Block Kitメッセージ）"),
        ):
            page.fill("#url", receiver.url)
            page.select_option("#format", label=label)
            page.check("input[name=topics][value='round.started']")
            page.click("form[novalidate] button[type=submit]")
            expect(page.locator("code.secret")).to_be_visible()
        expect(page.locator(".endpoint")).to_have_count(2)
        expect(page.locator(".endpoint .badge-format").first).to_have_text("Microsoft Teams（アダプティブカード）")
        for button in page.locator(".endpoint form[action$='/test'] button").all():
            button.click()
            expect(page.locator(".flash-success")).to_be_visible()
        assert outbox.drain().sent == 2
        assert teams.problems == [] and slack.problems == []
        card = json.loads(teams.calls[0].body)["attachments"][0]["content"]
        assert card["type"] == "AdaptiveCard" and "Tsunagu" in card["body"][1]["text"]
        assert json.loads(slack.calls[0].body)["blocks"][0]["type"] == "header"
        page.reload()
        expect(page.locator(".deliveries-table .msg-sent")).to_have_count(2)
        expect(page.locator(".deliveries-table")).to_contain_text("HTTP 202")
        expect(page.locator(".deliveries-table")).to_contain_text("HTTP 200")
        screenshot(page, "webhooks-teams-and-slack")
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False
        for server, thread in ((teams_server, teams_thread), (slack_server, slack_thread)):
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
