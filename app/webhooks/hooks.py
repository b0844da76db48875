"""Signal handlers: turn what happens in other features into webhook deliveries in the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from app import signals
from app.db import utcnow
from app.domain.webhook_payloads import Notice
from app.events.models import Event
from app.invites.calendars import external
from app.webhooks import services

log = logging.getLogger(__name__)

T = TypeVar("T")


def _worded(builder: Callable[[], T]) -> T:
    """Words of a delivery in the site's default language (a channel is shared, not one person's)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return builder()


def _link(endpoint: str, **values: Any) -> str:
    try:
        return external(endpoint, **values)
    except BuildError:  # the feature may name its page differently; the message stays useful without it
        return ""


def _queue(event: Event, build: Callable[[], Notice]) -> None:
    """Add the deliveries to the sender's session: every signal is sent before the sender's commit."""
    services.enqueue(event, _worded(build))


def on_rounds_published(event: Event, **kwargs: Any) -> None:
    """Queue a "rounds.published" delivery when a café's seating is published."""
    item = kwargs.get("item")
    numbers = list(kwargs.get("rounds") or [])
    title = getattr(item, "title", "")
    rounds = ", ".join(str(n) for n in numbers)

    def build() -> Notice:
        return services.notice(
            event,
            "rounds.published",
            _("%(event)s: seating published for %(item)s, rounds %(rounds)s.", event=event.title, item=title,
              rounds=rounds),
            {"item": {"id": getattr(item, "id", None), "title": title}, "rounds": numbers},
            utcnow(),
            link=_link("events.show", slug=event.slug),
            link_label=_("Open the event page"),
            facts=[(_("Programme item"), title), (_("Rounds"), rounds)],
        )  # fmt: skip

    _queue(event, build)


def on_round_started(event: Event, **kwargs: Any) -> None:
    """Queue a "round.started" delivery when a café round starts."""
    round_ = kwargs.get("round")
    number = getattr(round_, "number", None)
    question = getattr(round_, "question", "")

    def build() -> Notice:
        text = _("%(event)s: round %(number)s has started. %(question)s", event=event.title, number=number,
                 question=question)  # fmt: skip
        facts = [(_("Round"), str(number))] + ([(_("Question"), question)] if question else [])
        return services.notice(
            event,
            "round.started",
            text.strip(),
            {"round": {"number": number, "question": question, "item_id": getattr(round_, "item_id", None)}},
            utcnow(),
            link=_link("events.show", slug=event.slug),
            link_label=_("Open the event page"),
            facts=facts,
        )

    _queue(event, build)


def on_notes_submitted(note: Any, **kwargs: Any) -> None:
    """Queue a "notes.submitted" delivery when a room's facilitator submits notes."""
    round_, room = note.round, note.room
    event = round_.item.event

    def build() -> Notice:
        return services.notice(
            event,
            "notes.submitted",
            _("%(event)s: notes of room %(room)s, round %(number)s were submitted.", event=event.title,
              room=room.name, number=round_.number),
            {"round": {"number": round_.number, "item_id": round_.item_id}, "room": {"id": room.id, "name": room.name}},
            utcnow(),
            link=_link("notes.overview", slug=event.slug),
            link_label=_("Read the notes (organisers)"),
            facts=[(_("Round"), str(round_.number)), (_("Room"), room.name)],
        )  # fmt: skip

    _queue(event, build)


def on_report_published(event: Event, **kwargs: Any) -> None:
    """Queue a "report.published" delivery with the public report's link."""
    version = kwargs.get("version")
    number = getattr(version, "number", None)
    url = _link("public_reports.show", slug=event.slug)

    def build() -> Notice:
        return services.notice(
            event,
            "report.published",
            _("%(event)s: the report was published. %(url)s", event=event.title, url=url).strip(),
            {"version": number, "url": url},
            utcnow(),
            link=url,
            link_label=_("Open the report"),
            facts=[(_("Version"), str(number))] if number else [],
        )

    _queue(event, build)


def send_test(endpoint: Any) -> None:
    """Queue a signed `ping` worded in the site's language (the caller commits)."""
    text = _worded(lambda: _("Tsunagu: test call from “%(event)s”.", event=endpoint.event.title))
    services.send_test(endpoint, utcnow(), text)


def connect() -> None:
    """Subscribe once per process (blinker keeps strong references with weak=False)."""
    signals.rounds_published.connect(on_rounds_published, weak=False)
    signals.round_started.connect(on_round_started, weak=False)
    signals.notes_submitted.connect(on_notes_submitted, weak=False)
    signals.report_published.connect(on_report_published, weak=False)
    log.debug("webhook signal handlers connected")
