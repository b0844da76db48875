"""Named instants for the clock, around a summit on 2026-07-25 in Asia/Tokyo (UTC+9)."""

from datetime import UTC, datetime

EVENT_DAY = "2026-07-25"
BEFORE_SUMMIT = datetime(2026, 7, 20, 3, 0, tzinfo=UTC)  # five days before
EVENT_START = datetime(2026, 7, 25, 4, 0, tzinfo=UTC)  # 13:00 JST
DURING_TALK = datetime(2026, 7, 25, 4, 20, tzinfo=UTC)  # 13:20 JST
EVENT_END = datetime(2026, 7, 25, 9, 30, tzinfo=UTC)  # 18:30 JST
AFTER_SUMMIT = datetime(2026, 7, 26, 3, 0, tzinfo=UTC)

# The day feature's café (tests/factories_day.py): talk 13:00–13:40, café 14:00 with rounds of 20 min
# and 5-minute moves: 14:00–14:20, 14:25–14:45, 14:50–15:10 JST.
CAFE_START = datetime(2026, 7, 25, 5, 0, tzinfo=UTC)  # 14:00 JST
ROUND_1 = datetime(2026, 7, 25, 5, 10, tzinfo=UTC)  # 14:10 JST
BETWEEN_ROUNDS = datetime(2026, 7, 25, 5, 22, tzinfo=UTC)  # 14:22 JST, between rounds 1 and 2
ROUND_2 = datetime(2026, 7, 25, 5, 30, tzinfo=UTC)  # 14:30 JST
ROUND_3 = datetime(2026, 7, 25, 6, 0, tzinfo=UTC)  # 15:00 JST

# A summit that is always ahead, for tests of plans made before the day (a started round is frozen).
FUTURE_SUMMIT = datetime(2099, 7, 25, 4, 0, tzinfo=UTC)  # 13:00 JST
