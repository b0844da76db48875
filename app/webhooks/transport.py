"""Webhook HTTP calls that connect to the address that was checked (no second DNS lookup, no rebinding).

`resolve` looks the host name up once and refuses it when any answer is not a public address; `post`
then connects to that very address while the request still names the host: the Host header, the TLS
server name (SNI) and the certificate check all use the name, so HTTPS works as usual.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from flask_babel import lazy_gettext as _l
from requests.adapters import HTTPAdapter

from app.domain import delivery


class RefusedTarget(Exception):
    """A URL that must not be called; `reason` is for the organiser, `retry` whether it may pass later."""

    def __init__(self, reason: Any, *, retry: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry

    def __str__(self) -> str:
        return str(self.reason)


@dataclass(frozen=True)
class Target:
    """A URL with the one address it will be called at."""

    url: str
    scheme: str
    host: str
    port: int
    address: str

    @property
    def host_header(self) -> str:
        """What the Host header says: the name (IPv6 literals in brackets) and a non-default port."""
        name = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return name if self.port == default else f"{name}:{self.port}"


def resolve(url: str, *, allow_private: bool = False) -> Target:
    """Look the URL's host up once; raise RefusedTarget for a bad scheme, no answer or a non-public address.

    Every answer is checked, not only the first: a name that answers a public and a private address is
    refused, since which one a client would use is the resolver's choice.
    """
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
        parts = parts._replace(netloc="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget(_l("Use a link that starts with https://"))
    try:  # an internationalised name travels as its ASCII (IDNA) form: in DNS, SNI and the Host header
        host = parts.hostname if parts.hostname.isascii() else parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise RefusedTarget(_l("The address %(host)s could not be found.", host=parts.hostname)) from error
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise RefusedTarget(_l("The address %(host)s could not be found.", host=host), retry=True) from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise RefusedTarget(_l("The address %(host)s could not be found.", host=host), retry=True)
    if not allow_private and any(delivery.blocked_address(a) for a in addresses):
        raise RefusedTarget(
            _l(
                "%(host)s points to a private or local network address; webhooks can only go to public internet addresses.",
                host=host,
            )
        )
    return Target(url=url, scheme=parts.scheme, host=host, port=port, address=addresses[0])


class PinnedAdapter(HTTPAdapter):
    """A requests adapter whose connections go to one address, whatever the URL's host resolves to now."""

    def __init__(self, target: Target) -> None:
        self.target = target
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params["host"] = self.target.address
        if host_params["scheme"] == "https":
            # TLS still names the host: SNI and the certificate check use it, not the address.
            pool_kwargs["server_hostname"] = self.target.host
            pool_kwargs["assert_hostname"] = self.target.host
        return host_params, pool_kwargs

    def add_headers(self, request: requests.PreparedRequest, **kwargs: Any) -> None:
        request.headers["Host"] = self.target.host_header


def post(
    target: Target, body: bytes, headers: Mapping[str, str], *, timeout: float, verify: bool | str = True
) -> requests.Response:
    """POST `body` to the target's pinned address: no redirects, no proxies from the environment."""
    with requests.Session() as session:
        # A proxy would resolve the name itself, which is exactly what pinning prevents.
        session.trust_env = False
        adapter = PinnedAdapter(target)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.post(
            target.url, data=body, headers=dict(headers), timeout=timeout, allow_redirects=False, verify=verify
        )
