"""Mail rules: is a sender address one that real mail servers will deliver from?"""

from __future__ import annotations

from enum import StrEnum

# RFC 2606 / RFC 6761 names that never belong to a real mail domain, and the usual stand-ins.
_RESERVED_LAST_LABELS = {"test", "example", "invalid", "localhost", "local", "localdomain", "internal", "lan"}
_EXAMPLE_DOMAINS = {"example.com", "example.net", "example.org", "example.jp", "example.co.jp", "example.lg.jp"}


class SenderProblem(StrEnum):
    """Why a sender address would not be delivered from."""

    MISSING = "missing"
    MALFORMED = "malformed"
    PLACEHOLDER = "placeholder"


def sender_problem(address: str | None) -> SenderProblem | None:
    """None for an address mail can go out from; otherwise why not (unset, malformed, a placeholder
    such as tsunagu@localhost or someone@example.com)."""
    address = (address or "").strip()
    if not address:
        return SenderProblem.MISSING
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or " " in address or domain.startswith(".") or domain.endswith("."):
        return SenderProblem.MALFORMED
    domain = domain.lower()
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1] in _RESERVED_LAST_LABELS:
        return SenderProblem.PLACEHOLDER
    if any(domain == d or domain.endswith("." + d) for d in _EXAMPLE_DOMAINS):
        return SenderProblem.PLACEHOLDER
    if all(part.isdigit() for part in labels):  # an IP address: refused by nearly every receiver
        return SenderProblem.PLACEHOLDER
    return None
