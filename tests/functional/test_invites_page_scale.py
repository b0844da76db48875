"""The invites page at size: a fixed number of SQL statements whatever the number of people (no N+1),
pagination and search of the list."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event

from app.auth.models import Organizer
from app.cafe.models import Room, Seat
from app.extensions import db
from app.jobs import queue
from app.participants.models import Participant, Rsvp
from tests import factories
from tests.jobs_helpers import work_off


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _summit(organizer: Organizer, people: int):  # type: ignore[no-untyped-def]
    summit = factories.make_event(organizer=organizer)
    factories.make_item(event=summit, title="事例紹介")
    cafe = factories.make_cafe(event=summit)
    everyone = [
        Participant(event=summit, family_name=f"参加{n:03d}", given_name="花子", email=f"p{n}@city.kobe.lg.jp")
        for n in range(people)
    ]
    db.session.add_all(everyone)
    db.session.flush()
    rooms = [Room(item=cafe, name=f"ルーム{n + 1}", host=everyone[n], position=n) for n in range(people // 6)]
    db.session.add_all(rooms)
    db.session.flush()
    for r, round_ in enumerate(cafe.rounds):
        for g, person in enumerate(everyone[len(rooms) :]):
            db.session.add(Seat(round=round_, room=rooms[(g + r) % len(rooms)], participant=person, published=True))
    everyone[-1].rsvp = Rsvp.NO
    db.session.commit()
    return summit


def _page_statements(client: FlaskClient, path: str) -> int:
    db.session.expire_all()
    with statements() as seen:
        response = client.get(path)
    assert response.status_code == 200
    return len(seen)


def test_the_invites_page_costs_the_same_statements_for_24_or_120_people(
    client: FlaskClient, logged_in: Organizer
) -> None:
    small, large = _summit(logged_in, 24), _summit(logged_in, 120)
    for summit in (small, large):
        client.post(f"/manage/events/{summit.slug}/invites/send", data={"audience": "all"})
    work_off()
    counts = [_page_statements(client, f"/manage/events/{s.slug}/invites") for s in (small, large)]
    assert counts[0] == counts[1] and counts[1] < 30, counts
    previews = [
        _page_statements(client, f"/manage/events/{s.slug}/invites/preview?audience=all") for s in (small, large)
    ]
    assert previews[0] == previews[1], previews
    # The send request only queues a job: the same statements for 24 or 120 people.
    requests = []
    for summit in (small, large):
        db.session.expire_all()
        with statements() as seen:
            client.post(f"/manage/events/{summit.slug}/invites/send", data={"audience": "all"})
        requests.append(len(seen))
    assert requests[0] == requests[1], requests
    # The page while a send is waiting or running costs no more than without one.
    waiting = [_page_statements(client, f"/manage/events/{s.slug}/invites") for s in (small, large)]
    assert waiting[0] == waiting[1] and waiting[1] <= counts[1] + 2, (waiting, counts)
    # The job writes per person (the email, the invitation, its entries) but reads nothing per person.
    queued = []
    for _size in (small, large):
        db.session.expire_all()
        with statements() as seen:
            assert queue.run_due().done == 1
        queued.append(len(seen))
    per_person = (queued[1] - queued[0]) / (120 - 24)
    assert per_person <= 12, (queued, per_person)


def test_the_list_is_paginated_and_searchable(client: FlaskClient, logged_in: Organizer) -> None:
    summit = _summit(logged_in, 120)
    first = client.get(f"/manage/events/{summit.slug}/invites").get_data(as_text=True)
    assert first.count("<tr") == 1 + 50 and "Page 1 of 3" in first
    last = client.get(f"/manage/events/{summit.slug}/invites?page=3").get_data(as_text=True)
    assert last.count("<tr") == 1 + 20 and "参加119" in last and "参加000" not in last
    found = client.get(f"/manage/events/{summit.slug}/invites?q=参加07").get_data(as_text=True)
    assert "10 of 120 people" in found and "参加070" in found and "参加100" not in found
    by_mail = client.get(f"/manage/events/{summit.slug}/invites?q=P119%40CITY").get_data(as_text=True)
    assert "1 of 120 people" in by_mail
    answered = client.get(f"/manage/events/{summit.slug}/invites?answer=no").get_data(as_text=True)
    assert "1 of 120 people" in answered and "参加119" in answered
    assert client.get(f"/manage/events/{summit.slug}/invites?page=99").status_code == 200
    assert client.get(f"/manage/events/{summit.slug}/invites?page=-3&state=bogus").status_code == 200
