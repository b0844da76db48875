"""Configuration: defaults, overridden from the environment inside the factory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the configuration dict: defaults, then the environment, then explicit overrides."""
    instance_path.mkdir(parents=True, exist_ok=True)
    overrides = overrides or {}
    env = os.environ
    testing = bool(overrides.get("TESTING"))
    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or env.get(
        "DATABASE_URL", f"sqlite:///{instance_path / 'tsunagu.sqlite'}"
    )
    config: dict[str, Any] = {
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "ja",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
        "LANGUAGES": ("ja", "en"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", ""),
        # The login brake (app/domain/login_brake.py): per account (and per known browser) this many failures,
        # then waits doubling from LOGIN_BACKOFF_SECONDS up to LOGIN_BACKOFF_MAX_SECONDS; per client address
        # a much higher count. Counters are forgotten after LOGIN_WINDOW_SECONDS without attempts.
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", 5)),
        "LOGIN_ADDRESS_MAX_FAILURES": int(env.get("LOGIN_ADDRESS_MAX_FAILURES", 100)),
        "LOGIN_BACKOFF_SECONDS": int(env.get("LOGIN_BACKOFF_SECONDS", 60)),
        "LOGIN_BACKOFF_MAX_SECONDS": int(env.get("LOGIN_BACKOFF_MAX_SECONDS", 15 * 60)),
        "LOGIN_WINDOW_SECONDS": int(env.get("LOGIN_WINDOW_SECONDS", 15 * 60)),
        # Addresses (or networks, CIDR) of the reverse proxies in front of the app, comma-separated: only their
        # X-Forwarded-For / X-Forwarded-Proto are believed (app/security/proxies.py). Empty: no proxy trusted.
        "TRUSTED_PROXIES": env.get("TRUSTED_PROXIES", ""),
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER", str(instance_path / "uploads")),
        "SMTP_HOST": env.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": int(env.get("SMTP_PORT", 25)),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_TLS": env.get("SMTP_TLS", "none"),  # none | starttls | ssl
        "MAIL_FROM": env.get("MAIL_FROM", "tsunagu@localhost"),
        "WEBHOOK_ALLOW_PRIVATE": env.get("WEBHOOK_ALLOW_PRIVATE", "") == "1",
        # A CA bundle for webhook receivers whose certificate comes from an in-house CA (closed networks).
        "WEBHOOK_CA_BUNDLE": env.get("WEBHOOK_CA_BUNDLE", ""),
        # An organiser's session ends at logout (everywhere) and at the latest this long after login.
        "SESSION_MAX_AGE_SECONDS": int(env.get("SESSION_MAX_AGE_SECONDS", 12 * 3600)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "") == "1",
        "WTF_CSRF_TIME_LIMIT": None,
        # The day's personal pages (docs/day-caching.md). Every snapshot a worker keeps is checked against the
        # database at most this often: the one staleness bound of every change the pages show (tests: 0,
        # i.e. on every request).
        "DAY_LIVE_CHECK_SECONDS": 0.0 if testing else float(env.get("DAY_LIVE_CHECK_SECONDS", 1.0)),
        # Rendered pages and shared pieces, keyed by everything they show (so never stale): memory hygiene only.
        "DAY_PAGE_CACHE_SECONDS": float(env.get("DAY_PAGE_CACHE_SECONDS", 600.0)),
        # Benchmarks only (bench/scale.py): an X-SQL-Statements header on every response.
        "SQL_COUNT_HEADER": env.get("SQL_COUNT_HEADER", "") == "1",
        "DAY_FRAGMENT_CACHE_SECONDS": float(env.get("DAY_FRAGMENT_CACHE_SECONDS", 600.0)),
        # Background jobs (docs/jobs.md): larger work than this goes to the worker, smaller is done at once.
        "PARTICIPANT_IMPORT_BACKGROUND_ROWS": int(env.get("PARTICIPANT_IMPORT_BACKGROUND_ROWS", 1000)),
        "CAFE_BACKGROUND_PEOPLE": int(env.get("CAFE_BACKGROUND_PEOPLE", 400)),
        "REPORT_BACKGROUND_ROOMS": int(env.get("REPORT_BACKGROUND_ROOMS", 60)),
    }
    config.update(overrides)
    return config
