"""Long lists at summit scale: pages of rows, searchable, with statement counts that do not grow with people."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event as sa_event

from app.auth.models import Organizer
from app.cafe import publishing, services
from app.extensions import db
from tests.factories_cafe import Cafe, make_cafe_event
from tests.jobs_helpers import work_off


@contextmanager
def counted() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)


def _planned(organizer: Organizer, people: int) -> Cafe:
    cafe = make_cafe_event(organizer=organizer, people=people, facilitators=people // 5, rounds=3)
    services.generate(cafe.item, seed=3)
    publishing.publish(cafe.item, 3, confirm=True)
    db.session.commit()
    return cafe


def _get(client: FlaskClient, url: str) -> tuple[str, int]:
    db.session.expire_all()
    with counted() as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True), len(seen)


def test_participants_come_in_pages_of_a_hundred(client: FlaskClient, logged_in: Organizer) -> None:
    small, big = _planned(logged_in, 30), _planned(logged_in, 230)
    base = f"/manage/events/{big.event.slug}/participants"
    first, statements_big = _get(client, base)
    assert first.count('class="pp-row') == 100
    assert "Rows 1–100." in first and "Page 1 of 3" in first and "people" in first
    last, _n = _get(client, f"{base}?page=3")
    assert last.count('class="pp-row') == 276 - 200  # 230 + 46 facilitators
    assert "Rows 201–276." in last
    assert _get(client, f"{base}?page=99")[0].count('class="pp-row') == 76  # past the end: the last page
    # A search keeps its words on the other pages' links.
    found, _n = _get(client, f"{base}?q=山田1&page=2")
    assert 'href="/manage/events/' in found and "q=%E5%B1%B1%E7%94%B01" in found
    _page, statements_small = _get(client, f"/manage/events/{small.event.slug}/participants")
    assert statements_small == statements_big


def test_links_page_is_searchable_and_paged(client: FlaskClient, logged_in: Organizer) -> None:
    small, big = _planned(logged_in, 30), _planned(logged_in, 230)
    page, statements_big = _get(client, f"/manage/events/{big.event.slug}/links")
    assert len(re.findall(r'<tr id="p\d+"', page)) == 50 and "Page 1 of 6" in page
    found, _n = _get(client, f"/manage/events/{big.event.slug}/links?q=p17@example.lg.jp")
    assert re.findall(r'<tr id="p(\d+)"', found) == [str(big.people[17].id)]
    assert "Nobody matches this search." in _get(client, f"/manage/events/{big.event.slug}/links?q=nobody-here")[0]
    assert _get(client, f"/manage/events/{small.event.slug}/links")[1] == statements_big


def test_plan_page_shows_a_page_of_rooms_and_of_paths(client: FlaskClient, logged_in: Organizer) -> None:
    small, big = _planned(logged_in, 40), _planned(logged_in, 400)  # 48 and 480 people, 8 and 80 rooms
    url = f"/manage/events/{big.event.slug}/cafe/{big.item.id}/plan"
    page, statements_big = _get(client, url)
    grid = page.split('id="grid"')[1].split("</section>")[0]
    assert grid.count('<th scope="row">') == 40 and "Rooms 1–40 of 80." in grid
    assert 'href="' + url + '?rooms=2#grid"' in grid
    paths = page.split('id="paths"')[1].split("</section>")[0]
    assert paths.count("<tr><td>") == 100 and "Rows 1–100 of 480." in paths  # hosts too
    second, _n = _get(client, url + "?rooms=2&people=4")
    assert second.split('id="grid"')[1].count('<th scope="row">') >= 40
    assert "Rows 301–400 of 480." in second
    found, _n = _get(client, url + "?q=p123@example")
    assert "Rows 1–1 of 1." in found and "山田123" in found
    _page, statements_small = _get(client, f"/manage/events/{small.event.slug}/cafe/{small.item.id}/plan")
    assert statements_small == statements_big
    assert len(page) < 200_000


def test_more_than_two_hundred_rooms_end_to_end(client: FlaskClient, logged_in: Organizer) -> None:
    """1,050 people in rooms of 4–6: the proposed 210 rooms (the form once stopped at 200), hosts, plan, publish."""
    from sqlalchemy import func, select

    from app.cafe.models import Room, Seat

    cafe = make_cafe_event(organizer=logged_in, people=840, facilitators=210, rooms=0, rounds=3)
    base = f"/manage/events/{cafe.event.slug}/cafe"
    page = client.get(base).get_data(as_text=True)
    assert "<strong>210 rooms</strong>" in page and 'max="2000"' in page
    assert client.post(f"{base}/{cafe.item.id}/rooms", data={"count": "210"}).status_code == 302
    client.post(f"{base}/{cafe.item.id}/hosts")
    client.post(f"{base}/{cafe.item.id}/generate", data={"seed": "4", "request_key": "scale-210"})
    work_off()  # at this size the plan is made by the background worker
    client.post(f"{base}/{cafe.item.id}/publish", data={"upto": "3", "confirm": "y"})
    rooms = db.session.scalar(select(func.count()).select_from(Room).where(Room.item_id == cafe.item.id))
    hosted = db.session.scalar(select(func.count(Room.host_id)).where(Room.item_id == cafe.item.id))
    published = db.session.scalar(select(func.count()).select_from(Seat).where(Seat.published.is_(True)))
    assert (rooms, hosted, published) == (210, 210, 1050 * 3)
    plan = client.get(f"{base}/{cafe.item.id}/plan").get_data(as_text=True)
    assert "Rooms 1–40 of 210." in plan and "This café has 210 rooms and 1050 people" in plan
    assert client.get(f"{base}/{cafe.item.id}/rounds/3/roster?cohosts=5").status_code == 200
