"""Signal handlers: turn what happens in other features into webhook deliveries in the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from app import signals
from app.events.models import Event
from app.invites.calendars import external
from app.webhooks import services

log = logging.getLogger(__name__)


def _queue(event: Event, topic: str, text: str, data: Mapping[str, Any]) -> None:
    """Add the deliveries to the sender's session: every signal is sent before the sender's commit."""
    services.enqueue(event, topic, text, data)


def _text(builder: Callable[[], str]) -> str:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return builder()


def on_rounds_published(event: Event, **kwargs: Any) -> None:
    item = kwargs.get("item")
    numbers = list(kwargs.get("rounds") or [])
    title = getattr(item, "title", "")
    text = _text(
        lambda: _(
            "%(event)s: seating published for %(item)s, rounds %(rounds)s.",
            event=event.title,
            item=title,
            rounds=", ".join(str(n) for n in numbers),
        )
    )
    data = {"item": {"id": getattr(item, "id", None), "title": title}, "rounds": numbers}
    _queue(event, "rounds.published", text, data)


def on_round_started(event: Event, **kwargs: Any) -> None:
    round_ = kwargs.get("round")
    number = getattr(round_, "number", None)
    question = getattr(round_, "question", "")
    text = _text(
        lambda: _(
            "%(event)s: round %(number)s has started. %(question)s", event=event.title, number=number, question=question
        )
    )
    data = {"round": {"number": number, "question": question, "item_id": getattr(round_, "item_id", None)}}
    _queue(event, "round.started", text.strip(), data)


def on_notes_submitted(note: Any, **kwargs: Any) -> None:
    round_, room = note.round, note.room
    event = round_.item.event
    text = _text(
        lambda: _(
            "%(event)s: notes of room %(room)s, round %(number)s were submitted.",
            event=event.title,
            room=room.name,
            number=round_.number,
        )
    )
    data = {"round": {"number": round_.number, "item_id": round_.item_id}, "room": {"id": room.id, "name": room.name}}
    _queue(event, "notes.submitted", text, data)


def on_report_published(event: Event, **kwargs: Any) -> None:
    version = kwargs.get("version")
    number = getattr(version, "number", None)
    try:
        url = external("public_reports.show", slug=event.slug)
    except BuildError:  # the reports feature may name its page differently; the text stays useful without it
        url = ""
    text = _text(lambda: _("%(event)s: the report was published. %(url)s", event=event.title, url=url))
    _queue(event, "report.published", text.strip(), {"version": number, "url": url})


def connect() -> None:
    """Subscribe once per process (blinker keeps strong references with weak=False)."""
    signals.rounds_published.connect(on_rounds_published, weak=False)
    signals.round_started.connect(on_round_started, weak=False)
    signals.notes_submitted.connect(on_notes_submitted, weak=False)
    signals.report_published.connect(on_report_published, weak=False)
    log.debug("webhook signal handlers connected")
