"""Demo participants: ~120 public servants from ~45 organisations per event, seeded and idempotent."""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.auth.models import Organizer
from app.demo.programme import Events
from app.events.models import Event, EventStatus
from app.extensions import db
from app.participants import queries
from app.participants.models import Participant, Role, Status

# (organisation, prefecture, email domain): example.lg.jp / example.go.jp, never real addresses.
ORGANIZATIONS: tuple[tuple[str, str, str], ...] = (
    ("神戸市", "兵庫県", "city.kobe.example.lg.jp"),
    ("岩出市", "和歌山県", "city.iwade.example.lg.jp"),
    ("石川県", "石川県", "pref.ishikawa.example.lg.jp"),
    ("山形市", "山形県", "city.yamagata.example.lg.jp"),
    ("八幡浜市", "愛媛県", "city.yawatahama.example.lg.jp"),
    ("岐阜市", "岐阜県", "city.gifu.example.lg.jp"),
    ("品川区", "東京都", "city.shinagawa.example.lg.jp"),
    ("富田林市", "大阪府", "city.tondabayashi.example.lg.jp"),
    ("横浜市", "神奈川県", "city.yokohama.example.lg.jp"),
    ("総務省", "東京都", "soumu.example.go.jp"),
    ("札幌市", "北海道", "city.sapporo.example.lg.jp"),
    ("仙台市", "宮城県", "city.sendai.example.lg.jp"),
    ("新潟市", "新潟県", "city.niigata.example.lg.jp"),
    ("浜松市", "静岡県", "city.hamamatsu.example.lg.jp"),
    ("京都市", "京都府", "city.kyoto.example.lg.jp"),
    ("広島市", "広島県", "city.hiroshima.example.lg.jp"),
    ("福岡市", "福岡県", "city.fukuoka.example.lg.jp"),
    ("那覇市", "沖縄県", "city.naha.example.lg.jp"),
    ("神奈川県", "神奈川県", "pref.kanagawa.example.lg.jp"),
    ("兵庫県", "兵庫県", "pref.hyogo.example.lg.jp"),
    ("愛媛県", "愛媛県", "pref.ehime.example.lg.jp"),
    ("鳥取県", "鳥取県", "pref.tottori.example.lg.jp"),
    ("長野県", "長野県", "pref.nagano.example.lg.jp"),
    ("青森市", "青森県", "city.aomori.example.lg.jp"),
    ("盛岡市", "岩手県", "city.morioka.example.lg.jp"),
    ("秋田市", "秋田県", "city.akita.example.lg.jp"),
    ("郡山市", "福島県", "city.koriyama.example.lg.jp"),
    ("つくば市", "茨城県", "city.tsukuba.example.lg.jp"),
    ("宇都宮市", "栃木県", "city.utsunomiya.example.lg.jp"),
    ("前橋市", "群馬県", "city.maebashi.example.lg.jp"),
    ("さいたま市", "埼玉県", "city.saitama.example.lg.jp"),
    ("千葉市", "千葉県", "city.chiba.example.lg.jp"),
    ("渋谷区", "東京都", "city.shibuya.example.lg.jp"),
    ("金沢市", "石川県", "city.kanazawa.example.lg.jp"),
    ("富山市", "富山県", "city.toyama.example.lg.jp"),
    ("福井市", "福井県", "city.fukui.example.lg.jp"),
    ("甲府市", "山梨県", "city.kofu.example.lg.jp"),
    ("名古屋市", "愛知県", "city.nagoya.example.lg.jp"),
    ("四日市市", "三重県", "city.yokkaichi.example.lg.jp"),
    ("大津市", "滋賀県", "city.otsu.example.lg.jp"),
    ("奈良市", "奈良県", "city.nara.example.lg.jp"),
    ("岡山市", "岡山県", "city.okayama.example.lg.jp"),
    ("松江市", "島根県", "city.matsue.example.lg.jp"),
    ("高松市", "香川県", "city.takamatsu.example.lg.jp"),
    ("熊本市", "熊本県", "city.kumamoto.example.lg.jp"),
    ("デジタル庁", "東京都", "digital.example.go.jp"),
)
# Several people come from these, so that keeping people of one organisation apart matters.
BIG_ORGANIZATIONS = ("神戸市", "横浜市", "総務省", "石川県", "福岡市", "品川区", "岐阜市", "札幌市")

DEPARTMENTS = (
    "企画課",
    "情報政策課",
    "保険年金課",
    "文化振興課",
    "債権管理課",
    "子育て支援課",
    "総務課",
    "人事課",
    "財政課",
    "市民協働課",
    "地域振興課",
    "防災危機管理課",
    "デジタル推進課",
    "観光振興課",
    "環境政策課",
    "広報課",
    "福祉政策課",
    "都市計画課",
    "産業振興課",
    "教育委員会 生涯学習課",
    "行政改革推進課",
    "税務課",
    "高齢福祉課",
    "健康づくり推進課",
)

# (kanji, katakana, romaji)
FAMILY_NAMES = (
    ("佐藤", "サトウ", "sato"), ("鈴木", "スズキ", "suzuki"), ("高橋", "タカハシ", "takahashi"),
    ("田中", "タナカ", "tanaka"), ("伊藤", "イトウ", "ito"), ("渡辺", "ワタナベ", "watanabe"),
    ("山本", "ヤマモト", "yamamoto"), ("中村", "ナカムラ", "nakamura"), ("小林", "コバヤシ", "kobayashi"),
    ("加藤", "カトウ", "kato"), ("吉田", "ヨシダ", "yoshida"), ("山田", "ヤマダ", "yamada"),
    ("佐々木", "ササキ", "sasaki"), ("山口", "ヤマグチ", "yamaguchi"), ("松本", "マツモト", "matsumoto"),
    ("井上", "イノウエ", "inoue"), ("木村", "キムラ", "kimura"), ("林", "ハヤシ", "hayashi"),
    ("斎藤", "サイトウ", "saito"), ("清水", "シミズ", "shimizu"), ("山崎", "ヤマザキ", "yamazaki"),
    ("森", "モリ", "mori"), ("池田", "イケダ", "ikeda"), ("橋本", "ハシモト", "hashimoto"),
    ("阿部", "アベ", "abe"), ("石川", "イシカワ", "ishikawa"), ("山下", "ヤマシタ", "yamashita"),
    ("中島", "ナカジマ", "nakajima"), ("石井", "イシイ", "ishii"), ("小川", "オガワ", "ogawa"),
    ("前田", "マエダ", "maeda"), ("岡田", "オカダ", "okada"), ("長谷川", "ハセガワ", "hasegawa"),
    ("藤田", "フジタ", "fujita"), ("後藤", "ゴトウ", "goto"), ("近藤", "コンドウ", "kondo"),
    ("村上", "ムラカミ", "murakami"), ("遠藤", "エンドウ", "endo"), ("青木", "アオキ", "aoki"),
    ("坂本", "サカモト", "sakamoto"), ("福田", "フクダ", "fukuda"), ("太田", "オオタ", "ota"),
    ("西村", "ニシムラ", "nishimura"), ("藤井", "フジイ", "fujii"), ("金子", "カネコ", "kaneko"),
    ("岡本", "オカモト", "okamoto"), ("藤原", "フジワラ", "fujiwara"), ("中野", "ナカノ", "nakano"),
    ("三浦", "ミウラ", "miura"), ("原田", "ハラダ", "harada"), ("松田", "マツダ", "matsuda"),
    ("竹内", "タケウチ", "takeuchi"), ("小野", "オノ", "ono"), ("田村", "タムラ", "tamura"),
    ("中山", "ナカヤマ", "nakayama"), ("和田", "ワダ", "wada"), ("石田", "イシダ", "ishida"),
    ("上田", "ウエダ", "ueda"), ("森田", "モリタ", "morita"), ("比嘉", "ヒガ", "higa"),
    ("髙橋", "タカハシ", "takahashi"), ("山﨑", "ヤマザキ", "yamazaki"), ("宮城", "ミヤギ", "miyagi"),
    ("大城", "オオシロ", "oshiro"), ("菅原", "スガワラ", "sugawara"), ("千葉", "チバ", "chiba"),
)  # fmt: skip
GIVEN_NAMES = (
    ("太郎", "タロウ", "taro"), ("翔太", "ショウタ", "shota"), ("大輔", "ダイスケ", "daisuke"),
    ("健太", "ケンタ", "kenta"), ("拓也", "タクヤ", "takuya"), ("直樹", "ナオキ", "naoki"),
    ("雅也", "マサヤ", "masaya"), ("浩二", "コウジ", "koji"), ("誠", "マコト", "makoto"),
    ("亮", "リョウ", "ryo"), ("隆", "タカシ", "takashi"), ("修", "オサム", "osamu"),
    ("和也", "カズヤ", "kazuya"), ("悠斗", "ユウト", "yuto"), ("聡", "サトシ", "satoshi"),
    ("哲也", "テツヤ", "tetsuya"), ("健一", "ケンイチ", "kenichi"), ("慎吾", "シンゴ", "shingo"),
    ("花子", "ハナコ", "hanako"), ("美咲", "ミサキ", "misaki"), ("陽子", "ヨウコ", "yoko"),
    ("真紀", "マキ", "maki"), ("好美", "ヨシミ", "yoshimi"), ("恵", "メグミ", "megumi"),
    ("由美", "ユミ", "yumi"), ("裕子", "ユウコ", "yuko"), ("彩", "アヤ", "aya"),
    ("千尋", "チヒロ", "chihiro"), ("奈々", "ナナ", "nana"), ("沙織", "サオリ", "saori"),
    ("麻衣", "マイ", "mai"), ("智子", "トモコ", "tomoko"), ("久美子", "クミコ", "kumiko"),
    ("愛", "アイ", "ai"), ("結衣", "ユイ", "yui"), ("明美", "アケミ", "akemi"),
)  # fmt: skip


@dataclass(frozen=True)
class DemoPerson:
    """One generated person (also used to write the sample CSV)."""

    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    email: str
    organization: str
    prefecture: str
    department: str
    role: Role


def demo_people(seed: str, count: int = 120, facilitators: int = 20) -> list[DemoPerson]:
    """A deterministic list of people for a seed: `facilitators` table hosts, the rest participants."""
    rng = random.Random(seed)
    orgs = list(ORGANIZATIONS)
    by_name = {o[0]: o for o in orgs}
    # Every organisation once, the big ones a few times more, then random ones up to the count.
    pool = orgs + [by_name[n] for n in BIG_ORGANIZATIONS for _ in range(rng.randint(2, 4))]
    pool += [rng.choice(orgs) for _ in range(max(count - len(pool), 0))]
    rng.shuffle(pool)
    people: list[DemoPerson] = []
    used_emails: set[str] = set()
    for index, (org, prefecture, domain) in enumerate(pool[:count]):
        family = rng.choice(FAMILY_NAMES)
        given = rng.choice(GIVEN_NAMES)
        local = f"{given[2][0]}.{family[2]}"
        n = 2
        while f"{local}@{domain}" in used_emails:
            local, n = f"{given[2][0]}.{family[2]}{n}", n + 1
        used_emails.add(f"{local}@{domain}")
        people.append(
            DemoPerson(
                family_name=family[0],
                given_name=given[0],
                family_kana=family[1],
                given_kana=given[1],
                email=f"{local}@{domain}",
                organization=org,
                prefecture=prefecture,
                department=rng.choice(DEPARTMENTS),
                role=Role.FACILITATOR if index < facilitators else Role.PARTICIPANT,
            )
        )
    return people


def _status(event: Event, person: DemoPerson, rng: random.Random) -> Status:
    """Finished events: most were present; upcoming ones: registered, a few participants cancelled."""
    chance = rng.random()
    if event.status == EventStatus.FINISHED:
        return Status.ABSENT if chance < 0.06 else Status.PRESENT
    return Status.CANCELLED if chance < 0.03 and person.role == Role.PARTICIPANT else Status.REGISTERED


def _upsert(event: Event, people: list[DemoPerson]) -> None:
    existing = queries.emails_of(event)
    rng = random.Random(f"status:{event.slug}")
    for person in people:
        participant = existing.get(person.email)
        if participant is None:
            participant = Participant(event_id=event.id, email=person.email)
            db.session.add(participant)
        for name in (
            "family_name",
            "given_name",
            "family_kana",
            "given_kana",
            "organization",
            "prefecture",
            "department",
            "role",
        ):
            setattr(participant, name, getattr(person, name))
        participant.status = _status(event, person, rng)


def seed_participants(organizer: Organizer, events: Events | None) -> Events:
    """~120 people for both demo events; the upcoming event's registration is open for lg.jp addresses."""
    assert events is not None, "the programme step runs first"
    upcoming, finished = events
    for event in (upcoming, finished):
        _upsert(event, demo_people(event.slug))
    upcoming.registration_open = True
    upcoming.registration_capacity = 150
    upcoming.registration_domains = "lg.jp"
    upcoming.registration_consent = (
        "ご登録いただいた氏名・所属・部署は、ワールドカフェの同じブレイクアウトルームの参加者と共有します。"
        "メールアドレスは当日用の個人リンクの送付にのみ使用し、第三者には提供しません。"
        "当日の様子は記録のためスクリーンショットを撮影し、報告書に掲載する場合があります（個人が特定できる形では掲載しません）。"
    )
    db.session.flush()
    return events
