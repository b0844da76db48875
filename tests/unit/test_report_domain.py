"""Unit tests of app/domain/report.py: harvesting, redaction, statistics, SVG charts and Markdown."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.domain import report as r
from app.domain.report_digest import search_text
from app.domain.report_markdown import NetworkText, to_markdown

SVG = "{http://www.w3.org/2000/svg}"


def test_harvest_splits_bullets_into_points_and_keeps_kinds() -> None:
    points = r.harvest(
        "  部屋のまとめ ",
        "- コロナ禍で活動できていない\n・移動コストを節約できる\n\n1. 若手をどう巻き込むか？",
        "* 中高生とのコラボ",
        "「あ、これ美味しいね」から繋がる会話",
        "## 詳細\n本文",
    )
    assert [(p.kind, p.text) for p in points] == [
        ("summary", "部屋のまとめ"),
        ("point", "コロナ禍で活動できていない"),
        ("point", "移動コストを節約できる"),
        ("point", "若手をどう巻き込むか？"),
        ("idea", "中高生とのコラボ"),
        ("quote", "「あ、これ美味しいね」から繋がる会話"),
        ("note", "## 詳細\n本文"),
    ]


def test_redact_removes_emails_personal_links_and_known_tokens() -> None:
    token = "Abc_def-GHIjklMNOpqrSTUvwxYZ0123456789abcde"
    text = (
        f"連絡は yamada.taro@city.kobe.lg.jp へ。リンク https://tsunagu.example/p/{token} と /f/{token}x、"
        f"コード{token}です。普通の英単語 collaboration は残る。"
    )
    out = r.redact(text, [token])
    assert "@" not in out
    assert token not in out
    assert "/p/" not in out and "/f/" not in out
    assert "collaboration" in out
    assert out.count(r.REDACTED) == 4


def test_redact_finds_a_token_glued_to_other_characters() -> None:
    token = "ZZZZtokenSECRET1234"
    assert r.redact(f"abc{token}def", r.Secrets([token])) == f"abc{r.REDACTED}def"


def test_new_people_met_on_a_hand_made_seating() -> None:
    # Round 1: rooms {1,2,3} {4,5,6}; round 2: {1,4,5} {2,3,6}.
    seating = [(1, 10, 1), (1, 10, 2), (1, 10, 3), (1, 11, 4), (1, 11, 5), (1, 11, 6)]
    seating += [(2, 10, 1), (2, 10, 4), (2, 10, 5), (2, 11, 2), (2, 11, 3), (2, 11, 6)]
    met = r.new_people_met(seating)
    # 1 met 2,3 then 4,5 → 4; 2 met 1,3 then 3,6 → 3 (3 again is not new); 4 met 5,6 then 1,5 → 3.
    assert met == {1: 4, 2: 3, 3: 3, 4: 3, 5: 3, 6: 4}
    stats = r.statistics(
        [r.Person(i, f"市{i % 3}", "兵庫県" if i < 4 else "") for i in range(1, 7)], rooms=2, rounds=2, seating=seating
    )
    assert stats.avg_new_people == round(20 / 6, 1) == 3.3
    assert (stats.participants, stats.organisations, stats.prefectures) == (6, 3, 1)
    assert stats.by_prefecture == [("兵庫県", 3)]


def test_statistics_without_seating_is_zero_not_an_error() -> None:
    stats = r.statistics([], rooms=0, rounds=0, seating=[])
    assert stats.avg_new_people == 0.0 and stats.new_people_histogram == []


def test_histogram_groups_into_ranges() -> None:
    assert r.histogram([3, 3, 4]) == [("3", 2), ("4", 1)]
    rows = r.histogram(list(range(0, 40)), buckets=4)
    assert rows == [("0–9", 10), ("10–19", 10), ("20–29", 10), ("30–39", 10)]


def test_top_counts_sums_the_rest() -> None:
    assert r.top_counts(["a", "a", "b", "c", ""], 1, "その他") == [("a", 2), ("その他", 2)]


def test_bar_chart_is_valid_xml_and_escapes_text() -> None:
    svg = r.bar_chart('参加者 <script>&"', [("東京都", 12), ("<b>x</b> & y", 3), ("ゼロ", 0)])
    root = ET.fromstring(svg)  # raises if not well-formed
    assert root.tag == f"{SVG}svg"
    assert "<script>" not in svg and "<b>" not in svg
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert '参加者 <script>&"' in texts and "<b>x</b> & y" in texts
    widths = [float(rect.get("width", 0)) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > widths[2] == 0


def test_bar_chart_with_no_rows_is_still_valid() -> None:
    ET.fromstring(r.bar_chart("空", []))


def _doc(**overrides: object) -> r.Document:
    data = dict(
        title="全国自治体職員ネットワークサミット",
        slug="summit",
        starts_at="2020-07-25T13:00:00+09:00",
        timezone="Asia/Tokyo",
        year=2020,
        overview="約120名が参加しました。",
        summary="まずは行動に移すことに意味がある。",
        tags=["オンライン"],
        show_names=False,
        programme=[
            r.ProgrammeSection(
                "talk",
                "オンライン市役所",
                "2020-07-25T13:10:00+09:00",
                "2020-07-25T13:50:00+09:00",
                "",
                "要約",
                [r.SpeakerInfo("脇田 雅也", "神奈川県", "speaker")],
            )
        ],
        rounds=[
            r.RoundSection(
                2,
                "リアルだからこその価値は？",
                ["雑談の価値。"],
                [
                    r.RoomSection(
                        "ルーム1", "", [r.Point("point", "雑談の価値。", True), r.Point("quote", "五感を使える")]
                    )
                ],
            )
        ],
        gallery=[r.GalleryImage(1, "グラレコ", 2, "ルーム1")],
        stats=r.Stats(120, 80, 30, 24, 3, 11.5, [("東京都", 20)], [("10–12", 100)]),
        organisations=["神戸市", "岩出市"],
    )
    data.update(overrides)
    return r.Document(**data)  # type: ignore[arg-type]


LABELS = {
    k: k.upper()
    for k in [
        "overview",
        "statistics",
        "participants",
        "organisations",
        "prefectures",
        "rooms",
        "rounds",
        "avg_new_people",
        "programme",
        "speaker",
        "moderator",
        "highlights",
        "gallery",
        "summary",
        "people",
    ]
} | {"round": "Round %(number)s", "themes": "THEMES", "ideas": "IDEAS", "rooms_count": "%(num)s rooms"}


def test_markdown_export_has_every_part() -> None:
    md = to_markdown(_doc(), LABELS)
    assert md.startswith("# 全国自治体職員ネットワークサミット\n\n2020-07-25\n")
    assert "## Round 2" in md and "**リアルだからこその価値は？**" in md
    assert "- 雑談の価値。" in md and "- 「五感を使える」" in md
    assert "*13:10–13:50*" in md and "- SPEAKER: 脇田 雅也（神奈川県）" in md
    assert "AVG_NEW_PEOPLE: 11.5" in md
    assert "神戸市、岩出市" in md
    assert md.index("## SUMMARY") > md.index("## Round 2")


def test_markdown_network_section_comes_after_the_numbers_and_stays_plain_text() -> None:
    section = NetworkText(
        "CONNECTIONS",
        [("CROSS PAIRS", 120), ("AVERAGE", 11.5)],
        [("WHICH PREFECTURES", [("東京都 × 神奈川県", 16), ("<b>県</b> (among themselves)", 3)]), ("EMPTY", [])],
        unit="組",
    )
    md = to_markdown(_doc(), LABELS, section)
    assert md.index("## CONNECTIONS") > md.index("AVG_NEW_PEOPLE") and md.index("## CONNECTIONS") < md.index("## Round")
    assert "- CROSS PAIRS: 120\n- AVERAGE: 11.5\n" in md
    assert "### WHICH PREFECTURES\n\n- 東京都 × 神奈川県: 16組\n- &lt;b&gt;県&lt;/b&gt; (among themselves): 3組\n" in md
    assert "EMPTY" not in md  # no heading without rows
    assert "CONNECTIONS" not in to_markdown(_doc(), LABELS)


def test_markdown_escapes_lines_that_would_become_markup() -> None:
    doc = _doc(
        rounds=[r.RoundSection(1, "# 質問", [], [r.RoomSection("A", "", [r.Point("point", "<img src=x onerror=1>")])])]
    )
    md = to_markdown(doc, LABELS)
    assert "<img" not in md and "&lt;img" in md
    assert "**\\# 質問**" in md


def test_document_survives_a_dict_round_trip_and_redaction() -> None:
    doc = _doc(overview="連絡先 a@b.example")
    again = r.document_from_dict(doc.to_dict())
    assert again == doc
    clean = r.redact_document(doc)
    assert "@" not in clean.overview and clean.slug == "summit"


def test_search_text_holds_titles_questions_and_points() -> None:
    text = search_text(_doc())
    for needle in ("全国自治体職員", "リアルだからこその価値", "五感を使える", "オンライン", "まずは行動"):
        assert needle in text
