"""The frame of a personal page, rendered once per process for everyone who sees the same one.

At a round change every ETag moves, so every page is a fresh render. The live part is already assembled from
pieces shared by room-mates (app/day/live_parts.py); what is left is the frame around it: the site header,
the event's name and date, the attendance answer, the calendar links and the way to "people you met". Apart
from the holder's name, token and ETag (and their live part and, for facilitators, their round cards) it is
the same for everyone with the same answer and the same rounds begun. So it is rendered once under a key
holding every other value it shows, with markers where the holder's values go, and each page fills them in.
The markers are random per process (no stored text can contain them); tests/functional/test_day_page_frame.py
checks that a filled frame is byte for byte the page a full render gives, for every holder of an event.
"""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from flask import render_template, request
from markupsafe import Markup, escape

from app.day import fragments
from app.day.queries import Personal
from app.i18n import current_language
from app.templating import person_name

_MARK = secrets.token_hex(10)
# URL-safe and unchanged by escaping or urlencode, so it stands in wherever the token appears.
TOKEN = f"t{_MARK}"
NAME = f"n{_MARK}"
ETAG = f"e{_MARK}"
LIVE = Markup(f"<!--live-{_MARK}-->")
ROUNDS = Markup(f"<!--rounds-{_MARK}-->")


def _key(template: str, state: Personal, context: dict[str, Any]) -> tuple[object, ...]:
    """Every value the frame shows besides the markers' (a change of any of them is another frame)."""
    holder = state.participant
    started = tuple(r.id for r in state.programme.rounds.values() if r.has_started(state.at))
    return (
        "frame",
        template,
        current_language(),
        request.host,
        request.full_path.replace(holder.token, TOKEN),  # the language switch links back here
        holder.event,
        holder.rsvp,
        context["poll_seconds"],
        context["report_url"],
        context["notes_enabled"],
        frozenset(state.seats),  # with `started`: whether "people you met" is offered
        started,
        bool(context.get("rounds_html")),
    )


def page(template: str, state: Personal, context: dict[str, Any]) -> str:
    """The page `template` renders with `context`, from a frame kept for everyone who sees the same one."""
    holder = state.participant

    def render_frame() -> str:
        stand_in = dataclasses.replace(holder, family_name=NAME, given_name="")
        values = {**context, "person": stand_in, "etag": ETAG, "live_html": LIVE}
        if context.get("rounds_html"):
            values["rounds_html"] = ROUNDS
        return render_template(template, **values).replace(holder.token, TOKEN)

    (frame,) = fragments.kept(_key(template, state, context), render_frame)
    return (
        frame.replace(TOKEN, holder.token)
        .replace(ETAG, str(escape(context["etag"])))
        .replace(NAME, str(escape(person_name(holder))))
        .replace(ROUNDS, str(context.get("rounds_html") or ""))
        .replace(LIVE, str(context["live_html"]))
    )
