"""Demo report: the finished summit's report, harvested from the demo notes and published."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.auth.models import Organizer
from app.demo.programme import Events
from app.events.models import ItemKind
from app.extensions import db
from app.reports import services
from app.reports.models import Report, ThemeKind

log = logging.getLogger(__name__)

TAGS = ["ネットワーク活動", "オンライン", "ワールドカフェ", "自主研究グループ"]

OVERVIEW = (
    "「全国自治体職員ネットワークサミット・スピンオフ企画」は、ネットワーク活動の次につながる一歩が生まれる場を"
    "目指したオンラインイベントです。約120名の公務員がZoomに集い、先進事例の紹介と元自治体職員3人の対談のあと、"
    "ブレイクアウトルームを使ったワールドカフェで3つの問いについて語り合いました。\n\n"
    "ここでいう「ネットワーク活動」とは、自主研究（研修）活動やオフサイトミーティングなど、自治体職員による"
    "課外活動の総称です。コロナ禍で多くの活動が止まるなか、「今の時代だからこそ」できることを探しました。"
)

SUMMARY = (
    "長時間のイベントでしたが、インプットもアウトプットも非常に多い半日になりました。\n\n"
    "ひとつのキーポイントは、このような時代だからこそ **「今の自分に何ができるのか？」** を考え、"
    "まずは小さなことでも行動に移すことに意味がある、ということです。第2ラウンドでは、五感・雑談・偶然の出会いといった"
    "リアルならではの価値が改めて言葉になり、第3ラウンドでは「今だからこそ失敗できる」という前向きな声が多く聞かれました。\n\n"
    "- オンラインはリアルを置き換えるものではなく、補い、広げるもの\n"
    "- 移動のない今は、全国的なネットワークをつくるチャンス\n"
    "- 「未来のリアルにつながる関係」を、今のうちにオンラインで築いておく\n\n"
    "今日出たアイデアが融合して、全国各地のネットワーク活動でより素敵な取り組みが生まれることを願っています。"
    "次回の開催もどうぞお楽しみに。"
)

ITEM_SUMMARIES = {
    ItemKind.TALK: (
        "公務員限定のオンラインコミュニティ「オンライン市役所」の立ち上げと運営について。3〜4年ごとの人事異動で"
        "ノウハウがゼロに戻らないよう、自治体の垣根を越えた横のつながりで知見を共有・継承する場として始まりました。\n\n"
        "参加者アンケートで「アクティブなのは一部」という実態をつかみ、Zoomに参加しにくい人のために"
        "Facebookグループでの「庁内放送」を始めるなど、分析してすぐ試す姿勢が印象的でした。"
        "メッセージは「みんなの『やりたい』を全力応援」「日程と場所さえ決めればなんとかなる」「小さいことでもやることに意味がある」。"
    ),
    ItemKind.PANEL: (
        "自治体職員から転身した3人が、職員時代の活動と転職の経緯、そしてネットワーク活動の未来を語りました。\n\n"
        "- 近隣や姉妹都市だけでなく、自主研のような新しい横のつながりが求められている\n"
        "- 自主研は公務員が主体的にキャリアを描くからこそ生まれる、民間にはない良い文化\n"
        "- 民間の「交換」に対して、自治体には「共有」の文化がある。その想いをつなぐ場がネットワーク活動"
    ),
}


def _review_themes(report: Report) -> None:
    """The organiser's review, if not done yet: every theme accepted, each round's largest theme highlighted."""
    if any(t.accepted for t in report.themes):
        return
    first_of_round: dict[int, int] = {}
    for theme in report.themes:
        theme.accepted = True
        first_of_round.setdefault(theme.round_id, theme.id)  # themes are stored most rooms first
    for theme in report.themes:
        theme.highlight = theme.id in first_of_round.values() and theme.kind == ThemeKind.OPINION


def seed_report(organizer: Organizer, events: Events | None) -> Events | None:
    """Create, complete and publish the finished event's report; re-running adds only what is new."""
    if events is None:
        return events
    _upcoming, finished = events
    report = db.session.scalar(select(Report).where(Report.event_id == finished.id))
    if report is None:
        report = services.create_report(finished, organizer)
    elif not services.pending(report).empty:
        services.refresh_from_notes(report, organizer)
    for item in finished.items:
        if item.kind in ITEM_SUMMARIES and not item.summary:
            item.summary = ITEM_SUMMARIES[item.kind]
    if not report.summary:
        report.overview, report.summary, report.tags = OVERVIEW, SUMMARY, ",".join(TAGS)
    _review_themes(report)
    db.session.commit()
    if not report.is_published or services.has_unpublished_changes(report):
        version = services.publish(report, organizer)
        log.info("demo report published as version %s (%d points)", version.number, len(report.points))
    return events
