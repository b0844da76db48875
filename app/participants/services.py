"""Changes to participants: by hand, by CSV import, by self-registration.

Each function writes (flushes) and its caller commits, so a service used inside a larger action (a late
arrival) is part of that one transaction.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import signals
from app.auth.models import Organizer
from app.db import after_commit, savepoint, utcnow
from app.domain import participant_import as pi
from app.domain import participant_registration as reg
from app.events.models import Event, EventStatus
from app.extensions import db
from app.participants import queries
from app.participants.models import Participant, Role, Status

log = logging.getLogger(__name__)

EDITABLE = (
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "email",
    "zoom_email",
    "organization",
    "prefecture",
    "department",
    "role",
    "status",
)


class ParticipantError(Exception):
    """A change that cannot be made; `field` names the form field to mark, if any."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        # Kept lazy: worded in the language of the request that shows it (services also run in the CLI).
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class ConflictError(ParticipantError):
    """Someone else saved the record since the form was opened."""

    def __init__(self) -> None:
        super().__init__(_l("Someone else changed this person while you were editing."))


class RegistrationClosed(ParticipantError):
    """Self-registration is not open for this event."""


class RegistrationFull(ParticipantError):
    """The event has no places left."""


class AlreadyRegistered(ParticipantError):
    """The email is already in the event."""


def _duplicate_email() -> ParticipantError:
    return ParticipantError(_l("Someone in this event already has this email address."), "email")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Normalised values, as stored: trimmed text, lower-case email, enums, prefecture checked."""
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in EDITABLE:
            raise TypeError(f"not a participant field: {name}")
        if name in ("email", "zoom_email"):
            clean[name] = pi.normalise_email(value or "")
        elif name == "role":
            clean[name] = Role(value)
        elif name == "status":
            clean[name] = Status(value)
        elif name in ("family_kana", "given_kana"):
            clean[name] = pi.normalise_kana(value or "")
        else:
            clean[name] = pi.normalise_text(value or "")
    if "prefecture" in clean:
        prefecture = pi.normalise_prefecture(clean["prefecture"])
        if prefecture is None:
            raise ParticipantError(_l("Choose a prefecture from the list."), "prefecture")
        clean["prefecture"] = prefecture
    if "family_name" in clean and not clean["family_name"]:
        raise ParticipantError(_l("Please give the family name."), "family_name")
    if "email" in clean and not pi.valid_email(clean["email"]):
        raise ParticipantError(_l("Please give a valid email address."), "email")
    if clean.get("zoom_email"):
        if not pi.valid_email(clean["zoom_email"]):
            raise ParticipantError(_l("Please give a valid email address."), "zoom_email")
        if clean["zoom_email"] == clean.get("email"):
            clean["zoom_email"] = ""  # the same address: keep following the registration email
    return clean


def _savepoint() -> AbstractContextManager[None]:
    """A savepoint (app/db.py) whose refused write is a duplicate email: two saves of the same email at
    once, and the unique constraint decides."""
    return savepoint(lambda _error: _duplicate_email())


def add_participant(event: Event, *, by: Organizer | None = None, **values: Any) -> Participant:
    """Add one person to an event; the email must be new in the event (compared case-insensitively)."""
    clean = _clean(values)
    if queries.participant_by_email(event, clean["email"]) is not None:
        raise _duplicate_email()
    with _savepoint():
        person = Participant(event_id=event.id, **clean)
        db.session.add(person)
    log.info("participant %s added to %s by %s", person.id, event.slug, by.id if by else "-")
    return person


def update_participant(
    person: Participant, expected_version: int | None, *, by: Organizer | None = None, **values: Any
) -> Participant:
    """Change a person; refused with ConflictError when the record changed since `expected_version`."""
    if expected_version is None or expected_version != person.version:
        raise ConflictError()
    clean = _clean(values)
    if "email" in clean and clean["email"] != person.email.lower():
        other = queries.participant_by_email(person.event, clean["email"])
        if other is not None and other.id != person.id:
            raise _duplicate_email()
    try:
        with _savepoint():
            for name, value in clean.items():
                setattr(person, name, value)
    except StaleDataError as error:
        # Saved by someone else between our read and our write.
        raise ConflictError() from error
    log.info("participant %s updated by %s", person.id, by.id if by else "-")
    return person


def delete_participant(person: Participant, *, by: Organizer | None = None) -> None:
    """Remove a person from an event (with their seats in any café plan)."""
    person_id, slug, event_id = person.id, person.event.slug, person.event_id
    db.session.delete(person)
    db.session.flush()
    # The day's caches forget the person once the caller's commit has made the deletion real.
    after_commit(lambda: signals.participant_deleted.send(event_id))
    log.info("participant %s deleted from %s by %s", person_id, slug, by.id if by else "-")


def set_status(person: Participant, status: Status | str, *, by: Organizer | None = None) -> Participant:
    """Mark a person registered, cancelled, present or absent."""
    person.status = Status(status)
    db.session.flush()
    log.info("participant %s status %s by %s", person.id, person.status.value, by.id if by else "-")
    return person


def set_role(person: Participant, role: Role | str, *, by: Organizer | None = None) -> Participant:
    """Make a person a participant, facilitator, speaker or staff."""
    person.role = Role(role)
    db.session.flush()
    log.info("participant %s role %s by %s", person.id, person.role.value, by.id if by else "-")
    return person


# ---- CSV import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: how many people are new and how many are updated (by email)."""

    new: int
    updated: int


def plan_import(event: Event, parsed: pi.Parsed) -> ImportPlan:
    """Count new people and updates, without changing anything."""
    existing = queries.emails_of(event)
    emails = [row.values.get("email", "") for row in parsed.rows]
    updated = sum(1 for e in emails if e in existing)
    return ImportPlan(new=len(emails) - updated, updated=updated)


def import_rows(event: Event, parsed: pi.Parsed, rows: list[pi.ParsedRow]) -> None:
    """Add or update the people of some rows of a validated file (flushes; the caller commits).

    Reads only the people of these rows' emails: a background import calls it batch by batch, and doing a
    batch twice changes nothing more (the email decides who is updated)."""
    emails = [row.values.get("email", "").lower() for row in rows]
    existing = {
        p.email.lower(): p
        for p in db.session.scalars(
            select(Participant).where(Participant.event_id == event.id, Participant.email.in_(emails))
        )
    }
    for row in rows:
        values = {k: v for k, v in row.values.items() if k in EDITABLE and k in parsed.fields | {"email"}}
        for name in ("role", "status"):
            if not values.get(name):
                values.pop(name, None)
        person = existing.get(values["email"].lower())
        if person is None:
            person = Participant(event_id=event.id)
            db.session.add(person)
            existing[values["email"].lower()] = person
        for name, value in _clean(values).items():
            setattr(person, name, value)
    db.session.flush()


def import_participants(event: Event, parsed: pi.Parsed, *, by: Organizer | None = None) -> ImportPlan:
    """Apply a validated file in one transaction: new emails are added, known ones updated, nothing half-done."""
    if not parsed.valid:
        raise ParticipantError(_l("The file has errors; nothing was imported."))
    existing = queries.emails_of(event)
    plan = plan_import(event, parsed)
    try:
        # In a savepoint: a row refused midway undoes the rows before it, and the caller's transaction goes on.
        with db.session.begin_nested():
            for row in parsed.rows:
                values = {k: v for k, v in row.values.items() if k in EDITABLE and k in parsed.fields | {"email"}}
                # An empty role or status cell keeps what the person had (or the default for new people).
                for name in ("role", "status"):
                    if not values.get(name):
                        values.pop(name, None)
                person = existing.get(values["email"])
                if person is None:
                    person = Participant(event_id=event.id)
                    db.session.add(person)
                    existing[values["email"]] = person
                for name, value in _clean(values).items():
                    setattr(person, name, value)
    except (IntegrityError, StaleDataError, ParticipantError) as error:
        log.warning("import into %s failed: %s", event.slug, type(error).__name__)
        raise ParticipantError(
            _l("The import could not be saved (someone changed the list at the same time). Nothing was imported.")
        ) from error
    log.info("import into %s by %s: %s new, %s updated", event.slug, by.id if by else "-", plan.new, plan.updated)
    return plan


def export_rows(event: Event) -> list[list[str]]:
    """Every person of an event as export cells (see participant_import.EXPORT_HEADER); no tokens."""
    zone = ZoneInfo(event.timezone)

    def local(at: datetime | None) -> str:
        return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""

    rows = []
    for p in queries.participants_of(event):
        rows.append(
            [
                p.family_name,
                p.given_name,
                p.family_kana,
                p.given_kana,
                p.email,
                p.organization,
                p.prefecture,
                p.department,
                pi.ROLE_EXPORT[p.role.value],
                pi.STATUS_EXPORT[p.status.value],
                str(p.joins_round or ""),
                local(p.consent_at),
                local(p.created_at),
                p.zoom_email,
            ]
        )
    return rows


# ---- self-registration --------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationSettings:
    """What the organiser sets for the public registration form."""

    open: bool
    capacity: int | None
    consent: str
    domains: str


def update_registration_settings(
    event: Event, settings: RegistrationSettings, expected_version: int | None, *, by: Organizer | None = None
) -> Event:
    """Open or close self-registration and set its capacity, consent text and allowed domains."""
    if expected_version is None or expected_version != event.version:
        raise ConflictError()
    domains = reg.parse_domains(settings.domains)
    bad = reg.invalid_domains(domains)
    if bad:
        raise ParticipantError(_l("This is not a domain name: %(domain)s", domain=bad[0]), "domains")
    try:
        with _savepoint():
            event.registration_open = settings.open
            event.registration_capacity = settings.capacity
            event.registration_consent = settings.consent.strip()
            event.registration_domains = ", ".join(domains)
    except StaleDataError as error:
        raise ConflictError() from error
    log.info("registration of %s %s by %s", event.slug, "opened" if settings.open else "closed", by.id if by else "-")
    return event


_ALREADY = _l(
    "This email address is already registered for this event. To change your registration, contact the organisers."
)


def registration_available(event: Event) -> bool:
    """Registration is open on a published (not finished, not draft) event."""
    return event.registration_open and event.status == EventStatus.PUBLISHED


def seats_left(event: Event) -> int | None:
    """Places still free at the event, or None when registration has no limit."""
    return reg.seats_left(event.registration_capacity, queries.taken_places(event))


def register(event: Event, *, consent: bool, now: datetime | None = None, **values: Any) -> Participant:
    """Register someone through the public form: open, consent given, allowed domain, new email, a place left."""
    if not registration_available(event):
        raise RegistrationClosed(_l("Registration for this event is closed."))
    if event.registration_consent and not consent:
        raise ParticipantError(_l("Please agree to the terms to register."), "consent")
    clean = _clean({k: v for k, v in values.items() if k in EDITABLE and k not in ("role", "status")})
    if not reg.domain_allowed(clean["email"], reg.parse_domains(event.registration_domains)):
        raise ParticipantError(
            _l("Registration is limited to addresses ending in: %(domains)s", domains=event.registration_domains),
            "email",
        )
    # Lock the event row so that two people cannot take the last place at once (PostgreSQL).
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    if queries.participant_by_email(event, clean["email"]) is not None:
        raise AlreadyRegistered(
            _ALREADY,
            "email",
        )
    if seats_left(event) == 0:
        raise RegistrationFull(_l("Sorry, this event is full."))
    try:
        with db.session.begin_nested():
            person = Participant(
                event_id=event.id,
                role=Role.PARTICIPANT,
                status=Status.REGISTERED,
                consent_at=(now or utcnow()) if event.registration_consent else None,
                **clean,
            )
            db.session.add(person)
    except IntegrityError as error:
        raise AlreadyRegistered(
            _ALREADY,
            "email",
        ) from error
    log.info("participant %s self-registered for %s", person.id, event.slug)
    return person
