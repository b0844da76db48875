"""Checks of the unit of work (docs/architecture.md, "How a transaction flows"): what a service leaves in the
session before its caller commits (commits are counted by tests/commit_counting.py)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.extensions import db


def snapshot() -> list[tuple[str, list[str]]]:
    """Every row of every table, as text: two snapshots are equal when nothing was saved in between."""
    return [
        (table.name, sorted(repr(tuple(row)) for row in db.session.execute(select(table))))
        for table in db.metadata.sorted_tables
    ]


def undone_by_rollback(before: list[tuple[str, list[str]]]) -> bool:
    """Roll the session back and say whether the database is as `before` (a service that committed is not)."""
    db.session.rollback()
    return snapshot() == before


def check_left_to_the_caller(prepare: Callable[[], object], act: Callable[[], object], name: str) -> None:
    """After `prepare` (committed), run a service and check that it wrote something and that a rollback undoes
    it all: it left the commit to its caller."""
    prepare()
    db.session.commit()
    before = snapshot()
    act()
    assert snapshot() != before, f"{name} changed nothing: the check would prove nothing"
    assert undone_by_rollback(before), f"{name} committed on its own"
