"""The JSON API's conventions: CORS for public reads, pagination, errors, nulls, and how times and events look."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Flask, Response, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., Any])

# Endpoints anyone may read from any web site (a municipality's page showing the programme). Personal and
# organiser endpoints are left out on purpose: a browser on another site never gets their answers.
PUBLIC_READ: set[str] = set()
CORS_MAX_AGE = 24 * 3600
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def public_read(endpoint: str) -> Callable[[View], View]:
    """Mark a view as a public read: its answers (errors and preflights included) carry CORS headers."""

    def mark(view: View) -> View:
        PUBLIC_READ.add(endpoint)
        return view

    return mark


def _cors(response: Response) -> Response:
    if request.endpoint not in PUBLIC_READ:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "Link, ETag, Content-Language"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match"
        response.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE)
    return response


def init_app(app: Flask) -> None:
    """JSON as UTF-8 text (not \\u escapes), and CORS headers on public reads."""
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.after_request(_cors)


def opt(value: str | None) -> str | None:
    """An optional text: null when empty, so clients test one thing."""
    return value or None


@dataclass(frozen=True)
class Page:
    """One page of a list: which page, its size and how many items there are in all."""

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def slice(self, items: Sequence[T]) -> list[T]:
        start = (self.number - 1) * self.size
        return list(items[start : start + self.size])


class BadQuery(BadRequest):
    """A query parameter the API cannot use; the description says which and why."""

    custom = True


def _positive(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or not 1 <= int(raw) <= maximum:
        raise BadQuery(_("%(name)s must be a whole number from 1 to %(max)s.", name=name, max=maximum))
    return int(raw)


def page_of(total: int) -> Page:
    """The page asked for with ?page=N&per_page=M (400 for nonsense; a page past the end is empty)."""
    size = _positive("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    number = _positive("page", 1, 1_000_000)
    return Page(number, size, total)


def paginated(endpoint: str, page: Page, key: str, items: list[Any], **values: Any) -> Response:
    """`{key: items, "pagination": {...}}` with RFC 8288 Link headers to the neighbouring pages."""

    def link(number: int) -> str | None:
        if not 1 <= number <= page.pages:
            return None
        return url_for(endpoint, page=number, per_page=page.size, _external=True, **values)

    neighbours = {"first": link(1), "prev": link(page.number - 1), "next": link(page.number + 1),
                  "last": link(page.pages)}  # fmt: skip
    response = jsonify(
        {
            key: items,
            "pagination": {
                "page": page.number,
                "per_page": page.size,
                "total": page.total,
                "pages": page.pages,
                "next": neighbours["next"],
                "previous": neighbours["prev"],
            },
        }
    )
    response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in neighbours.items() if url)
    return response


def error(code: int, message: str) -> tuple[Response, int]:
    """The API's error body, `{"error": {"code", "message"}}`, worded in the caller's language (and saying which)."""
    response = jsonify(error={"code": code, "message": message})
    response.headers["Content-Language"] = str(get_locale() or "ja")
    response.vary.add("Accept-Language")
    return response, code


def iso(value: Any, tz: str) -> str:
    """An instant as ISO 8601 with the event zone's offset, e.g. 2026-07-25T13:00:00+09:00."""
    return value.astimezone(ZoneInfo(tz)).isoformat()


def event_summary(event: Any) -> dict[str, Any]:
    """The fields every event answer starts with (an Event or the day pages' EventInfo)."""
    return {
        "id": event.id,
        "slug": event.slug,
        "title": event.title,
        "status": event.status.value,
        "timezone": event.timezone,
        "starts_at": iso(event.starts_at, event.timezone),
        "ends_at": iso(event.ends_at, event.timezone),
        "url": url_for("events.show", slug=event.slug, _external=True),
    }
