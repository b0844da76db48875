"""Demo connections on the finished summit: some people share contacts, some keep notes, a few want to talk again."""

from __future__ import annotations

import random

from sqlalchemy import select

from app.auth.models import Organizer
from app.connections import queries, services
from app.connections.models import ContactCard
from app.db import utcnow
from app.demo.programme import Events
from app.domain.connections import Audience
from app.events.models import Event
from app.extensions import db
from app.outbox.models import MessageStatus, OutboxMessage
from app.participants.models import Participant

SEED = 14
TEXTS = (
    "内線 2345（平日 9時〜17時）",
    "Teams で「{family} {given}」と検索してください",
    "LoGoチャット：{org} {family}",
    "オンライン市役所のグループにいます。気軽にメッセージをどうぞ",
    "代表電話から{department}の{family}を呼び出してください",
)
NOTES = (
    "聞きたい：債権回収の外部委託",
    "保育料の徴収で同じ悩み。来月電話してみる",
    "法規担当。条例改正の進め方を相談したい",
    "若手の巻き込み方のアイデアが面白かった。資料を送ってもらう",
    "庁内放送（Facebookグループ）の始め方を詳しく聞きたい",
    "ノーコードで作った申請受付の事例を見せてもらう約束",
    "移住相談のオンライン化、うちでも真似できそう",
    "次の自主研の勉強会に誘う",
)


def _people(event: Event) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.event_id == event.id, Participant.status.not_in(queries.NOT_THERE))
            .order_by(Participant.id)
        )
    )


def _text(person: Participant, rng: random.Random) -> str:
    return rng.choice(TEXTS).format(
        family=person.family_name, given=person.given_name, org=person.organization, department=person.department
    )


def _seed(event: Event) -> None:
    settings = queries.settings_for(event.id)
    if settings.id is None:
        db.session.add(settings)
    settings.talk_again, settings.in_report = True, True
    db.session.flush()
    people = _people(event)
    ids = [p.id for p in people]
    already = db.session.scalar(select(ContactCard.id).where(ContactCard.participant_id.in_(ids)).limit(1))
    if already is not None:
        return
    rng = random.Random(SEED)
    now = utcnow()
    met = {p.id: queries.met_ids(p, now) for p in people}
    for person in people:
        others = sorted(met[person.id])
        if not others:
            continue
        roll = rng.random()
        if roll < 0.25:
            data = services.CardData(Audience.EVERYONE, True, _text(person, rng) if rng.random() < 0.4 else "", 0)
        elif roll < 0.33:
            data = services.CardData(Audience.EVERYONE, False, _text(person, rng), 0)
        elif roll < 0.41:
            data = services.CardData(Audience.PICKED, True, "", 0)
        else:
            data = None
        if data is not None:
            services.save_card(person, data)
            if data.audience == Audience.PICKED:
                for other in rng.sample(others, min(2, len(others))):
                    services.set_pick(person, other, True, now)
        if rng.random() < 0.25:
            for other in rng.sample(others, min(rng.choice((1, 2)), len(others))):
                services.save_note(person, other, rng.choice(NOTES), 0, now)
    _talk_again(people, met, rng)
    db.session.commit()


def _talk_again(people: list[Participant], met: dict[int, set[int]], rng: random.Random) -> None:
    """A few one-sided wishes and three mutual pairs (their emails recorded as sent: the demo sends nothing)."""
    now = utcnow()
    chosen = [p for p in people if met[p.id]][:: max(len(people) // 12, 1)]
    for person in chosen:
        other = rng.choice(sorted(met[person.id]))
        services.set_talk_again(person, other, True, now)
    for person in chosen[:3]:
        wished = sorted(met[person.id])
        other = next(p for p in people if p.id in wished)
        services.set_talk_again(person, other.id, True, now)
        services.set_talk_again(other, person.id, True, now)
    for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "email", OutboxMessage.status == MessageStatus.PENDING)
    ):
        if message.participant_id in met:
            message.status, message.attempts, message.sent_at, message.last_status_code = (
                MessageStatus.SENT,
                1,
                now,
                250,
            )
            message.last_attempt_at = now


def seed_connections(organizer: Organizer, events: Events | None) -> Events | None:
    """The finished summit's connections; the upcoming one has none yet (no round has taken place)."""
    if events is None:
        return events
    _upcoming, finished = events
    _seed(finished)
    return events
