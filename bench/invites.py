"""Bench: queue invitations for 120 people (4 café rounds), build personal and public calendars; prints timings."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from app import create_app
from app.extensions import db


def main() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        db.create_all()
        from app.invites import services
        from tests import factories
        from tests.factories_invites import make_room

        event = factories.make_event()
        factories.make_item(event=event)
        cafe = factories.make_cafe(event=event, rounds=4)
        people = [factories.make_participant(event=event) for _ in range(120)]
        rooms = [make_room(item=cafe, name=f"部屋{n + 1}", host=people[n]) for n in range(20)]
        from app.cafe.models import Seat

        for r_index, round_ in enumerate(cafe.rounds):
            for p_index, person in enumerate(people[20:]):
                room = rooms[(p_index + r_index * 7) % 20]
                db.session.add(Seat(round=round_, room=room, participant=person, published=True))
        db.session.commit()
        organizer = event.organizers[0]
        now = datetime(2026, 7, 20, tzinfo=UTC)

        start = time.perf_counter()
        result = services.queue_invites(event, organizer, services.Audience.ALL, now)
        elapsed = time.perf_counter() - start
        print(
            f"queue_invites ALL: {result.requests} emails in {elapsed:.2f} s ({elapsed / result.requests * 1000:.1f} ms each)"
        )

        start = time.perf_counter()
        rows = services.invite_rows(event)
        print(f"invite_rows (organiser page data): {len(rows)} rows in {time.perf_counter() - start:.2f} s")

        start = time.perf_counter()
        for person in people[:20]:
            feed = services.personal_calendar(person, now + timedelta(minutes=1))
        print(f"personal_calendar: {(time.perf_counter() - start) / 20 * 1000:.1f} ms each, {len(feed.body)} bytes")

        start = time.perf_counter()
        public = services.public_calendar(event, now)
        print(f"public_calendar: {(time.perf_counter() - start) * 1000:.1f} ms, {len(public.body)} bytes")


if __name__ == "__main__":
    main()
