"""Cross-cutting protections applied to every request: headers, the input guard, proxies, sessions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Install every protection on the app (called once from create_app, before the blueprints)."""
    from app.security import headers, input_guard, proxies

    headers.init_app(app)
    input_guard.init_app(app)
    proxies.init_app(app)
