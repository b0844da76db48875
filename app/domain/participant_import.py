"""Reading participant lists from CSV: decoding, dialect, column mapping, row validation, export rows.

Pure Python (no Flask): problems are returned as codes with parameters; the web layer words them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain import spreadsheet

PREFECTURES: tuple[str, ...] = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)
# "兵庫" → "兵庫県", "東京" → "東京都": people often leave the suffix out.
_PREFECTURE_SHORT = {p if p == "北海道" else p[:-1]: p for p in PREFECTURES}

ROLES = ("participant", "facilitator", "speaker", "staff")
STATUSES = ("registered", "cancelled", "present", "absent")

# What people write in a role or status cell (compared after normalise_key).
ROLE_ALIASES = {
    "participant": ("participant", "参加者", "一般", "一般参加", "参加"),
    "facilitator": (
        "facilitator",
        "ファシリテーター",
        "ファシリテータ",
        "ファシリ",
        "テーブルホスト",
        "host",
        "table host",
    ),
    "speaker": ("speaker", "登壇者", "スピーカー", "講師", "パネリスト", "panelist"),
    "staff": ("staff", "スタッフ", "運営", "運営スタッフ", "事務局"),
}
STATUS_ALIASES = {
    "registered": ("registered", "登録済み", "登録", "申込", "申込済み", "参加予定"),
    "cancelled": ("cancelled", "canceled", "キャンセル", "取消", "辞退"),
    "present": ("present", "出席", "参加済み"),
    "absent": ("absent", "欠席"),
}
# Labels used in the exported file, which the importer reads back.
ROLE_EXPORT = {"participant": "参加者", "facilitator": "ファシリテーター", "speaker": "登壇者", "staff": "スタッフ"}
STATUS_EXPORT = {"registered": "登録済み", "cancelled": "キャンセル", "present": "出席", "absent": "欠席"}


class Field(StrEnum):
    """A participant field a CSV column can be mapped to."""

    FULL_NAME = "full_name"
    FAMILY_NAME = "family_name"
    GIVEN_NAME = "given_name"
    FULL_KANA = "full_kana"
    FAMILY_KANA = "family_kana"
    GIVEN_KANA = "given_kana"
    EMAIL = "email"
    ZOOM_EMAIL = "zoom_email"
    ORGANIZATION = "organization"
    PREFECTURE = "prefecture"
    DEPARTMENT = "department"
    ROLE = "role"
    STATUS = "status"


# Header names, compared after normalise_key (NFKC, lower case, no spaces or brackets).
HEADER_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.FULL_NAME: ("氏名", "名前", "お名前", "氏名漢字", "参加者名", "name", "fullname", "full name"),
    Field.FAMILY_NAME: ("姓", "苗字", "名字", "氏", "familyname", "lastname", "surname"),
    Field.GIVEN_NAME: ("名", "下の名前", "givenname", "firstname"),
    Field.FULL_KANA: (
        "ふりがな",
        "フリガナ",
        "よみがな",
        "ヨミガナ",
        "よみ",
        "カナ",
        "氏名カナ",
        "氏名ふりがな",
        "氏名フリガナ",
        "kana",
        "reading",
        "furigana",
    ),
    Field.FAMILY_KANA: ("セイ", "せい", "姓カナ", "姓ふりがな", "姓フリガナ", "familykana", "lastnamekana"),
    Field.GIVEN_KANA: ("メイ", "めい", "名カナ", "名ふりがな", "名フリガナ", "givenkana", "firstnamekana"),
    Field.EMAIL: (
        "メール",
        "メールアドレス",
        "eメール",
        "電子メール",
        "email",
        "e-mail",
        "mail",
        "emailaddress",
        "e-mailaddress",
        "mailaddress",
    ),
    Field.ZOOM_EMAIL: (
        "zoomメール",
        "zoomメールアドレス",
        "zoomサインインメール",
        "zoomサインイン用メール",
        "zoomサインイン用メールアドレス",
        "zoomアカウント",
        "zoomアカウントのメールアドレス",
        "zoom登録メール",
        "zoomemail",
        "zoome-mail",
        "zoomsign-inemail",
        "zoomsigninemail",
        "zoomaccount",
        "zoomaccountemail",
    ),
    Field.ORGANIZATION: (
        "所属",
        "自治体",
        "自治体名",
        "所属自治体",
        "所属団体",
        "団体",
        "団体名",
        "組織",
        "組織名",
        "所属機関",
        "所属先",
        "勤務先",
        "organisation",
        "organization",
        "affiliation",
        "municipality",
        "agency",
    ),
    Field.PREFECTURE: ("都道府県", "都道府県名", "prefecture"),
    Field.DEPARTMENT: (
        "部署",
        "部署名",
        "所属部署",
        "所属課",
        "部課",
        "課",
        "課名",
        "department",
        "division",
        "section",
    ),
    Field.ROLE: ("役割", "区分", "参加区分", "参加形態", "role"),
    Field.STATUS: ("状態", "ステータス", "出欠", "status"),
}

MAX_LENGTHS = {
    Field.FAMILY_NAME: 80,
    Field.GIVEN_NAME: 80,
    Field.FAMILY_KANA: 80,
    Field.GIVEN_KANA: 80,
    Field.EMAIL: 254,
    Field.ZOOM_EMAIL: 254,
    Field.ORGANIZATION: 200,
    Field.DEPARTMENT: 200,
}

MAX_ROWS = 5000
_EMAIL = re.compile(r"^[^@\s\"(),:;<>\[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_SPACES = re.compile(r"[\s\u3000]+")


class FileProblem(StrEnum):
    """Why a whole file cannot be read."""

    EMPTY = "empty"
    BINARY = "binary"
    EXCEL = "excel"
    ENCODING = "encoding"
    NO_ROWS = "no_rows"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    BROKEN_ROW = "broken_row"
    NO_EMAIL_COLUMN = "no_email_column"
    NO_NAME_COLUMN = "no_name_column"
    DUPLICATE_MAPPING = "duplicate_mapping"


class RowProblem(StrEnum):
    """Why one row cannot be imported."""

    MISSING_NAME = "missing_name"
    MISSING_EMAIL = "missing_email"
    BAD_EMAIL = "bad_email"
    DUPLICATE_EMAIL = "duplicate_email"
    UNKNOWN_ROLE = "unknown_role"
    UNKNOWN_STATUS = "unknown_status"
    UNKNOWN_PREFECTURE = "unknown_prefecture"
    TOO_LONG = "too_long"


class ImportFileError(Exception):
    """The file as a whole cannot be used; `problem` says why, `detail` adds a value to show."""

    def __init__(self, problem: FileProblem, detail: str = "") -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Table:
    """A decoded CSV: its header, its data rows and what was detected."""

    header: list[str]
    rows: list[list[str]]
    encoding: str
    delimiter: str


@dataclass(frozen=True)
class CellError:
    """A problem in one row: the row number as a spreadsheet shows it (header = 1) and the column."""

    row: int
    column: str
    problem: RowProblem
    value: str = ""
    other_row: int | None = None
    limit: int | None = None


@dataclass
class ParsedRow:
    """One data row, mapped to participant fields and normalised."""

    row: int
    values: dict[str, str]
    errors: list[CellError] = field(default_factory=list)


@dataclass
class Parsed:
    """Every row of a file under one mapping; `fields` are the fields the file provides."""

    rows: list[ParsedRow]
    fields: frozenset[str]

    @property
    def errors(self) -> list[CellError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def valid(self) -> bool:
        return not self.errors


def normalise_key(text: str) -> str:
    """A header or label, made comparable: NFKC, lower case, without spaces, brackets or 'required' marks."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[\s_・/()\[\]（）【】「」*※]|必須|任意", "", text)
    return text


def normalise_email(email: str) -> str:
    """Trimmed, NFKC (full-width @ and letters become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def valid_email(email: str) -> bool:
    """Whether this looks like a deliverable email address (a pragmatic check, not full RFC 5322)."""
    return len(email) <= 254 and _EMAIL.match(email) is not None


def normalise_text(text: str) -> str:
    """Trimmed, inner runs of spaces (half or full width) made one space; a leading formula guard removed."""
    return spreadsheet.strip_formula_guard(_SPACES.sub(" ", text).strip())


def normalise_kana(text: str) -> str:
    """Readings in full-width katakana (hiragana and half-width katakana converted), so they sort together."""
    text = unicodedata.normalize("NFKC", text)
    return normalise_text("".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text))


def normalise_prefecture(text: str) -> str | None:
    """A prefecture's full name from what was written ('兵庫' → '兵庫県'); '' for empty, None if unknown."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return ""
    if text in PREFECTURES:
        return text
    return _PREFECTURE_SHORT.get(text)


def _lookup(value: str, aliases: dict[str, tuple[str, ...]]) -> str | None:
    key = normalise_key(value)
    for code, names in aliases.items():
        if key in (normalise_key(n) for n in names):
            return code
    return None


def parse_role(value: str) -> str | None:
    """A role code from a cell ('ファシリテーター' → 'facilitator'); '' for empty, None if unknown."""
    return "" if not value.strip() else _lookup(value, ROLE_ALIASES)


def parse_status(value: str) -> str | None:
    """A status code from a cell ('欠席' → 'absent'); '' for empty, None if unknown."""
    return "" if not value.strip() else _lookup(value, STATUS_ALIASES)


def split_name(full: str) -> tuple[str, str]:
    """'神戸 太郎' or '神戸　太郎' → ('神戸', '太郎'); without a space all of it is the family name."""
    parts = normalise_text(full).split(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


# ---- decoding -----------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and its encoding: UTF-8 (with or without BOM), else CP932."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(FileProblem.EMPTY)
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError(FileProblem.EXCEL)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" (UTF-16, tab-separated) is a CSV in all but name.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ImportFileError(FileProblem.ENCODING) from error
    if b"\x00" in data:
        raise ImportFileError(FileProblem.BINARY)
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError(FileProblem.ENCODING)


def read_table(data: bytes) -> Table:
    """Decode, sniff and split a CSV file into header and data rows; blank rows are dropped.

    The cost is bounded whatever the file holds: the delimiter is guessed from its first kilobytes,
    rows wider than spreadsheet.MAX_COLUMNS are refused, and reading stops at the row limit.
    """
    text, encoding = decode(data)
    delimiter = spreadsheet.sniff_delimiter(text)
    try:
        # Blank lines are allowed (and skipped) as long as the file stays within twice the row limit.
        records = spreadsheet.read_rows(text, delimiter=delimiter, max_rows=2 * MAX_ROWS + 1)
    except spreadsheet.ReadError as error:
        if error.problem == spreadsheet.ReadProblem.TOO_WIDE:
            raise ImportFileError(FileProblem.TOO_MANY_COLUMNS, str(error.limit)) from error
        if error.problem == spreadsheet.ReadProblem.TOO_MANY_ROWS:
            raise ImportFileError(FileProblem.TOO_MANY_ROWS, str(MAX_ROWS)) from error
        raise ImportFileError(FileProblem.BROKEN_ROW, str(error.row)) from error
    # Row numbers count every record (as a spreadsheet would), blank ones included.
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if len(numbered) < 2:
        raise ImportFileError(FileProblem.NO_ROWS)
    if len(numbered) - 1 > MAX_ROWS:
        raise ImportFileError(FileProblem.TOO_MANY_ROWS, str(MAX_ROWS))
    header = [c.strip() for c in numbered[0][1]]
    width = max(len(header), *(len(r) for _, r in numbered[1:]))
    header += [""] * (width - len(header))
    rows = [[str(n), *(r + [""] * (width - len(r)))] for n, r in numbered[1:]]
    return Table(header=header, rows=rows, encoding=encoding, delimiter=delimiter)


# ---- mapping ------------------------------------------------------------------------------------


def guess_field(header: str) -> str:
    """The field a header names ('メールアドレス' → 'email'), or '' when it names none."""
    key = normalise_key(header)
    if not key:
        return ""
    for name, aliases in HEADER_ALIASES.items():
        if key in (normalise_key(a) for a in aliases):
            return name.value
    # Looser: headers like 'メールアドレス(連絡用)' or '所属部署名'.
    if "zoom" in key and ("mail" in key or "メール" in key or "アカウント" in key or "account" in key):
        return Field.ZOOM_EMAIL.value
    if "mail" in key or "メール" in key:
        return Field.EMAIL.value
    if any(k in key for k in ("ふりがな", "フリガナ", "よみがな", "カナ")):
        return Field.FULL_KANA.value
    if "部署" in key:
        return Field.DEPARTMENT.value
    if "都道府県" in key:
        return Field.PREFECTURE.value
    if any(k in key for k in ("所属", "自治体", "団体")):
        return Field.ORGANIZATION.value
    if "氏名" in key:
        return Field.FULL_NAME.value
    return ""


def guess_mapping(header: Sequence[str]) -> list[str]:
    """A field for each column, from its header; each field at most once (the first column wins)."""
    mapping: list[str] = []
    for name in header:
        guess = guess_field(name)
        mapping.append("" if guess in mapping else guess)
    return mapping


def clean_mapping(values: Iterable[str], width: int) -> list[str]:
    """A mapping chosen in the form, trusted only as far as it names known fields."""
    known = {f.value for f in Field}
    mapping = [v if v in known else "" for v in list(values)[:width]]
    return mapping + [""] * (width - len(mapping))


def check_mapping(mapping: Sequence[str]) -> None:
    """Refuse a mapping without an email or a name column, or with a field used twice."""
    used = [m for m in mapping if m]
    twice = sorted({m for m in used if used.count(m) > 1})
    if twice:
        raise ImportFileError(FileProblem.DUPLICATE_MAPPING, twice[0])
    if Field.EMAIL not in used:
        raise ImportFileError(FileProblem.NO_EMAIL_COLUMN)
    if Field.FULL_NAME not in used and Field.FAMILY_NAME not in used:
        raise ImportFileError(FileProblem.NO_NAME_COLUMN)


# ---- validation ---------------------------------------------------------------------------------


def _row_values(cells: Sequence[str], mapping: Sequence[str]) -> dict[str, str]:
    raw = {name: cells[i] for i, name in enumerate(mapping) if name}
    values: dict[str, str] = {}
    for name in (Field.FAMILY_NAME, Field.GIVEN_NAME, Field.ORGANIZATION, Field.DEPARTMENT):
        if name in raw:
            values[name] = normalise_text(raw[name])
    for name in (Field.FAMILY_KANA, Field.GIVEN_KANA):
        if name in raw:
            values[name] = normalise_kana(raw[name])
    # A single name column is split, unless separate columns are mapped too (they win).
    if Field.FULL_NAME in raw:
        family, given = split_name(raw[Field.FULL_NAME])
        values.setdefault(Field.FAMILY_NAME, family)
        values.setdefault(Field.GIVEN_NAME, given)
    if Field.FULL_KANA in raw:
        family, given = split_name(normalise_kana(raw[Field.FULL_KANA]))
        values.setdefault(Field.FAMILY_KANA, family)
        values.setdefault(Field.GIVEN_KANA, given)
    for name in (Field.EMAIL, Field.ZOOM_EMAIL, Field.PREFECTURE, Field.ROLE, Field.STATUS):
        if name in raw:
            values[name] = raw[name].strip()
    return values


def _check_row(number: int, values: dict[str, str], headers: dict[str, str]) -> list[CellError]:
    errors: list[CellError] = []

    def err(name: str, problem: RowProblem, **extra: object) -> None:
        errors.append(CellError(number, headers.get(name, name), problem, **extra))  # type: ignore[arg-type]

    if not values.get(Field.FAMILY_NAME):
        err(Field.FULL_NAME if Field.FULL_NAME in headers else Field.FAMILY_NAME, RowProblem.MISSING_NAME)
    email = normalise_email(values.get(Field.EMAIL, ""))
    if not email:
        err(Field.EMAIL, RowProblem.MISSING_EMAIL)
    elif not valid_email(email):
        err(Field.EMAIL, RowProblem.BAD_EMAIL, value=values[Field.EMAIL])
    values[Field.EMAIL] = email
    if Field.ZOOM_EMAIL in values:  # optional: empty means "the same as the email"
        zoom = normalise_email(values[Field.ZOOM_EMAIL])
        if zoom and not valid_email(zoom):
            err(Field.ZOOM_EMAIL, RowProblem.BAD_EMAIL, value=values[Field.ZOOM_EMAIL])
        values[Field.ZOOM_EMAIL] = zoom
    if Field.ROLE in values:
        role = parse_role(values[Field.ROLE])
        if role is None:
            err(Field.ROLE, RowProblem.UNKNOWN_ROLE, value=values[Field.ROLE])
        else:
            values[Field.ROLE] = role
    if Field.STATUS in values:
        status = parse_status(values[Field.STATUS])
        if status is None:
            err(Field.STATUS, RowProblem.UNKNOWN_STATUS, value=values[Field.STATUS])
        else:
            values[Field.STATUS] = status
    if Field.PREFECTURE in values:
        prefecture = normalise_prefecture(values[Field.PREFECTURE])
        if prefecture is None:
            err(Field.PREFECTURE, RowProblem.UNKNOWN_PREFECTURE, value=values[Field.PREFECTURE])
        else:
            values[Field.PREFECTURE] = prefecture
    for name, limit in MAX_LENGTHS.items():
        if len(values.get(name, "")) > limit:
            column = name
            if name in (Field.FAMILY_NAME, Field.GIVEN_NAME) and name not in headers:
                column = Field.FULL_NAME
            if name in (Field.FAMILY_KANA, Field.GIVEN_KANA) and name not in headers:
                column = Field.FULL_KANA
            err(column, RowProblem.TOO_LONG, limit=limit)
    return errors


def parse(table: Table, mapping: Sequence[str]) -> Parsed:
    """Map and validate every row; emails repeated within the file are errors on the later rows."""
    check_mapping(mapping)
    headers = {name: (table.header[i] or f"#{i + 1}") for i, name in enumerate(mapping) if name}
    parsed: list[ParsedRow] = []
    first_row_of: dict[str, int] = {}
    for cells in table.rows:
        number = int(cells[0])
        values = _row_values(cells[1:], mapping)
        errors = _check_row(number, values, headers)
        email = values.get(Field.EMAIL, "")
        if email and not any(e.problem == RowProblem.BAD_EMAIL for e in errors):
            if email in first_row_of:
                errors.append(
                    CellError(number, headers[Field.EMAIL], RowProblem.DUPLICATE_EMAIL, email, first_row_of[email])
                )
            else:
                first_row_of[email] = number
        parsed.append(ParsedRow(number, values, errors))
    fields = {m for m in mapping if m}
    if Field.FULL_NAME in fields:
        fields |= {Field.FAMILY_NAME.value, Field.GIVEN_NAME.value}
    if Field.FULL_KANA in fields:
        fields |= {Field.FAMILY_KANA.value, Field.GIVEN_KANA.value}
    fields -= {Field.FULL_NAME.value, Field.FULL_KANA.value}
    return Parsed(parsed, frozenset(fields))


# ---- export -------------------------------------------------------------------------------------

EXPORT_HEADER = (
    "姓",
    "名",
    "セイ",
    "メイ",
    "メールアドレス",
    "所属",
    "都道府県",
    "部署",
    "役割",
    "状態",
    "参加開始ラウンド",
    "同意日時",
    "登録日時",
    "Zoomサインインメール",
)


def export_csv(rows: Iterable[Sequence[str]]) -> bytes:
    """A UTF-8 CSV with BOM and CRLF, as Excel in Japan opens it correctly, header included (formula-safe)."""
    return spreadsheet.csv_bytes(rows, EXPORT_HEADER)
