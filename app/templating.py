"""Jinja filters and globals: times in an event's zone, names and affiliations."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_time
from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l

from app.i18n import current_language


class Named(Protocol):
    family_name: str
    given_name: str


class Affiliated(Protocol):
    organization: str
    department: str


def person_name(person: Named) -> str:
    """Family name first; in English, a name written in Latin letters is given name first (Taro Yamada)."""
    parts = [person.family_name, person.given_name]
    if current_language() != "ja" and all(p.isascii() for p in parts):
        parts.reverse()
    return " ".join(p for p in parts if p)


def affiliation(person: Affiliated) -> str:
    """Organisation and department, as one line."""
    return " ".join(p for p in (person.organization, person.department) if p)


def local_datetime(value: datetime | None, tz: str, fmt: str = "medium") -> str:
    """A UTC instant shown in the given zone, in the UI language."""
    if value is None:
        return ""
    if fmt == "time":
        return format_time(value, "HH:mm", tzinfo=ZoneInfo(tz), locale=current_language())
    if fmt == "date":
        pattern = "y年M月d日(E)" if current_language() == "ja" else "EEE d MMM y"
        return format_datetime(value, pattern, tzinfo=ZoneInfo(tz), locale=current_language())
    if fmt == "medium":
        pattern = "y年M月d日(E) HH:mm" if current_language() == "ja" else "EEE d MMM y, HH:mm"
        return format_datetime(value, pattern, tzinfo=ZoneInfo(tz), locale=current_language())
    return format_datetime(value, fmt, tzinfo=ZoneInfo(tz), locale=current_language())


def zone_label(tz: str, at: datetime) -> str:
    """'Asia/Tokyo (UTC+09:00)'."""
    offset = at.astimezone(ZoneInfo(tz)).strftime("%z")
    return f"{tz} (UTC{offset[:3]}:{offset[3:]})"


def url_with_lang(code: str) -> str:
    """The language-switch link that brings the visitor back to this page."""
    path = request.full_path.rstrip("?")
    return f"/lang/{code}?next={path}"


# The tabs of an event's organiser pages after "Programme": (endpoint, label, key). A tab shows
# only once its feature's blueprint is registered.
MANAGE_TABS = (
    ("participants.index", _l("Participants"), "participants"),
    ("cafe.index", _l("World café"), "cafe"),
    ("day.console", _l("Live console"), "live"),
    ("notes.overview", _l("Round notes"), "notes"),
    ("invites.index", _l("Invites"), "invites"),
    ("webhooks.index", _l("Webhooks"), "webhooks"),
    ("reports.edit", _l("Report"), "report"),
    ("connections_manage.index", _l("Connections"), "connections"),
)

KIND_LABELS = {
    "talk": _l("Talk"),
    "panel": _l("Panel"),
    "cafe": _l("World café"),
    "break": _l("Break"),
    "social": _l("After-party / social"),
}

STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "finished": _l("Finished")}


def manage_tabs() -> list[tuple[str, Any, str]]:
    """The organiser's event tabs whose features are installed in this app."""
    return [tab for tab in MANAGE_TABS if tab[0] in current_app.view_functions]


def kind_label(kind: str) -> str:
    """A programme item kind's label in the current language (the raw value if unknown)."""
    return str(KIND_LABELS.get(kind, kind))


def status_label(status: str) -> str:
    """A participant status's label in the current language (the raw value if unknown)."""
    return str(STATUS_LABELS.get(status, status))


def init_app(app: Flask) -> None:
    """Register the template filters and globals shared by every page."""
    app.jinja_env.filters.update(
        person_name=person_name, affiliation=affiliation, local=local_datetime, zone_label=zone_label
    )
    app.jinja_env.globals.update(
        current_language=current_language,
        url_with_lang=url_with_lang,
        manage_tabs=manage_tabs,
        kind_label=kind_label,
        status_label=status_label,
    )

    @app.context_processor
    def _inject() -> dict[str, Any]:
        return {"lang": current_language()}
