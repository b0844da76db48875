"""Counts the SQL statements of each request, for the benchmarks: off unless SQL_COUNT_HEADER is set.

When on, every response carries `X-SQL-Statements: <n>`. When off, nothing is registered, so production
pays nothing for it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, has_request_context
from sqlalchemy import event


def init_app(app: Flask) -> None:
    """Listen to the engine and add the header, only when the configuration asks for it."""
    if not app.config.get("SQL_COUNT_HEADER"):
        return
    from app.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        if has_request_context():
            g.sql_statements = g.get("sql_statements", 0) + 1

    @app.after_request
    def _header(response: Response) -> Response:
        response.headers["X-SQL-Statements"] = str(g.get("sql_statements", 0))
        return response
