"""Pages of long lists (participants, links, the plan's grid and paths): one page of rows, counts over all.

`Pager` says which slice to show; `page_url` (a template global) builds the link to another page of the same
view, keeping its other query arguments (search, filters, the other lists' pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, request, url_for
from sqlalchemy import Select, func, select

from app.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def start(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def first(self) -> int:
        """The number of the first row shown (1-based; 0 when there are none)."""
        return self.start + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)

    def slice(self, items: list[T]) -> list[T]:
        return items[self.start : self.start + self.per_page]


def pager(total: int, per_page: int, wanted: int | None) -> Pager:
    """The page asked for, kept within 1..pages."""
    pages = max(1, -(-total // per_page))
    return Pager(page=min(max(1, wanted or 1), pages), pages=pages, total=total, per_page=per_page)


def page_arg(name: str = "page") -> int:
    """A page number from the query string; anything else is page 1."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def paginate(query: Select[tuple[T]], per_page: int, wanted: int | None) -> tuple[list[T], Pager]:
    """One page of an ordered query's rows, and the pager: two statements whatever the total."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    where = pager(total, per_page, wanted)
    return list(db.session.scalars(query.limit(per_page).offset(where.start))), where


def page_url(param: str, number: int, anchor: str = "") -> str:
    """This view again with `param` set to `number`, the other query arguments kept."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != param}
    if number > 1:
        args[param] = number
    return url_for(str(request.endpoint), **(request.view_args or {}), **args) + anchor


def init_app(app: Flask) -> None:
    """Make `page_url` available to the templates' pager macro."""
    app.add_template_global(page_url, "page_url")
