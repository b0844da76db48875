"""The live timetable: the one definition of "started", and the organiser's clock moves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain import clock
from app.domain.clock import ClockError, RoundTimes


def at(hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 7, 25, hour, minute, tzinfo=UTC)


# Three rounds of 20 minutes with 5-minute moves: 14:00–14:20, 14:25–14:45, 14:50–15:10.
ROUNDS = [
    RoundTimes(1, 1, at("14:00"), at("14:20")),
    RoundTimes(2, 2, at("14:25"), at("14:45")),
    RoundTimes(3, 3, at("14:50"), at("15:10")),
]


def times(rounds: list[RoundTimes]) -> list[tuple[datetime, datetime]]:
    return [(r.starts_at, r.ends_at) for r in sorted(rounds, key=lambda r: r.number)]


def test_started_is_the_live_start_else_the_planned_one() -> None:
    assert clock.has_started(at("14:00"), None, at("14:00"))
    assert not clock.has_started(at("14:00"), None, at("13:59"))
    assert clock.has_started(at("14:00"), at("13:50"), at("13:55"))  # started early by hand
    assert not clock.has_started(at("14:00"), at("14:10"), at("14:05"))  # postponed
    assert clock.last_started(ROUNDS, at("14:30")) == 2
    assert clock.last_started(ROUNDS, at("13:00")) == 0


def test_start_next_between_rounds_pulls_the_rest_forward() -> None:
    after = clock.start_next(ROUNDS, at("14:22"))
    assert times(after) == [
        (at("14:00"), at("14:20")),
        (at("14:22"), at("14:42")),
        (at("14:47"), at("15:07")),
    ]
    assert [r.moved for r in after] == [False, True, True]
    assert [r.number for r in clock.changed(ROUNDS, after)] == [2, 3]


def test_start_next_while_a_round_runs_ends_it_now() -> None:
    after = clock.start_next(ROUNDS, at("14:10"))
    assert times(after)[:2] == [(at("14:00"), at("14:10")), (at("14:10"), at("14:30"))]
    assert clock.running(after, at("14:10")).number == 2  # type: ignore[union-attr]


def test_start_next_refuses_another_round_and_the_end() -> None:
    with pytest.raises(ClockError) as error:
        clock.start_next(ROUNDS, at("14:10"), key=3)
    assert error.value.reason == clock.NOT_NEXT
    with pytest.raises(ClockError) as error:
        clock.start_next(ROUNDS, at("15:00"))
    assert error.value.reason == clock.NOTHING_TO_START


def test_extend_the_running_round_moves_the_later_ones() -> None:
    after = clock.extend(ROUNDS, 5, at("14:30"))
    assert times(after) == [
        (at("14:00"), at("14:20")),
        (at("14:25"), at("14:50")),
        (at("14:55"), at("15:15")),
    ]
    shorter = clock.extend(ROUNDS, -10, at("14:30"))
    assert times(shorter)[1:] == [(at("14:25"), at("14:35")), (at("14:40"), at("15:00"))]


def test_shortening_into_the_past_or_beyond_four_hours_is_refused() -> None:
    with pytest.raises(ClockError) as error:
        clock.extend(ROUNDS, -15, at("14:32"))
    assert error.value.reason == clock.ENDS_IN_THE_PAST
    with pytest.raises(ClockError) as error:
        clock.extend(ROUNDS, 600, at("14:32"))
    assert error.value.reason == clock.TOO_LONG


def test_between_rounds_extend_postpones_the_next_round() -> None:
    after = clock.extend(ROUNDS, 10, at("14:22"))
    assert times(after) == [
        (at("14:00"), at("14:20")),
        (at("14:35"), at("14:55")),
        (at("15:00"), at("15:20")),
    ]


def test_end_now_keeps_the_break_before_the_next_round() -> None:
    after = clock.end_now(ROUNDS, at("14:35"))
    assert times(after)[1:] == [(at("14:25"), at("14:35")), (at("14:40"), at("15:00"))]
    with pytest.raises(ClockError):
        clock.end_now(ROUNDS, at("14:22"))  # nothing runs between rounds


def test_started_rounds_never_move() -> None:
    for move in (
        lambda: clock.extend(ROUNDS, 7, at("14:30")),
        lambda: clock.end_now(ROUNDS, at("14:30")),
        lambda: clock.start_next(ROUNDS, at("14:30")),
    ):
        after = {r.number: r for r in move()}
        assert after[1].starts_at == at("14:00") and after[1].ends_at == at("14:20")
        assert after[2].starts_at == at("14:25")  # running: its start is kept, only its end moves


def test_moving_back_to_the_planned_times_forgets_the_live_ones() -> None:
    later = clock.extend(ROUNDS, 5, at("14:30"))
    back = clock.extend(later, -5, at("14:31"))
    assert all(r.live_start is None and r.live_end is None for r in back)
