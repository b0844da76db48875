"""Delivery rules shared by email and webhooks: backoff, what to retry, safe targets, signatures."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)


def backoff(attempts: int, base: timedelta = BASE_DELAY, cap: timedelta = MAX_DELAY) -> timedelta:
    """Delay before the next try after `attempts` failed ones: 30 s, 1 min, 2 min, … capped at 6 h."""
    if attempts < 1:
        return timedelta(0)
    return min(base * (2 ** min(attempts - 1, 30)), cap)


def retry_after(header: str | None, now: datetime, cap: timedelta = MAX_DELAY) -> timedelta | None:
    """A Retry-After header (seconds or an HTTP date) as a delay from `now`, capped; None if absent or bad."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return min(timedelta(seconds=int(header)), cap)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(when - now, timedelta(0)), cap)


def retryable_status(code: int) -> bool:
    """Server errors and rate limits are worth another try; other client errors are not."""
    return code >= 500 or code in (408, 429)


def blocked_address(address: str) -> bool:
    """True for addresses a webhook must not reach: private, loopback, link-local and other non-global ones."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def sign(secret: str, body: bytes) -> str:
    """The signature header value: `sha256=` and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """Check a signature header in constant time (for receivers, and for our tests)."""
    return hmac.compare_digest(sign(secret, body), header)
