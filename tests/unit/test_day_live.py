"""What is on now: the live timetable, rounds moved by hand, between rounds, before and after."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.live import ItemSlot, Phase, RoundSlot, moment, next_round_after
from app.domain.schedule import Slot


def at(hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 7, 25, hour, minute, tzinfo=UTC)


WINDOW = Slot("event", at("04:00"), at("09:30"))
R1 = RoundSlot("r1", 1, at("05:00"), at("05:20"))
R2 = RoundSlot("r2", 2, at("05:25"), at("05:45"))
R3 = RoundSlot("r3", 3, at("05:50"), at("06:10"))
TALK = ItemSlot("talk", at("04:00"), at("04:40"))
CAFE = ItemSlot("cafe", at("05:00"), at("06:15"), (R1, R2, R3))
PARTY = ItemSlot("party", at("06:30"), at("07:30"))
ITEMS = (TALK, CAFE, PARTY)


def test_before_the_event_points_at_the_start() -> None:
    m = moment(WINDOW, ITEMS, at("03:00"))
    assert m.phase == Phase.BEFORE and m.next_item == "talk" and m.next_starts_at == WINDOW.starts_at


def test_during_a_talk_next_is_the_cafe_and_its_first_round() -> None:
    m = moment(WINDOW, ITEMS, at("04:20"))
    assert (m.phase, m.item, m.round, m.next_item, m.next_round) == (Phase.DURING, "talk", None, "cafe", "r1")


def test_in_a_round_with_its_end() -> None:
    m = moment(WINDOW, ITEMS, at("05:10"))
    assert (m.item, m.round, m.round_ends_at, m.next_round) == ("cafe", "r1", at("05:20"), "r2")


def test_between_rounds_the_next_round_is_known() -> None:
    m = moment(WINDOW, ITEMS, at("05:22"))
    assert (m.item, m.round, m.next_round, m.next_starts_at) == ("cafe", None, "r2", at("05:25"))


def test_last_round_then_the_party() -> None:
    m = moment(WINDOW, ITEMS, at("06:00"))
    assert (m.round, m.next_item, m.next_round) == ("r3", "party", None)


def test_after_the_event() -> None:
    assert moment(WINDOW, ITEMS, at("10:00")).phase == Phase.AFTER


def test_round_boundaries_are_half_open() -> None:
    assert moment(WINDOW, ITEMS, at("05:20")).round is None
    assert moment(WINDOW, ITEMS, at("05:25")).round == "r2"


def test_a_round_started_early_by_hand_wins_over_the_talk() -> None:
    early = RoundSlot("r1", 1, at("04:15"), at("04:35"), moved=True)
    cafe = ItemSlot("cafe", at("05:00"), at("06:15"), (early, R2, R3))
    m = moment(WINDOW, (TALK, cafe, PARTY), at("04:20"))
    assert (m.item, m.round, m.round_ends_at, m.overridden) == ("cafe", "r1", at("04:35"), True)
    assert (m.next_round, m.next_starts_at) == ("r2", at("05:25"))


def test_between_rounds_inside_the_cafes_live_time_even_before_its_planned_start() -> None:
    early = RoundSlot("r1", 1, at("04:15"), at("04:35"), moved=True)
    cafe = ItemSlot("cafe", at("05:00"), at("06:15"), (early, R2, R3))
    m = moment(WINDOW, (TALK, cafe, PARTY), at("04:38"))
    assert (m.item, m.round, m.next_round, m.next_starts_at) == ("cafe", None, "r2", at("05:25"))


def test_a_last_round_extended_past_the_cafe_and_the_event_still_runs() -> None:
    late = RoundSlot("r3", 3, at("09:20"), at("09:50"), moved=True)
    cafe = ItemSlot("cafe", at("05:00"), at("06:15"), (R1, R2, late))
    m = moment(WINDOW, (TALK, cafe, PARTY), at("09:40"))
    assert (m.phase, m.round, m.round_ends_at, m.next_item) == (Phase.DURING, "r3", at("09:50"), "party")
    assert moment(WINDOW, (TALK, cafe, PARTY), at("09:50")).phase == Phase.AFTER


def test_a_delayed_round_keeps_the_cafe_current_over_the_next_item() -> None:
    r3 = RoundSlot("r3", 3, at("06:35"), at("06:55"), moved=True)
    cafe = ItemSlot("cafe", at("05:00"), at("06:15"), (R1, R2, r3))
    m = moment(WINDOW, (TALK, cafe, PARTY), at("06:32"))  # the party has begun by the programme
    assert (m.item, m.round, m.next_round, m.next_starts_at, m.overridden) == ("cafe", None, "r3", at("06:35"), True)


def test_before_the_event_next_is_the_first_items_own_time() -> None:
    opening = ItemSlot("opening", at("04:10"), at("04:40"))
    m = moment(WINDOW, (opening, CAFE), at("03:00"))
    assert (m.next_item, m.next_starts_at) == ("opening", at("04:10"))


def test_signature_changes_with_the_slot() -> None:
    assert moment(WINDOW, ITEMS, at("05:10")).signature() != moment(WINDOW, ITEMS, at("05:30")).signature()
    assert moment(WINDOW, ITEMS, at("05:10")).signature() == moment(WINDOW, ITEMS, at("05:15")).signature()


def test_next_round_after() -> None:
    assert next_round_after(ITEMS, None) == "r1"
    assert next_round_after(ITEMS, "r1") == "r2"
    assert next_round_after(ITEMS, "r3") is None
    assert next_round_after(ITEMS, "nope") is None
