"""Reading participant lists from CSV: decoding, dialect, column mapping, row validation, export rows.

Pure Python (no Flask): problems are returned as codes with parameters; the web layer words them.
The package's parts, in the order a file goes through them:

- `vocabulary`: what people write (prefectures, roles, statuses) and the fields a column can hold;
- `cells`: one cell made canonical (names, readings, emails, prefectures, roles, statuses);
- `reading`: the uploaded bytes as a table (encoding, delimiter, bounds on size);
- `mapping`: which field each column holds (guessed from headers, or chosen and checked);
- `validation`: every row mapped, normalised and checked;
- `export`: the list as a CSV the importer reads back;
- `problems`: the codes for what can be wrong with a file or a row.

Import from the package (`from app.domain import participant_import as pi`): its names are the API.
"""

from .cells import (
    normalise_email,
    normalise_kana,
    normalise_key,
    normalise_prefecture,
    normalise_text,
    parse_role,
    parse_status,
    split_name,
    valid_email,
)
from .export import EXPORT_HEADER, ROLE_EXPORT, STATUS_EXPORT, export_csv
from .mapping import check_mapping, clean_mapping, guess_field, guess_mapping
from .problems import CellError, FileProblem, ImportFileError, RowProblem
from .reading import MAX_ROWS, Table, decode, read_table
from .validation import MAX_LENGTHS, Parsed, ParsedRow, parse
from .vocabulary import HEADER_ALIASES, PREFECTURES, ROLE_ALIASES, ROLES, STATUS_ALIASES, STATUSES, Field

__all__ = [
    "EXPORT_HEADER",
    "HEADER_ALIASES",
    "MAX_LENGTHS",
    "MAX_ROWS",
    "PREFECTURES",
    "ROLES",
    "ROLE_ALIASES",
    "ROLE_EXPORT",
    "STATUSES",
    "STATUS_ALIASES",
    "STATUS_EXPORT",
    "CellError",
    "Field",
    "FileProblem",
    "ImportFileError",
    "Parsed",
    "ParsedRow",
    "RowProblem",
    "Table",
    "check_mapping",
    "clean_mapping",
    "decode",
    "export_csv",
    "guess_field",
    "guess_mapping",
    "normalise_email",
    "normalise_kana",
    "normalise_key",
    "normalise_prefecture",
    "normalise_text",
    "parse",
    "parse_role",
    "parse_status",
    "read_table",
    "split_name",
    "valid_email",
]
