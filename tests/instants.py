"""Named instants for the clock, around a summit on 2026-07-25 in Asia/Tokyo (UTC+9)."""

from datetime import UTC, datetime

EVENT_DAY = "2026-07-25"
BEFORE_SUMMIT = datetime(2026, 7, 20, 3, 0, tzinfo=UTC)  # five days before
EVENT_START = datetime(2026, 7, 25, 4, 0, tzinfo=UTC)  # 13:00 JST
DURING_TALK = datetime(2026, 7, 25, 4, 20, tzinfo=UTC)  # 13:20 JST
EVENT_END = datetime(2026, 7, 25, 9, 30, tzinfo=UTC)  # 18:30 JST
AFTER_SUMMIT = datetime(2026, 7, 26, 3, 0, tzinfo=UTC)
