"""The past is frozen: once a round has started (by the timetable or by hand), no path changes its seats."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.cafe import planner, publishing, queries, services
from app.cafe.models import PlanVersion, Seat
from app.cafe.planner import PlanError
from app.day import services as day_services
from app.extensions import db
from app.participants.models import Status
from tests.factories_cafe import Cafe, make_cafe_event, make_person
from tests.instants import FUTURE_SUMMIT

BEFORE = FUTURE_SUMMIT - timedelta(days=7)
# make_cafe_event: rounds of 20 minutes every 25 minutes from FUTURE_SUMMIT.
IN_ROUND_1 = FUTURE_SUMMIT + timedelta(minutes=10)
BETWEEN_1_AND_2 = FUTURE_SUMMIT + timedelta(minutes=22)
IN_ROUND_2 = FUTURE_SUMMIT + timedelta(minutes=35)


def seats(cafe: Cafe, number: int, *, published: bool = True) -> list[tuple[int, int]]:
    """The seats of one round, byte for byte: (room, person) pairs in order."""
    rnd = cafe.item.rounds[number - 1]
    rows = db.session.execute(
        select(Seat.room_id, Seat.participant_id)
        .where(Seat.round_id == rnd.id, Seat.published.is_(published))
        .order_by(Seat.room_id, Seat.participant_id)
    ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.fixture()
def cafe(db: object) -> Cafe:
    """A published plan, made the week before."""
    made = make_cafe_event(people=20, facilitators=5, rounds=3)
    services.generate(made.item, seed=3, now=BEFORE)
    publishing.publish(made.item, 3, confirm=False, now=BEFORE)
    return made


def test_replan_of_a_started_round_is_refused_and_the_form_offers_only_the_others(cafe: Cafe) -> None:
    with pytest.raises(PlanError, match="Round 1 has already started"):
        services.replan(cafe.item, 1, now=IN_ROUND_1)
    review = queries.review(cafe.item, IN_ROUND_1)
    assert review.started == 1 and [r.number for r in review.open_rounds] == [2, 3]


def test_a_round_started_by_hand_is_started_for_the_plan_too(cafe: Cafe) -> None:
    organizer = cafe.event.organizers[0]
    early = FUTURE_SUMMIT - timedelta(minutes=15)  # the talk overran… no: it ended early, round 1 starts now
    day_services.start_next_round(cafe.event, organizer, early)
    db.session.refresh(cafe.item.rounds[0])
    assert cafe.item.rounds[0].has_started(early) and not cafe.item.rounds[0].starts_at <= early
    with pytest.raises(PlanError, match="Round 1 has already started"):
        services.replan(cafe.item, 1, now=early)
    with pytest.raises(PlanError, match="already started"):
        services.move_person(cafe.item, 1, cafe.people[0].id, cafe.rooms[1].id, now=early)
    assert queries.review(cafe.item, early).started == 1


def test_absent_and_replan_from_the_next_round_keep_started_rounds_byte_for_byte(cafe: Cafe) -> None:
    held = {n: seats(cafe, n) for n in (1, 2)}
    gone = cafe.people[:3]
    services.mark_absent(cafe.item, [p.id for p in gone])
    late = make_person(cafe.event, 900, org="遅刻市")
    late.status, late.joins_round = Status.PRESENT, 3
    db.session.commit()
    result = services.replan(cafe.item, 3, now=IN_ROUND_2)
    assert result.changed > 0
    publishing.publish(cafe.item, 3, confirm=True, now=IN_ROUND_2)
    assert {n: seats(cafe, n) for n in (1, 2)} == held  # rounds 1 (held) and 2 (running) untouched
    assert {n: seats(cafe, n, published=False) for n in (1, 2)} == held
    round_3 = {person for _room, person in seats(cafe, 3)}
    assert late.id in round_3 and not {p.id for p in gone} & round_3


def test_publish_never_changes_a_started_round_even_with_confirmation(cafe: Cafe) -> None:
    held = seats(cafe, 1)
    data = planner.load(cafe.item)
    # A hand edit to round 1's draft made before the day, never published…
    room_of = {pid: int(room) for room, members in data.draft[0].items() for pid in members}
    mover = next(p for p in cafe.people if str(p.id) in room_of)
    other_room = next(r for r in cafe.rooms if r.id != room_of[str(mover.id)])
    services.move_person(cafe.item, 1, mover.id, other_room.id, now=BEFORE)
    # …is dropped once round 1 has started: publishing with confirmation leaves round 1 as it was.
    assert publishing.publish(cafe.item, 3, confirm=True, now=IN_ROUND_1) == []
    assert seats(cafe, 1) == held and seats(cafe, 1, published=False) == held
    assert queries.review(cafe.item, IN_ROUND_1).pending == []


def test_move_and_swap_in_a_started_round_are_refused(cafe: Cafe) -> None:
    data = planner.load(cafe.item)
    a, b = (int(m[-1]) for m in list(data.draft[1].values())[:2])
    with pytest.raises(PlanError, match="Round 2 has already started"):
        services.swap_people(cafe.item, 2, a, b, now=IN_ROUND_2)
    with pytest.raises(PlanError, match="Round 2 has already started"):
        services.move_person(cafe.item, 2, a, cafe.rooms[0].id, now=IN_ROUND_2)
    services.swap_people(cafe.item, 3, *(int(m[-1]) for m in list(data.draft[2].values())[:2]), now=IN_ROUND_2)


def test_full_regeneration_after_the_start_keeps_the_held_rounds(cafe: Cafe) -> None:
    held = seats(cafe, 1)
    result = services.generate(cafe.item, seed=99, now=BETWEEN_1_AND_2)
    assert result.stats.repeat_pairs == 0
    assert seats(cafe, 1, published=False) == held
    assert queries.plan_record(cafe.item).planned_from == 2  # type: ignore[union-attr]
    with pytest.raises(PlanError, match="Every round has started"):
        services.generate(cafe.item, seed=1, now=FUTURE_SUMMIT + timedelta(hours=2))


def test_a_late_arrival_cannot_join_a_round_that_has_started(cafe: Cafe) -> None:
    organizer = cafe.event.organizers[0]
    data = day_services.LateArrival("遅刻", "太郎", "late@example.lg.jp", "堺市")
    with pytest.raises(day_services.DayError, match="Round 2 has already started"):
        day_services.add_late_arrival(cafe.event, data, 2, organizer, now=IN_ROUND_2)
    person = day_services.add_late_arrival(cafe.event, data, None, organizer, now=IN_ROUND_2)
    assert person.joins_round == 3  # the next round to start


def test_a_running_round_may_only_lose_people_who_left(cafe: Cafe) -> None:
    held = seats(cafe, 1)
    in_round_2 = [pid for _room, pid in seats(cafe, 2)]
    gone, still_here = in_round_2[0], in_round_2[1]
    services.mark_absent(cafe.item, [gone])
    # Someone who is still here is never taken out, and a round that has ended keeps everyone.
    freed = services.release_from_running_round(cafe.item, [gone, still_here], now=IN_ROUND_2)
    assert freed == 2  # their published and draft seat of round 2
    remaining = [pid for _room, pid in seats(cafe, 2)]
    assert gone not in remaining and still_here in remaining
    assert seats(cafe, 1) == held
    with pytest.raises(PlanError, match="No round is running"):
        services.release_from_running_round(cafe.item, [gone], now=BETWEEN_1_AND_2)


def test_undo_the_last_publish_for_rounds_not_started(cafe: Cafe) -> None:
    before = {n: seats(cafe, n) for n in (1, 2, 3)}
    services.mark_absent(cafe.item, [cafe.people[0].id, cafe.people[1].id])
    services.replan(cafe.item, 2, now=IN_ROUND_1)
    publishing.publish(cafe.item, 3, confirm=True, now=IN_ROUND_1)
    assert seats(cafe, 2) != before[2]
    undone = publishing.undo_last_publish(cafe.item, now=IN_ROUND_1 + timedelta(minutes=1))
    assert undone.number == 2 and undone.undone_at is not None
    assert {n: seats(cafe, n) for n in (1, 2, 3)} == before  # participants see version 1 again
    # The undone plan stays in the draft: nothing is lost, and it can be discarded.
    assert queries.review(cafe.item, IN_ROUND_1).pending
    assert publishing.discard_draft(cafe.item, now=IN_ROUND_1) > 0
    assert {n: seats(cafe, n, published=False) for n in (2, 3)} == {n: before[n] for n in (2, 3)}
    with pytest.raises(PlanError, match="no publish to undo"):
        publishing.undo_last_publish(cafe.item, now=IN_ROUND_1)


def test_undo_never_touches_a_round_that_started_since(cafe: Cafe) -> None:
    services.mark_absent(cafe.item, [cafe.people[0].id])
    services.replan(cafe.item, 2, now=IN_ROUND_1)
    publishing.publish(cafe.item, 3, confirm=True, now=IN_ROUND_1)
    round_2 = seats(cafe, 2)
    publishing.undo_last_publish(cafe.item, now=IN_ROUND_2)  # round 2 has started meanwhile: only round 3 goes back
    assert seats(cafe, 2) == round_2
    versions = db.session.scalars(select(PlanVersion).order_by(PlanVersion.number)).all()
    assert [(v.number, v.rounds) for v in versions] == [(1, [1, 2, 3]), (2, [2, 3])]
    late = FUTURE_SUMMIT + timedelta(hours=3)
    services.replan(cafe.item, 3, now=IN_ROUND_2)
    publishing.publish(cafe.item, 3, confirm=True, now=IN_ROUND_2)
    with pytest.raises(PlanError, match="can no longer be undone"):
        publishing.undo_last_publish(cafe.item, now=late)


def test_every_publish_is_a_version_with_who_and_what(cafe: Cafe) -> None:
    organizer = cafe.event.organizers[0]
    services.mark_absent(cafe.item, [cafe.people[0].id])
    services.replan(cafe.item, 2, actor=organizer, now=BEFORE)
    publishing.publish(cafe.item, 3, confirm=True, actor=organizer, now=BEFORE + timedelta(minutes=1))
    latest = publishing.latest_version(cafe.item)
    assert latest is not None and latest.number == 2 and latest.organizer_id == organizer.id
    assert latest.rounds == [2, 3] and latest.changed > 0
    assert set(latest.seats) == {"1", "2", "3"}


def test_discard_with_nothing_to_discard_says_so(cafe: Cafe) -> None:
    with pytest.raises(PlanError, match="nothing to discard"):
        publishing.discard_draft(cafe.item, now=BEFORE)


def test_started_means_the_live_start(cafe: Cafe) -> None:
    """The one definition: live start if the clock moved the round, else the planned start."""
    rnd = cafe.item.rounds[1]
    assert not rnd.has_started(BETWEEN_1_AND_2) and rnd.has_started(rnd.starts_at)
    rnd.live_starts_at, rnd.live_ends_at = rnd.starts_at + timedelta(minutes=10), rnd.ends_at + timedelta(minutes=10)
    assert not rnd.has_started(rnd.starts_at) and rnd.has_started(rnd.starts_at + timedelta(minutes=10))
    assert isinstance(rnd.actual_starts_at, datetime)
