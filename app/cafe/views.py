"""The `cafe` blueprint with all its routes: rooms, hosts and keep-apart pairs (room_views.py), the plan's pages
(plan_views.py)."""

from app.cafe import plan_views, room_views  # noqa: F401  (modules register their routes on bp)
from app.cafe.blueprint import bp

__all__ = ["bp"]
