"""Form pieces shared by features: times entered in an event's zone, safe URLs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, Field, HiddenField
from wtforms.validators import URL, Optional, ValidationError


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


def web_url(message: str | None = None) -> list[Any]:
    """Optional http(s) URL: other schemes (javascript:, data:) are refused."""

    def _scheme(form: Any, field: Field) -> None:
        if field.data and not str(field.data).lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Use a link that starts with https://"))

    return [
        Optional(),
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
