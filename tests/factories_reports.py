"""Factories for report tests: a finished summit with talks, a seated café, notes full of private data."""

from __future__ import annotations

import secrets as pysecrets
from dataclasses import dataclass, field

from app.auth.models import Organizer
from app.cafe.models import Room, Seat
from app.events.models import Event, EventStatus, ItemKind, ProgrammeItem
from app.extensions import db
from app.notes.models import NoteImage, RoundNote
from app.notes.storage import folder
from app.participants.models import Participant, Role, Status
from tests import factories
from tests.factories_notes import png_bytes

INTERNAL = "社外秘メモ-INTERNAL-7f3a"
PRIVATE_CAPTION = "非公開の写真-PRIVATE-CAPTION"


@dataclass
class Summit:
    event: Event
    talk: ProgrammeItem
    panel: ProgrammeItem
    cafe: ProgrammeItem
    rooms: list[Room]
    people: list[Participant]
    notes: list[RoundNote] = field(default_factory=list)
    images: list[NoteImage] = field(default_factory=list)

    @property
    def private_strings(self) -> list[str]:
        """What must never appear in public: emails, tokens, personal links, internal notes."""
        out = [INTERNAL, PRIVATE_CAPTION, "/p/", "@"]
        for p in self.people:
            out += [p.email, p.token]
        out += [o.email for o in self.event.organizers]
        return out

    @property
    def participant_names(self) -> list[str]:
        return [p.family_name for p in self.people if p.role == Role.PARTICIPANT]


def store_png(name_hint: str = "") -> str:
    filename = f"{pysecrets.token_hex(16)}.png"
    (folder() / filename).write_bytes(png_bytes(40, 30))
    return filename


def make_note(
    *, room: Room, round_number: int, cafe: ProgrammeItem, publishable: bool = True, **fields: str
) -> RoundNote:
    rnd = next(r for r in cafe.rounds if r.number == round_number)
    note = RoundNote(round=rnd, room=room, publishable=publishable, submitted=True, **fields)
    db.session.add(note)
    db.session.commit()
    return note


def make_image(*, note: RoundNote, caption: str, publishable: bool = True) -> NoteImage:
    image = NoteImage(
        note=note,
        filename=store_png(),
        original_name="grarec.png",
        content_type="image/png",
        size=100,
        caption=caption,
        publishable=publishable,
    )
    db.session.add(image)
    db.session.commit()
    return image


def make_summit(
    *,
    organizer: Organizer | None = None,
    slug: str | None = None,
    title: str = "全国自治体職員ネットワークサミット",
    people: int = 12,
    rooms: int = 3,
    rounds: int = 3,
    with_notes: bool = True,
) -> Summit:
    """A finished summit: a talk, a panel, a café whose seats are published, notes with private data."""
    event = factories.make_event(organizer=organizer, slug=slug, title=title, status=EventStatus.FINISHED)
    talk = factories.make_item(event=event, title="オンライン市役所の事例紹介", speakers=(("脇田", "雅也"),))
    panel = factories.make_item(
        event=event, kind=ItemKind.PANEL, title="ネットワーク活動の未来", speakers=(("後藤", "好美"), ("高倉", "真紀"))
    )
    cafe = factories.make_cafe(event=event, rounds=rounds)
    hosts = [
        factories.make_participant(event=event, family_name=f"司会{i}", given_name="進", role=Role.FACILITATOR)
        for i in range(rooms)
    ]
    room_list = []
    for i, host in enumerate(hosts):
        room = Room(item=cafe, name=f"ルーム{i + 1}", host=host, position=i)
        db.session.add(room)
        room_list.append(room)
    guests = [factories.make_participant(event=event, family_name=f"参加者{i}") for i in range(people)]
    factories.make_participant(event=event, family_name="欠席者", status=Status.CANCELLED)
    db.session.commit()
    # Round r: guest g sits in room (g + r * g // rooms) % rooms, so people mix between rounds.
    for rnd in cafe.rounds:
        for g, guest in enumerate(guests):
            room = room_list[(g + (rnd.number - 1) * (g // rooms + 1)) % rooms]
            db.session.add(Seat(round=rnd, room=room, participant=guest, published=True))
            db.session.add(Seat(round=rnd, room=room_list[0], participant=guest, published=False))  # a stale draft
    db.session.commit()
    summit = Summit(event, talk, panel, cafe, room_list, hosts + guests)
    if with_notes:
        add_notes(summit)
    return summit


def add_notes(summit: Summit) -> None:
    """Notes for every room and round; they mention emails, tokens and personal links on purpose."""
    guest = summit.people[-1]
    for rnd in summit.cafe.rounds:
        for i, room in enumerate(summit.rooms):
            note = make_note(
                room=room,
                round_number=rnd.number,
                cafe=summit.cafe,
                summary=f"第{rnd.number}ラウンド{room.name}のまとめ",
                key_points=(
                    f"- 雑談の価値 R{rnd.number}-{i}\n"
                    f"- 連絡先は {guest.email} まで\n"
                    f"- 資料: https://tsunagu.test/p/{guest.token}\n"
                    f"- トークン {summit.people[0].token} を共有"
                ),
                ideas="・中高生とのコラボ",
                quotes="オンライン飲み会は飲んだ気にならない",
                body_md=f"**詳細**: {room.name}で話したこと",
            )
            summit.notes.append(note)
        internal = summit.notes[-1]
        internal.publishable = False
        internal.key_points = f"- {INTERNAL}"
        db.session.commit()
    first = summit.notes[0]
    summit.images.append(make_image(note=first, caption="グラレコ 第1部"))
    summit.images.append(make_image(note=first, caption=PRIVATE_CAPTION, publishable=False))
    summit.images.append(make_image(note=summit.notes[-1], caption=f"内部ノートの画像 {INTERNAL}"))
