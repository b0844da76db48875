"""The `day` blueprint with all its routes: personal pages (personal.py) and the organiser's console (console.py)."""

from app.day import console, missing, personal  # noqa: F401  (modules register their routes on bp)
from app.day.blueprint import bp

__all__ = ["bp"]
