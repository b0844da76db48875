"""Which addresses a webhook may reach: every private, loopback and link-local form, wrapped ones included."""

from __future__ import annotations

import pytest

from app.domain.delivery import blocked_address

REFUSED = {
    # IPv4: loopback, private, link-local (cloud metadata), shared, this-network, benchmarking, reserved, multicast
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "10.0.0.8": "private",
    "172.31.255.1": "private",
    "192.168.1.10": "private",
    "169.254.169.254": "link-local metadata",
    "100.64.0.1": "carrier-grade NAT",
    "0.0.0.0": "unspecified (reaches this host)",
    "0.1.2.3": "this network",
    "198.18.0.1": "benchmarking",
    "192.0.2.1": "documentation",
    "240.0.0.1": "reserved",
    "255.255.255.255": "broadcast",
    "224.0.0.1": "multicast",
    # IPv6 natives
    "::1": "loopback",
    "::": "unspecified",
    "fe80::1": "link-local",
    "fe80::1%eth0": "link-local with a zone",
    "fc00::1": "unique local",
    "fd12:3456::1": "unique local",
    "fec0::1": "site-local (deprecated)",
    "ff02::1": "multicast",
    "2001:db8::1": "documentation",
    "100::1": "discard",
    # IPv6 forms that wrap an IPv4 address
    "::ffff:127.0.0.1": "IPv4-mapped loopback",
    "::ffff:10.0.0.1": "IPv4-mapped private",
    "::ffff:169.254.169.254": "IPv4-mapped metadata",
    "::127.0.0.1": "IPv4-compatible loopback",
    "::8.8.8.8": "IPv4-compatible (deprecated) even when public",
    "2002:7f00:1::1": "6to4 of 127.0.0.1",
    "2002:a00:1::1": "6to4 of 10.0.0.1",
    "2002:a9fe:a9fe::1": "6to4 of 169.254.169.254",
    "2002:808:808::1": "6to4 (deprecated relay) even when public",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2": "Teredo",
    "64:ff9b::7f00:1": "NAT64 of 127.0.0.1",
    "64:ff9b::a00:1": "NAT64 of 10.0.0.1",
    "64:ff9b:1::808:808": "local-use NAT64 prefix",
    "2606:4700::200:5efe:a00:1": "ISATAP of 10.0.0.1",
    "nonsense": "not an address",
    "": "empty",
}

ALLOWED = {
    "8.8.8.8": "public IPv4",
    "93.184.215.14": "public IPv4",
    "2606:4700:4700::1111": "public IPv6",
    "2a00:1450:4001:80b::200e": "public IPv6",
    "::ffff:8.8.8.8": "IPv4-mapped public (the kernel connects to 8.8.8.8)",
    "64:ff9b::808:808": "NAT64 of a public address (IPv6-only networks with DNS64)",
}


@pytest.mark.parametrize("address", REFUSED)
def test_refused(address: str) -> None:
    assert blocked_address(address), REFUSED[address]


@pytest.mark.parametrize("address", ALLOWED)
def test_allowed(address: str) -> None:
    assert not blocked_address(address), ALLOWED[address]
