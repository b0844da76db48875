"""Schedule maths: overlaps, windows, shifting, now/next, splitting a café into rounds."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.schedule import ProblemKind, Slot, current_and_next, overlaps, shift, slot_problems, split_evenly


def at(hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 7, 25, hour, minute, tzinfo=UTC)


WINDOW = Slot("event", at("04:00"), at("09:30"))
TALK = Slot("talk", at("04:10"), at("04:50"))
PANEL = Slot("panel", at("05:00"), at("06:00"))
CAFE = Slot("cafe", at("06:10"), at("07:25"))


def test_back_to_back_items_do_not_overlap() -> None:
    assert not overlaps(TALK, Slot("x", at("04:50"), at("05:00")))
    assert overlaps(TALK, Slot("x", at("04:49"), at("05:00")))


@pytest.mark.parametrize(
    ("slot", "kind"),
    [
        (Slot("new", at("04:30"), at("04:20")), ProblemKind.ENDS_BEFORE_START),
        (Slot("new", at("03:50"), at("04:05")), ProblemKind.OUTSIDE_WINDOW),
        (Slot("new", at("09:00"), at("09:45")), ProblemKind.OUTSIDE_WINDOW),
        (Slot("new", at("04:40"), at("05:10")), ProblemKind.OVERLAP),
    ],
)
def test_problems_are_named(slot: Slot, kind: ProblemKind) -> None:
    problems = slot_problems(slot, WINDOW, [TALK, PANEL])
    assert kind in {p.kind for p in problems}


def test_overlap_names_both_items() -> None:
    [problem] = slot_problems(Slot("new", at("04:40"), at("04:55")), WINDOW, [TALK, PANEL])
    assert (problem.key, problem.other) == ("new", "talk")


def test_a_slot_does_not_overlap_itself() -> None:
    assert slot_problems(TALK, WINDOW, [TALK, PANEL]) == []


def test_shift_moves_following_items_by_the_same_amount() -> None:
    moved = {s.key: s for s in shift([TALK, PANEL, CAFE], "panel", at("05:15"), move_following=True)}
    assert moved["talk"] == TALK
    assert moved["panel"].starts_at == at("05:15") and moved["panel"].ends_at == at("06:15")
    assert moved["cafe"].starts_at == at("06:25") and moved["cafe"].ends_at == at("07:40")


def test_shift_alone_leaves_the_others() -> None:
    moved = {s.key: s for s in shift([TALK, PANEL, CAFE], "panel", at("05:05"), move_following=False)}
    assert moved["cafe"] == CAFE
    assert moved["panel"].starts_at == at("05:05")


def test_current_and_next() -> None:
    slots = [TALK, PANEL, CAFE]
    assert current_and_next(slots, at("03:00")) == (None, TALK)
    assert current_and_next(slots, at("04:10")) == (TALK, PANEL)
    assert current_and_next(slots, at("04:55")) == (None, PANEL)
    assert current_and_next(slots, at("07:25")) == (None, None)


def test_split_evenly_into_rounds_with_gaps() -> None:
    parts = split_evenly(Slot("cafe", at("06:10"), at("07:25")), 3, gap=timedelta(minutes=3))
    assert parts[0] == (at("06:10"), at("06:33"))
    assert parts[1][0] == at("06:36")
    assert parts[-1][1] <= at("07:25")


def test_split_refuses_too_many_parts() -> None:
    with pytest.raises(ValueError):
        split_evenly(Slot("cafe", at("06:10"), at("06:20")), 4, gap=timedelta(minutes=5))
