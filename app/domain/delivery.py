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
    return min(base * (1 << min(attempts - 1, 30)), cap)


JITTER = 0.25


def jittered(delay: timedelta, draw: float, spread: float = JITTER) -> timedelta:
    """`delay` stretched by up to `spread` (a fraction), by `draw` in [0, 1): never shorter than `delay`.

    Many messages that failed together (the relay was down) then come back spread out, not all at once.
    """
    return delay * (1 + spread * min(max(draw, 0.0), 1.0))


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


# Prefixes that carry an IPv4 address inside an IPv6 one. Connecting to such an address reaches the
# IPv4 host (NAT64 gateways, the kernel for IPv4-mapped sockets), so the IPv4 address decides.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix: used by DNS64 on IPv6-only networks
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215 local-use prefix: an inside network
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d (RFC 4291)


def _ipv4_in(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64), if it is one of those forms."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _tunnelled(ip: ipaddress.IPv6Address) -> bool:
    """Transition forms we never call: 6to4, Teredo, ISATAP, local NAT64 and IPv4-compatible addresses.

    Each wraps an IPv4 address that a relay or tunnel end may deliver to; they are deprecated or local
    (RFC 7526, RFC 4380, RFC 5214, RFC 8215, RFC 4291), and no webhook receiver needs them.
    """
    interface_id = int(ip) & 0xFFFFFFFFFFFFFFFF
    isatap = (interface_id >> 32) & 0xFDFFFFFF == 0x00005EFE
    return (
        ip.sixtofour is not None
        or ip.teredo is not None
        or isatap
        or ip in _NAT64_LOCAL
        or (ip in _IPV4_COMPATIBLE and int(ip) > 1)
    )


def blocked_address(address: str) -> bool:
    """True for addresses a webhook must not reach.

    Refused: private, loopback, link-local, multicast, reserved, unspecified and every other non-global
    address, in either family, and IPv6 forms that wrap an IPv4 address unless the wrapped address is
    itself public (IPv4-mapped and the NAT64 well-known prefix; 6to4, Teredo, ISATAP and the rest are
    refused outright).
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _ipv4_in(ip)
        if inner is not None:
            return blocked_address(str(inner))
        if _tunnelled(ip) or ip.is_site_local:
            return True
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


# How old a signed timestamp a receiver should accept (Stripe's default tolerance). Each attempt,
# retries included, is signed afresh, so a late retry is never refused for its age.
REPLAY_WINDOW = timedelta(minutes=5)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header value `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>." + body>`."""
    return f"t={timestamp},v1={_digest(secret, body, timestamp)}"


def _digest(secret: str, body: bytes, timestamp: int) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str, now: int, window: timedelta = REPLAY_WINDOW) -> bool:
    """Check a signature header as a receiver should: a v1 signature matches and the timestamp is fresh."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures or abs(now - timestamp) > window.total_seconds():
        return False
    expected = _digest(secret, body, timestamp)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
