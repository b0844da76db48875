"""CSV import through the pages: upload checks, preview with mapping, all-or-nothing, re-import by email."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant, Role, Status
from tests import factories
from tests.factories_participants import SAMPLE_CP932, apply, csv_bytes, preview_url, upload

GOOD_ROWS = (
    "神戸　太郎,こうべ たろう,taro.kobe@city.kobe.lg.jp,神戸市,兵庫県,企画課,参加者",
    "岩出 花子,いわで はなこ,hanako.iwade@city.iwade.lg.jp,岩出市,和歌山県,情報政策課,ファシリテーター",
)


@pytest.fixture()
def event(logged_in: Organizer) -> Event:
    return factories.make_event(organizer=logged_in, slug="summit-csv")


def people(event: Event) -> list[Participant]:
    db.session.expire_all()
    return list(
        db.session.scalars(db.select(Participant).where(Participant.event_id == event.id).order_by(Participant.id))
    )


def uploads_dir(app: Flask) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "participant-imports"


def test_upload_page(client: FlaskClient, event: Event) -> None:
    page = client.get(f"/manage/events/{event.slug}/participants/import").get_data(as_text=True)
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page


def test_cp932_sample_imports_through_the_preview(client: FlaskClient, event: Event) -> None:
    url = preview_url(upload(client, event.slug, SAMPLE_CP932.read_bytes()))
    page = client.get(url).get_data(as_text=True)
    assert "Shift_JIS (CP932)" in page
    assert "Ready to import: 120 new, 0 updated" in page
    assert '<option value="email" selected>' in page and '<option value="full_kana" selected>' in page
    response = apply(client, url)
    assert response.status_code == 302
    everyone = people(event)
    assert len(everyone) == 120
    assert sum(p.role == Role.FACILITATOR for p in everyone) == 20
    assert all(p.family_name and p.given_name and p.family_kana for p in everyone)
    assert any("髙" in p.family_name for p in everyone)
    # The stored upload is gone once applied.
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp932", False)])
def test_encodings(client: FlaskClient, event: Event, encoding: str, bom: bool) -> None:
    url = preview_url(upload(client, event.slug, csv_bytes(*GOOD_ROWS, encoding=encoding, bom=bom)))
    assert apply(client, url).status_code == 302
    names = sorted((p.family_name, p.given_name, p.given_kana) for p in people(event))
    assert names == [("岩出", "花子", "ハナコ"), ("神戸", "太郎", "タロウ")]


def test_tab_separated_with_separate_name_columns(client: FlaskClient, event: Event) -> None:
    data = csv_bytes(
        "神戸\t太郎\tコウベ\tタロウ\tt@kobe.lg.jp\t神戸市", header="姓\t名\tセイ\tメイ\tEmail\tOrganisation"
    )
    url = preview_url(upload(client, event.slug, data))
    assert apply(client, url).status_code == 302
    (person,) = people(event)
    assert (person.family_name, person.given_kana, person.organization) == ("神戸", "タロウ", "神戸市")


def test_organiser_changes_the_mapping(client: FlaskClient, event: Event) -> None:
    data = csv_bytes("神戸 太郎,t@kobe.lg.jp,神戸市", header="お名前,連絡先,勤め先x")
    url = preview_url(upload(client, event.slug, data))
    page = client.get(url).get_data(as_text=True)
    assert "Choose which column holds the email address" in page
    assert 'value="apply"' not in page  # no import button without an email column
    page = client.post(url, data={"action": "preview", "map-0": "full_name", "map-1": "email", "map-2": "organization"})
    assert "Ready to import: 1 new" in page.get_data(as_text=True)
    assert apply(client, url, ["full_name", "email", "organization"]).status_code == 302
    (person,) = people(event)
    assert (person.email, person.organization) == ("t@kobe.lg.jp", "神戸市")


def test_row_errors_are_shown_and_nothing_is_imported(client: FlaskClient, event: Event) -> None:
    data = csv_bytes(
        GOOD_ROWS[0],
        ",,nobody@city.kobe.lg.jp,神戸市,兵庫県,企画課,参加者",
        "石川 一郎,,ichiro(at)pref.ishikawa,石川県,石川県,企画課,参加者",
        "山形 次郎,,jiro@city.yamagata.lg.jp,山形市,山形県,企画課,司会",
        "岐阜 三郎,,TARO.KOBE@city.kobe.lg.jp,岐阜市,岐阜県,企画課,参加者",
    )
    url = preview_url(upload(client, event.slug, data))
    page = client.get(url).get_data(as_text=True)
    assert "4 problems must be fixed in the file before importing" in page
    assert "Row 3</a> · <strong>氏名</strong>: The name is missing." in page
    assert (
        "Row 4</a> · <strong>メールアドレス</strong>: “ichiro(at)pref.ishikawa” is not a valid email address." in page
    )
    assert "Row 5</a> · <strong>役割</strong>: Unknown role “司会”" in page
    assert "taro.kobe@city.kobe.lg.jp is also in row 2" in page
    assert 'value="apply"' not in page
    # Forcing the import anyway (a crafted POST) imports nothing.
    response = apply(
        client, url, ["full_name", "full_kana", "email", "organization", "prefecture", "department", "role"]
    )
    assert response.status_code == 422
    assert "The file has errors; nothing was imported." in response.get_data(as_text=True)
    assert people(event) == []


def test_reimport_updates_by_email_instead_of_duplicating(client: FlaskClient, event: Event) -> None:
    existing = factories.make_participant(event=event, email="taro.kobe@city.kobe.lg.jp", family_name="旧姓")
    existing.status = Status.PRESENT
    db.session.commit()
    token = existing.token
    url = preview_url(upload(client, event.slug, csv_bytes(*GOOD_ROWS)))
    assert "Ready to import: 1 new, 1 updated" in client.get(url).get_data(as_text=True)
    assert apply(client, url).status_code == 302
    url = preview_url(upload(client, event.slug, csv_bytes(*GOOD_ROWS)))
    assert "0 new, 2 updated" in client.get(url).get_data(as_text=True)
    assert apply(client, url).status_code == 302
    everyone = people(event)
    assert len(everyone) == 2
    taro = next(p for p in everyone if p.email == "taro.kobe@city.kobe.lg.jp")
    assert taro.family_name == "神戸" and taro.token == token
    assert taro.status == Status.PRESENT  # the file has no status column: kept


def test_unmapped_columns_leave_existing_values_alone(client: FlaskClient, event: Event) -> None:
    person = factories.make_participant(event=event, email="t@kobe.lg.jp", organization="神戸市")
    url = preview_url(upload(client, event.slug, csv_bytes("神戸 太郎,t@kobe.lg.jp", header="氏名,メール")))
    assert apply(client, url).status_code == 302
    db.session.expire_all()
    assert person.organization == "神戸市" and person.family_name == "神戸"


def test_person_added_between_preview_and_import_is_updated_not_duplicated(client: FlaskClient, event: Event) -> None:
    url = preview_url(upload(client, event.slug, csv_bytes(*GOOD_ROWS)))
    # Someone changes one of the people between preview and import: still one transaction.
    factories.make_participant(event=event, email="hanako.iwade@city.iwade.lg.jp", family_name="先客")
    assert apply(client, url).status_code == 302
    everyone = people(event)
    assert len(everyone) == 2  # updated, not duplicated
    assert {p.family_name for p in everyone} == {"神戸", "岩出"}


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"\r\n\r\n", "blank.csv", "The file is empty."),
        (b"PK\x03\x04rest", "list.xlsx", "This is an Excel workbook, not a CSV file."),
        (b"PK\x03\x04rest", "list.csv", "This is an Excel workbook, not a CSV file."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.csv", "This does not look like a CSV file."),
        (b"name,email\n", "names.pdf", "Please upload a .csv file."),
        ("氏名,メール\r\n".encode(), "header-only.csv", "The file has a heading row but no people in it."),
        (b"\x81\x7f\xa0\xfd\xfe\xff\r\n\x81\x7f,\x82", "garbled.csv", "character encoding could not be read"),
    ],
)
def test_bad_files_get_a_clear_message(
    client: FlaskClient, event: Event, app: Flask, data: bytes, filename: str, message: str
) -> None:
    before = set(uploads_dir(app).glob("*")) if uploads_dir(app).exists() else set()
    response = upload(client, event.slug, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    after = set(uploads_dir(app).glob("*")) if uploads_dir(app).exists() else set()
    assert after == before  # nothing kept


def test_no_file_at_all(client: FlaskClient, event: Event) -> None:
    response = client.post(f"/manage/events/{event.slug}/participants/import", data={})
    assert response.status_code == 400
    assert "Please choose a CSV file." in response.get_data(as_text=True)


def test_file_over_the_limit(client: FlaskClient, event: Event, app: Flask) -> None:
    limit = app.config.get("PARTICIPANT_IMPORT_MAX_BYTES")
    app.config["PARTICIPANT_IMPORT_MAX_BYTES"] = 1024 * 1024
    try:
        big = csv_bytes(*(f"神戸 太郎{i},t{i}@kobe.lg.jp,神戸市,兵庫県,企画課,参加者,{'x' * 80}" for i in range(9000)))
        assert len(big) > 1024 * 1024
        response = upload(client, event.slug, big)
        assert response.status_code == 400
        assert "The file is too large (at most 1 MB)." in response.get_data(as_text=True)
    finally:
        if limit is None:
            app.config.pop("PARTICIPANT_IMPORT_MAX_BYTES")
        else:
            app.config["PARTICIPANT_IMPORT_MAX_BYTES"] = limit


def test_request_over_the_server_limit_is_413_not_500(client: FlaskClient, event: Event, app: Flask) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    try:
        response = upload(client, event.slug, b"a,b\n" * 40000)
        assert response.status_code == 413
        assert "The upload is too large." in response.get_data(as_text=True)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit


def test_preview_keys_are_private_to_the_event(client: FlaskClient, event: Event) -> None:
    url = preview_url(upload(client, event.slug, csv_bytes(*GOOD_ROWS)))
    key = url.rsplit("/", 1)[1]
    mine_too = factories.make_event(organizer=event.organizers[0], slug="second-csv")
    # The same key under another event (even one I organise) finds nothing: it is bound to its event.
    response = client.get(f"/manage/events/{mine_too.slug}/participants/import/{key}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/import")
    for bad in ("../../secret_key", "..%2F..%2Fsecret_key", "short", "x" * 65):
        assert client.get(f"/manage/events/{event.slug}/participants/import/{bad}").status_code in (302, 404)


def test_expired_preview_sends_back_to_upload(client: FlaskClient, event: Event) -> None:
    response = client.get(f"/manage/events/{event.slug}/participants/import/{'a' * 43}", follow_redirects=True)
    assert "This upload is no longer available" in response.get_data(as_text=True)


def test_mapping_values_are_checked_on_the_server(client: FlaskClient, event: Event) -> None:
    url = preview_url(upload(client, event.slug, csv_bytes(*GOOD_ROWS)))
    response = apply(client, url, ["full_name", "token", "email", "id", "prefecture", "department", "role"])
    assert response.status_code == 302
    assert all(len(p.token) > 30 and p.family_kana == "" for p in people(event))


def test_duplicate_mapping_is_refused(client: FlaskClient, event: Event) -> None:
    url = preview_url(upload(client, event.slug, csv_bytes(*GOOD_ROWS)))
    response = apply(client, url, ["full_name", "email", "email", "", "", "", ""])
    assert response.status_code == 422
    assert "Two columns are mapped to “Email”" in response.get_data(as_text=True)
    assert people(event) == []
