"""The network edge in tests: a scripted DNS resolver and a guard that lets connections reach loopback only."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

import pytest


class ScriptedDNS:
    """Answers for chosen names, one list of addresses per lookup (the last one repeats); other names and
    address literals go to the real resolver. This is how a rebinding name behaves: public, then internal."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def answer(self, name: str, *lookups: list[str]) -> None:
        self.answers[name] = [list(addresses) for addresses in lookups]

    def __call__(self, host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0, flags: int = 0) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in self.answers:
            return self.real(host, port, family, type, proto, flags)
        self.lookups.append(name)
        lookups = self.answers[name]
        addresses = lookups.pop(0) if len(lookups) > 1 else lookups[0]
        port = int(port or 0)
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (a, port, 0, 0))
            if ":" in a
            else (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (a, port))
            for a in addresses
        ]


class LoopbackOnly:
    """Records every outgoing connection; refuses (without sending anything) those not to loopback."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def allowed(self, address: Any) -> bool:
        if not isinstance(address, tuple):  # Unix sockets (PostgreSQL may use one)
            return True
        try:
            return ipaddress.ip_address(address[0]).is_loopback
        except ValueError:
            return False


def scripted_dns(monkeypatch: pytest.MonkeyPatch) -> ScriptedDNS:
    """Put a ScriptedDNS in front of the real resolver for this test."""
    scripted = ScriptedDNS(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", scripted)
    return scripted


def guard_loopback(monkeypatch: pytest.MonkeyPatch) -> LoopbackOnly:
    """Let this test's connections reach loopback addresses only (and record them all)."""
    guard = LoopbackOnly()
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> None:
        if isinstance(address, tuple):
            guard.attempts.append(str(address[0]))
        if not guard.allowed(address):
            raise ConnectionRefusedError(f"test guard: {address[0]} is not loopback")
        connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return guard
