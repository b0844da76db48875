"""Demo round notes: every room of every round of the finished summit, modelled on the seed report.

The points under 第1〜第3ラウンド of the seed blog are spread over the rooms and paraphrased, so each
table reads differently. Most notes are submitted and publishable; two are internal, one is still a
draft, a few have two revisions, and one carries a graphic recording (app/demo/notes_picture.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Organizer
from app.cafe.models import Room
from app.demo.notes_picture import graphic_recording
from app.demo.programme import Events
from app.events.models import CafeRound, ItemKind
from app.extensions import db
from app.notes import storage
from app.notes.models import NoteImage, NoteRevision, RoundNote

log = logging.getLogger(__name__)

SUMMARIES = {
    1: (
        "長く続く自主研ほどオンラインへの移行に苦労している一方、新しいグループはZoomを当たり前に使っていて、現状は本当に様々だった。",
        "コロナ禍で対面の勉強会が止まり、できることを探しながら細々と続けているという話が中心。オンラインの気軽さは全員が実感していた。",
        "移動がないので全国の仲間と気軽に話せるようになった反面、機械が苦手なメンバーや若手をどう巻き込むかが共通の悩みとして出た。",
        "子育て中のメンバーから「夜9時からのオンラインなら参加できる」という声があり、オンラインが参加の間口を広げていることを確認した。",
        "活動が止まっているチームと、今だからできることに切り替えたチームの差が話題に。ハイブリッドの形をどう作るかで盛り上がった。",
    ),
    2: (
        "総論は「五感」。土地の空気や匂い、食事、名刺交換など、画面越しでは伝わらないものがリアルの価値だという意見でまとまった。",
        "雑談や「あ、これ美味しいね」から始まる会話こそが関係づくりの本体で、オンラインではそこが生まれにくいという話になった。",
        "オンラインでも話はできるが、最終的には会って人間関係になる。会ったことがあるからこその信頼がある、という意見が多かった。",
        "偶然の出会いがなくなること、会場の熱気が味わえないことが惜しいという声。一方でオンラインはリアルの予行演習にもなるという見方も。",
        "非効率に見えるリアルの時間に価値がある、という逆説的な議論に。ワークショップやブレストは対面の方がやりやすいとの実感も共有された。",
    ),
    3: (
        "「今だからこそ失敗できる」が印象的。時代の節目で自治体にも何かしなければという空気があり、今こそチャレンジしやすいという話になった。",
        "国内外どこともお金をかけずにつながれるようになった今、全国的なネットワークを作るチャンスだという前向きな意見が多かった。",
        "オンラインはリアルを補完するもの、という整理に落ち着いた。コロナ明けに会える関係を今のうちにオンラインで作っておきたい。",
        "人と離れたことで自分を見直す時間ができた、リアルの大切さに気付けた、という個人の振り返りから、官民連携のアイデアまで広がった。",
        "できないことは意外と少ないという発見から、中高生とのコラボや既存の会合のオンライン併用など、具体的なアイデアがたくさん出た。",
    ),
}

# A second sentence per table, so that no two tables of a round read alike.
CLOSERS = {
    1: (
        "",
        "次回はオンラインで小さく再開してみよう、という声で締めくくった。",
        "参加できていないメンバーにまず声をかけてみる、と皆で確認した。",
        "他の自治体のやり方を聞けたこと自体が収穫だった、という感想が多かった。",
    ),
    2: (
        "",
        "オンラインとリアルを対立させず、組み合わせ方を考えたいという結論になった。",
        "とはいえ、今日のような全国の出会いはオンラインならでは、という声もあった。",
        "最後は「早く会って乾杯したい」で全員が一致した。",
    ),
    3: (
        "",
        "まずは来月、今日のメンバーでオンライン勉強会を開くことになった。",
        "自治体職員だからこそできる「小さいこと」から始めよう、という話で終わった。",
        "今日出たアイデアを持ち帰り、それぞれの職場で一つ試してみることにした。",
    ),
}

KEY_POINTS = {
    1: (
        "コロナ禍で対面の活動がほぼ止まっている",
        "昔からのチームほどオンラインへの移行が難しい",
        "新しいチームはオンラインを積極的に活用している",
        "全国規模の集まりでも気軽に話せる",
        "移動の時間と交通費がかからない",
        "若手をどう巻き込むかが課題",
        "機械が苦手な人にはハードルが高い",
        "子育て中でも自宅から夜に参加できるのは助かる",
        "オンラインとオフラインのハイブリッドをどう実現するか",
        "メンバーの家族の理解を得るのが意外と大変",
    ),
    2: (
        "その土地の空気感や匂いを感じられる",
        "おもてなしと、その後に続くつながり",
        "観光や食事など、現地にしかない価値",
        "雑談の価値は大きい",
        "Zoomでは目線が合わない",
        "オフラインならではの「非効率」が大事",
        "ワークショップやブレストは対面の方がやりやすい",
        "オンラインだと記憶に残りにくい",
        "リアルでの出会いがオンライン参加のきっかけになる",
        "お金と時間をかけて来る分、参加者のモチベーションが高い",
        "深いレベルのコミュニケーションや場の空気を読むこと",
        "「偶然の出会い」がなくなる",
        "オンラインでは雑多な雰囲気が出ない",
        "名刺交換にもちゃんと意味がある",
    ),
    3: (
        "人と離れて自分を見直す時間にしている",
        "国内外のつながりが費用をかけずに作れるようになった",
        "リアルの大切さに改めて気付いた",
        "できないことは少ないという発見",
        "移動がない分、効率が上がった",
        "ワークライフバランスの糧になる",
        "全国的なネットワークを作るチャンス",
        "官民をつなげるチャンス",
        "オンラインはリアルを補完するもの",
        "時代の節目の今は失敗しやすい（挑戦しやすい）",
    ),
}

IDEAS = {
    1: (
        "オンラインに慣れた若手が「Zoom係」として古参メンバーをサポートする",
        "月1回、夜21時からの30分オンライン朝礼ならぬ「夜礼」",
        "Facebookグループでの文字ベースの参加も「参加」と数える",
        "対面の例会にZoomをつないでハイブリッド開催を試す",
    ),
    2: (
        "オンラインで知り合い、年1回リアルで会う「年1オフ会」を定例にする",
        "オンライン懇親会で同じお菓子を事前に配って「美味しいね」を共有する",
        "リアル開催の前にオンラインで顔合わせをして、当日の会話を深くする",
        "ブレイクアウトで少人数の雑談タイムをあえて設ける",
    ),
    3: (
        "中高生とコラボしたオンライン勉強会",
        "コロナ禍を追い風に、手続きのオンライン化など制度の見直しを提案する",
        "オンラインが得意な仲間を集めたチームを新しく作る",
        "従来のリアルな会合をオンラインで配信して参加者の幅を広げる",
        "「未来のリアルにつながる関係」を意識した交流会を企画する",
    ),
}

QUOTES = {
    1: (
        "ネットワーク時代は機械オンチにはキツい",
        "子どもが寝た後の夜9時からなら出られる",
        "とりあえず日程を決めてしまえば何とかなる",
    ),
    2: (
        "「あ、これ美味しいね」から始まる会話がめっちゃ大事",
        "オンライン飲み会は飲んだ気にならない。隣の人にお酌できない",
        "会場の熱気と、会えた喜びはリアルでないと味わえない",
    ),
    3: (
        "今だからこそ、失敗ができる",
        "コロナ明けにリアルで会える仲間を今つくりたい",
        "小さいことでも、やることに意味がある",
    ),
}

BODY = {
    1: "### 次の一歩\n- 参加できていない人に**理由を聞いてみる**（アンケート）\n- 古参メンバーと若手のペアで運営を回す\n\n参考: [オンライン市役所](https://online-shiyakusyo.studio.design)",
    2: "### リアルとオンラインの比較\n| | リアル | オンライン |\n|---|---|---|\n| 五感 | ◎ | △ |\n| 参加のしやすさ | △ | ◎ |\n| 偶然の出会い | ◎ | × |\n",
    3: "### まとめ\nオンラインは**リアルの代わり**ではなく、*未来のリアルにつながる関係*をつくる道具。\n\n~~コロナが明けるまで待つ~~ → 今できることから始める",
}

INTERNAL = {(1, 3), (3, 5)}  # (round, room index): a personal story, not for the public report
DRAFT = {(3, 2)}  # still a draft: the host meant to tidy it up
TWO_REVISIONS = {(1, 0), (2, 1), (3, 0)}
PICTURE = (2, 0)
PICTURE_CAPTION = "グラフィックレコーディング：リアルとオンラインの価値（第2ラウンド・ホワイトボード）"


def _pick(pool: tuple[str, ...], start: int, count: int) -> list[str]:
    return [pool[(start + k) % len(pool)] for k in range(count)]


def _content(number: int, index: int) -> dict[str, str]:
    """The note of room `index` in round `number`: a different slice of the round's points per room."""
    summaries, points, ideas, quotes = SUMMARIES[number], KEY_POINTS[number], IDEAS[number], QUOTES[number]
    key_points = _pick(points, index * 3, 3 + index % 2)
    content = {
        "summary": summaries[index % len(summaries)]
        + CLOSERS[number][(index // len(summaries)) % len(CLOSERS[number])],
        "key_points": "\n".join(f"・{p}" for p in key_points),
        "ideas": "\n".join(_pick(ideas, index, 1 + index % 2)),
        "quotes": quotes[index % len(quotes)] if index % 3 != 2 else "",
        "body_md": BODY[number] if index % 4 == 0 else "",
    }
    if (number, index) in INTERNAL:
        content["summary"] += "（職場の人間関係に触れた発言があったため、内部メモとする）"
    return content


def _add_note(round_: CafeRound, room: Room, index: int) -> RoundNote:
    number = (round_.number - 1) % len(SUMMARIES) + 1  # a fourth round reuses the first round's material
    content = _content(number, index)
    saved_at = round_.ends_at + timedelta(minutes=2 + index % 5)
    note = RoundNote(
        round_id=round_.id,
        room_id=room.id,
        publishable=(number, index) not in INTERNAL,
        updated_by_id=room.host_id,
        created_at=round_.ends_at - timedelta(minutes=5),
    )
    versions = []
    if (number, index) in TWO_REVISIONS:  # a short draft typed during the round, completed afterwards
        versions.append(
            {**content, "ideas": "", "quotes": "", "body_md": "", "key_points": content["key_points"].split("\n")[0]}
        )
    versions.append(content)
    db.session.add(note)
    for version, values in enumerate(versions, start=1):
        last = version == len(versions)
        for name, value in values.items():
            setattr(note, name, value)
        note.version = version
        note.submitted = last and (number, index) not in DRAFT
        note.submitted_at = saved_at if note.submitted else None
        note.updated_at = saved_at if last else round_.ends_at - timedelta(minutes=1)
        db.session.flush()
        db.session.add(
            NoteRevision(
                note_id=note.id,
                version=version,
                **values,
                publishable=note.publishable,
                submitted=note.submitted,
                autosave=not last,
                saved_at=note.updated_at,
                saved_by_id=room.host_id,
            )
        )
    return note


def _add_picture(note: RoundNote) -> None:
    data = graphic_recording()
    filename = "demo-graphic-recording-round2.png"
    path = storage.folder() / filename
    if not path.exists():
        path.write_bytes(data)
    db.session.add(
        NoteImage(
            note_id=note.id,
            filename=filename,
            original_name="ホワイトボード_第2ラウンド.png",
            content_type="image/png",
            size=len(data),
            width=800,
            height=500,
            caption=PICTURE_CAPTION,
            publishable=True,
            uploaded_at=note.updated_at,
            uploaded_by_id=note.updated_by_id,
        )
    )


def seed_notes(organizer: Organizer, events: Events | None) -> Events | None:
    """Notes for every room of every round of the finished demo event; skipped while it has no rooms."""
    if events is None:
        return events
    _upcoming, finished = events
    for item in finished.items:
        if item.kind != ItemKind.CAFE:
            continue
        rooms = list(db.session.scalars(select(Room).where(Room.item_id == item.id).order_by(Room.position, Room.id)))
        if not rooms:
            log.info("demo notes skipped: the café %s has no rooms yet", item.id)
            continue
        added = 0
        for round_ in item.rounds:
            existing = {n.room_id for n in db.session.scalars(select(RoundNote).where(RoundNote.round_id == round_.id))}
            for index, room in enumerate(rooms):
                if room.id in existing:
                    continue
                note = _add_note(round_, room, index)
                if (round_.number, index) == PICTURE:
                    _add_picture(note)
                added += 1
        db.session.flush()
        log.info("demo notes: %d added for café %s", added, item.id)
    return events
