"""A database that cannot be reached answers a clear 503 page (with Retry-After), not a 500."""

from __future__ import annotations

import socket
from pathlib import Path

from app import create_app


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the socket is closed


def test_an_unreachable_database_is_a_503_page(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "outage",
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/tsunagu",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "connect_args": {"connect_timeout": 2}},
            "BABEL_DEFAULT_LOCALE": "en",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "database cannot be reached" in page.get_data(as_text=True)
    japanese = client.get("/events/summit-2026", headers={"Accept-Language": "ja"})
    assert japanese.status_code == 503 and "データベースに接続できません" in japanese.get_data(as_text=True)
    api = client.get("/api/v1/events")
    assert api.status_code == 503 and api.is_json
