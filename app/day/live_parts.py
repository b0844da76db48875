"""The live part of personal pages, assembled from pieces shared by room-mates and a small personal piece.

A participant's live part is: the latest broadcasts (the same for the whole event), the "where to go now"
card (the same for everyone in the same room in the same round, except the list of room-mates, which leaves
out the holder), and "Your rounds" (one row per round, each the same for everyone in that room). The shared
pieces are rendered from plain values only (a RoomView, never the holder's state) and kept in
app/day/fragments.py under keys holding every value they show, language included.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup

from app.day import fragments
from app.day.holders import EventInfo
from app.day.queries import MomentRounds, Personal, SeatInfo
from app.day.seating import BroadcastInfo
from app.day.timetable import Programme, RoundInfo
from app.domain.live import Moment
from app.i18n import current_language


@dataclass(frozen=True)
class RoomView(MomentRounds):
    """What the shared card of a room reads: the programme's moment and the room in the focus round, no person."""

    now: Moment
    programme: Programme
    focus_round: RoundInfo | None
    seat: SeatInfo | None

    @property
    def seats(self) -> dict[int, SeatInfo]:
        return {self.focus_round.id: self.seat} if self.focus_round and self.seat else {}


@dataclass(frozen=True)
class _Broadcasts:
    broadcasts: tuple[BroadcastInfo, ...]


def _render(name: str, context: dict[str, Any]) -> str:
    """A template rendered with the given values only (no request globals: nothing personal can leak in)."""
    return current_app.jinja_env.get_template(name).render(context)


def _kept(key: Hashable, name: str, context: Callable[[], dict[str, Any]]) -> tuple[str, ...]:
    return fragments.kept(key, lambda: _render(name, context()))


def broadcasts(state: Personal, base: dict[str, Any]) -> str:
    """The organisers' latest messages: one piece for the whole event (per language)."""
    event: EventInfo = state.participant.event
    messages = tuple(state.broadcasts)
    key = ("broadcasts", current_language(), event.timezone, messages)
    context = {**base, "state": _Broadcasts(messages), "event": event}  # the messages only, not the holder
    return fragments.fill(_kept(key, "day/_broadcasts.html", lambda: context), "")


def participant(state: Personal, base: dict[str, Any]) -> str:
    """A participant's live part: shared card of their room with their own room-mates list, then their rounds."""
    lang = current_language()
    event = state.participant.event
    focus = state.focus_round
    seat = state.seats.get(focus.id) if focus else None
    view = RoomView(state.now, state.programme, focus, seat)
    card_key = ("card", lang, event, state.now, state.programme.signature(), focus, seat, base["report_url"])
    card = _kept(
        card_key,
        "day/_participant_focus.html",
        lambda: {**base, "state": view, "event": event, "mates_html": fragments.SLOT},
    )
    return broadcasts(state, base) + fragments.fill(card, _mates(state, seat, base)) + rounds_table(state, base)


def _mates(state: Personal, seat: SeatInfo | None, base: dict[str, Any]) -> str:
    """The holder's room-mates: the room's list (rendered once per room) without the holder themselves."""
    if seat is None:
        return ""
    me = state.participant.id
    room = state.members.get((seat.round_id, seat.room_id), ())
    listed = tuple(p for p in room if seat.host is None or p.id != seat.host.id)
    if not any(p.id != me for p in listed):
        return ""
    context = {**base, "mates": listed, "slot": fragments.SLOT}
    key = ("mates", current_language(), listed)
    head, *items, tail = _kept(key, "day/_participant_mates.html", lambda: context)
    return head + "".join(item for person, item in zip(listed, items, strict=True) if person.id != me) + tail


def rounds_table(state: Personal, base: dict[str, Any]) -> str:
    """'Your rounds': the table's frame per language, and each row shared by everyone in that room."""
    rounds = state.rounds()
    if not rounds:
        return ""
    lang = current_language()
    event = state.participant.event
    rows = []
    for rnd in rounds:
        seat = state.seats.get(rnd.id)
        room_name = seat.room_name if seat else None
        current = state.now.round == rnd.id
        # A latecomer has no room before the round they join in: say so rather than "not assigned yet".
        joins = state.participant.joins_round
        joins_from = joins if seat is None and joins and rnd.number < joins else None
        key = ("row", lang, event.timezone, rnd, room_name, current, joins_from)
        context = {**base, "event": event, "rnd": rnd, "room_name": room_name, "current": current,
                   "joins_from": joins_from}  # fmt: skip
        rows.append("".join(_kept(key, "day/_round_row.html", lambda context=context: context)))
    frame = _kept(("rounds", lang), "day/_rounds_table.html", lambda: {**base, "rows_html": fragments.SLOT})
    return fragments.fill(frame, "".join(rows))


def facilitator(state: Personal, base: dict[str, Any]) -> str:
    """A facilitator's live part: broadcasts, then their focus card (keyed by their token: it links to their notes)."""
    lang = current_language()
    event = state.participant.event
    focus = state.focus_round
    seat = state.seats.get(focus.id) if focus else None
    key = (
        "host-card",
        state.participant.token,
        lang,
        event,
        state.now,
        state.programme.signature(),
        focus,
        seat,
        state.previous_summaries.get(focus.id) if focus else None,
        tuple(state.mates.get(focus.id, ())) if focus else (),
        base["report_url"],
        base["notes_enabled"],
    )
    card = _kept(
        key,
        "day/_facilitator_live.html",
        lambda: {**base, "state": state, "event": event, "person": state.participant},
    )
    return broadcasts(state, base) + fragments.fill(card, "")


def host_rounds(state: Personal, base: dict[str, Any]) -> Markup:
    """The facilitator page's card per round, each kept until what it shows changes (keyed by the holder)."""
    lang = current_language()
    event = state.participant.event
    cards = []
    for rnd in state.rounds():
        seat = state.seats.get(rnd.id)
        context = {
            **base,
            "event": event,
            "person": state.participant,
            "rnd": rnd,
            "seat": seat,
            "current": state.now.round == rnd.id,
            "summary": state.previous_summaries.get(rnd.id) if seat else None,
            "coming": tuple(state.mates.get(rnd.id, ())) if seat else (),
            "round_model": state.round_models.get(rnd.id),
            "room_model": state.room_models.get(seat.room_id) if seat else None,
            "room_note": lambda round_id, room_id: state.notes.get((round_id, room_id)),
        }
        note = state.notes.get((rnd.id, seat.room_id)) if seat else None
        key = (
            "host-round",
            state.participant.token,
            lang,
            *(context[name] for name in ("event", "rnd", "seat", "current", "summary", "coming")),
            *(context[name] for name in ("round_model", "room_model")),
            note,
            base["notes_enabled"],
        )
        cards.append("".join(_kept(key, "day/_host_round.html", lambda context=context: context)))
    return Markup("".join(cards))


def live_html(state: Personal, base: dict[str, Any]) -> Markup:
    """The live part of the holder's page (the update endpoint sends exactly this)."""
    return Markup(facilitator(state, base) if state.is_facilitator else participant(state, base))
