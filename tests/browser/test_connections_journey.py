"""つながり in Chromium, on the demo's finished summit: two people who met in round 2 exchange a contact and take it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from app.connections import queries
from app.connections.models import ContactCard
from app.db import utcnow
from app.events.models import Event, EventStatus
from app.extensions import db
from app.participants.models import Participant, Role
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.vcard_reader import read_vcards

pytestmark = pytest.mark.browser

# Longer than the page's check for shared contacts (10 s), so the test waits for the change, not for a clock.
LIVE = 30_000


def phone(browser: Browser) -> BrowserContext:
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    return context


def three_people(event: Event) -> tuple[Participant, Participant, Participant]:
    """Two participants at one table in round 2, neither sharing anything yet, and a third who met neither."""
    people = list(
        db.session.scalars(
            select(Participant)
            .where(Participant.event_id == event.id, Participant.role == Role.PARTICIPANT)
            .order_by(Participant.id)
        )
    )
    sharing = set(db.session.scalars(select(ContactCard.participant_id)))
    now = utcnow()
    for first in people:
        if first.id in sharing:
            continue
        page = queries.met_page(first, now)
        round_2 = next((t for t in page.tables if t.round.number == 2), None)
        second = next((p for p in round_2.people if p.id not in sharing), None) if round_2 else None
        if second is None:
            continue
        met = queries.met_ids(first, now) | queries.met_ids(db.session.get(Participant, second.id), now)  # type: ignore[arg-type]
        third = next((p for p in people if p.id not in met | {first.id, second.id} and queries.met_ids(p, now)), None)
        if third is not None:
            return first, db.session.get(Participant, second.id), third  # type: ignore[return-value]
    raise AssertionError("the demo has no two people who met in round 2")


def name_of(person: Participant) -> str:
    return f"{person.family_name} {person.given_name}"


def test_two_people_who_met_exchange_a_contact_and_a_third_sees_nothing(
    browser: Browser, live_server: str, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(args=["demo", "--password", "demo-password-123"])
    assert result.exit_code == 0, result.output
    finished = db.session.scalar(select(Event).where(Event.status == EventStatus.FINISHED))
    assert finished is not None
    first, second, third = three_people(finished)
    base = live_server

    mine = phone(browser)
    a = mine.new_page()
    a.goto(f"{base}/p/{first.token}")
    a.get_by_role("link", name="出会った人を見る").click()
    expect(a.get_by_role("heading", name="出会った人", exact=True)).to_be_visible()
    round_2 = a.locator("section.cx-table", has=a.get_by_role("heading", name="第2ラウンド"))
    expect(round_2.get_by_text(name_of(second), exact=True)).to_be_visible()
    width = a.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(a, "connections-people-phone")

    theirs = phone(browser)
    b = theirs.new_page()
    b.goto(f"{base}/p/{second.token}/people")
    b_round_2 = b.locator("section.cx-table", has=b.get_by_role("heading", name="第2ラウンド"))
    expect(b_round_2.get_by_text(name_of(first), exact=True)).to_be_visible()
    contact = b.locator(f"#person-{first.id} [data-contact-for='{first.id}']")
    expect(contact.locator("[data-contact-email]")).to_have_count(0)
    assert first.email not in b.content()

    # The first shares their email with everyone they met.
    a.get_by_label("自分のメールアドレス").check()
    a.get_by_label("同じテーブルで出会った全員").check()
    a.get_by_role("button", name="保存", exact=True).click()
    expect(a.locator(".flash-success")).to_be_visible()
    expect(a.locator("[data-sharing-status]")).to_contain_text("出会った全員")
    screenshot(a, "connections-shared-phone")

    # The second sees it appear by itself, then downloads the contacts shared with them.
    expect(contact.locator("[data-contact-email]")).to_have_text(first.email, timeout=LIVE)
    screenshot(b, "connections-contact-seen-phone")
    b.reload()
    with b.expect_download() as download:
        b.locator("[data-action=vcard]").click()
    saved = Path(SCREENSHOTS) / "connections-contacts.vcf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    download.value.save_as(saved)
    cards = read_vcards(saved.read_text(encoding="utf-8"))
    card = next(c for c in cards if c.get("email") == [first.email])
    assert card["fn"] == [name_of(first)]
    assert card["org"][0][0] == first.organization
    assert any("第2ラウンド" in line for line in card["note"])

    # The first withdraws: the email disappears from the second's open page at once, and after a reload.
    a.get_by_role("button", name="すべての共有をやめる").click()
    expect(a.locator("[data-sharing-status]")).to_contain_text("何も共有していません")
    expect(contact.locator("[data-contact-email]")).to_have_count(0, timeout=LIVE)
    b.reload()
    expect(b.locator(f"#person-{first.id}")).to_be_visible()
    assert first.email not in b.content()
    screenshot(b, "connections-withdrawn-phone")

    # Someone who never sat with either of them sees neither.
    others = phone(browser)
    c = others.new_page()
    c.goto(f"{base}/p/{third.token}/people")
    expect(c.get_by_role("heading", name="出会った人", exact=True)).to_be_visible()
    expect(c.locator("section.cx-table").first).to_be_visible()
    body = c.locator("main").inner_text()
    assert name_of(first) not in body and name_of(second) not in body and first.email not in c.content()
    screenshot(c, "connections-third-phone")

    # The report shows the network picture.
    report = others.new_page()
    report.goto(f"{base}/reports/{finished.slug}")
    network = report.locator("#network")
    expect(network.locator("svg.chord").first).to_be_visible()
    expect(network).to_contain_text("組織を越えた新しいつながり")
    network.scroll_into_view_if_needed()
    network.screenshot(path=str(SCREENSHOTS / "connections-report-network-phone.png"))
    for context in (mine, theirs, others):
        context.close()


def test_the_organiser_sees_the_network_not_the_people(page: Page, live_server: str, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo", "--password", "demo-password-123"])
    assert result.exit_code == 0, result.output
    finished = db.session.scalar(select(Event).where(Event.status == EventStatus.FINISHED))
    assert finished is not None
    page.goto(f"{live_server}/login")
    page.fill("#email", "demo@tsunagu.example")
    page.fill("#password", "demo-password-123")
    page.click("button[type=submit]")
    page.goto(f"{live_server}/manage/events/{finished.slug}")
    page.get_by_role("link", name="つながり").click()
    expect(page.get_by_role("heading", name="数字で見る")).to_be_visible()
    expect(page.locator("svg.chord")).to_have_count(2)
    shared = db.session.scalars(select(ContactCard)).all()
    assert shared
    html = page.content()
    for card in shared:
        if card.text:
            assert card.text not in html
    screenshot(page, "connections-organiser-desktop")
