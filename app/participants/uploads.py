"""Uploaded CSV files kept between the preview and the import, under the instance folder with random names.

The browser only ever holds the random key; the file is read and validated again on every request.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from pathlib import Path

log = logging.getLogger(__name__)

_KEY = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_AGE_SECONDS = 24 * 3600


def _folder(upload_root: str) -> Path:
    folder = Path(upload_root) / "participant-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(upload_root: str, event_id: int, key: str) -> Path | None:
    # The key comes from the URL: only our own random keys make a path (no ../ tricks).
    if not _KEY.match(key):
        return None
    return _folder(upload_root) / f"{event_id}-{key}.csv"


def store(upload_root: str, event_id: int, data: bytes) -> str:
    """Keep an upload for an event; returns the key that names it."""
    _remove_stale(upload_root)
    key = secrets.token_urlsafe(32)
    path = _path(upload_root, event_id, key)
    assert path is not None
    path.write_bytes(data)
    path.chmod(0o600)
    log.info("import file stored for event %s (%s bytes)", event_id, len(data))
    return key


def load(upload_root: str, event_id: int, key: str) -> bytes | None:
    """An event's stored upload, or None if the key is unknown, expired or belongs to another event."""
    path = _path(upload_root, event_id, key)
    if path is None or not path.is_file():
        return None
    return path.read_bytes()


def discard(upload_root: str, event_id: int, key: str) -> None:
    """Delete an event's stored upload once it was imported or cancelled (unknown keys are ignored)."""
    path = _path(upload_root, event_id, key)
    if path is not None:
        path.unlink(missing_ok=True)


def _remove_stale(upload_root: str) -> None:
    """Forget previews nobody finished within a day."""
    limit = time.time() - MAX_AGE_SECONDS
    for path in _folder(upload_root).glob("*.csv"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
