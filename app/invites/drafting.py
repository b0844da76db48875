"""Each person's calendar entries drafted from an event's data: their text in the reader's language, links, facts, fingerprint."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app.domain import calendar as rules
from app.events.models import CafeRound, Event, ProgrammeItem
from app.invites.calendars import Draft, EventData, RoomInfo, external, meeting_is_public, personal_page_url, uid_domain
from app.invites.ics import Conference
from app.participants.models import Participant
from app.templating import affiliation, local_datetime, person_name


def _times(event: Event, starts_at: datetime, ends_at: datetime) -> str:
    zone = event.timezone
    return f"{local_datetime(starts_at, zone, 'time')}–{local_datetime(ends_at, zone, 'time')}"


def _speaker_lines(item: ProgrammeItem) -> list[str]:
    lines = []
    for speaker in item.speakers:
        who = person_name(speaker)
        if speaker.organization:
            who += f"（{affiliation(speaker)}）"
        label = _("Moderator") if speaker.role.value == "moderator" else _("Speaker")
        lines.append(f"{label}: {who}")
    return lines


def host_text(room: RoomInfo, person_id: int | None) -> str:
    """ "you host this room", "Host: name", or nothing."""
    if room.host is None:
        return ""
    if room.host.id == person_id:
        return _("You host this room")
    return _("Host: %(name)s", name=person_name(room.host))


def round_lines(event: Event, round_: CafeRound, place: RoomInfo | None, person_id: int | None) -> list[str]:
    """A café round in text: time and question, then (personal) the room, its host and its link."""
    lines = [
        _("Round %(number)s, %(times)s", number=round_.number, times=_times(event, round_.starts_at, round_.ends_at))
    ]
    if round_.question:
        lines.append("  " + _("Question: %(question)s", question=round_.question))
    if person_id is not None:
        if place is None:
            lines.append("  " + _("Your room: not assigned yet"))
        else:
            lines.append("  " + _("Your room: %(room)s", room=place.name))
            if hosting := host_text(place, person_id):
                lines.append("  " + hosting)
            if place.link:
                lines.append("  " + _("Breakout link: %(url)s", url=place.link))
    return lines


def _spec(item: ProgrammeItem) -> rules.ItemSpec:
    rounds = tuple(rules.RoundSpec(r.id, r.number, r.starts_at, r.ends_at) for r in item.rounds)
    return rules.ItemSpec(item.id, item.starts_at, item.ends_at, rounds)


def _meeting(event: Event, *, public: bool) -> str:
    return event.meeting_url if (not public or meeting_is_public(event)) else ""


def _join(event: Event, place: RoomInfo | None, *, public: bool) -> str:
    """The link to join: the room's own, else the meeting (public entries only when it is public)."""
    return (place.link if place is not None and place.link else "") or _meeting(event, public=public)


def _links(event: Event, place: RoomInfo | None, *, public: bool) -> tuple[str, tuple[Conference, ...]]:
    """The link to join and every CONFERENCE to list (the room's own link, then the main meeting)."""
    meeting = _meeting(event, public=public)
    conferences: list[Conference] = []
    if place is not None and place.link:
        conferences.append(Conference(place.link, place.name))
    if meeting and meeting != (place.link if place else ""):
        conferences.append(Conference(meeting, _("Main meeting")))
    join = conferences[0].url if conferences else ""
    return join, tuple(conferences)


def segment_facts(
    event: Event, item: ProgrammeItem, segment: rules.Segment, place: RoomInfo | None, person_id: int | None
) -> dict[str, Any]:
    """What one entry says, language-free: its fingerprint moves only on a real change (and feeds "what changed")."""
    round_ = next((r for r in item.rounds if segment.round and r.id == segment.round.id), None)
    join = _join(event, place, public=person_id is None)
    facts: dict[str, Any] = {
        "title": item.title,
        "kind": item.kind.value,
        "part": segment.part.value,
        "round": round_.number if round_ else None,
        "question": round_.question if round_ else "",
        "start": segment.starts_at.isoformat(),
        "end": segment.ends_at.isoformat(),
        "link": join,
        "room": place.name if place else "",
        "host": [place.host.family_name, place.host.given_name] if place and place.host else None,
        "hosting": bool(place and place.host and place.host.id == person_id),
    }
    if segment.part != rules.Part.ROUND:
        facts["description"] = item.description
        facts["speakers"] = [[s.role.value, s.family_name, s.given_name, s.organization] for s in item.speakers]
        if person_id is None:  # the public entry lists the rounds
            facts["rounds"] = [
                [r.number, r.question, r.starts_at.isoformat(), r.ends_at.isoformat()] for r in item.rounds
            ]
    return facts


def _draft(
    data: EventData,
    item: ProgrammeItem,
    segment: rules.Segment,
    person: Participant | None,
    places: dict[int, RoomInfo],
    holder: str,
) -> Draft:
    event = data.event
    person_id = person.id if person else None
    round_ = next((r for r in item.rounds if segment.round and r.id == segment.round.id), None)
    place = places.get(round_.id) if round_ else None
    join, conferences = _links(event, place, public=person is None)
    lines: list[str] = []
    if person is not None:
        lines += [_("Your page (where to go, your attendance): %(url)s", url=personal_page_url(person)), ""]
    if round_ is not None:
        summary = _round_summary(round_, item, place, person_id)
        location = _round_location(place, person_id) if person is not None else ""
        lines += round_lines(event, round_, place, person_id)
    else:
        summary = item.title if segment.part == rules.Part.WHOLE else _("%(item)s (all together)", item=item.title)
        location = join
        if item.description:
            lines += [item.description, ""]
        lines += _speaker_lines(item)
        if person is None:
            for public_round in item.rounds:
                lines += round_lines(event, public_round, None, None)
    if join:
        lines += ["", _("Join: %(url)s", url=join)]
    if event.meeting_url and join != event.meeting_url and (person is not None or meeting_is_public(event)):
        lines.append(_("Main meeting: %(url)s", url=event.meeting_url))
    if person is None and not meeting_is_public(event) and event.meeting_url:
        lines += ["", _("The meeting link is sent to registered participants.")]
    event_page = external("events.show", slug=event.slug)
    lines.append(_("Event page: %(url)s", url=event_page))
    return Draft(
        uid=rules.entry_uid(segment.key, holder, uid_domain()),
        key=segment.key,
        item_id=item.id,
        base_sequence=item.sequence,
        fingerprint=rules.fingerprint(segment_facts(event, item, segment, place, person_id)),
        summary=f"{summary}（{event.title}）",
        starts_at=segment.starts_at,
        ends_at=segment.ends_at,
        description="\n".join(lines).strip(),
        location=location,
        url=join or (personal_page_url(person) if person is not None else event_page),
        conferences=conferences,
    )


def _round_summary(round_: CafeRound, item: ProgrammeItem, place: RoomInfo | None, person_id: int | None) -> str:
    if person_id is None:
        return _("Round %(number)s · %(item)s", number=round_.number, item=item.title)
    if place is None:
        return _("Round %(number)s: room to be announced · %(item)s", number=round_.number, item=item.title)
    if place.host is not None and place.host.id == person_id:
        return _(
            "Round %(number)s: you host %(room)s · %(item)s", number=round_.number, room=place.name, item=item.title
        )
    return _("Round %(number)s: %(room)s · %(item)s", number=round_.number, room=place.name, item=item.title)


def _round_location(place: RoomInfo | None, person_id: int | None) -> str:
    if place is None:
        return _("Room to be announced")
    hosting = host_text(place, person_id)
    return f"{place.name}（{hosting}）" if hosting else place.name


def public_drafts(data: EventData) -> list[Draft]:
    """The public feed: one entry per programme item, no rooms, no people."""
    return [
        _draft(
            data,
            item,
            rules.Segment(f"item-{item.id}", item.id, rules.Part.WHOLE, item.starts_at, item.ends_at),
            None,
            {},
            "public",
        )
        for item in data.items
    ]


def person_drafts(data: EventData, person: Participant, *, invite: bool) -> list[Draft]:
    """One person's entries: each item, and each café round with their room (feed or emailed invitation)."""
    places = data.places(person.id)
    holder = f"invite-p{person.id}" if invite else f"p{person.id}"
    return [
        _draft(data, item, segment, person, places, holder)
        for item in data.items
        for segment in rules.segments(_spec(item))
    ]


def person_facts(data: EventData, person: Participant) -> dict[str, Any]:
    """Everything the person's invitation says, language-free: compared to tell "changed since" and "what changed"."""
    places = data.places(person.id)
    entries: dict[str, Any] = {}
    for item in data.items:
        for segment in rules.segments(_spec(item)):
            round_ = segment.round
            place = places.get(round_.id) if round_ else None
            entries[segment.key] = segment_facts(data.event, item, segment, place, person.id)
    event = data.event
    return {
        "event": [event.title, event.starts_at.isoformat(), event.ends_at.isoformat()],
        "meeting": event.meeting_url,
        "page": rules.fingerprint(person.token)[:16],  # a new personal link is a change, without copying the token
        "entries": entries,
    }


def person_fingerprint(data: EventData, person: Any) -> str:
    """A digest of everything the person's invitation says, cheap enough for 2,000 people per page view:
    the event's shared facts once per EventData, then only what is the person's own (rooms, hosts, links)."""
    if data.shared_digest is None:
        event = data.event
        shared = {
            "event": [event.title, event.starts_at.isoformat(), event.ends_at.isoformat(), event.meeting_url],
            "entries": [
                segment_facts(event, item, seg, None, None)
                for item in data.items
                for seg in rules.segments(_spec(item))
            ],
        }
        data.shared_digest = rules.fingerprint(shared)
    own = [
        [
            round_id,
            room.id,
            room.name,
            room.link,
            room.host.id if room.host else None,
            [room.host.family_name, room.host.given_name] if room.host else None,
        ]
        for round_id, room in sorted(data.places(person.id).items())
    ]
    return rules.fingerprint([data.shared_digest, person.id, person.token, own])


def person_language(person: Participant) -> str:
    """The person's language if the participants feature records one; Japanese otherwise."""
    language = getattr(person, "language", None) or getattr(person, "locale", None) or "ja"
    return language if language in current_app.config["LANGUAGES"] else "ja"
