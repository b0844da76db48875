"""Plain factory functions with keyword-only arguments and realistic defaults."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from werkzeug.security import generate_password_hash

from app.auth.models import Organizer
from app.events.models import CafeRound, Event, EventStatus, ItemKind, ProgrammeItem, Speaker, SpeakerRole
from app.extensions import db
from app.participants.models import Participant, Role, Status
from tests.instants import EVENT_END, EVENT_START

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


def make_organizer(*, email: str | None = None, password: str = PASSWORD, name: str = "運営 太郎") -> Organizer:
    organizer = Organizer(
        email=email or f"organiser{next(_counter)}@city.example.lg.jp",
        display_name=name,
        password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )
    db.session.add(organizer)
    db.session.commit()
    return organizer


def make_event(
    *,
    organizer: Organizer | None = None,
    title: str = "全国自治体職員ネットワークサミット",
    slug: str | None = None,
    status: EventStatus = EventStatus.PUBLISHED,
    starts_at: datetime = EVENT_START,
    ends_at: datetime = EVENT_END,
    timezone: str = "Asia/Tokyo",
    meeting_url: str = "https://zoom.us/j/81234567890",
) -> Event:
    event = Event(
        slug=slug or f"summit-{next(_counter)}",
        title=title,
        description="組織の壁を越えてつながる半日。",
        timezone=timezone,
        starts_at=starts_at,
        ends_at=ends_at,
        meeting_url=meeting_url,
        status=status,
        organizers=[organizer or make_organizer()],
    )
    db.session.add(event)
    db.session.commit()
    return event


def make_item(
    *,
    event: Event,
    kind: ItemKind = ItemKind.TALK,
    title: str = "オンライン市役所の事例紹介",
    starts_at: datetime | None = None,
    minutes: int = 40,
    speakers: tuple[tuple[str, str], ...] = (),
) -> ProgrammeItem:
    start = starts_at or (event.items[-1].ends_at if event.items else event.starts_at)
    item = ProgrammeItem(
        event=event,
        kind=kind,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        position=len(event.items),
    )
    for i, (family, given) in enumerate(speakers):
        role = SpeakerRole.MODERATOR if kind == ItemKind.PANEL and i == 0 else SpeakerRole.SPEAKER
        item.speakers.append(
            Speaker(role=role, family_name=family, given_name=given, organization="神戸市", position=i)
        )
    db.session.add(item)
    db.session.commit()
    return item


def make_cafe(
    *,
    event: Event,
    rounds: int = 3,
    round_minutes: int = 20,
    starts_at: datetime | None = None,
    questions: tuple[str, ...] = (
        "最近の活動状況は？",
        "リアルだからこその価値は？",
        "今、何ができるか？",
        "明日からどう活かすか？",
    ),
) -> ProgrammeItem:
    item = make_item(
        event=event,
        kind=ItemKind.CAFE,
        title="ワールドカフェ",
        starts_at=starts_at,
        minutes=rounds * (round_minutes + 5),
    )
    start = item.starts_at
    for number in range(1, rounds + 1):
        item.rounds.append(
            CafeRound(
                number=number,
                question=questions[(number - 1) % len(questions)],
                starts_at=start,
                ends_at=start + timedelta(minutes=round_minutes),
            )
        )
        start += timedelta(minutes=round_minutes + 5)
    db.session.commit()
    return item


PREFECTURES = ("北海道", "宮城県", "東京都", "神奈川県", "石川県", "大阪府", "兵庫県", "和歌山県", "愛媛県", "福岡県")
ORGS = ("神戸市", "岩出市", "石川県", "山形市", "八幡浜市", "岐阜市", "品川区", "富田林市", "横浜市", "総務省")


def make_participant(
    *,
    event: Event,
    family_name: str | None = None,
    given_name: str = "花子",
    email: str | None = None,
    organization: str | None = None,
    role: Role = Role.PARTICIPANT,
    status: Status = Status.REGISTERED,
) -> Participant:
    n = next(_counter)
    person = Participant(
        event=event,
        family_name=family_name or f"山田{n}",
        given_name=given_name,
        email=email or f"person{n}@example.lg.jp",
        organization=organization if organization is not None else ORGS[n % len(ORGS)],
        prefecture=PREFECTURES[n % len(PREFECTURES)],
        department="企画課",
        role=role,
        status=status,
    )
    db.session.add(person)
    db.session.commit()
    return person
