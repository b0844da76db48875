"""Which note a request is about, and who is asking: a room host's personal link or an organiser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from app.auth.guard import current_organizer
from app.cafe.models import Room
from app.events import queries as event_queries
from app.events.models import CafeRound, Event
from app.notes import queries
from app.notes.models import NoteImage
from app.notes.services import Actor
from app.participants.models import Participant


@dataclass(frozen=True)
class Scope:
    """A note's round and room, the person acting, and how to build the URLs of the pages around it."""

    event: Event
    round: CafeRound
    room: Room
    actor: Actor
    participant: Participant | None  # the facilitator, when they came through their personal link
    url_args: dict[str, Any]
    prefix: str  # endpoint prefix: "" for personal links, "manage_" for organisers

    def url(self, action: str, **kwargs: Any) -> str:
        return url_for(f"notes.{self.prefix}{action}", **self.url_args, **kwargs)

    def image_url(self, image: NoteImage) -> str:
        if self.participant is not None:
            return url_for("notes.image", token=self.participant.token, image_id=image.id)
        return url_for("notes.manage_image", slug=self.event.slug, image_id=image.id)

    @property
    def storage_key(self) -> str:
        """Names this note in the browser's local draft storage."""
        return f"{self.round.id}-{self.room.id}"

    @property
    def by_organizer(self) -> bool:
        return self.participant is None


def token_scope(token: str, round_number: int) -> Scope:
    """The room the link's holder hosts in round N; others get a friendly 403/404."""
    person = queries.participant_by_token_or_404(token)
    round_, room = queries.hosted_round_and_room_or_404(person, round_number)
    return Scope(
        event=person.event,
        round=round_,
        room=room,
        actor=Actor(participant_id=person.id),
        participant=person,
        url_args={"token": token, "round_number": round_number},
        prefix="",
    )


def manage_scope(slug: str, round_id: int, room_id: int) -> Scope:
    """Any room of an event the logged-in organiser owns; other events are 404."""
    organizer = current_organizer()
    event = event_queries.owned_event_or_404(slug, organizer)
    round_, room = queries.round_and_room_or_404(event, round_id, room_id)
    return Scope(
        event=event,
        round=round_,
        room=room,
        actor=Actor(organizer_id=organizer.id),
        participant=None,
        url_args={"slug": slug, "round_id": round_id, "room_id": room_id},
        prefix="manage_",
    )
