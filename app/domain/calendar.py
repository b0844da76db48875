"""Calendar identity rules: stable UIDs, monotonic SEQUENCE numbers and content fingerprints."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def item_uid(item_id: int, person_id: int | None, domain: str) -> str:
    """The UID of one programme item in the public feed (no person) or in one person's calendar."""
    who = f"p{person_id}" if person_id is not None else "public"
    return f"item-{item_id}-{who}@{domain}"


def invite_uid(event_id: int, person_id: int, domain: str) -> str:
    """The UID of a person's emailed invitation: one VEVENT for their whole summit."""
    return f"summit-{event_id}-p{person_id}@{domain}"


def fingerprint(content: Any) -> str:
    """A stable digest of what a calendar entry says (JSON with sorted keys; datetimes as ISO text)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def next_sequence(
    previous: int | None, previous_fingerprint: str | None, current_fingerprint: str, base: int = 0
) -> int:
    """The SEQUENCE to publish now: never lower than before, one higher when the content changed.

    `base` is a floor taken from the programme (ProgrammeItem.sequence), so entries never fall behind
    the editor's own counter; `previous` is what was last published or sent for the same UID.
    """
    if previous is None:
        return max(base, 0)
    if previous_fingerprint == current_fingerprint:
        return max(previous, base)
    return max(previous + 1, base)


def webcal_url(url: str) -> str:
    """The subscription form (webcal://) of an http(s) calendar URL."""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            return "webcal://" + url[len(prefix) :]
    return url
