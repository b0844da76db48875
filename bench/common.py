"""What the benchmarks share: the app on a database of their own, its schema made fresh."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import MetaData

from app import create_app
from app.extensions import db


def bench_app(url: str, folder: str, **config: Any) -> Flask:
    """The app on `url` (a database only the bench uses), testing-style: no CSRF, a real-looking sender."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "MAIL_FROM": "summit@city.kobe.lg.jp",
            "SERVER_NAME": "tsunagu.test",
            "UPLOAD_FOLDER": folder,
            **config,
        }
    )


def fresh_schema(app: Flask) -> None:
    """Drop whatever tables the database holds (PostgreSQL keeps them between runs) and create the models'."""
    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        db.create_all()
