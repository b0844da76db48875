"""Form pieces shared by features: the guarded base form, times entered in an event's zone, safe URLs."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeField,
    DateTimeLocalField,
    DecimalField,
    Field,
    FloatField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import URL, Length, Optional, ValidationError

# Bounds every form applies to its fields (see Form): numbers fit PostgreSQL's INTEGER, dates lie
# in a range calendars and time zones handle, one-line fields hold one line.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
YEAR_MIN, YEAR_MAX = 1900, 2200


def _in_range(number: Any) -> bool:
    try:
        return bool(math.isfinite(number) and INT_MIN <= number <= INT_MAX)
    except (TypeError, ValueError, ArithmeticError):  # Decimal('NaN') refuses comparisons
        return False


def _number_in_range(field: Field) -> str | None:
    if field.data is not None and not _in_range(field.data):
        field.data = None
        return str(_l("Please give a smaller number."))
    return None


def _choices_in_range(field: Field) -> str | None:
    """A choice coerced to int (ids of rooms, people…) that no INTEGER column can hold matches nothing."""
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(isinstance(v, int | float | Decimal) and not _in_range(v) for v in values):
        field.data = [] if isinstance(field.data, list) else None
        return str(_l("Please choose one of the options offered."))
    return None


def _date_in_range(field: Field) -> str | None:
    if isinstance(field.data, date) and not YEAR_MIN <= field.data.year <= YEAR_MAX:
        field.data = None
        return str(_l("Please give a date between %(min)s and %(max)s.", min=YEAR_MIN, max=YEAR_MAX))
    return None


def _single_line(field: Field) -> str | None:
    if isinstance(field.data, str) and ("\n" in field.data or "\r" in field.data):
        return str(_l("Please write this on one line (no line breaks)."))
    return None


def _check_for(field: Field) -> Callable[[Field], str | None] | None:
    """The bound a field of this kind gets, if any."""
    if isinstance(field, IntegerField | DecimalField | FloatField):
        return _number_in_range
    if isinstance(field, SelectFieldBase):
        return _choices_in_range
    if isinstance(field, DateTimeField | DateField):  # DateTimeLocalField and LocalDateTimeField included
        return _date_in_range
    if isinstance(field, StringField) and not isinstance(field, TextAreaField | HiddenField):
        return _single_line
    return None


def guard_field(field: Field) -> Field:
    """Make a bound field check its bound right after reading the submitted value: an out-of-range number
    or date never stays in `data`, and the field fails validation with this message alone (in place of,
    say, "required", which would puzzle someone who did type a date)."""
    check = _check_for(field)
    if check is None:
        return field
    read, validate = field.process_formdata, field.validate
    problem: list[str] = []

    def process_formdata(valuelist: list[Any]) -> None:
        problem.clear()
        read(valuelist)
        if valuelist and (message := check(field)):
            problem.append(message)

    def guarded_validate(form: Any, extra_validators: Any = ()) -> bool:
        valid = validate(form, extra_validators)
        if problem:
            field.errors = list(problem)
            return False
        return bool(valid)

    field.process_formdata = process_formdata  # type: ignore[method-assign]
    field.validate = guarded_validate  # type: ignore[method-assign]
    return field


class Form(FlaskForm):
    """The base of every form in the app (tests/unit/test_forms_guarded.py checks it): FlaskForm (CSRF)
    whose fields are bounded — numbers within INTEGER, dates within YEAR_MIN–YEAR_MAX, one-line fields
    without line breaks — so no feature has to remember it and no such value reaches the database."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            return guard_field(super().bind_field(form, unbound_field, options))


class LocalDateTimeField(DateTimeLocalField):
    """A datetime-local input read in a given time zone and returned as aware UTC."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kwargs)
        self.tz = "Asia/Tokyo"

    def set_zone(self, tz: str) -> None:
        self.tz = tz

    def aware(self) -> datetime | None:
        """The entered wall-clock time in the zone, as an aware datetime (UTC)."""
        if self.data is None:
            return None
        return self.data.replace(tzinfo=ZoneInfo(self.tz)).astimezone(ZoneInfo("UTC"))

    def set_aware(self, value: datetime | None) -> None:
        """Show an aware instant as wall-clock time in the zone."""
        self.data = value.astimezone(ZoneInfo(self.tz)).replace(tzinfo=None) if value else None


URL_MAX_LENGTH = 500  # the URL columns are String(500)


def web_url(message: str | None = None, max_length: int = URL_MAX_LENGTH) -> list[Any]:
    """Optional http(s) URL of at most `max_length` characters: other schemes (javascript:, data:) are refused."""

    def _scheme(form: Any, field: Field) -> None:
        if field.data and not str(field.data).lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Use a link that starts with https://"))

    return [
        Optional(),
        Length(max=max_length, message=_l("This link is too long (at most %(max)d characters).")),
        URL(require_tld=False, message=message or _l("Please give a full link, like https://…")),
        _scheme,
    ]


class VersionField(HiddenField):
    """The version of the record the form was opened on, for optimistic locking."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0] else None
        except ValueError:
            self.data = None
        if self.data is not None and not 0 <= self.data <= INT_MAX:
            self.data = None


def new_request_key() -> str:
    """A fresh key for one rendering of a form whose double submission must do nothing more (idempotency)."""
    return secrets.token_urlsafe(16)


class ConfirmForm(Form):
    """A button that only needs CSRF protection: confirm, publish, delete, retry."""


def show_service_error(form: FlaskForm, error: Exception) -> None:
    """A service's refusal beside the field it names (`error.field`), else as a message above the form."""
    name = getattr(error, "field", None)
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")
