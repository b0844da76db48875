"""The CSV import core: decoding (UTF-8, BOM, CP932), dialects, header guessing, splitting, row errors, export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.domain import participant_import as pi
from app.domain import participant_registration as reg

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = "氏名,ふりがな,メールアドレス,所属,都道府県,部署,役割"
ROW = "神戸　太郎,こうべ たろう,Taro.Kobe@City.Kobe.example.LG.JP,神戸市,兵庫,企画課,参加者"


def table(text: str, encoding: str = "utf-8") -> pi.Table:
    return pi.read_table(text.encode(encoding))


def parsed(text: str) -> pi.Parsed:
    t = table(text)
    return pi.parse(t, pi.guess_mapping(t.header))


# ---- decoding and dialects ----------------------------------------------------------------------


def test_utf8_with_and_without_bom_read_the_same() -> None:
    text = f"{HEADER}\r\n{ROW}\r\n"
    plain = pi.read_table(text.encode("utf-8"))
    bom = pi.read_table(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert plain.header == bom.header and plain.rows == bom.rows
    assert bom.header[0] == "氏名"  # the BOM is not glued to the first heading
    assert bom.encoding == "utf-8-sig"


def test_cp932_file_as_excel_writes_it() -> None:
    t = pi.read_table((DATA / "participants_cp932.csv").read_bytes())
    assert t.encoding == "cp932"
    assert t.header == ["氏名", "ふりがな", "メールアドレス", "所属", "都道府県", "部署", "役割"]
    assert len(t.rows) == 120
    result = pi.parse(t, pi.guess_mapping(t.header))
    assert result.valid, result.errors[:3]
    roles = [r.values["role"] for r in result.rows]
    assert roles.count("facilitator") == 20 and roles.count("participant") == 100
    # 髙 exists in CP932 but not in plain Shift_JIS: decoding as cp932 keeps it.
    assert any("髙" in r.values["family_name"] for r in result.rows)
    assert all(r.values["prefecture"] in pi.PREFECTURES for r in result.rows)
    assert len({r.values["organization"] for r in result.rows}) >= 40


def test_cp932_text_with_kana_and_cp932_only_characters() -> None:
    text = f"{HEADER}\r\n髙橋　﨑子,ﾀｶﾊｼ ｻｷｺ,saki@city.kobe.lg.jp,神戸市,兵庫県,企画課,ファシリテーター\r\n"
    result = pi.parse(pi.read_table(text.encode("cp932")), pi.guess_mapping(HEADER.split(",")))
    values = result.rows[0].values
    assert (values["family_name"], values["given_name"]) == ("髙橋", "﨑子")
    assert (values["family_kana"], values["given_kana"]) == ("タカハシ", "サキコ")  # half-width made full-width
    assert values["role"] == "facilitator"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", pi.FileProblem.EMPTY),
        (b"\xef\xbb\xbf\r\n  \r\n", pi.FileProblem.EMPTY),
        (b"PK\x03\x04\x14\x00\x06\x00rest-of-an-xlsx", pi.FileProblem.EXCEL),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", pi.FileProblem.BINARY),
        (b"\x81\x7f\xa0\xfd\xfe\xff", pi.FileProblem.ENCODING),
        ("氏名,メール\r\n".encode(), pi.FileProblem.NO_ROWS),
    ],
)
def test_unreadable_files_say_why(data: bytes, problem: pi.FileProblem) -> None:
    with pytest.raises(pi.ImportFileError) as caught:
        pi.read_table(data)
    assert caught.value.problem == problem


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pi.reading, "MAX_ROWS", 3)  # the limit is read where the file is read
    text = "name,email\n" + "".join(f"a{i},a{i}@x.jp\n" for i in range(4))
    with pytest.raises(pi.ImportFileError) as caught:
        table(text)
    assert caught.value.problem == pi.FileProblem.TOO_MANY_ROWS


def test_utf16_excel_unicode_text_is_read() -> None:
    text = "氏名\tメール\r\n神戸 太郎\ttaro@city.kobe.lg.jp\r\n"
    t = pi.read_table(text.encode("utf-16"))
    assert t.delimiter == "\t" and t.rows[0][1:] == ["神戸 太郎", "taro@city.kobe.lg.jp"]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_dialect_is_sniffed(delimiter: str) -> None:
    rows = [["姓", "名", "メール", "所属"], ["岩出", "花子", "hanako@city.iwade.lg.jp", "岩出市, 企画課"]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    t = table(buffer.getvalue())
    assert t.delimiter == delimiter
    assert t.rows[0][1:] == rows[1]


def test_single_column_file_and_quoted_newlines() -> None:
    t = table('メール\nkobe@city.kobe.lg.jp\n"a@b.jp"\n')
    assert t.header == ["メール"] and len(t.rows) == 2
    t = table('氏名,メール,部署\n神戸 太郎,t@kobe.lg.jp,"企画課\n（兼）広報課"\n')
    assert t.rows[0][3] == "企画課\n（兼）広報課"


def test_blank_rows_are_skipped_but_row_numbers_follow_the_file() -> None:
    result = parsed("氏名,メール\n神戸 太郎,t@kobe.lg.jp\n,\n\n岩出 花子,not-an-email\n")
    assert [r.row for r in result.rows] == [2, 5]
    assert result.errors[0].row == 5


# ---- mapping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("氏名", "full_name"),
        ("お名前", "full_name"),
        ("姓", "family_name"),
        ("名", "given_name"),
        ("セイ", "family_kana"),
        ("メイ", "given_kana"),
        ("ふりがな", "full_kana"),
        ("フリガナ", "full_kana"),
        ("姓（カナ）", "family_kana"),
        ("メール", "email"),
        ("メールアドレス", "email"),
        ("メールアドレス（必須）", "email"),
        ("E-mail Address", "email"),
        ("Email", "email"),
        ("所属", "organization"),
        ("自治体", "organization"),
        ("所属自治体名", "organization"),
        ("都道府県", "prefecture"),
        ("部署", "department"),
        ("所属部署名", "department"),
        ("役割", "role"),
        ("Role", "role"),
        ("Last name", "family_name"),
        ("First Name", "given_name"),
        ("Organisation", "organization"),
        ("status", "status"),
        ("備考", ""),
        ("", ""),
    ],
)
def test_headers_are_recognised(header: str, field: str) -> None:
    assert pi.guess_field(header) == field


def test_each_field_is_guessed_once() -> None:
    assert pi.guess_mapping(["メール", "メールアドレス", "氏名"]) == ["email", "", "full_name"]


def test_mapping_from_the_form_is_not_trusted() -> None:
    assert pi.clean_mapping(["email", "token", "../x", "full_name", "extra"], 4) == ["email", "", "", "full_name"]
    assert pi.clean_mapping(["email"], 3) == ["email", "", ""]


@pytest.mark.parametrize(
    ("mapping", "problem"),
    [
        (["full_name", "", ""], pi.FileProblem.NO_EMAIL_COLUMN),
        (["", "email", ""], pi.FileProblem.NO_NAME_COLUMN),
        (["full_name", "email", "email"], pi.FileProblem.DUPLICATE_MAPPING),
    ],
)
def test_unusable_mappings(mapping: list[str], problem: pi.FileProblem) -> None:
    t = table("a,b,c\n1,2,3\n")
    with pytest.raises(pi.ImportFileError) as caught:
        pi.parse(t, mapping)
    assert caught.value.problem == problem


def test_changed_mapping_reads_other_columns() -> None:
    t = table("名前,連絡先,備考\n神戸 太郎,t@kobe.lg.jp,神戸市\n")
    assert pi.guess_mapping(t.header) == ["full_name", "", ""]
    result = pi.parse(t, ["full_name", "email", "organization"])
    assert result.rows[0].values == {
        "family_name": "神戸",
        "given_name": "太郎",
        "email": "t@kobe.lg.jp",
        "organization": "神戸市",
    }
    assert result.fields == frozenset({"family_name", "given_name", "email", "organization"})


# ---- rows ---------------------------------------------------------------------------------------


def test_a_good_row_is_normalised() -> None:
    result = parsed(f"{HEADER}\n{ROW}\n")
    assert result.valid
    assert result.rows[0].values == {
        "family_name": "神戸",
        "given_name": "太郎",
        "family_kana": "コウベ",
        "given_kana": "タロウ",
        "email": "taro.kobe@city.kobe.example.lg.jp",
        "organization": "神戸市",
        "prefecture": "兵庫県",
        "department": "企画課",
        "role": "participant",
    }


@pytest.mark.parametrize(
    ("full", "family", "given"),
    [
        ("神戸 太郎", "神戸", "太郎"),
        ("神戸　太郎", "神戸", "太郎"),
        ("  神戸　　太郎 ", "神戸", "太郎"),
        ("長谷川 由美 子", "長谷川", "由美 子"),
        ("神戸太郎", "神戸太郎", ""),
    ],
)
def test_full_name_is_split_at_the_space(full: str, family: str, given: str) -> None:
    assert pi.split_name(full) == (family, given)


def test_separate_columns_win_over_a_full_name_column() -> None:
    result = parsed("氏名,姓,名,メール\n神戸 太郎,岩出,花子,h@iwade.lg.jp\n")
    assert (result.rows[0].values["family_name"], result.rows[0].values["given_name"]) == ("岩出", "花子")


def test_row_errors_name_the_row_the_column_and_the_problem() -> None:
    text = (
        "氏名,メールアドレス,役割,都道府県,状態\n"
        "神戸 太郎,taro@city.kobe.lg.jp,参加者,兵庫県,\n"  # row 2: fine
        ",nobody@city.kobe.lg.jp,参加者,,\n"  # row 3: no name
        "岩出 花子,hanako(at)iwade,参加者,,\n"  # row 4: bad email
        "石川 一郎,ichiro@pref.ishikawa.lg.jp,司会,,\n"  # row 5: unknown role
        "山形 次郎,TARO@city.kobe.lg.jp,参加者,,\n"  # row 6: duplicate of row 2
        "岐阜 三郎,,参加者,,\n"  # row 7: no email
        "品川 四郎,s@shinagawa.lg.jp,参加者,ニューヨーク,\n"  # row 8: not a prefecture
        "横浜 五郎,g@yokohama.lg.jp,,,遅刻\n"  # row 9: unknown status
    )
    result = parsed(text)
    found = {(e.row, e.column, e.problem) for e in result.errors}
    assert found == {
        (3, "氏名", pi.RowProblem.MISSING_NAME),
        (4, "メールアドレス", pi.RowProblem.BAD_EMAIL),
        (5, "役割", pi.RowProblem.UNKNOWN_ROLE),
        (6, "メールアドレス", pi.RowProblem.DUPLICATE_EMAIL),
        (7, "メールアドレス", pi.RowProblem.MISSING_EMAIL),
        (8, "都道府県", pi.RowProblem.UNKNOWN_PREFECTURE),
        (9, "状態", pi.RowProblem.UNKNOWN_STATUS),
    }
    duplicate = next(e for e in result.errors if e.problem == pi.RowProblem.DUPLICATE_EMAIL)
    assert duplicate.other_row == 2
    assert not result.valid


def test_too_long_values_are_errors() -> None:
    result = parsed(f"氏名,メール,所属\n神戸 太郎,t@kobe.lg.jp,{'市' * 201}\n")
    assert [(e.column, e.problem, e.limit) for e in result.errors] == [("所属", pi.RowProblem.TOO_LONG, 200)]


@pytest.mark.parametrize(
    ("cell", "role"),
    [("ファシリテーター", "facilitator"), ("facilitator", "facilitator"), ("Staff", "staff"), ("登壇者", "speaker"),
     ("スタッフ", "staff"), ("", ""), ("司会", None)],
)  # fmt: skip
def test_roles_in_japanese_and_english(cell: str, role: str | None) -> None:
    assert pi.parse_role(cell) == role


def test_full_width_email_is_made_ascii() -> None:
    assert pi.normalise_email("　ＴＡＲＯ＠ｃｉｔｙ．ｋｏｂｅ．ｌｇ．ｊｐ ") == "taro@city.kobe.lg.jp"


@pytest.mark.parametrize(
    ("email", "ok"),
    [("a@b.jp", True), ("taro.kobe+x@city.kobe.lg.jp", True), ("a@b", False), ("a b@c.jp", False),
     ("@c.jp", False), ("a@-c.jp", False), ("a@@c.jp", False)],
)  # fmt: skip
def test_email_check(email: str, ok: bool) -> None:
    assert pi.valid_email(email) is ok


def test_prefectures() -> None:
    assert len(pi.PREFECTURES) == 47
    assert pi.normalise_prefecture("兵庫") == "兵庫県"
    assert pi.normalise_prefecture("東京") == "東京都"
    assert pi.normalise_prefecture("京都") == "京都府"
    assert pi.normalise_prefecture("北海道") == "北海道"
    assert pi.normalise_prefecture("") == ""
    assert pi.normalise_prefecture("神戸市") is None


# ---- export -------------------------------------------------------------------------------------


def test_export_is_utf8_with_bom_and_reimports() -> None:
    data = pi.export_csv([["神戸", "太郎", "コウベ", "タロウ", "t@kobe.lg.jp", "神戸市", "兵庫県", "企画課",
                           "ファシリテーター", "欠席", "", "", "2026-07-01 10:00"]])  # fmt: skip
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    t = pi.read_table(data)
    result = pi.parse(t, pi.guess_mapping(t.header))
    assert result.valid
    assert result.rows[0].values["role"] == "facilitator" and result.rows[0].values["status"] == "absent"
    assert result.rows[0].values["family_kana"] == "コウベ"


def test_export_defuses_formulas_and_import_restores_them() -> None:
    data = pi.export_csv([['=HYPERLINK("http://x")', "-1", "", "", "a@b.jp", "", "", "", "", "", "", "", ""]])
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",'-1," in text
    t = pi.read_table(data)
    assert pi.parse(t, pi.guess_mapping(t.header)).rows[0].values["family_name"] == '=HYPERLINK("http://x")'


# ---- registration rules -------------------------------------------------------------------------


def test_domain_allow_list() -> None:
    domains = reg.parse_domains(" lg.jp、@go.jp\n.example.jp, lg.jp")
    assert domains == ["lg.jp", "go.jp", "example.jp"]
    assert reg.domain_allowed("taro@city.kobe.lg.jp", domains)
    assert reg.domain_allowed("taro@LG.JP", domains)
    assert not reg.domain_allowed("taro@evil-lg.jp", domains)
    assert not reg.domain_allowed("taro@lg.jp.evil.com", domains)
    assert reg.domain_allowed("anyone@gmail.com", [])
    assert reg.invalid_domains(["lg.jp", "not a domain", "-x.jp"]) == ["not a domain", "-x.jp"]


def test_seats_left() -> None:
    assert reg.seats_left(None, 500) is None
    assert reg.seats_left(10, 3) == 7
    assert reg.seats_left(10, 12) == 0
