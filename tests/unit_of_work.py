"""Checks of the unit of work (docs/architecture.md, "How a transaction flows"): what a service leaves in the
session before its caller commits, and how many times one request commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

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


@contextmanager
def commits() -> Iterator[list[int]]:
    """Count the real commits of every session while the block runs (one request: one commit; a savepoint
    released is not one)."""
    count: list[int] = []

    def counted(session: Session) -> None:
        if not session.in_nested_transaction():
            count.append(1)

    sa_event.listen(Session, "after_commit", counted)
    try:
        yield count
    finally:
        sa_event.remove(Session, "after_commit", counted)
