"""Rules of public self-registration: allowed email domains and capacity (pure, no Flask)."""

from __future__ import annotations

import re

_DOMAIN = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")


def parse_domains(text: str) -> list[str]:
    """The domains of an allow-list written with commas, spaces or new lines ('lg.jp, go.jp')."""
    seen: list[str] = []
    for part in re.split(r"[\s,、，;]+", text.strip().lower()):
        part = part.strip().lstrip("@").lstrip(".")
        if part and part not in seen:
            seen.append(part)
    return seen


def invalid_domains(domains: list[str]) -> list[str]:
    """The entries of an allow-list that are not domain names."""
    return [d for d in domains if not _DOMAIN.match(d)]


def domain_allowed(email: str, domains: list[str]) -> bool:
    """True when the list is empty or the email's domain is one of them or below one ('city.kobe.lg.jp' ⊂ 'lg.jp')."""
    if not domains:
        return True
    host = email.rsplit("@", 1)[-1].strip().lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def seats_left(capacity: int | None, taken: int) -> int | None:
    """Places still free (never negative), or None when there is no limit."""
    if capacity is None:
        return None
    return max(capacity - taken, 0)
