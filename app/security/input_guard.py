"""The one input guard: control characters are refused before any view runs, URL integers are bounded.

NUL and the other C0/C1 control characters (tab, line feed and carriage return excepted) have no
business in a path, a query, a form, a JSON body or a header: PostgreSQL refuses NUL in text, and the
others corrupt CSV files, e-mail headers and calendars downstream. One check here keeps every route,
including routes added later, from passing them on. Form fields get their own bounds from
`app.forms.Form` (numbers, dates, single lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, Request, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

# The largest id PostgreSQL's INTEGER holds; larger numbers in a URL cannot name anything.
MAX_URL_INT = 2**31 - 1

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ForbiddenCharacters(BadRequest):
    """A 400 whose description is shown to the person (see app.errors)."""

    custom = True

    def __init__(self) -> None:
        super().__init__(
            str(
                _l(
                    "What was sent contains invisible control characters (for example a NUL byte), which cannot be "
                    "stored. Please remove them (retype the text rather than pasting it) and try again."
                )
            )
        )


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` that matches only non-negative numbers PostgreSQL's INTEGER can hold (else the route 404s)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_URL_INT if max is None else max)


def _strings(value: Any) -> Iterator[str]:
    """Every string in a parsed JSON body (keys and values, at any depth)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def request_strings() -> Iterator[str]:
    """Everything a request carries as text: path, query, form fields, file names, JSON, headers."""
    yield request.path
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        for key, value in request.form.items(multi=True):
            yield key
            yield value
        for key, upload in request.files.items(multi=True):
            yield key
            yield upload.filename or ""
        if request.is_json:
            yield from _strings(request.get_json(silent=True))
    for key, value in request.headers.items():
        yield key
        yield value


def refuse_control_characters() -> None:
    """before_request: answer 400 with a clear message if any text of the request holds a control character."""
    if any(CONTROL_CHARACTERS.search(text) for text in request_strings()):
        raise ForbiddenCharacters()


class BoundedMultiDict(ImmutableMultiDict[str, str]):
    """Query and form values whose `get(…, type=int)` / `getlist(…, type=int)` never give a number no
    INTEGER column holds: such a number is treated like any other value that does not convert (the default,
    or left out of the list), so `request.args.get("person", type=int)` is safe to hand to the database."""

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:
        value = super().get(key, default, type)
        if (
            type is int
            and isinstance(value, int)
            and value is not default
            and not -MAX_URL_INT - 1 <= value <= MAX_URL_INT
        ):
            return default
        return value

    def getlist(self, key: Any, type: Any = None) -> list[Any]:
        values = super().getlist(key, type)
        if type is int:
            return [v for v in values if -MAX_URL_INT - 1 <= v <= MAX_URL_INT]
        return values


class GuardedRequest(Request):
    parameter_storage_class = BoundedMultiDict


def init_app(app: Flask) -> None:
    """Bound `<int:…>` in every route (must run before the blueprints are registered) and check every request."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.request_class = GuardedRequest
    app.before_request(refuse_control_characters)
