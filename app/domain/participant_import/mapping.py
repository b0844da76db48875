"""Which participant field each column holds: guessed from the headers, or chosen in the form and checked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .cells import normalise_key
from .problems import FileProblem, ImportFileError
from .vocabulary import HEADER_ALIASES, Field


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
