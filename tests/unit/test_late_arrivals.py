"""Late arrivals pasted as a list: spreadsheet rows, comma lists, Japanese punctuation, and lines that fail."""

from __future__ import annotations

from app.domain.late_arrivals import MAX_LINES, Problem, parse


def test_spreadsheet_and_comma_lines_in_any_order() -> None:
    text = (
        "遅刻 一郎\ti.chikoku@city.kobe.lg.jp\t神戸市\n"
        "\n"
        "途中　花子、h.tochu@pref.nagano.lg.jp、長野県\n"
        "K.Sato@City.Sakai.lg.jp, 佐藤 健\n"
    )
    parsed = parse(text)
    assert parsed.problems == []
    assert [(a.line, a.family_name, a.given_name, a.email, a.organization) for a in parsed.arrivals] == [
        (1, "遅刻", "一郎", "i.chikoku@city.kobe.lg.jp", "神戸市"),
        (3, "途中", "花子", "h.tochu@pref.nagano.lg.jp", "長野県"),
        (4, "佐藤", "健", "k.sato@city.sakai.lg.jp", ""),
    ]


def test_lines_that_cannot_be_read_say_why() -> None:
    parsed = parse("山田 太郎\nyamada@\n鈴木, suzuki@example.lg.jp\n鈴木 次郎, SUZUKI@example.lg.jp\n, a@b.lg.jp\n")
    assert [(p.line, p.problem) for p in parsed.problems] == [
        (1, Problem.NO_EMAIL),
        (2, Problem.BAD_EMAIL),
        (4, Problem.DUPLICATE),
        (5, Problem.NO_NAME),
    ]
    assert [a.family_name for a in parsed.arrivals] == ["鈴木"]


def test_a_huge_paste_is_refused_whole() -> None:
    parsed = parse("\n".join(f"人{i}, p{i}@example.lg.jp" for i in range(MAX_LINES + 1)))
    assert parsed.arrivals == [] and parsed.problems[0].problem == Problem.TOO_LONG
