"""Pure calendar rules: a café's entries (opening, rounds, close), refresh hints, "what changed", senders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import calendar as rules
from app.domain.mail import SenderProblem, sender_problem

T = datetime(2026, 7, 25, 5, 0, tzinfo=UTC)


def _round(id_: int, number: int, start: int, minutes: int = 20) -> rules.RoundSpec:
    return rules.RoundSpec(id_, number, T + timedelta(minutes=start), T + timedelta(minutes=start + minutes))


def test_a_talk_is_one_entry() -> None:
    [entry] = rules.segments(rules.ItemSpec(4, T, T + timedelta(minutes=40)))
    assert (entry.key, entry.part, entry.starts_at, entry.ends_at) == (
        "item-4",
        rules.Part.WHOLE,
        T,
        T + timedelta(minutes=40),
    )


def test_a_cafe_is_an_opening_one_entry_per_round_and_a_close() -> None:
    item = rules.ItemSpec(5, T, T + timedelta(minutes=90), (_round(12, 2, 35), _round(11, 1, 10), _round(13, 3, 60)))
    found = rules.segments(item)
    assert [s.key for s in found] == ["item-5", "round-11", "round-12", "round-13", "item-5-close"]
    assert [s.part for s in found] == [rules.Part.OPENING] + [rules.Part.ROUND] * 3 + [rules.Part.CLOSE]
    assert (found[0].starts_at, found[0].ends_at) == (T, T + timedelta(minutes=10))
    assert (found[-1].starts_at, found[-1].ends_at) == (T + timedelta(minutes=80), T + timedelta(minutes=90))
    assert [s.round.number for s in found[1:4]] == [1, 2, 3]  # type: ignore[union-attr]


def test_rounds_filling_the_cafe_leave_no_opening_or_close() -> None:
    item = rules.ItemSpec(5, T, T + timedelta(minutes=45), (_round(1, 1, 0), _round(2, 2, 25)))
    assert [s.key for s in rules.segments(item)] == ["round-1", "round-2"]


def test_refresh_interval_follows_the_day() -> None:
    start, end = T, T + timedelta(hours=5)
    assert rules.refresh_interval(start - timedelta(days=3), start, end) == timedelta(hours=1)
    assert rules.refresh_interval(start - timedelta(hours=20), start, end) == timedelta(minutes=15)
    assert rules.refresh_interval(start + timedelta(hours=1), start, end) == timedelta(minutes=15)
    assert rules.refresh_interval(end, start, end) == timedelta(days=1)


def _facts(**entries: dict[str, object]) -> dict[str, object]:
    return {"meeting": "https://zoom.us/j/1", "page": "abc", "entries": entries}


def _entry(start: str, **values: object) -> dict[str, object]:
    return {
        "start": start,
        "end": start,
        "title": "ワールドカフェ",
        "room": "",
        "host": None,
        "hosting": False,
        "link": "",
        **values,
    }


def test_changes_name_only_what_changed_in_programme_order() -> None:
    before = _facts(
        **{"round-2": _entry("b", round=2, room="A"), "round-1": _entry("a", round=1, room="A"), "item-9": _entry("c")}
    )
    after = _facts(
        **{
            "round-1": _entry("a", round=1, room="A"),
            "round-2": _entry("b", round=2, room="C"),
            "round-3": _entry("d", round=3),
        }
    )
    found = rules.changes(before, after)
    assert [(c.kind, c.key) for c in found] == [
        (rules.ChangeKind.ROOM, "round-2"),
        (rules.ChangeKind.REMOVED, "item-9"),
        (rules.ChangeKind.ADDED, "round-3"),
    ]
    assert found[0].before["room"] == "A" and found[0].after["room"] == "C"  # type: ignore[index]


def test_changes_of_time_host_link_meeting_and_page() -> None:
    before = _facts(**{"round-1": _entry("a", room="A", host=["後藤", "好美"], link="x")})
    after = {
        "meeting": "https://zoom.us/j/2",
        "page": "new",
        "entries": {"round-1": {**_entry("a", room="A", host=["山田", "花子"], link="y"), "end": "z"}},
    }
    kinds = [c.kind for c in rules.changes(before, after)]
    assert kinds == [
        rules.ChangeKind.MEETING,
        rules.ChangeKind.PAGE,
        rules.ChangeKind.TIME,
        rules.ChangeKind.HOST,
        rules.ChangeKind.LINK,
    ]
    assert rules.changes(after, after) == []


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("", SenderProblem.MISSING),
        ("   ", SenderProblem.MISSING),
        ("tsunagu", SenderProblem.MALFORMED),
        ("a b@city.kobe.lg.jp", SenderProblem.MALFORMED),
        ("tsunagu@localhost", SenderProblem.PLACEHOLDER),
        ("root@myhost", SenderProblem.PLACEHOLDER),
        ("noreply@example.com", SenderProblem.PLACEHOLDER),
        ("summit@mail.example.org", SenderProblem.PLACEHOLDER),
        ("summit@city.test", SenderProblem.PLACEHOLDER),
        ("summit@tsunagu.local", SenderProblem.PLACEHOLDER),
        ("summit@127.0.0.1", SenderProblem.PLACEHOLDER),
        ("summit@city.kobe.lg.jp", None),
        ("Tsunagu.Summit@Example-City.JP", None),
    ],
)
def test_sender_problems(address: str, problem: SenderProblem | None) -> None:
    assert sender_problem(address) == problem
