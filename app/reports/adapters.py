"""What the report borrows from the notes feature: its Markdown renderer and where image files live."""

from __future__ import annotations

from app.notes.markdown import render_markdown
from app.notes.storage import image_path, image_response, public_image_path

__all__ = ["image_path", "image_response", "public_image_path", "render_markdown"]
