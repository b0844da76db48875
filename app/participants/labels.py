"""Translated labels of participant roles and statuses, for templates and forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.participants.models import Role, Status

ROLE_LABELS: dict[str, Any] = {
    Role.PARTICIPANT.value: _l("Participant"),
    Role.FACILITATOR.value: _l("Facilitator"),
    Role.SPEAKER.value: _l("Speaker"),
    Role.STAFF.value: _l("Staff"),
}
STATUS_LABELS: dict[str, Any] = {
    Status.REGISTERED.value: _l("Registered"),
    Status.CANCELLED.value: _l("Cancelled"),
    Status.PRESENT.value: _l("Present"),
    Status.ABSENT.value: _l("Absent"),
}


def role_label(role: str | Role) -> str:
    """'facilitator' → 'Facilitator' in the UI language."""
    return str(ROLE_LABELS.get(str(role), role))


def status_label(status: str | Status) -> str:
    """'absent' → 'Absent' in the UI language."""
    return str(STATUS_LABELS.get(str(status), status))


def role_choices() -> list[tuple[str, Any]]:
    """The participant roles for a select field, labelled in the current language."""
    return list(ROLE_LABELS.items())


def status_choices() -> list[tuple[str, Any]]:
    """The participant statuses for a select field, labelled in the current language."""
    return list(STATUS_LABELS.items())
