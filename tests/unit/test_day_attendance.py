"""Zoom participant reports: encodings, headers, merging rejoins, matching by email then name."""

from __future__ import annotations

import pytest

from app.domain.attendance import ReportError, ReportRow, RosterEntry, decode, match, normalise_name, parse_report

EN = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    "Hanako Yamada (山田 花子),hanako@city.kobe.lg.jp,07/25/2026 01:01:00 PM,07/25/2026 03:00:00 PM,119,No\n"
    "Hanako Yamada (山田 花子),hanako@city.kobe.lg.jp,07/25/2026 03:05:00 PM,07/25/2026 06:00:00 PM,175,No\n"
    "佐藤 一郎,,07/25/2026 01:05:00 PM,07/25/2026 06:00:00 PM,295,Yes\n"
)


def test_english_report_merges_rejoins() -> None:
    rows = parse_report(EN.encode("utf-8"))
    assert [(r.name, r.email, r.minutes) for r in rows] == [
        ("Hanako Yamada (山田 花子)", "hanako@city.kobe.lg.jp", 294),
        ("佐藤 一郎", "", 295),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", "utf-8"])
def test_japanese_headers_in_every_encoding(encoding: str) -> None:
    text = "名前（元の名前）,ユーザーメール,参加時間,退出時間,期間（分）\r\n山田 花子,Hanako@City.Kobe.lg.jp,x,y,30\r\n"
    rows = parse_report(text.encode(encoding))
    assert rows == [ReportRow("山田 花子", "hanako@city.kobe.lg.jp", 30, 2)]


def test_meeting_summary_block_above_the_table_is_skipped() -> None:
    text = "Meeting ID,Topic\n812 3456 7890,Summit\n\n" + EN
    assert len(parse_report(text.encode())) == 2


def test_unreadable_files() -> None:
    with pytest.raises(ReportError):
        parse_report(b"date,count\n1,2\n")
    with pytest.raises(ReportError):
        decode(b"\xff\xfe\xfa\xfb\x81")


def test_names_compare_without_width_spaces_and_decorations() -> None:
    assert normalise_name("山田　花子") == normalise_name("山田花子")
    assert normalise_name("ＹＡＭＡＤＡ Hanako") == "yamadahanako"
    assert normalise_name("山田 花子 | 神戸市") == "山田花子"
    assert normalise_name("Hanako Yamada (山田 花子)") == "hanakoyamada"


ROSTER = [
    RosterEntry(1, ("山田花子", "花子 山田"), "hanako@city.kobe.lg.jp"),
    RosterEntry(2, ("佐藤一郎", "一郎 佐藤"), "ichiro@city.sakai.lg.jp"),
    RosterEntry(3, ("鈴木次郎", "次郎 鈴木"), "jiro@example.lg.jp"),
    RosterEntry(4, ("田中優", "優 田中"), "yu1@example.lg.jp"),
    RosterEntry(5, ("田中優", "優 田中"), "yu2@example.lg.jp"),
]


def test_match_by_email_then_name_and_list_the_rest() -> None:
    rows = [
        ReportRow("Zoom表示名", "hanako@city.kobe.lg.jp", 100, 2),  # email wins over a strange name
        ReportRow("佐藤 一郎", "", 90, 3),  # name only
        ReportRow("田中 優", "", 90, 4),  # two people with this name
        ReportRow("知らない人", "nobody@example.com", 10, 5),
    ]
    result = match(rows, ROSTER)
    assert set(result.present) == {1, 2}
    assert [r.name for r in result.ambiguous] == ["田中 優"]
    assert [r.name for r in result.unmatched] == ["知らない人"]
    assert result.absent == [3, 4, 5]


def test_the_same_person_twice_is_matched_once() -> None:
    rows = [ReportRow("山田 花子", "", 10, 2), ReportRow("山田花子", "hanako@city.kobe.lg.jp", 10, 3)]
    result = match(rows, ROSTER)
    assert list(result.present) == [1] and len(result.unmatched) == 1
