"""The real client address behind the reverse proxies listed in TRUSTED_PROXIES.

Only when the connection comes from a trusted proxy are its X-Forwarded-For and X-Forwarded-Proto
believed; X-Forwarded-For is read from the right, skipping the trusted proxies of a chain, and the first
other address is the client. Werkzeug's ProxyFix does the rewriting, with the number of hops found.
Anyone else sending these headers is ignored (else a guesser could claim a new address per request).
Absolute links never follow X-Forwarded-Host: PUBLIC_BASE_URL is the site's address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """`10.0.0.1, 192.168.0.0/16, ::1` as networks; raises ValueError naming a bad entry."""
    items = value.split(",") if isinstance(value, str) else list(value)
    networks = []
    for item in (i.strip() for i in items):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError as error:
                raise ValueError(f"TRUSTED_PROXIES: {item!r} is not an IP address or network") from error
    return tuple(networks)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


class TrustedProxies:
    """WSGI middleware: apply ProxyFix for requests that arrive through a trusted proxy."""

    def __init__(self, app: Any, networks: tuple[Network, ...]) -> None:
        self.app = app
        self.networks = networks
        self._fixers: dict[int, ProxyFix] = {}

    def _hops(self, environ: dict[str, Any]) -> int:
        """How many X-Forwarded-For entries (from the right) our own proxies wrote."""
        if not _trusted(environ.get("REMOTE_ADDR", ""), self.networks):
            return 0
        forwarded = [a.strip() for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        hops = 1
        # The last entry was written by the proxy that connected to us; while it is itself a trusted proxy,
        # the entry before it was written by a proxy of ours too.
        while hops < len(forwarded) and _trusted(forwarded[-hops], self.networks):
            hops += 1
        return hops if forwarded else 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        hops = self._hops(environ)
        if not hops:
            for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST"):
                environ.pop(header, None)
            return self.app(environ, start_response)
        fixer = self._fixers.get(hops)
        if fixer is None:
            fixer = self._fixers[hops] = ProxyFix(self.app, x_for=hops, x_proto=1, x_host=0, x_port=0, x_prefix=0)
        return fixer(environ, start_response)


def init_app(app: Flask) -> None:
    """Trust X-Forwarded-* headers only from the proxies listed in TRUSTED_PROXIES (none by default)."""
    networks = parse_networks(app.config.get("TRUSTED_PROXIES") or "")
    if networks:
        app.wsgi_app = TrustedProxies(app.wsgi_app, networks)  # type: ignore[method-assign]
