"""Words for the CSV import: field names for the mapping and messages for the domain's problem codes."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.participant_import import CellError, Field, FileProblem, ImportFileError, RowProblem

FIELD_LABELS: dict[str, Any] = {
    Field.FULL_NAME.value: _l("Full name (split at the space)"),
    Field.FAMILY_NAME.value: _l("Family name"),
    Field.GIVEN_NAME.value: _l("Given name"),
    Field.FULL_KANA.value: _l("Full name in kana (split at the space)"),
    Field.FAMILY_KANA.value: _l("Family name (kana)"),
    Field.GIVEN_KANA.value: _l("Given name (kana)"),
    Field.EMAIL.value: _l("Email"),
    Field.ZOOM_EMAIL.value: _l("Zoom sign-in email"),
    Field.ORGANIZATION.value: _l("Organisation"),
    Field.PREFECTURE.value: _l("Prefecture"),
    Field.DEPARTMENT.value: _l("Department"),
    Field.ROLE.value: _l("Role"),
    Field.STATUS.value: _l("Status"),
}


def field_choices() -> list[tuple[str, str]]:
    """The choices for mapping an imported column: each participant field by its label, or ignore the column."""
    return [("", _("— ignore this column —")), *((k, str(v)) for k, v in FIELD_LABELS.items())]


def file_message(error: ImportFileError, max_mb: float | None = None) -> str:
    """What to tell the organiser when a whole file cannot be used."""
    field = str(FIELD_LABELS.get(error.detail, error.detail))
    messages = {
        FileProblem.EMPTY: _("The file is empty."),
        FileProblem.BINARY: _("This does not look like a CSV file. Please save the list as CSV and upload that."),
        FileProblem.EXCEL: _(
            "This is an Excel workbook, not a CSV file. In Excel choose File › Save As › CSV, then upload that file."
        ),
        FileProblem.ENCODING: _(
            "The file's character encoding could not be read. Save it as CSV (UTF-8) or CSV (Shift_JIS) and try again."
        ),
        FileProblem.NO_ROWS: _("The file has a heading row but no people in it."),
        FileProblem.TOO_MANY_ROWS: _("The file has too many rows (at most %(max)s).", max=error.detail),
        FileProblem.TOO_MANY_COLUMNS: _(
            "The file has too many columns (at most %(max)s). Keep only the columns about the people and try again.",
            max=error.detail,
        ),
        FileProblem.BROKEN_ROW: _(
            "Row %(row)s cannot be read: a cell is extremely long or a quotation mark is not closed. "
            "Please check that row in your spreadsheet and save the file as CSV again.",
            row=error.detail,
        ),
        FileProblem.NO_EMAIL_COLUMN: _("Choose which column holds the email address: it is needed for every person."),
        FileProblem.NO_NAME_COLUMN: _("Choose which column holds the name (full name, or family name)."),
        FileProblem.DUPLICATE_MAPPING: _("Two columns are mapped to “%(field)s”; choose one.", field=field),
    }
    return messages[error.problem]


def cell_message(error: CellError) -> str:
    """What is wrong with one cell, in words."""
    messages = {
        RowProblem.MISSING_NAME: _("The name is missing."),
        RowProblem.MISSING_EMAIL: _("The email address is missing."),
        RowProblem.BAD_EMAIL: _("“%(value)s” is not a valid email address.", value=error.value),
        RowProblem.DUPLICATE_EMAIL: _(
            "%(value)s is also in row %(row)s; each person can appear only once.",
            value=error.value,
            row=error.other_row,
        ),
        RowProblem.UNKNOWN_ROLE: _(
            "Unknown role “%(value)s”: use participant, facilitator, speaker or staff (参加者, ファシリテーター, 登壇者, スタッフ).",
            value=error.value,
        ),
        RowProblem.UNKNOWN_STATUS: _(
            "Unknown status “%(value)s”: use registered, cancelled, present or absent.", value=error.value
        ),
        RowProblem.UNKNOWN_PREFECTURE: _("“%(value)s” is not a prefecture.", value=error.value),
        RowProblem.TOO_LONG: _("Too long (at most %(limit)s characters).", limit=error.limit),
    }
    return messages[error.problem]
