"""The issue's rehearsal of a whole live café, in Chromium, on the demo's upcoming event.

The demo's programme is moved so that round 1 starts a few seconds after the pages are open (server-side
time control: the round times themselves, no sleeps, no frozen clocks): round 1 starts by the timetable,
round 2 by hand; five people missing from a Zoom report and two latecomers are handled in one flow and
round 3 re-planned and published; round 3 is extended by 5 minutes and every open personal page shows the
new end within the bound; a facilitator's two tabs edit the same field and both texts survive; a publish is
undone; and all along the seats of every started round stay byte for byte.

The app is served as the running site serves it (DAY_LIVE_CHECK_SECONDS = 1), so the times printed at the
end (clicks, seconds) are the ones an organiser would see. They are printed, not asserted (bench/ measures),
except the one the issue states: the extension reaches every page within the staleness bound (with an
allowance for a shared machine).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from app import create_app
from app.cafe.models import Room, Seat
from app.db import utcnow
from app.demo import programme as demo_programme
from app.demo.cli import STEPS
from app.events.models import CafeRound, Event, ItemKind
from app.extensions import db
from app.notes import queries as notes
from app.participants.models import Participant, Role, Status
from tests.browser.conftest import new_context, screenshot
from tests.browser.test_notes_journey import wait_state
from tests.wsgi_server import serving

pytestmark = pytest.mark.browser

PASSWORD = "rehearsal-password-2027"
# docs/day-caching.md: a change reaches every open personal page within 6 s (1 s live check + a 5 s poll while
# the event runs). The rehearsal allows as much again for a shared, busy machine; the measured time is printed.
BOUND_S = 6
BUSY_MACHINE_ALLOWANCE_S = 6
ZOOM_HEADER = "名前(元の名前),ユーザーメール,参加時間,退出時間,期間(分),ゲスト\r\n"


@pytest.fixture()
def site(app: Flask, db: object) -> Iterator[str]:
    """The app served like the running site (one-second live check), on the test database."""
    served = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "rehearsal-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            "DAY_LIVE_CHECK_SECONDS": 1.0,
        }
    )
    with serving(served) as url:
        yield url


def load_demo() -> Event:
    organizer = demo_programme.demo_organizer(PASSWORD)
    events = None
    for step in STEPS:
        events = step(organizer, events)
    db.session.commit()
    return db.session.scalar(select(Event).where(Event.slug == demo_programme.UPCOMING_SLUG))  # type: ignore[return-value]


def move_programme(event: Event, round_1_in: timedelta) -> None:
    """Move the whole upcoming summit so that its café's round 1 starts `round_1_in` from now."""
    cafe = next(i for i in event.items if i.kind == ItemKind.CAFE)
    delta = utcnow() + round_1_in - cafe.rounds[0].starts_at
    event.starts_at += delta
    event.ends_at += delta
    for item in event.items:
        item.starts_at += delta
        item.ends_at += delta
        for rnd in item.rounds:
            rnd.starts_at += delta
            rnd.ends_at += delta
    db.session.commit()


def published(round_id: int) -> list[tuple[int, int]]:
    """A round's published seats, byte for byte: (room, person) in order."""
    db.session.expire_all()
    rows = db.session.execute(
        select(Seat.room_id, Seat.participant_id)
        .where(Seat.round_id == round_id, Seat.published.is_(True))
        .order_by(Seat.room_id, Seat.participant_id)
    ).all()
    return [(r[0], r[1]) for r in rows]


def room_of(person: Participant, rnd: CafeRound) -> str:
    db.session.expire_all()
    return db.session.scalar(  # type: ignore[return-value]
        select(Room.name)
        .join(Seat, Seat.room_id == Room.id)
        .where(Seat.round_id == rnd.id, Seat.participant_id == person.id, Seat.published.is_(True))
    )


class Clicks:
    """Counts the organiser's clicks in a stretch of the rehearsal."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def __call__(self, selector: str) -> None:
        self.page.locator(selector).first.click()
        self.count += 1


def open_pages(browser: Browser, base: str, people: list[Participant]) -> tuple[list[BrowserContext], list[Page]]:
    contexts, pages = [], []
    for i, person in enumerate(people):
        phone = i == len(people) - 1
        context = (
            browser.new_context(
                locale="ja-JP",
                timezone_id="Asia/Tokyo",
                viewport={"width": 390, "height": 844},
                is_mobile=True,
                has_touch=True,
            )
            if phone
            else new_context(browser)
        )
        tab = context.new_page()
        tab.goto(f"{base}/p/{person.token}")
        contexts.append(context)
        pages.append(tab)
    return contexts, pages


def test_rehearsal_of_the_live_cafe(browser: Browser, site: str, db: object, tmp_path: Path) -> None:
    event = load_demo()
    move_programme(event, timedelta(seconds=40))
    cafe = next(i for i in event.items if i.kind == ItemKind.CAFE)
    rounds = sorted(cafe.rounds, key=lambda r: r.number)
    hosts = {r.host_id for r in db.session.scalars(select(Room).where(Room.item_id == cafe.id))}
    guests = [
        p
        for p in db.session.scalars(
            select(Participant).where(Participant.event_id == event.id, Participant.role == Role.PARTICIPANT)
        )
        if p.id not in hosts and room_of(p, rounds[0])
    ]
    watchers = guests[:4]  # three desktop pages and one phone, open all along
    missing = guests[10:15]  # not in Zoom's report
    host = db.session.get(Participant, next(iter(h for h in hosts if h)))
    measured: dict[str, object] = {}

    organiser_context = new_context(browser)
    organiser_context.set_default_timeout(30_000)
    console = organiser_context.new_page()
    console.goto(f"{site}/login")
    console.fill("#email", demo_programme.DEMO_EMAIL)
    console.fill("#password", PASSWORD)
    console.click("button[type=submit]")
    console.goto(f"{site}/manage/events/{event.slug}/live")

    contexts, pages = open_pages(browser, site, watchers)  # the last one on a phone
    host_context = new_context(browser)
    host_page = host_context.new_page()
    host_page.goto(f"{site}/p/{host.token}")  # type: ignore[union-attr]
    contexts.append(host_context)
    for tab in [*pages, host_page]:
        expect(tab.locator(".day-kicker")).to_contain_text("第1ラウンド")

    # Round 1 starts by the timetable: every page switches by itself (wait for its start, then for the pages).
    until_start = max(0.0, (rounds[0].starts_at - utcnow()).total_seconds())
    wait_ms = int(until_start * 1000) + 30_000
    for person, tab in zip(watchers, pages, strict=True):
        expect(tab.locator(".day-focus.is-live [data-room-name]")).to_have_text(
            room_of(person, rounds[0]), timeout=wait_ms
        )
    held = {1: published(rounds[0].id)}

    # Round 2 by hand, from the console.
    console.reload()
    started = time.monotonic()
    console.locator("summary[data-action=next-round]").click()
    console.locator("button[data-confirm=next-round]").click()
    expect(console.locator(".flash-success")).to_be_visible()
    for person, tab in zip(watchers, pages, strict=True):
        expect(tab.locator(".day-focus.is-live [data-room-name]")).to_have_text(room_of(person, rounds[1]))
    measured["round 2 by hand → every page (s)"] = round(time.monotonic() - started, 1)
    held[2] = published(rounds[1].id)
    screenshot(console, "rehearsal-console-round-2")

    # Who is missing? Five not in Zoom's report, two latecomers, re-plan from round 3, publish: one flow.
    roster = db.session.scalars(
        select(Participant).where(Participant.event_id == event.id, Participant.status != Status.CANCELLED)
    ).all()
    report = ZOOM_HEADER + "".join(
        f"{p.family_name} {p.given_name},{p.email},,,30,いいえ\r\n" for p in roster if p not in missing
    )
    report_file = tmp_path / "zoom-participants.csv"
    report_file.write_bytes(report.encode("cp932", errors="replace"))
    click = Clicks(console)
    started = time.monotonic()
    click("[data-action=missing]")
    console.set_input_files("#report", str(report_file))
    click("#zoom button[type=submit]")
    expect(console.locator("#zoom")).to_contain_text("5人がミーティングにいません")
    screenshot(console, "rehearsal-missing-zoom")
    click("[data-action=zoom-apply]")
    expect(console.locator(".flash-success")).to_be_visible()
    console.fill(
        "#people",
        "杉浦 一郎\ti.sugiura@city.kobe.example.lg.jp\t神戸市\n堀内 花子\th.horiuchi@pref.nagano.example.lg.jp\t長野県\n",
    )
    click("#late button[type=submit]")
    expect(console.locator("#late")).to_contain_text("杉浦 一郎")
    click("[data-action=replan]")
    expect(console.locator("#preview")).to_contain_text("再編成後")
    screenshot(console, "rehearsal-missing-preview")
    click("[data-action=publish]")
    expect(console.locator(".flash-success")).to_contain_text("公開しました")
    measured["missing-people flow: clicks"] = click.count
    measured["missing-people flow: seconds (with page loads)"] = round(time.monotonic() - started, 1)

    round_3 = {pid for _room, pid in published(rounds[2].id)}
    late = db.session.scalars(
        select(Participant).where(Participant.event_id == event.id, Participant.joins_round == 3)
    ).all()
    assert not {p.id for p in missing} & round_3, "the absentees keep no seat in round 3"
    assert {p.id for p in late} <= round_3 and len({p.id for p in late}) == 2, "both latecomers are seated"
    assert {n: published(rounds[n - 1].id) for n in held} == held, "started rounds never change"

    # Round 3 by hand, then extended by 5 minutes: every open page shows the new end.
    console.goto(f"{site}/manage/events/{event.slug}/live")
    console.locator("summary[data-action=next-round]").click()
    console.locator("button[data-confirm=next-round]").click()
    watching = [(p, t) for p, t in zip(watchers, pages, strict=True) if p not in missing]
    for person, tab in watching:
        expect(tab.locator(".day-focus.is-live [data-room-name]")).to_have_text(room_of(person, rounds[2]))
    held[3] = published(rounds[2].id)
    db.session.expire_all()
    before = db.session.get(CafeRound, rounds[2].id).actual_ends_at  # type: ignore[union-attr]
    console.locator("summary[data-action=extend]").click()
    console.fill("#extend-minutes", "5")
    started = time.monotonic()
    console.locator("button[data-confirm=extend]").click()
    expect(console.locator(".flash-success")).to_contain_text("全員のカウントダウン")
    new_end = (before + timedelta(minutes=5)).isoformat()
    for _person, tab in watching:
        left_ms = (BOUND_S + BUSY_MACHINE_ALLOWANCE_S - (time.monotonic() - started)) * 1000
        expect(tab.locator(f'.day-focus [data-countdown-to="{new_end}"]')).to_have_count(1, timeout=max(left_ms, 1))
    measured["round 3 extended → every countdown (s)"] = round(time.monotonic() - started, 1)
    assert {n: published(rounds[n - 1].id) for n in held} == held, "started rounds never change"
    expect(console.locator(".day-clock-log")).to_contain_text("第3ラウンドを5分延長")
    screenshot(console, "rehearsal-console-timeline")
    screenshot(pages[-1], "rehearsal-phone-round-3")

    # A facilitator's two tabs edit the same field: the conflict page shows both texts, and both are kept.
    host_room = db.session.scalar(select(Room).where(Room.item_id == cafe.id, Room.host_id == host.id))  # type: ignore[union-attr]
    ours, theirs = host_context.new_page(), host_context.new_page()
    for tab in (ours, theirs):
        tab.goto(f"{site}/p/{host.token}/notes/3")  # type: ignore[union-attr]
    first = "窓口のオンライン化は、まず予約から小さく始めるのがよい。"
    second = "他の自治体の担当者に気軽に聞ける場がほしい、という声が多かった。"
    theirs.fill("#summary", first)
    wait_state(theirs, "saved")
    ours.fill("#summary", second)
    wait_state(ours, "conflict")
    ours.click("[data-conflict-resolve]")
    summary = ours.locator("[data-merge-field=summary]")
    expect(summary.locator("[data-merge-theirs]")).to_contain_text(first)
    expect(summary.locator("[data-merge-yours]")).to_contain_text(second)
    expect(summary.locator("textarea")).to_have_value(f"{first}\n\n{second}")
    screenshot(ours, "rehearsal-notes-both-kept")
    ours.get_by_role("button", name="統合した記録を保存").click()
    expect(ours.locator(".flash-success")).to_be_visible()
    db.session.expire_all()
    kept = notes.note_for(rounds[2].id, host_room.id)  # type: ignore[union-attr]
    assert first in kept.summary and second in kept.summary, "both texts survive"  # type: ignore[union-attr]
    theirs.reload()
    expect(theirs.locator("#summary")).to_have_value(kept.summary)  # type: ignore[union-attr]
    assert {n: published(rounds[n - 1].id) for n in held} == held, "started rounds never change"

    # A publish is undone: one more person leaves, round 4 is re-planned and published, then undone.
    round_4_before = published(rounds[3].id)
    console.goto(f"{site}/manage/events/{event.slug}/live/missing?q={guests[20].family_name}{guests[20].given_name}")
    console.locator(f'[data-person="{guests[20].id}"] [data-action=mark-absent]').click()
    expect(console.locator("#absent")).to_contain_text(guests[20].family_name)
    console.locator("[data-action=replan]").click()
    console.locator("[data-action=publish]").click()
    expect(console.locator(".flash-success")).to_contain_text("公開しました")
    assert published(rounds[3].id) != round_4_before
    console.goto(f"{site}/manage/events/{event.slug}/cafe/{cafe.id}/plan#history")
    console.locator("[data-action=undo]").click()
    expect(console.locator(".flash-success")).to_contain_text("取り消しました")
    assert published(rounds[3].id) == round_4_before, "round 4 is back as it was"
    screenshot(console, "rehearsal-plan-history")

    # Throughout: the seats of every started round are what they were.
    assert {n: published(rounds[n - 1].id) for n in held} == held
    for context in (*contexts, organiser_context):
        context.close()
    print("\nrehearsal:", measured)
