"""Guard rails: the migrations build exactly the models' schema, and there is one Alembic head."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db as _db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_there_is_one_head() -> None:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.fixture()
def migrated_app(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """An app on a database of its own, built only by the migrations (same kind as the test database)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        target = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    else:
        name = f"{url.database}_migrations"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        target = url.set(database=name).render_as_string(hide_password=False)
    migrated = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": target})
    with migrated.app_context():
        yield migrated
        _db.session.remove()
        _db.engine.dispose()


def test_migrations_and_models_agree(migrated_app: Flask) -> None:
    upgrade(directory=str(MIGRATIONS))
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == []


def test_migrations_downgrade_to_nothing(migrated_app: Flask) -> None:
    upgrade(directory=str(MIGRATIONS))
    downgrade(directory=str(MIGRATIONS), revision="base")
    remaining = MetaData()
    remaining.reflect(bind=_db.engine)
    assert set(remaining.tables) <= {"alembic_version"}
