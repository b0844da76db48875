"""Bench: the people-you-met page, its live check, the vCard download and the organiser's network view, through
the real routes, at 120 and 2,000 people (rooms of five with a host, several rounds, a third of people sharing).
Prints the time and the SQL statements per request (median of --repeat runs).

    .venv/bin/python bench/connections.py [--sizes 120,2000] [--rounds 5] [--repeat 5]
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_h7   (default: a SQLite file)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import MetaData, event

from app import create_app
from app.extensions import db

ROOM_SIZE = 5


@contextmanager
def counted() -> Iterator[list[int]]:
    count = [0]

    def on_execute(*_args: object) -> None:
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


def seed(people: int, rounds: int):  # type: ignore[no-untyped-def]
    """A finished summit: a café of `rounds` rounds, rooms of five (a host each), random published seats."""
    from app.cafe.models import Room, Seat
    from app.connections.models import ContactCard
    from app.domain.connections import Audience
    from app.participants.models import Participant
    from tests import factories
    from tests.factories_cafe import ORGS

    rng = random.Random(people)
    organizer = factories.make_organizer(email=f"bench{people}@city.kobe.lg.jp")
    event_ = factories.make_event(organizer=organizer, slug=f"bench-{people}")
    cafe = factories.make_cafe(event=event_, rounds=rounds)
    rooms_n = people // ROOM_SIZE
    persons = [
        Participant(
            event_id=event_.id,
            family_name=f"参加{i}",
            given_name="花子",
            email=f"p{i}@example.lg.jp",
            organization=ORGS[i % len(ORGS)],
            prefecture=factories.PREFECTURES[i % len(factories.PREFECTURES)],
        )
        for i in range(people)
    ]
    db.session.add_all(persons)
    db.session.flush()
    hosts, guests = persons[:rooms_n], persons[rooms_n:]
    rooms = [Room(item_id=cafe.id, name=f"ルーム{i + 1}", host_id=h.id, position=i) for i, h in enumerate(hosts)]
    db.session.add_all(rooms)
    db.session.flush()
    for rnd in cafe.rounds:
        order = guests[:]
        rng.shuffle(order)
        db.session.add_all(
            Seat(round_id=rnd.id, room_id=rooms[i % rooms_n].id, participant_id=g.id, published=True)
            for i, g in enumerate(order)
        )
    for person in persons[::3]:
        db.session.add(
            ContactCard(participant_id=person.id, audience=Audience.EVERYONE, share_email=True, text="内線 1234")
        )
    db.session.commit()
    return event_, hosts, guests


def measure(label: str, call: Callable[[], object], repeat: int) -> None:
    times, cpu, statements = [], [], []
    for _ in range(repeat):
        with counted() as count:
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        statements.append(count[0])
    # The CPU time of this process (the app and SQLite run in it) stays comparable on a busy, shared machine.
    print(
        f"  {label:<42} median {statistics.median(times):8.1f} ms  (min {min(times):.1f}, max {max(times):.1f})"
        f"  cpu {statistics.median(cpu):6.1f} ms  {statistics.median(statements):.0f} statements"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="120,2000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-connections-")
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite")
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "TESTING": True}
    )
    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        db.create_all()
        client = app.test_client()
        print(f"database: {db.engine.dialect.name}")
        for size in (int(s) for s in args.sizes.split(",")):
            start = time.perf_counter()
            event_, hosts, guests = seed(size, args.rounds)
            print(
                f"{size} people, {args.rounds} rounds, rooms of {ROOM_SIZE} (seeded in {time.perf_counter() - start:.1f} s)"
            )
            holder, host, organizer = guests[len(guests) // 2], hosts[-1], event_.organizers[0]
            pages = [
                ("GET /p/<token>/people (participant)", f"/p/{holder.token}/people"),
                ("GET /p/<token>/people (facilitator)", f"/p/{host.token}/people"),
                ("GET /p/<token>/people/shared.json", f"/p/{holder.token}/people/shared.json"),
                ("GET /p/<token>/people/contacts.vcf", f"/p/{holder.token}/people/contacts.vcf"),
                ("GET /api/v1/me/<token>/people", f"/api/v1/me/{holder.token}/people"),
            ]
            for label, url in pages:
                measure(label, lambda url=url: client.get(url), args.repeat)
            client.post("/login", data={"email": organizer.email, "password": "correct horse battery"})
            stats = f"/manage/events/{event_.slug}/connections"
            measure(
                "GET /manage/events/<slug>/connections", lambda url=stats: client.get(url), max(1, args.repeat // 2)
            )
            client.post("/logout")


if __name__ == "__main__":
    main()
