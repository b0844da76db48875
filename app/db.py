"""Typed declarative base, constraint naming convention, an aware-UTC datetime type, and the two helpers of
the unit of work: a savepoint for writes the database decides, and hooks that run after the real commit (or
after a rollback, to undo what lies outside the database)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator, literal_column
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def revision_column() -> Any:
    """A counter that goes up by one on every UPDATE of its row, in SQL (no read first, no lost update).

    Read paths fingerprint a set of rows by (count, sum of revisions): any change, insert or delete moves it.
    """
    return mapped_column(default=1, onupdate=literal_column("revision + 1"))


def enum_type(cls: type[StrEnum], length: int = 20) -> Enum:
    """An enum stored as its values in a VARCHAR with a CHECK, the same on SQLite and PostgreSQL."""
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


def utcnow() -> datetime:
    """The one clock of the app: the current time, aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; always returns aware UTC (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def _session() -> Session:
    from app.extensions import db  # app.extensions builds its SQLAlchemy on this module's Base

    return db.session()


@contextmanager
def savepoint(refused: Callable[[IntegrityError], Exception] | None = None) -> Iterator[None]:
    """Make changes in a savepoint, written on leaving it: a write the database refuses (a unique value, a
    stale version) is undone alone and the caller's transaction goes on. `refused` turns the database's
    IntegrityError into the service's own error (a stale version raises StaleDataError as it is)."""
    try:
        with _session().begin_nested():
            yield
    except IntegrityError as error:
        if refused is None:
            raise
        raise refused(error) from error


_ON_COMMIT, _ON_ROLLBACK = "after_commit", "after_rollback"  # session.info keys of the waiting callbacks


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the caller has committed the current transaction; never if it is rolled back.

    For what must follow a real commit only (a cache told to forget, a signal to another process). The
    release of a savepoint is not the commit, and a rolled-back transaction drops the callback. The session
    gets its two listeners once (a worker keeps one session for its whole life: nothing piles up).
    """
    _pending(_session(), _ON_COMMIT).append(callback)


def after_rollback(callback: Callable[[], None]) -> None:
    """Run `callback` if the current transaction ends without a commit (rolled back, or the request failed and
    its session was closed); never once it is committed. For undoing what is outside the database: a file
    written for a row that never lands."""
    _pending(_session(), _ON_ROLLBACK).append(callback)


def _pending(session: Session, key: str) -> list[Callable[[], None]]:
    if _ON_COMMIT not in session.info:
        session.info[_ON_COMMIT], session.info[_ON_ROLLBACK] = [], []
        sa_event.listen(session, "after_commit", _committed)
        sa_event.listen(session, "after_transaction_end", _ended)
    callbacks: list[Callable[[], None]] = session.info[key]
    return callbacks


def _committed(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info[_ON_ROLLBACK].clear()
    _run(session.info[_ON_COMMIT])


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: committed (run above) or rolled back
        session.info[_ON_COMMIT].clear()
        _run(session.info[_ON_ROLLBACK])


def _run(pending: list[Callable[[], None]]) -> None:
    callbacks = list(pending)
    pending.clear()
    for callback in callbacks:
        callback()
