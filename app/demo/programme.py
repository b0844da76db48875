"""Demo organiser and the two demo events with their programmes, modelled on the seed summit."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import Organizer
from app.db import utcnow
from app.events.models import CafeRound, Event, EventStatus, ItemKind, ProgrammeItem, Speaker, SpeakerRole
from app.extensions import db

DEMO_EMAIL = "demo@tsunagu.example"
TOKYO = ZoneInfo("Asia/Tokyo")
UPCOMING_SLUG = "network-summit"  # no year: the upcoming summit's date (and so its year) moves with the day
LEGACY_UPCOMING_SLUG = "network-summit-2027"  # what demos loaded before were given; renamed on the next run
FINISHED_SLUG = "network-summit-spinoff-2020"

Events = tuple[Event, Event]


def existing_demo_organizer() -> Organizer | None:
    """The demo organiser if the demo was loaded before."""
    return db.session.scalar(select(Organizer).where(Organizer.email == DEMO_EMAIL))


def opens_with(organizer: Organizer, password: str) -> bool:
    """Whether `password` is the organiser's current password."""
    return bool(password) and check_password_hash(organizer.password_hash, password)


def demo_organizer(password: str | None) -> Organizer:
    """The demo organiser, created when missing; `password` replaces theirs (None keeps it)."""
    organizer = existing_demo_organizer()
    if organizer is None:
        organizer = Organizer(email=DEMO_EMAIL, display_name="佐藤 美穂", password_hash="")
        db.session.add(organizer)
    if password is not None:
        organizer.password_hash = generate_password_hash(password)
    db.session.flush()
    return organizer


def _at(day: datetime, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0).astimezone(ZoneInfo("UTC"))


QUESTIONS = (
    "最近の活動状況を語り合おう：コロナ禍でネットワーク活動はどう変わった？",
    "リアルだからこその価値、リアルでないとできないことは何か？",
    "オンラインの活用も含めて、こんな時代に私たちは何ができるか？",
)

SPEAKERS = {
    "talk": [
        (
            SpeakerRole.SPEAKER,
            "脇田",
            "雅也",
            "神奈川県",
            "政策局 デジタル戦略本部室",
            "総務省から神奈川県へ出向中。公務員限定のオンラインコミュニティ「オンライン市役所」を立ち上げ、運営する。",
        ),
    ],
    "panel": [
        (
            SpeakerRole.MODERATOR,
            "後藤",
            "好美",
            "山形県山形市",
            "企画調整部",
            "自主研究グループを20年続けるネットワーク活動の先駆者。",
        ),
        (
            SpeakerRole.SPEAKER,
            "高倉",
            "真紀",
            "一般財団法人 情報経済推進協会",
            "元 愛媛県八幡浜市職員",
            "自治体職員向けFacebookグループを多数運営。",
        ),
        (
            SpeakerRole.SPEAKER,
            "川名",
            "賀子",
            "民間IT企業",
            "元 岐阜県岐阜市職員",
            "公務員アーティストとして活動。科学館勤務の経験からデザインを担う。",
        ),
        (
            SpeakerRole.SPEAKER,
            "蒲田",
            "大輔",
            "ノーコード開発企業",
            "元 東京都品川区職員",
            "公務員LT会を主宰。ノーコードで自治体業務の改善を支援。",
        ),
    ],
}


def _programme(day: datetime, cafe_rounds: int) -> list[ProgrammeItem]:
    talk = ProgrammeItem(
        kind=ItemKind.TALK,
        title="オンライン活用先進事例紹介「オンライン市役所」",
        description="全国の公務員がつながるオンラインプラットフォームの立ち上げと運営から学ぶ。",
        starts_at=_at(day, "13:10"),
        ends_at=_at(day, "13:50"),
    )
    panel = ProgrammeItem(
        kind=ItemKind.PANEL,
        title="対談「オンライン活用によるネットワーク活動の未来」",
        description="自治体職員から転身した3人が、ネットワーク活動の未来を語る。",
        starts_at=_at(day, "14:00"),
        ends_at=_at(day, "15:00"),
    )
    for item, key in ((talk, "talk"), (panel, "panel")):
        item.speakers = [
            Speaker(role=r, family_name=f, given_name=g, organization=o, department=d, bio=b, position=i)
            for i, (r, f, g, o, d, b) in enumerate(SPEAKERS[key])
        ]
    cafe = ProgrammeItem(
        kind=ItemKind.CAFE,
        title="ブレイクアウトルームを活用したワールドカフェ",
        description=f"4〜6人の部屋で{cafe_rounds}ラウンド。各部屋にファシリテーター（テーブルホスト）が1人残り、"
        "他の人は毎ラウンド移動します。",
        starts_at=_at(day, "15:10"),
        ends_at=_at(day, "16:25"),
    )
    start = _at(day, "15:15")
    length = timedelta(minutes=60 // cafe_rounds)  # 3 rounds of 20 minutes, or 4 of 15
    rounds = []
    for number in range(1, cafe_rounds + 1):
        question = QUESTIONS[number - 1] if number <= len(QUESTIONS) else "今日の気づきを、明日の職場でどう活かすか？"
        rounds.append(CafeRound(number=number, question=question, starts_at=start, ends_at=start + length))
        start += length + timedelta(minutes=3)
    cafe.rounds = rounds
    return [
        ProgrammeItem(
            kind=ItemKind.BREAK,
            title="開会・趣旨説明",
            description="運営からのご挨拶と、Zoomの使い方のご案内。",
            starts_at=_at(day, "13:00"),
            ends_at=_at(day, "13:10"),
        ),
        talk,
        ProgrammeItem(kind=ItemKind.BREAK, title="休憩", starts_at=_at(day, "13:50"), ends_at=_at(day, "14:00")),
        panel,
        ProgrammeItem(
            kind=ItemKind.BREAK,
            title="休憩・ブレイクアウトルームの準備",
            starts_at=_at(day, "15:00"),
            ends_at=_at(day, "15:10"),
        ),
        cafe,
        ProgrammeItem(
            kind=ItemKind.BREAK, title="全体共有・閉会", starts_at=_at(day, "16:25"), ends_at=_at(day, "16:45")
        ),
        ProgrammeItem(
            kind=ItemKind.SOCIAL,
            title="懇親会（オンライン飲み会）",
            description="お好きな飲み物をご用意ください。出入り自由です。",
            starts_at=_at(day, "17:00"),
            ends_at=_at(day, "18:30"),
        ),
    ]


def _upsert_event(
    organizer: Organizer, slug: str, title: str, description: str, day: datetime, status: EventStatus, cafe_rounds: int
) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        event = Event(
            slug=slug,
            title=title,
            description=description,
            timezone="Asia/Tokyo",
            starts_at=_at(day, "13:00"),
            ends_at=_at(day, "18:30"),
            meeting_url="https://zoom.us/j/81234567890",
            status=status,
            organizers=[organizer],
        )
        event.items = _programme(day, cafe_rounds)
        for position, item in enumerate(event.items):
            item.position = position
        db.session.add(event)
        db.session.flush()
    elif not event.is_organized_by(organizer):
        event.organizers.append(organizer)
    return event


def seed_events(organizer: Organizer, _events: Events | None) -> Events:
    """The finished seed summit (2020-07-25) and an upcoming one a few weeks from now."""
    finished = _upsert_event(
        organizer,
        FINISHED_SLUG,
        "全国自治体職員ネットワークサミット・スピンオフ企画",
        "ネットワーク活動の次につながる一歩が生まれる場に。約120名の公務員がZoomに集い、"
        "先進事例の紹介と対談のあと、ブレイクアウトルームを使ったワールドカフェで意見を交わしました。",
        datetime(2020, 7, 25, tzinfo=TOKYO),
        EventStatus.FINISHED,
        3,
    )
    today = utcnow().astimezone(TOKYO)
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 21)
    legacy = db.session.scalar(select(Event).where(Event.slug == LEGACY_UPCOMING_SLUG))
    if legacy is not None and db.session.scalar(select(Event.id).where(Event.slug == UPCOMING_SLUG)) is None:
        legacy.slug = UPCOMING_SLUG
    # The title names the year the summit takes place in (the date moves with the day the demo is loaded).
    upcoming = _upsert_event(
        organizer,
        UPCOMING_SLUG,
        f"全国自治体職員ネットワークサミット{saturday.year}",
        "組織の壁を越えて、全国の自治体職員がオンラインでつながる半日。事例紹介、パネル対談、"
        "4ラウンドのワールドカフェ、そしてオンライン懇親会。",
        datetime(saturday.year, saturday.month, saturday.day, tzinfo=TOKYO),
        EventStatus.PUBLISHED,
        4,
    )
    return upcoming, finished
