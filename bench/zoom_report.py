"""Reading Zoom participant reports: parse (every variant's headings, rejoins, guests) and match a roster.

Prints the time to parse and match reports of 120 and 2,000 people (three rows each: rejoins), against
the time csv.reader alone needs for the same bytes (the floor), best of a few runs.
Run: .venv/bin/python bench/zoom_report.py
"""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.attendance import RosterEntry, match, parse_report

HEADER = "名前（元の名前）,ユーザーメール,参加時刻,退出時刻,所要時間（分）,ゲスト,録画への同意,待機室内\r\n"


def report(people: int) -> bytes:
    """A Japanese report with the meeting summary on top: each person joins three times; every third is a
    guest without email, and guests share a handful of names."""
    lines = ["ミーティングID,トピック,開始時刻,終了時刻,ユーザーメール,所要時間(分),参加者\r\n",
             f"812 3456 7890,サミット,2026/07/25 12:55:10,2026/07/25 17:02:11,host@city.kobe.lg.jp,247,{people}\r\n",
             "\r\n", HEADER]  # fmt: skip
    for i in range(people):
        email = "" if i % 3 == 0 else f"person{i}@city.example.lg.jp"
        name = f"ゲスト{i % 7}" if not email else f"参加者{i}"
        for session, (start, end) in enumerate(((13, 14), (14, 15), (15, 17))):
            lines.append(
                f"{name},{email},2026/07/25 {start}:0{session}:00,2026/07/25 {end}:00:00,"
                f"{(end - start) * 60 - session},{'はい' if not email else 'いいえ'},Y,いいえ\r\n"
            )
    return "".join(lines).encode("utf-8-sig")


def best(function: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    for people in (120, 2000):
        data = report(people)
        roster = [RosterEntry(i, (f"参加者{i}",), f"person{i}@city.example.lg.jp") for i in range(people)]
        floor = best(lambda data=data: list(csv.reader(io.StringIO(data.decode("utf-8-sig")))))
        parse = best(lambda data=data: parse_report(data))
        rows = parse_report(data)
        both = best(lambda rows=rows, roster=roster: match(rows, roster))
        print(
            f"{people:>5} people, {3 * people:>5} rows, {len(data) / 1024:6.0f} KiB: "
            f"csv.reader {floor * 1000:6.1f} ms | parse_report {parse * 1000:6.1f} ms "
            f"({parse / floor:4.1f}×) | match {both * 1000:5.1f} ms | {len(rows)} people found"
        )


if __name__ == "__main__":
    main()
