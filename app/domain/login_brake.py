"""The brake on password guessing, as pure rules (no database, no Flask): app/auth/brake.py applies them.

Every login attempt is counted, before its password is checked, against one or two counters:
- the account's (by email, existing or not) and the client address's, for a browser the app does not know;
- the device's alone, for a browser that has signed in to this account before (a signed cookie):
  so someone guessing at an account, or many people behind one address (a proxy, an LGWAN gateway),
  never lock out the organiser on the browser they normally use.
Past a counter's free failures, each attempt opens a wait that doubles with every further failure, up to a
ceiling: slow, never a permanent lock. A counter is forgotten after a quiet period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Policy:
    """How many failures a counter allows before back-off, and how the wait grows."""

    free_failures: int
    base_delay: timedelta
    max_delay: timedelta
    forget_after: timedelta

    def delay_after(self, failures: int) -> timedelta | None:
        """The wait after `failures` counted attempts, or None while still within the free ones."""
        if failures < self.free_failures:
            return None
        doublings: int = min(failures - self.free_failures, 32)
        delay: timedelta = self.base_delay * (1 << doublings)
        return min(delay, self.max_delay)


@dataclass
class Counter:
    """One counter's state: attempts counted, when the last one was, until when attempts are refused."""

    failures: int = 0
    last_at: datetime | None = None
    blocked_until: datetime | None = None

    def current(self, policy: Policy, now: datetime) -> Counter:
        """The counter as it stands at `now` (forgotten after a quiet period)."""
        if self.last_at is None or self.last_at < now - policy.forget_after:
            return Counter()
        return Counter(self.failures, self.last_at, self.blocked_until)

    def blocked(self, now: datetime) -> bool:
        return self.blocked_until is not None and self.blocked_until > now

    def counted(self, policy: Policy, now: datetime) -> Counter:
        """The counter after one more attempt at `now`."""
        failures = self.failures + 1
        delay = policy.delay_after(failures)
        return Counter(failures, now, now + delay if delay is not None else None)

    def forgiven_once(self, policy: Policy, now: datetime) -> Counter:
        """The counter after an attempt counted up front turned out to be right (one failure taken back)."""
        failures = max(0, self.failures - 1)
        delay = policy.delay_after(failures)
        return Counter(failures, self.last_at, self.blocked_until if delay is not None else None)


@dataclass(frozen=True)
class Decision:
    """Whether the attempt may check its password; if not, how long to wait."""

    allowed: bool
    retry_after: timedelta = timedelta(0)


def decide(counters: dict[str, tuple[Policy, Counter]], now: datetime) -> tuple[Decision, dict[str, Counter]]:
    """Count an attempt on every counter at once: refused (nothing counted) while any of them is blocked,
    else counted on all of them. Returns the decision and the counters to store."""
    current = {key: (policy, counter.current(policy, now)) for key, (policy, counter) in counters.items()}
    blocked = [c.blocked_until for _p, c in current.values() if c.blocked(now) and c.blocked_until is not None]
    if blocked:
        return Decision(False, max(blocked) - now), {key: c for key, (_p, c) in current.items()}
    return Decision(True), {key: c.counted(p, now) for key, (p, c) in current.items()}
