"""Excel workbooks (.xlsx, openpyxl) of a round's seating chart (座席表) and mover sheet, for organisers
who sort, filter, annotate and print in Excel.

Every text cell is written as text, never as a formula: a name or room that starts with "=" stays
words in Excel (the .xlsx way of the CSV exports' formula guard).

openpyxl writes through lxml when it is installed (requirements.txt): for 2,000 people the seating chart's
14,000 cells serialise about three times faster than with the standard library's ElementTree.
"""

from __future__ import annotations

import io
import weakref
from collections.abc import Iterable, Sequence
from copy import copy
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.cafe.models import Room
from app.cafe.queries import Cell, MoverGroup
from app.events.models import CafeRound, Event, ProgrammeItem
from app.templating import local_datetime, person_name

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Yu Gothic"  # Japanese Excel's default font; others fall back to their own
HEAD_FILL = PatternFill("solid", fgColor="DCEBEB")
HOST_FILL = PatternFill("solid", fgColor="FFF4DC")
LINE = Side(style="thin", color="B8C4C9")


# Per sheet, the style of body cells by (fill, wrap), copied as one array: setting font, fill, alignment and border
# on each of 14,000 cells (2,000 people × 7 columns) took seconds in openpyxl.
_BODY_STYLES: weakref.WeakKeyDictionary[Worksheet, dict[tuple[int, bool], Any]] = weakref.WeakKeyDictionary()


def _style(cell: Any, **style: Any) -> None:
    cell.font = style.get("font", Font(name=FONT))
    if "fill" in style:
        cell.fill = style["fill"]
    cell.alignment = Alignment(vertical="top", wrap_text=style.get("wrap", False))
    cell.border = Border(bottom=LINE)


def _text(sheet: Worksheet, row: int, column: int, value: object, **style: Any) -> None:
    """Write a cell as literal text (a leading '=' is not a formula), with optional font/fill."""
    cell = sheet.cell(row=row, column=column, value="" if value is None else str(value))
    cell.data_type = "s"
    if "font" in style:  # headings: a few cells
        _style(cell, **style)
        return
    known = _BODY_STYLES.setdefault(sheet, {})
    key = (id(style.get("fill")), bool(style.get("wrap", False)))
    if key not in known:
        _style(cell, **style)
        known[key] = cell._style
    cell._style = copy(known[key])


def _heading(sheet: Worksheet, lines: Sequence[str], header: Sequence[str], widths: Sequence[int]) -> int:
    """Title lines, then the table's header row (bold, frozen, filterable); returns the first data row."""
    for number, line in enumerate(lines, start=1):
        _text(sheet, number, 1, line, font=Font(name=FONT, bold=number == 1, size=14 if number == 1 else 11))
        sheet.cell(row=number, column=1).border = Border()
    top = len(lines) + 2
    for column, (label, width) in enumerate(zip(header, widths, strict=True), start=1):
        _text(sheet, top, column, label, font=Font(name=FONT, bold=True), fill=HEAD_FILL)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    sheet.print_title_rows = f"{top}:{top}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return top + 1


def _finish(sheet: Worksheet, top: int, last_row: int, columns: int) -> None:
    if last_row >= top:
        sheet.auto_filter.ref = f"A{top - 1}:{get_column_letter(columns)}{last_row}"


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _round_line(event: Event, round_: CafeRound) -> str:
    when = (
        f"{local_datetime(round_.starts_at, event.timezone)}–{local_datetime(round_.ends_at, event.timezone, 'time')}"
    )
    return f"{_('Round %(number)s', number=round_.number)} · {when}"


def seating_chart(
    event: Event, item: ProgrammeItem, round_: CafeRound, cells: Iterable[tuple[Room, Cell]], *, draft: bool
) -> bytes:
    """One row per seated person, room by room with the host first: room, role, name, reading, affiliation,
    the address in the Zoom file."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Seating chart")[:31]
    lines = [f"{_('Seating chart')} · {event.title}", f"{item.title} · {_round_line(event, round_)}"]
    if round_.question:
        lines.append(f"{_('Question')}: {round_.question}")
    if draft:
        lines.append(_("DRAFT — not published; people may still be told other rooms."))
    header = (_("Room"), _("Role"), _("Name"), _("Reading"), _("Organisation"), _("Department"), _("Zoom email"))
    top = row = _heading(sheet, lines, header, (14, 12, 18, 20, 22, 26, 34))
    for room, cell in cells:
        for person in cell.people:
            hosting = person.id == cell.host_id
            fill = {"fill": HOST_FILL} if hosting else {}
            reading = " ".join(p for p in (person.family_kana, person.given_kana) if p)
            values = (room.name, _("Host") if hosting else _("Participant"), person_name(person), reading,
                      person.organization, person.department, person.zoom_sign_in_email)  # fmt: skip
            for column, value in enumerate(values, start=1):
                _text(sheet, row, column, value, **fill)
            row += 1
    _finish(sheet, top, row - 1, len(header))
    return _bytes(book)


def mover_sheet(
    event: Event, item: ProgrammeItem, round_: CafeRound, following: CafeRound, groups: Iterable[MoverGroup],
    *, draft: bool,
) -> bytes:  # fmt: skip
    """Who moves between round k and k+1, grouped by the room they go to (hosts stay and are not listed)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Mover sheet")[:31]
    lines = [
        f"{_('Mover sheet: round %(from)s → round %(to)s', **{'from': round_.number, 'to': following.number})} · {event.title}",
        f"{item.title} · {_round_line(event, following)}",
    ]
    if draft:
        lines.append(_("DRAFT — not published; people may still be told other rooms."))
    header = (_("To room"), _("Host there"), _("Name"), _("Organisation"), _("From"))
    top = row = _heading(sheet, lines, header, (14, 18, 18, 24, 14))
    for group in groups:
        target = group.room.name if group.room else _("Leaving the café")
        host = person_name(group.host) if group.host else ""
        for person, source in group.arrivals:
            values = (target, host, person_name(person), person.organization,
                      source.name if source else _("(joins now)"))  # fmt: skip
            for column, value in enumerate(values, start=1):
                _text(sheet, row, column, value)
            row += 1
    _finish(sheet, top, row - 1, len(header))
    return _bytes(book)
