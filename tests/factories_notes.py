"""Factories for round-notes tests: a café with rooms A and B, each with a facilitator as host."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from app.auth.models import Organizer
from app.cafe.models import Room
from app.events.models import CafeRound, Event, ProgrammeItem
from app.extensions import db
from app.participants.models import Participant, Role
from tests import factories


@dataclass
class NotesCafe:
    event: Event
    item: ProgrammeItem
    rooms: list[Room]
    hosts: list[Participant]
    guest: Participant  # a participant who hosts nothing

    @property
    def rounds(self) -> list[CafeRound]:
        return list(self.item.rounds)

    def url(self, host: int = 0, round_number: int = 1, suffix: str = "") -> str:
        return f"/p/{self.hosts[host].token}/notes/{round_number}{suffix}"

    def manage_url(self, room: int = 0, round_number: int = 1, suffix: str = "") -> str:
        rnd = self.rounds[round_number - 1]
        return f"/manage/events/{self.event.slug}/notes/{rnd.id}/{self.rooms[room].id}{suffix}"


def make_notes_cafe(*, organizer: Organizer | None = None, rooms: int = 2, rounds: int = 3) -> NotesCafe:
    """An event with a café of `rounds` rounds and `rooms` rooms, each hosted by its own facilitator."""
    event = factories.make_event(organizer=organizer)
    item = factories.make_cafe(event=event, rounds=rounds)
    names = ("テーブルA", "テーブルB", "テーブルC", "テーブルD")
    hosts, room_list = [], []
    for i in range(rooms):
        host = factories.make_participant(
            event=event, family_name=("納", "後藤", "高倉", "蒲田")[i], given_name="翔一", role=Role.FACILITATOR
        )
        room = Room(item=item, name=names[i], host=host, position=i)
        db.session.add(room)
        hosts.append(host)
        room_list.append(room)
    db.session.commit()
    guest = factories.make_participant(event=event, family_name="参加", given_name="太郎")
    return NotesCafe(event, item, room_list, hosts, guest)


def png_bytes(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (15, 110, 110)) -> bytes:
    """A real, tiny PNG image."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
