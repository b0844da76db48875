"""Tsunagu: online summits and world cafés. `create_app` builds the Flask app and nothing else."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from flask import Flask

from app.config import load_config

# Modules exposing a blueprint `bp`, registered in this order.
BLUEPRINTS = (
    "app.auth.views",
    "app.events.views",
    "app.api.views",
    "app.participants.views",
    "app.participants.public",
    "app.cafe.views",
    "app.cafe.exports",
    "app.cafe.zoom",
    "app.cafe.api",
    "app.invites.views",
    "app.webhooks.views",
    "app.reports.views",
    "app.reports.editor",
    "app.reports.public",
    "app.reports.api",
    "app.notes.views",
    "app.day.views",
    "app.day.api",
    "app.connections.views",
    "app.connections.api",
    "app.connections.manage",
)

# Each of these modules exposes `register(app)` adding its CLI commands.
CLI_MODULES = (
    "app.auth.cli",
    "app.demo.cli",
    "app.cafe.cli",
    "app.outbox.cli",
    "app.jobs.cli",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers, CLI, template helpers."""
    root = Path(__file__).resolve().parent
    app = Flask(
        __name__,
        template_folder=str(root.parent / "templates"),
        static_folder=str(root.parent / "static"),
        instance_relative_config=True,
    )
    app.config.update(load_config(Path(app.instance_path), config))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    from app import errors, i18n, models, pagination, security, sqlcount, templating  # noqa: F401  (models: the whole schema)
    from app.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(root.parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    _make_sqlite_behave(app)
    sqlcount.init_app(app)
    pagination.init_app(app)

    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).bp)
    for name in CLI_MODULES:
        importlib.import_module(name).register(app)
    return app


def _make_sqlite_behave(app: Flask) -> None:
    """Make SQLite enforce foreign keys and keep savepoints inside the transaction, as PostgreSQL does."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from app.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    with app.app_context():
        engine: Engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "savepoint")
    def _on_savepoint(connection: Any, _name: str) -> None:
        # The sqlite3 module begins a transaction only before a write: a SAVEPOINT opened outside one would
        # start its own and commit on release. Begin first, so the savepoint nests as on PostgreSQL.
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")
