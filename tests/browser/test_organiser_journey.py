"""First journey: an organiser builds the seed summit through the forms; a Japanese visitor sees it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from app.auth.models import Organizer
from tests.browser.conftest import new_context, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def add_item(page: Page, base: str, slug: str, kind: str, title: str, start: str, end: str, **extra: str) -> None:
    page.goto(f"{base}/manage/events/{slug}/items/new?kind={kind}")
    page.fill("#title", title)
    page.fill("#starts_at", start)
    page.fill("#ends_at", end)
    for field, value in extra.items():
        page.fill(f"#{field}", value)
    page.click("button[type=submit].primary")
    expect(page.locator(".flash-success")).to_be_visible()


def add_speaker(page: Page, family: str, given: str, org: str, role: str | None = None) -> None:
    if role:
        page.select_option("#role", role)
    page.fill("#family_name", family)
    page.fill("#given_name", given)
    page.fill("#organization", org)
    page.get_by_role("button", name="登壇者を追加").click()
    expect(page.locator(".flash-success")).to_be_visible()


def test_organiser_builds_and_publishes_the_seed_summit(
    page: Page, browser: Browser, live_server: str, organizer: Organizer
) -> None:
    base = live_server
    page.goto(f"{base}/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base}/manage/")

    page.goto(f"{base}/manage/events/new")
    page.fill("#title", "全国自治体職員ネットワークサミット・スピンオフ企画")
    page.fill("#slug", "spinoff-2026")
    page.fill("#description", "ネットワーク活動の次につながる一歩が生まれる場に。")
    page.fill("#starts_at", "2026-07-25T13:00")
    page.fill("#ends_at", "2026-07-25T18:30")
    page.fill("#meeting_url", "https://zoom.us/j/81234567890")
    page.click("button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("スピンオフ企画")

    # A bad item first: it ends before it starts, and the form says so.
    page.goto(f"{base}/manage/events/spinoff-2026/items/new?kind=talk")
    page.fill("#title", "事例紹介")
    page.fill("#starts_at", "2026-07-25T14:00")
    page.fill("#ends_at", "2026-07-25T13:30")
    page.click("button[type=submit].primary")
    expect(page.locator(".field.has-error .error")).to_be_visible()
    screenshot(page, "organiser-item-error-ja")

    slug = "spinoff-2026"
    add_item(
        page,
        base,
        slug,
        "talk",
        "オンライン活用先進事例紹介「オンライン市役所」",
        "2026-07-25T13:10",
        "2026-07-25T13:50",
    )
    page.goto(f"{base}/manage/events/{slug}")
    page.click("text=オンライン活用先進事例紹介「オンライン市役所」")
    add_speaker(page, "脇田", "雅也", "神奈川県")

    add_item(
        page,
        base,
        slug,
        "panel",
        "対談「オンライン活用によるネットワーク活動の未来」",
        "2026-07-25T14:00",
        "2026-07-25T15:00",
    )
    page.goto(f"{base}/manage/events/{slug}")
    page.click("text=対談「オンライン活用によるネットワーク活動の未来」")
    add_speaker(page, "後藤", "好美", "山形市", role="moderator")
    for family, given, org in (("高倉", "真紀", "JIPDEC"), ("川名", "賀子", "DMM.com"), ("蒲田", "大輔", "サイボウズ")):
        add_speaker(page, family, given, org)

    add_item(
        page,
        base,
        slug,
        "cafe",
        "ブレイクアウトルームを活用したワールドカフェ",
        "2026-07-25T15:10",
        "2026-07-25T16:25",
        round_count="3",
        round_gap="3",
    )
    questions = ("最近の活動状況を語り合う", "リアルだからこその価値とは？", "こんな時代に何ができるか？")
    page.goto(f"{base}/manage/events/{slug}")
    page.click("text=ブレイクアウトルームを活用したワールドカフェ")
    cafe_url = page.url
    for number, question in enumerate(questions, start=1):
        page.goto(cafe_url.split("#")[0] + f"/rounds/{number}")
        page.fill("#question", question)
        page.click("button[type=submit].primary")
        expect(page.locator(".flash-success")).to_be_visible()
    add_item(page, base, slug, "social", "懇親会（オンライン飲み会）", "2026-07-25T17:00", "2026-07-25T18:30")

    page.goto(f"{base}/manage/events/{slug}")
    screenshot(page, "organiser-manage-ja")
    page.click("text=公開する")
    expect(page.locator(".status-published").first).to_be_visible()

    # A visitor with a Japanese browser in Tokyo sees the programme.
    visitor = new_context(browser, locale="ja-JP")
    public = visitor.new_page()
    public.goto(f"{base}/")
    public.click("text=全国自治体職員ネットワークサミット・スピンオフ企画")
    expect(public.locator("h1")).to_contain_text("スピンオフ企画")
    expect(public.locator(".programme")).to_contain_text("後藤 好美")
    expect(public.locator(".programme")).to_contain_text("リアルだからこその価値とは？")
    expect(public.locator(".programme-time").first).to_contain_text("13:10")
    # The meeting link goes to registered people only: the public page says so, and shows no link.
    expect(public.locator(".event-link-note")).to_contain_text("参加リンクは登録された参加者にお送りします")
    assert "https://zoom.us/j/81234567890" not in public.content()
    screenshot(public, "visitor-event-ja")
    visitor.close()

    # An English visitor in Berlin sees English labels and their own times beside Tokyo's.
    abroad = new_context(browser, locale="en-GB", timezone_id="Europe/Berlin")
    english = abroad.new_page()
    english.goto(f"{base}/events/{slug}")
    expect(english.locator("html")).to_have_attribute("lang", "en")
    expect(english.locator(".viewer-time").first).to_contain_text("06:10")
    expect(english.locator(".programme")).to_contain_text("後藤 好美")
    screenshot(english, "visitor-event-en")
    abroad.close()


def test_drafts_stay_hidden_from_visitors(page: Page, live_server: str, organizer: Organizer) -> None:
    from app.events.models import EventStatus
    from tests.factories import make_event, make_item

    event = make_event(organizer=organizer, title="非公開の下書き", status=EventStatus.DRAFT)
    make_item(event=event)
    page.goto(f"{live_server}/")
    expect(page.locator("main")).not_to_contain_text("非公開の下書き")
    response = page.goto(f"{live_server}/events/{event.slug}")
    assert response is not None and response.status == 404
