"""Zoom as it really works: a Zoom sign-in email per person, used by the pre-assignment CSV; the Zoom page
says who will and will not be placed; seating chart and mover sheet as Excel workbooks."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.auth.models import Organizer
from app.cafe import planner, services
from app.extensions import db
from app.participants import services as participants
from tests import factories
from tests.factories_cafe import Cafe, make_cafe_event


@pytest.fixture()
def cafe(logged_in: Organizer) -> Cafe:
    cafe = make_cafe_event(organizer=logged_in, people=20, facilitators=4, rooms=5, rounds=3)
    cafe.people[0].zoom_email = "hanako.zoom@example.com"
    cafe.people[1].zoom_email = "shared@example.jp"
    cafe.people[2].zoom_email = "shared@example.jp"
    db.session.commit()
    services.generate(cafe.item, seed=11)
    services.publish(cafe.item, 2, confirm=False)
    db.session.commit()
    return cafe


def _rows(client: FlaskClient, cafe: Cafe, number: int, draft: bool = False) -> list[list[str]]:
    url = f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rounds/{number}/zoom.csv{'?draft=1' if draft else ''}"
    return list(csv.reader(io.StringIO(client.get(url).data.decode("utf-8"))))[1:]


def test_the_zoom_csv_uses_each_persons_zoom_sign_in_email(client: FlaskClient, cafe: Cafe) -> None:
    emails = {email for _room, email in _rows(client, cafe, 1)}
    assert "hanako.zoom@example.com" in emails and cafe.people[0].email not in emails
    assert cafe.people[3].email in emails  # no Zoom email: the registration email
    assert len(_rows(client, cafe, 1)) == 24


def test_the_zoom_page_explains_who_is_placed(client: FlaskClient, cafe: Cafe) -> None:
    base = f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/zoom"
    late = factories.make_participant(event=cafe.event, family_name="遅刻", email="late@city.kobe.lg.jp")
    late.joins_round = 2
    db.session.commit()
    page = client.get(base, headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "Zoomが自動で割り当てる人" in page and "アプリ" in page and "サインイン" in page
    assert "繝ｫ繝ｼ繝1" in page and "CSV UTF-8" in page and "BOM" in page  # the Excel warning and the BOM decision
    assert "同じZoomメールを使っている人がいます" in page and "shared@example.jp" in page
    # 3 with a Zoom email, 21 with their registration email, nobody missing in round 1 (the late arrival comes in round 2).
    for count in ("<strong>3</strong>", "<strong>21</strong>", "<strong>0</strong>"):
        assert count in page
    assert "late@city.kobe.lg.jp" not in page
    round3 = client.get(f"{base}?round=3").get_data(as_text=True)
    assert "not published yet" in round3 and "Not in the file (1)" in round3 and "遅刻" in round3
    assert "/rounds/3/zoom.csv?draft=1" in round3 and "/rounds/1/roster.xlsx" in round3
    assert client.get(f"{base}?round=9").status_code == 404
    assert client.get(f"{base}?round=x").status_code == 404


def test_other_organisers_get_404(client: FlaskClient, cafe: Cafe) -> None:
    other = factories.make_organizer()
    client.post("/login", data={"email": other.email, "password": factories.PASSWORD})
    assert client.get(f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/zoom").status_code == 404
    url = f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rounds/1/roster.xlsx"
    assert client.get(url).status_code == 404


def test_the_seating_chart_as_an_excel_workbook(client: FlaskClient, cafe: Cafe) -> None:
    person = cafe.people[4]
    person.family_name, person.organization = "=cmd|'/C calc'!A0", "@SUM(1+1)"
    db.session.commit()
    response = client.get(f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rounds/1/roster.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert f"{cafe.event.slug}-round1-seating.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "Room")
    assert rows[header][:3] == ["Room", "Role", "Name"]
    people = rows[header + 1 :]
    assert len(people) == 24
    assert sum(1 for r in people if r[1] == "Host") == 4  # facilitators host four of the five rooms
    assert {r[6] for r in people} >= {"hanako.zoom@example.com"}  # the address Zoom gets
    data = planner.load(cafe.item)
    first = data.rooms[0]
    assert [r[0] for r in people[:2]] == [first.name, first.name]
    # A formula-looking name stays text in Excel.
    evil = next(row for row in sheet.iter_rows(min_row=header + 2) if str(row[2].value).startswith("=cmd"))
    assert evil[2].data_type == "s" and evil[4].data_type == "s" and evil[4].value == "@SUM(1+1)"
    assert sheet.freeze_panes == f"A{header + 2}" and sheet.auto_filter.ref.startswith(f"A{header + 1}:G")
    # Hosts' rows are shaded, others not; every body cell in the Japanese font, top-aligned, underlined.
    body = list(sheet.iter_rows(min_row=header + 2))
    shaded = {row[1].value: row[0].fill.fgColor.rgb for row in body}
    assert shaded["Host"].endswith("FFF4DC") and shaded["Participant"] in ("00000000", None)
    assert {(c.font.name, c.alignment.vertical, c.border.bottom.style) for row in body for c in row} == {
        ("Yu Gothic", "top", "thin")
    }


def test_the_mover_sheet_as_an_excel_workbook(client: FlaskClient, cafe: Cafe) -> None:
    url = f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rounds/1/movers.xlsx"
    response = client.get(url, headers={"Accept-Language": "ja"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(values_only=False)]
    header = next(i for i, r in enumerate(rows) if r[0] == "移動先のルーム")
    moves = rows[header + 1 :]
    assert moves and all(r[4] and r[0] != r[4] for r in moves)  # everyone listed changes room; hosts stay
    assert len(moves) == 20 - sum(1 for r in moves if r[4] is None)
    # Round 3 is not published: the published sheet is refused, the draft one is given.
    later = f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rounds/2/movers.xlsx"
    assert client.get(later).status_code == 302
    assert client.get(later + "?draft=1").status_code == 200
    assert client.get(f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}/rounds/3/movers.xlsx").status_code == 404


def test_zoom_email_by_hand_and_its_checks(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    form = {"family_name": "山田", "given_name": "花子", "email": "hanako@city.kobe.lg.jp", "prefecture": "",
            "role": "participant", "status": "registered", "zoom_email": "Hanako.Zoom@Example.com"}  # fmt: skip
    assert client.post(f"/manage/events/{event.slug}/participants/new", data=form).status_code == 302
    [person] = event_people(event)
    assert person.zoom_email == "hanako.zoom@example.com" and person.zoom_sign_in_email == person.zoom_email
    edit = f"/manage/events/{event.slug}/participants/{person.id}"
    page = client.get(edit).get_data(as_text=True)
    assert 'value="hanako.zoom@example.com"' in page
    bad = client.post(edit, data={**form, "zoom_email": "not-an-address", "version": person.version})
    assert bad.status_code == 400 and "Invalid email address" in bad.get_data(as_text=True)
    # The same as the registration email: stored as "the same", so it follows later changes of the email.
    client.post(edit, data={**form, "zoom_email": "hanako@city.kobe.lg.jp", "version": person.version})
    db.session.refresh(person)
    assert person.zoom_email == "" and person.zoom_sign_in_email == "hanako@city.kobe.lg.jp"


def event_people(event):  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return list(event_people_query(event))


def event_people_query(event):  # type: ignore[no-untyped-def]
    from app.participants.models import Participant

    return db.session.scalars(db.select(Participant).where(Participant.event_id == event.id).order_by(Participant.id))


def test_registration_form_takes_a_zoom_email(client: FlaskClient, db: object) -> None:
    event = factories.make_event(slug="open-zoom")
    event.registration_open = True
    db.session.commit()  # type: ignore[attr-defined]
    form = {"family_name": "岩出", "given_name": "花子", "email": "hanako@city.iwade.lg.jp", "prefecture": "",
            "zoom_email": "hanako.home@example.jp"}  # fmt: skip
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert 'name="zoom_email"' in page
    assert client.post(f"/events/{event.slug}/register", data=form).status_code == 302
    [person] = event_people(event)
    assert person.zoom_email == "hanako.home@example.jp"


def test_csv_import_and_export_carry_the_zoom_email(client: FlaskClient, logged_in: Organizer) -> None:
    from tests.factories_participants import apply, preview_url, upload

    event = factories.make_event(organizer=logged_in)
    data = (
        "氏名,メールアドレス,Zoomサインインメール(任意),所属\r\n"
        "神戸 太郎,taro@city.kobe.lg.jp,taro.zoom@example.com,神戸市\r\n"
        "岩出 花子,hanako@city.iwade.lg.jp,,岩出市\r\n"
    ).encode("cp932")
    response = upload(client, event.slug, data)
    preview = client.get(preview_url(response)).get_data(as_text=True)
    assert "Zoom sign-in email" in preview
    apply(client, preview_url(response))
    taro, hanako = event_people(event)
    assert (taro.zoom_email, hanako.zoom_email) == ("taro.zoom@example.com", "")
    exported = client.get(f"/manage/events/{event.slug}/participants/export.csv").data.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(exported)))
    assert header[-1] == "Zoomサインインメール"
    assert {row[4]: row[-1] for row in rows} == {"taro@city.kobe.lg.jp": "taro.zoom@example.com",
                                                 "hanako@city.iwade.lg.jp": ""}  # fmt: skip
    # A bad address in the column is a row error, nothing imported.
    broken = upload(
        client, event.slug, "氏名,メール,Zoomメール\r\n鈴木 一郎,ichiro@city.sakai.lg.jp,zoom@\r\n".encode()
    )
    page = client.get(preview_url(broken)).get_data(as_text=True)
    assert "is not a valid email address" in page and "zoom@" in page
    participants.export_rows(event)  # still one row per person


def test_reconcile_finds_people_by_their_zoom_account(client: FlaskClient, logged_in: Organizer) -> None:
    from tests.factories_day import make_day

    day = make_day(organizer=logged_in)
    person = day.people[0]
    person.zoom_email = "private.account@example.com"
    db.session.commit()
    report = (
        "ミーティングID,トピック,開始時刻,終了時刻,ユーザーメール,所要時間(分),参加者\r\n"
        "812 3456 7890,サミット,2026/07/25 12:55:10,2026/07/25 17:02:11,host@city.kobe.lg.jp,247,2\r\n\r\n"
        "名前(元の名前),ユーザーメール,参加時刻,退出時刻,所要時間(分),ゲスト\r\n"
        "やまだ,Private.Account@example.com,2026/07/25 13:00:00,2026/07/25 15:00:00,120,いいえ\r\n"
    ).encode("utf-8-sig")
    response = client.post(
        f"/manage/events/{day.event.slug}/live/zoom",
        data={"report": (io.BytesIO(report), "participants.csv")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    present = html.split('name="present" type="hidden" value="')[1].split('"')[0]
    assert present == str(person.id) and "120 min" in html


def test_a_cafe_beyond_zoom_limits_is_offered_links_per_room_and_several_meetings(
    client: FlaskClient, logged_in: Organizer
) -> None:
    big = make_cafe_event(organizer=logged_in, people=480, facilitators=120, rooms=120, rounds=2)
    big.rooms[0].breakout_url = "https://zoom.us/j/900"
    db.session.commit()
    services.generate(big.item, seed=2)
    db.session.commit()
    base = f"/manage/events/{big.event.slug}/cafe/{big.item.id}"
    page = client.get(f"{base}/zoom").get_data(as_text=True)
    assert "What works at this size" in page and "1 of 120 rooms have a link." in page
    assert "One Zoom meeting holds about" not in page  # 600 people fit one meeting
    links = re.findall(r'href="([^"]*zoom\.csv\?[^"]*meeting=(\d)[^"]*)"', page.replace("&amp;", "&"))
    assert [n for _url, n in links] == ["1", "2"]  # 120 rooms: two meetings of 60
    rows = []
    for url, _n in links:
        body = client.get(url).data.decode()
        part = list(csv.reader(io.StringIO(body)))[1:]
        assert len({room for room, _e in part}) == 60
        rows += part
    whole = list(csv.reader(io.StringIO(client.get(f"{base}/rounds/1/zoom.csv?draft=1").data.decode())))[1:]
    assert sorted(rows) == sorted(whole)  # the meetings together are the whole round, each person once
    assert client.get(f"{base}/rounds/1/zoom.csv?draft=1&meeting=3").status_code == 404
    plan = client.get(f"{base}/plan").get_data(as_text=True)
    assert "This café has 120 rooms and 600 people" in plan
    small = make_cafe_event(organizer=logged_in, people=20, facilitators=4, rooms=5)
    services.generate(small.item, seed=2)
    db.session.commit()
    quiet = client.get(f"/manage/events/{small.event.slug}/cafe/{small.item.id}/zoom").get_data(as_text=True)
    assert "What works at this size" not in quiet
