"""The planner between the database and the engine: instance building, write-back, publish, re-plan."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.cafe import planner, queries, services
from app.cafe.models import Seat
from app.db import utcnow
from app.domain import rotation, seating
from app.extensions import db as sa
from app.participants.models import Role, Status
from tests.factories_cafe import make_cafe_event, make_person
from tests.instants import BEFORE_SUMMIT, EVENT_START


def test_build_instance_and_write_back(db: object) -> None:
    cafe = make_cafe_event(people=20, facilitators=5, rounds=3)
    cafe.people[0].status = Status.CANCELLED
    cafe.people[1].joins_round = 2
    staff = make_person(cafe.event, 500, role=Role.STAFF)
    services.add_keep_apart(cafe.item, cafe.people[2].id, cafe.people[3].id)
    data = planner.load(cafe.item)
    instance = planner.build_instance(data, seed=5)
    ids = {p.id for p in instance.people}
    assert str(cafe.people[0].id) not in ids and str(staff.id) not in ids
    late = next(p for p in instance.people if p.id == str(cafe.people[1].id))
    assert late.rounds == frozenset({2, 3})
    assert [r.host for r in instance.rooms] == [str(p.id) for p in cafe.facilitators]
    assert instance.keep_apart == ((str(cafe.people[2].id), str(cafe.people[3].id)),)
    assert (instance.size_min, instance.size_max, instance.rounds) == (4, 6, 3)

    services.generate(cafe.item, seed=5)
    data = planner.load(cafe.item)
    assert rotation.validate(instance, data.draft) == []
    assert sa.session.scalar(select(func.count()).select_from(Seat)) == 23 + 24 * 2
    record = queries.plan_record(cafe.item)
    assert record is not None and record.seed == 5 and record.stats["repeat_pairs"] == 0


def test_replan_keeps_history_and_changes_few_seats(db: object) -> None:
    cafe = make_cafe_event(people=95, facilitators=25, rounds=4, starts_at=EVENT_START)
    for r in cafe.item.rounds[1:]:  # round 1 has been held, rounds 2-4 are still ahead
        r.starts_at += timedelta(days=36500)
        r.ends_at += timedelta(days=36500)
    services.add_keep_apart(cafe.item, cafe.people[10].id, cafe.people[11].id)
    services.generate(cafe.item, seed=8, now=BEFORE_SUMMIT)
    services.publish(cafe.item, 4, confirm=False, now=BEFORE_SUMMIT)
    before = planner.load(cafe.item)
    # On the day: five absent, two latecomers from round 2, one facilitator lost.
    gone = cafe.people[:5]
    services.mark_absent(cafe.item, [p.id for p in gone] + [cafe.facilitators[0].id])
    for n in range(2):
        late = make_person(cafe.event, 700 + n, org="遅刻市")
        late.joins_round = 2
    sa.session.commit()
    result = services.replan(cafe.item, 2)
    after = planner.load(cafe.item)
    assert after.draft[0] == before.published[0]  # round 1 kept exactly as held
    assert result.stats.repeat_pairs == 0 and result.stats.keep_apart_violations == 0
    changes = seating.changes(before.published, after.draft, 2)
    forced = 3 * (len(gone) + 1 + 2)  # the absent leave and the latecomers arrive in rounds 2-4
    assert result.changed == len(changes)
    assert len(changes) <= forced + 30, len(changes)  # only a few seats beyond the forced ones
    assert not [c for c in changes if c.round_no == 1]
    assert queries.review(cafe.item, utcnow()).problems == []
    # Publishing shows the changes first, then publishes rounds 2-4 only.
    pending = planner.pending_changes(after)
    assert len(pending) == len(changes)
    assert services.publish(cafe.item, 4, confirm=True) == [2, 3, 4]


def test_zero_repeats_on_a_summit_sized_cafe(db: object) -> None:
    cafe = make_cafe_event(people=100, facilitators=20, rooms=24, rounds=4)
    services.add_keep_apart(cafe.item, cafe.people[0].id, cafe.people[1].id)
    result = services.generate(cafe.item, seed=1)
    stats = result.stats
    assert (stats.repeat_pairs, stats.revisits, stats.keep_apart_violations) == (0, 0, 0)
    assert 4 <= stats.size_min <= stats.size_max <= 6
    review = queries.review(cafe.item, utcnow())
    assert review.verdict.kind == "none"
    assert len(review.grid) == 24 and len(review.paths) == 120


def test_hand_edits_are_measured_live(db: object) -> None:
    cafe = make_cafe_event(people=20, facilitators=5, rounds=3)
    services.generate(cafe.item, seed=2)
    data = planner.load(cafe.item)
    # Put two people who met in round 1 together again in round 2.
    room1 = data.draft[0][str(cafe.rooms[0].id)]
    a, b = int(room1[1]), int(room1[2])
    target = next(int(r) for r, m in data.draft[1].items() if str(a) in m)
    services.move_person(cafe.item, 2, b, target)
    review = queries.review(cafe.item, utcnow())
    assert review.stats.repeat_pairs >= 1
    assert review.verdict.kind in ("maybe_better", "above_bound")
