"""Bench: invitations at 120 and 2,000 people through the organiser's own routes: queueing (the send
request), the invites page once invitations exist, the preview, and the calendar feeds. Prints the time,
the SQL statements and the page weight per step.

    .venv/bin/python bench/invites.py [--sizes 120,2000] [--repeat 3]
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_h2   (default: a SQLite file)

Before issue 11 (PostgreSQL, gunicorn, 2,000 people): queueing 18.4 s and ~45,000 statements in the
request; the invites page 5.7 s and ~15,000 statements every time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from app.extensions import db
from bench.common import bench_app, fresh_schema

ROUNDS = 3
ROOM_SIZE = 6


class Statements:
    """Counts the SQL statements the engine executes."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: object) -> None:
        self.count += 1


@contextmanager
def counted() -> Iterator[Statements]:
    counter = Statements()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)


def seed(people: int):  # type: ignore[no-untyped-def]
    """A summit of `people`: a talk, a café with rooms of six (a host each) and published seats."""
    from app.cafe.models import Room, Seat
    from app.participants.models import Participant
    from tests import factories

    organizer = factories.make_organizer(email=f"bench{people}@city.kobe.lg.jp")
    event_ = factories.make_event(organizer=organizer, title=f"ベンチマーク・サミット（{people}人）")
    factories.make_item(event=event_, title="事例紹介")
    cafe = factories.make_cafe(event=event_, rounds=ROUNDS)
    everyone = [
        Participant(
            event=event_,
            family_name=f"参加{n}",
            given_name="花子",
            email=f"person{n}@city{n % 90}.lg.jp",
            organization=f"{n % 47}県",
        )
        for n in range(people)
    ]
    db.session.add_all(everyone)
    db.session.flush()
    rooms_count = max(1, people // ROOM_SIZE)
    rooms = [
        Room(
            item=cafe,
            name=f"ルーム{n + 1}",
            host=everyone[n],
            breakout_url=f"https://zoom.us/j/1?room={n + 1}",
            position=n,
        )
        for n in range(rooms_count)
    ]
    db.session.add_all(rooms)
    db.session.flush()
    guests = everyone[rooms_count:]
    for r_index, round_ in enumerate(cafe.rounds):
        for g_index, person in enumerate(guests):
            db.session.add(
                Seat(
                    round=round_, room=rooms[(g_index + r_index * 7) % rooms_count], participant=person, published=True
                )
            )
    db.session.commit()
    return organizer, event_, everyone


def measure(app, people: int, repeat: int) -> list[str]:  # type: ignore[no-untyped-def]
    from tests import factories

    lines = []
    with app.app_context():
        organizer, event_, everyone = seed(people)
        slug, token = event_.slug, everyone[-1].token
        client = app.test_client()
        client.post("/login", data={"email": organizer.email, "password": factories.PASSWORD})

        def step(name: str, method: str, path: str, **kwargs: object) -> None:
            times, statements, size = [], 0, 0
            for _ in range(repeat if method == "GET" else 1):
                db.session.remove()
                with counted() as counter:
                    start = time.perf_counter()
                    response = getattr(client, method.lower())(path, **kwargs)
                    times.append(time.perf_counter() - start)
                assert response.status_code in (200, 302, 304), (path, response.status_code)
                statements, size = counter.count, len(response.data)
            spread = f"{min(times):6.2f}–{max(times):.2f} s" if len(times) > 1 else f"{times[0]:6.2f} s"
            lines.append(f"{people:>6}  {name:<34} {spread:>16}  {statements:>7} SQL  {size / 1024:>8.1f} KiB")

        step("invites page (nothing sent)", "GET", f"/manage/events/{slug}/invites")
        step("preview (everyone)", "GET", f"/manage/events/{slug}/invites/preview?audience=all")
        step("send to everyone (queue)", "POST", f"/manage/events/{slug}/invites/send", data={"audience": "all"})
        from app.jobs import queue

        while queue.run_due().total:  # the worker builds the emails (timed in bench/jobs.py)
            pass
        step("invites page (all invited)", "GET", f"/manage/events/{slug}/invites")
        step("invites page, search", "GET", f"/manage/events/{slug}/invites?q=person1")
        step("invites page, page 20", "GET", f"/manage/events/{slug}/invites?page=20")
        step("personal feed", "GET", f"/p/{token}/calendar.ics")
        step("public feed", "GET", f"/events/{slug}/calendar.ics")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="120,2000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
    app = bench_app(url, folder)
    fresh_schema(app)
    print(
        f"database: {url.split(':', 1)[0]}; rooms of {ROOM_SIZE}, {ROUNDS} café rounds; GET steps repeated {args.repeat}×"
    )
    print(f"{'people':>6}  {'step':<34} {'time':>16}  {'statements':>11}  {'size':>12}")
    for size in (int(s) for s in args.sizes.split(",")):
        for line in measure(app, size, args.repeat):
            print(line, flush=True)


if __name__ == "__main__":
    main()
