"""CSV in and out: one writer neutralises formula cells in every export; reading is bounded in cost."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.cafe import services
from app.domain import spreadsheet
from app.extensions import db
from tests.factories_cafe import make_cafe_event

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "=cmd|'/Ccalc'!A0@city.example.lg.jp"


def test_every_csv_the_app_writes_goes_through_the_shared_writer() -> None:
    """csv.writer / DictWriter appear only in app/domain/spreadsheet.py: no export can forget the guard."""
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        if path == ROOT / "app" / "domain" / "spreadsheet.py":
            continue
        if re.search(r"\bcsv\.(writer|DictWriter)\b", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_zoom_pre_assignment_neutralises_formulas(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=8, facilitators=2, rooms=2, rounds=2)
    cafe.people[0].email = HOSTILE
    cafe.rooms[0].name = '=HYPERLINK("http://evil.example","A")'
    cafe.rooms[1].name = "@SUM(1+1)"
    db.session.commit()
    services.generate(cafe.item, seed=3)
    db.session.commit()
    url = f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rounds/1/zoom.csv?draft=1"
    rows = list(csv.reader(io.StringIO(client.get(url).data.decode("utf-8"))))[1:]
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE in cells
    assert '\'=HYPERLINK("http://evil.example","A")' in cells
    assert "'@SUM(1+1)" in cells
    assert not [c for c in cells if c.startswith(spreadsheet.FORMULA_START)]


def test_participants_export_neutralises_formulas(client: FlaskClient, logged_in: Organizer) -> None:
    cafe = make_cafe_event(organizer=logged_in, people=2, facilitators=0, rooms=0)
    cafe.people[0].organization = "+81-78-000"
    cafe.people[1].family_name = "＝1+1"
    db.session.commit()
    body = client.get(f"/manage/events/{cafe.event.slug}/participants/export.csv").data.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'+81-78-000" in cells and "'＝1+1" in cells
    assert not [c for c in cells if c.startswith(spreadsheet.FORMULA_START)]


def test_formula_guard_round_trips() -> None:
    for value in ("=1+1", "-5", "@x", "\tx", "＠x", "plain", "", "'quoted"):
        assert spreadsheet.strip_formula_guard(spreadsheet.formula_safe(value)) == value


def test_reading_stops_at_the_column_cap() -> None:
    text = "a,b\n" + ",".join(["x"] * 60_000) + "\n"
    try:
        spreadsheet.read_rows(text, max_rows=10)
    except spreadsheet.ReadError as error:
        assert error.problem == spreadsheet.ReadProblem.TOO_WIDE
        assert error.row == 2
    else:
        raise AssertionError("a 60,000-column row was accepted")


def test_a_cell_beyond_the_csv_field_limit_is_a_read_error() -> None:
    text = "name,email\n" + "x" * (200 * 1024) + ",a@b.jp\n"
    try:
        spreadsheet.read_rows(text, max_rows=10)
    except spreadsheet.ReadError as error:
        assert error.problem == spreadsheet.ReadProblem.UNREADABLE
    else:
        raise AssertionError("a 200 KiB cell was read")


def test_sniffing_looks_only_at_the_start() -> None:
    line = "a" * 250_000
    assert spreadsheet.sniff_delimiter(f"{line}\n1,2\n") == ","
    assert spreadsheet.sniff_delimiter("姓\t名\tメール\n神戸\t太郎\tt@kobe.lg.jp\n") == "\t"


def test_participant_import_refuses_a_60000_column_row_with_a_clear_message(
    client: FlaskClient, logged_in: Organizer
) -> None:
    from tests import factories
    from tests.factories_participants import upload

    event = factories.make_event(organizer=logged_in)
    data = ("氏名,メールアドレス\r\n" + ",".join(["x"] * 60_000) + "\r\n").encode()
    response = upload(client, event.slug, data)
    assert response.status_code == 400
    assert "too many columns (at most 200)" in response.get_data(as_text=True)


def test_participant_import_with_a_huge_first_line_answers_quickly(client: FlaskClient, logged_in: Organizer) -> None:
    from tests import factories
    from tests.factories_participants import upload

    event = factories.make_event(organizer=logged_in)
    data = (',"' * 125_000 + "\r\n").encode()
    response = upload(client, event.slug, data)
    assert response.status_code == 400


def test_zoom_report_with_a_bom_and_broken_utf8_or_a_huge_cell_is_a_clear_message(
    client: FlaskClient, logged_in: Organizer
) -> None:
    from tests.factories_day import make_day

    day = make_day(organizer=logged_in)
    cases = [
        (b"\xef\xbb\xbfName,Email\r\n\xff\xfe\xfa,a@b.jp\r\n", "encoding could not be read"),
        (("Name,Email\r\n" + "x" * (140 * 1024) + ",a@b.jp\r\n").encode(), "Row 2 cannot be read"),
        (("Name,Email\r\n" + ",".join(["x"] * 5000) + "\r\n").encode(), "too many columns"),
    ]
    for data, message in cases:
        response = client.post(
            f"/manage/events/{day.event.slug}/live/zoom",
            data={"report": (io.BytesIO(data), "report.csv")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True), message
