"""Counting the real commits of an action: the unit of work says one action, one commit, made by the edge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session


@contextmanager
def counted_commits() -> Iterator[list[int]]:
    """Count the real commits of every session (a savepoint released is not one) while the block runs."""
    commits: list[int] = []

    def count(session: Session) -> None:
        if not session.in_nested_transaction():
            commits.append(1)

    sa_event.listen(Session, "after_commit", count)
    try:
        yield commits
    finally:
        sa_event.remove(Session, "after_commit", count)
