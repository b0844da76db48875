"""Reading a report: quotes keep their own brackets, withdrawn points leave every part, names and snippets."""

from __future__ import annotations

from app.domain import report as r
from app.domain.report_digest import Names, digest, quoted, search_sections, snippets, withdraw, without_names


def test_quotes_keep_their_own_brackets() -> None:
    assert quoted("今だからこそ、失敗ができる") == "「今だからこそ、失敗ができる」"
    assert quoted("「今だからこそ、失敗ができる」") == "「今だからこそ、失敗ができる」"
    assert quoted("『会えない時間』") == "『会えない時間』"
    assert quoted("「あ、これ美味しいね」から始まる会話") == "「『あ、これ美味しいね』から始まる会話」"
    assert quoted("「あ」と「い」") == "「『あ』と『い』」"  # two quotes, not one bracketed text


def _round() -> r.RoundSection:
    rooms = [
        r.RoomSection("A", "", [r.Point("point", "雑談の価値", ref=1), r.Point("idea", "年1オフ会", ref=2)]),
        r.RoomSection("B", "", [r.Point("point", "雑談が大事", ref=3), r.Point("idea", "中高生と勉強会", ref=4)]),
    ]
    themes = [
        r.ThemeSection("雑談の価値", "opinion", True, 1, [r.ThemeEntry(0, 1, "point", "雑談の価値"), r.ThemeEntry(1, 3, "point", "雑談が大事")]),
    ]  # fmt: skip
    return r.RoundSection(2, "問い", ["雑談の価値"], rooms, themes)


def test_digest_puts_themes_then_ideas_and_the_loose_ideas() -> None:
    found = digest(_round())
    assert [t.title for t in found.themes] == ["雑談の価値"] and found.themes[0].room_indices == [0, 1]
    assert [(i.room, i.text) for i in found.loose_ideas] == [(0, "年1オフ会"), (1, "中高生と勉強会")]


def _doc(rnd: r.RoundSection) -> r.Document:
    return r.Document(
        "T", "t", "2026-07-25T13:00:00+09:00", "Asia/Tokyo", 2026, "", "", [], False, [], [rnd], [],
        r.Stats(0, 0, 0, 0, 0, 0.0),
    )  # fmt: skip


def test_a_withdrawn_point_leaves_rooms_themes_titles_and_highlights() -> None:
    doc = withdraw(_doc(_round()), refs={1})
    rnd = doc.rounds[0]
    assert [p.text for p in rnd.rooms[0].points] == ["年1オフ会"]
    assert rnd.themes[0].title == "雑談が大事" and [e.ref for e in rnd.themes[0].entries] == [3]
    assert rnd.highlights == []
    old = withdraw(_doc(_round()), texts={(2, "雑談が大事")})  # versions without refs: by round and text
    assert [p.text for p in old.rounds[0].rooms[1].points] == ["中高生と勉強会"]
    gone = withdraw(_doc(_round()), refs={1, 3})
    assert gone.rounds[0].themes == []


def test_names_are_taken_out_of_what_the_rooms_said() -> None:
    names = Names([("田中", "花子"), ("佐藤", "一郎")])
    assert names.scrub("田中 花子さんの発言") == "［氏名］さんの発言"
    assert names.scrub("田中花子と佐藤課長") == "［氏名］と［氏名］"
    assert names.scrub("田中町の取り組み") == "田中町の取り組み"  # a family name alone is no person
    rnd = r.RoundSection(1, "", ["佐藤さんの一言"], [r.RoomSection("A", "", [r.Point("point", "佐藤さんの一言")])])
    clean = without_names(_doc(rnd), names)
    assert clean.rounds[0].rooms[0].points[0].text == "［氏名］の一言" and clean.rounds[0].highlights == [
        "［氏名］の一言"
    ]


def test_snippets_mark_every_match_in_context() -> None:
    doc = _doc(_round())
    found = snippets(search_sections(doc), ["雑談"], width=4)
    kinds = [s.section.kind for s in found]
    assert kinds == ["theme", "room", "room"]
    assert ("雑談", True) in found[0].parts
    assert snippets(search_sections(doc), ["ｚｏｏｍ"]) == []
