"""Every row mapped to participant fields, normalised and checked; repeated emails found across the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .cells import (
    normalise_email,
    normalise_kana,
    normalise_prefecture,
    normalise_text,
    parse_role,
    parse_status,
    split_name,
    valid_email,
)
from .mapping import check_mapping
from .problems import CellError, RowProblem
from .reading import Table
from .vocabulary import Field

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
