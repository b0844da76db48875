"""One cell's text made comparable and canonical: keys, emails, names, readings, prefectures, roles, statuses."""

from __future__ import annotations

import re
import unicodedata

from app.domain import spreadsheet

from .vocabulary import PREFECTURES, ROLE_ALIASES, STATUS_ALIASES

_EMAIL = re.compile(r"^[^@\s\"(),:;<>\[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_SPACES = re.compile(r"[\s\u3000]+")
# "兵庫" → "兵庫県", "東京" → "東京都": people often leave the suffix out.
_PREFECTURE_SHORT = {p if p == "北海道" else p[:-1]: p for p in PREFECTURES}


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
