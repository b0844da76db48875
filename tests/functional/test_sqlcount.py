"""The benchmarks' statement counter: a header when SQL_COUNT_HEADER is on, nothing at all when off."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app import create_app
from app.extensions import db


def _app(tmp_path: Path, on: bool) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.sqlite'}",
            "SQL_COUNT_HEADER": on,
            "UPLOAD_FOLDER": str(tmp_path),
        }
    )
    with app.app_context():
        db.create_all()
    return app


def test_each_response_says_how_many_statements_it_ran(tmp_path: Path) -> None:
    app = _app(tmp_path, True)
    page = app.test_client().get("/")
    assert page.status_code == 200
    assert int(page.headers["X-SQL-Statements"]) >= 1  # the home page lists the events


def test_off_by_default(tmp_path: Path) -> None:
    app = _app(tmp_path, False)
    assert "X-SQL-Statements" not in app.test_client().get("/").headers
