"""Every variant of Zoom's participant report: English and Japanese headings, the meeting summary on top
or not, webinar sections, waiting-room rows, every encoding; rejoins added up, different people never merged."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.attendance import ReportError, ReportProblem, RosterEntry, match, parse_report

# Meetings → Usage reports → Participants, English, "Export with meeting data" ticked.
ENGLISH_WITH_SUMMARY = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,全国自治体職員ネットワークサミット,07/25/2026 12:55:10 PM,07/25/2026 05:02:11 PM,host@city.kobe.lg.jp,247,4

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent,In Waiting Room
事務局 (運営),host@city.kobe.lg.jp,07/25/2026 12:55:10 PM,07/25/2026 05:02:11 PM,247,No,Y,No
山田 花子 (Hanako Yamada),hanako@city.kobe.lg.jp,07/25/2026 12:58:00 PM,07/25/2026 01:00:30 PM,3,No,,Yes
山田 花子 (Hanako Yamada),hanako@city.kobe.lg.jp,07/25/2026 01:00:30 PM,07/25/2026 02:30:00 PM,90,No,Y,No
山田 花子 (Hanako Yamada),hanako@city.kobe.lg.jp,07/25/2026 02:35:00 PM,07/25/2026 05:00:00 PM,145,No,Y,No
iPhone,,07/25/2026 01:10:00 PM,07/25/2026 04:10:00 PM,180,Yes,Y,No
iPhone,,07/25/2026 01:20:00 PM,07/25/2026 03:20:00 PM,120,Yes,Y,No
"""

# The same export from Zoom's Japanese interface, without the meeting data, as Zoom writes it (UTF-8 BOM).
JAPANESE = """名前（元の名前）,ユーザーメール,参加時刻,退出時刻,所要時間（分）,ゲスト,録画への同意,待機室内
山田 花子,hanako@city.kobe.lg.jp,2026/07/25 13:00:30,2026/07/25 14:30:00,90,いいえ,Y,いいえ
山田 花子,hanako@city.kobe.lg.jp,2026/07/25 14:35:00,2026/07/25 17:00:00,145,いいえ,Y,いいえ
佐藤 一郎,,2026/07/25 13:05:00,2026/07/25 15:00:00,115,はい,Y,いいえ
佐藤 一郎,,2026/07/25 15:10:00,2026/07/25 17:00:00,110,はい,Y,いいえ
"""

JAPANESE_WITH_SUMMARY = """ミーティングID,トピック,開始時刻,終了時刻,ユーザーメール,所要時間(分),参加者
812 3456 7890,全国サミット,2026/07/25 12:55:10,2026/07/25 17:02:11,host@city.kobe.lg.jp,247,2

名前(元の名前),メールアドレス,参加時間,退出時間,時間(分),ゲスト
山田 花子,hanako@city.kobe.lg.jp,2026/07/25 13:00:30,2026/07/25 14:30:00,90,いいえ
田中 優,,2026/07/25 13:00:00,2026/07/25 17:00:00,240,はい
"""

# A webinar attendee report: several sections, attendees who did not come are listed too.
WEBINAR = """Attendee Report
Report Generated:,07/26/2026 09:00 AM

Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,Total Users,Max Concurrent Views
全国サミット,812 3456 7890,07/25/2026 12:55:10 PM,247,3,0,2,3,2

Panelist Details
Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name
Yes,登壇 太郎,speaker@city.sakai.lg.jp,07/25/2026 01:00:00 PM,07/25/2026 02:00:00 PM,60,No,Japan

Attendee Details
Attended,User Name (Original Name),First Name,Last Name,Email,Phone,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name
Yes,山田 花子,花子,山田,hanako@city.kobe.lg.jp,,07/01/2026 10:00:00 AM,approved,07/25/2026 01:00:00 PM,07/25/2026 05:00:00 PM,240,No,Japan
No,欠席 次郎,次郎,欠席,jiro@example.lg.jp,,07/01/2026 10:00:00 AM,approved,--,--,--,--,
"""


def _people(text: str, encoding: str = "utf-8") -> dict[tuple[str, str], list[int]]:
    found: dict[tuple[str, str], list[int]] = {}
    for row in parse_report(text.encode(encoding)):
        found.setdefault((row.name, row.email), []).append(row.minutes)
    return found


def test_english_report_with_the_meeting_summary() -> None:
    people = _people(ENGLISH_WITH_SUMMARY)
    assert people[("山田 花子 (Hanako Yamada)", "hanako@city.kobe.lg.jp")] == [235]  # waiting room left out
    # Two guests both called "iPhone", in the meeting at the same time: two people, never one.
    assert people[("iPhone", "")] == [180, 120]
    assert ("事務局 (運営)", "host@city.kobe.lg.jp") in people
    assert not any("812" in name for name, _email in people)  # the summary row is no person


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932", "utf-16"])
def test_japanese_report_in_every_encoding(encoding: str) -> None:
    """所要時間（分） used to give every duration 0."""
    text = JAPANESE.replace(",", "\t") if encoding == "utf-16" else JAPANESE  # Excel's "Unicode text" is tab-separated
    people = _people(text, encoding)
    assert people[("山田 花子", "hanako@city.kobe.lg.jp")] == [235]
    assert people[("佐藤 一郎", "")] == [225]  # a guest who rejoined after leaving: one person, times follow


def test_japanese_report_with_its_summary_and_other_headings() -> None:
    people = _people(JAPANESE_WITH_SUMMARY)
    assert people == {("山田 花子", "hanako@city.kobe.lg.jp"): [90], ("田中 優", ""): [240]}


def test_webinar_report_reads_every_section_and_skips_who_did_not_attend() -> None:
    people = _people(WEBINAR)
    assert people == {("登壇 太郎", "speaker@city.sakai.lg.jp"): [60], ("山田 花子", "hanako@city.kobe.lg.jp"): [240]}


def test_minutes_come_from_the_times_when_the_duration_column_is_missing() -> None:
    text = "Participant,Email,Join Time,Leave Time\n山田 花子,,2026/07/25 13:00:00,2026/07/25 13:45:10\n"
    [row] = parse_report(text.encode())
    assert row.minutes == 46 and row.joined == datetime(2026, 7, 25, 13, 0)


def test_same_named_guests_without_times_are_kept_apart() -> None:
    text = "Name (Original Name),User Email,Duration (Minutes)\n山田,,30\n山田,,40\n"
    assert [r.minutes for r in parse_report(text.encode())] == [30, 40]


def test_the_same_account_on_two_devices_is_one_person() -> None:
    text = (
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
        "山田 花子 (PC),hanako@city.kobe.lg.jp,07/25/2026 01:00:00 PM,07/25/2026 03:00:00 PM,120\n"
        "山田 花子 (iPad),HANAKO@city.kobe.lg.jp,07/25/2026 01:10:00 PM,07/25/2026 02:00:00 PM,50\n"
    )
    [row] = parse_report(text.encode())
    assert (row.minutes, row.sessions, row.joined.hour, row.left.hour) == (170, 2, 13, 15)


def test_guests_with_the_same_name_are_matched_once_and_the_other_is_listed() -> None:
    rows = parse_report(ENGLISH_WITH_SUMMARY.encode())
    roster = [RosterEntry(1, ("iPhone",), "someone@city.kobe.lg.jp")]
    result = match(rows, roster)
    assert list(result.present) == [1]
    assert [r.name for r in result.unmatched].count("iPhone") == 1


def test_a_zoom_account_email_matches_its_person() -> None:
    rows = parse_report(b"Name (Original Name),User Email,Duration (Minutes)\nHanako,hanako.private@example.com,120\n")
    roster = [RosterEntry(7, ("山田花子",), "hanako@city.kobe.lg.jp", ("hanako.private@example.com",))]
    assert list(match(rows, roster).present) == [7]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xef\xbb\xbfName,Email\n\xff\xfe broken", ReportProblem.ENCODING),
        (b"date,count\n1,2\n", ReportProblem.NO_TABLE),
        (b"Name,Email\n" + b'"' + b"x" * 200_000 + b'",a@b.c\n', ReportProblem.BROKEN_ROW),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ReportProblem.ENCODING),
    ],
)
def test_unreadable_files_say_why(data: bytes, problem: ReportProblem) -> None:
    with pytest.raises(ReportError) as raised:
        parse_report(data)
    assert raised.value.problem == problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07/25/2026 01:02:03 PM", datetime(2026, 7, 25, 13, 2, 3)),
        ("07/25/2026 12:05 AM", datetime(2026, 7, 25, 0, 5)),
        ("7/5/2026 12:30:00 PM", datetime(2026, 7, 5, 12, 30)),
        ("2026/07/25 13:02:03", datetime(2026, 7, 25, 13, 2, 3)),
        ("２０２６/０７/２５ １３:０２", datetime(2026, 7, 25, 13, 2)),
        ("2026/07/25 午後 1:02:03", datetime(2026, 7, 25, 13, 2, 3)),
        ("2026-07-25T09:00:00", datetime(2026, 7, 25, 9, 0)),
    ],
)
def test_every_time_format_zoom_writes(text: str, expected: datetime) -> None:
    report = f"Name,Email,Join Time,Leave Time\nA,a@example.jp,{text},{text}\n"
    [row] = parse_report(report.encode())
    assert row.joined == expected


def test_nonsense_times_and_durations_are_not_fatal() -> None:
    report = "Name,Email,Join Time,Leave Time,Duration (Minutes)\nA,,2026/13/45 25:61,--,nan\nB,,x,y,1e400\n"
    assert [(r.name, r.minutes, r.joined) for r in parse_report(report.encode())] == [("A", 0, None), ("B", 0, None)]


def test_a_rejoin_goes_to_the_guest_who_left_last_before_it() -> None:
    report = (
        "Name,Email,Join Time,Leave Time,Duration (Minutes)\n"
        "iPad,,2026/07/25 13:00:00,2026/07/25 13:30:00,30\n"
        "iPad,,2026/07/25 13:00:00,2026/07/25 14:00:00,60\n"
        "iPad,,2026/07/25 14:10:00,2026/07/25 15:00:00,50\n"
    )
    assert sorted(r.minutes for r in parse_report(report.encode())) == [30, 110]
