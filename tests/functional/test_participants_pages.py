"""Organiser pages for participants: list, filters, counts, add/edit/delete, conflicts, export, authorisation."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.events.models import Event
from app.extensions import db
from app.participants.models import Participant, Role, Status
from tests import factories

GOOD = {
    "family_name": "神戸",
    "given_name": "太郎",
    "family_kana": "こうべ",
    "given_kana": "タロウ",
    "email": "Taro.Kobe@City.Kobe.LG.JP",
    "organization": "神戸市",
    "prefecture": "兵庫県",
    "department": "企画課",
    "role": "facilitator",
    "status": "registered",
}


@pytest.fixture()
def event(logged_in: Organizer) -> Event:
    return factories.make_event(organizer=logged_in, slug="summit-pp")


def url(event: Event, tail: str = "") -> str:
    return f"/manage/events/{event.slug}/participants{tail}"


def people(event: Event) -> list[Participant]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Participant).where(Participant.event_id == event.id)))


def test_empty_list_invites_an_import(client: FlaskClient, event: Event) -> None:
    page = client.get(url(event)).get_data(as_text=True)
    assert "No participants yet" in page
    assert url(event, "/import") in page


def test_list_counts_search_and_filters(client: FlaskClient, event: Event) -> None:
    factories.make_participant(event=event, family_name="神戸", organization="神戸市", role=Role.FACILITATOR)
    factories.make_participant(event=event, family_name="岩出", organization="岩出市", status=Status.CANCELLED)
    factories.make_participant(event=event, family_name="石川", organization="石川県")
    for person in people(event):
        person.prefecture = {"神戸": "兵庫県", "岩出": "和歌山県", "石川": "石川県"}[person.family_name]
    db.session.commit()
    other = factories.make_event(slug="elsewhere")
    factories.make_participant(event=other, family_name="他人")

    response = client.get(url(event))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "神戸" in page and "岩出" in page and "他人" not in page
    assert '<span class="pp-num">3</span>' in page  # total
    assert "2 attending" in page
    assert '<span class="pp-num">3</span><span class="pp-label">organisations' in page

    page = client.get(url(event), query_string={"role": "facilitator"}).get_data(as_text=True)
    assert "神戸 花子" in page and "石川 花子" not in page
    page = client.get(url(event), query_string={"status": "cancelled"}).get_data(as_text=True)
    assert "岩出 花子" in page and "神戸 花子" not in page
    page = client.get(url(event), query_string={"q": "石川県"}).get_data(as_text=True)
    assert "石川 花子" in page and "岩出 花子" not in page
    assert "1 of 3 people shown" in page
    # Nonsense filters are ignored, not errors.
    assert client.get(url(event), query_string={"role": "admin", "status": "x" * 500}).status_code == 200


def test_search_by_reading_in_hiragana_and_wildcards_are_literal(client: FlaskClient, event: Event) -> None:
    person = factories.make_participant(event=event, family_name="渡辺")
    person.family_kana = "ワタナベ"
    factories.make_participant(event=event, family_name="青木")
    db.session.commit()
    page = client.get(url(event), query_string={"q": "わたなべ"}).get_data(as_text=True)
    assert "渡辺" in page and "青木" not in page
    page = client.get(url(event), query_string={"q": "%"}).get_data(as_text=True)
    assert "Nobody matches this search." in page


def test_list_is_ordered_by_reading(client: FlaskClient, event: Event) -> None:
    for family, kana in (("渡辺", "ワタナベ"), ("青木", "アオキ"), ("無読", "")):
        person = factories.make_participant(event=event, family_name=family)
        person.family_kana = kana
    db.session.commit()
    page = client.get(url(event)).get_data(as_text=True)
    assert page.index("青木") < page.index("渡辺") < page.index("無読")


def test_add_a_person(client: FlaskClient, event: Event) -> None:
    assert client.get(url(event, "/new")).status_code == 200
    response = client.post(url(event, "/new"), data=GOOD)
    assert response.status_code == 302
    (person,) = people(event)
    assert person.email == "taro.kobe@city.kobe.lg.jp"  # normalised
    assert person.family_kana == "コウベ"  # readings kept in katakana
    assert person.role == Role.FACILITATOR and person.prefecture == "兵庫県"
    assert person.token and person.version == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "", "This field is required."),
        ("family_name", "名" * 81, "Field cannot be longer than 80 characters."),
        ("given_name", "名" * 81, "Field cannot be longer than 80 characters."),
        ("family_kana", "カ" * 81, "Field cannot be longer than 80 characters."),
        ("given_kana", "カ" * 81, "Field cannot be longer than 80 characters."),
        ("email", "", "This field is required."),
        ("email", "taro-at-kobe", "Invalid email address."),
        ("organization", "市" * 201, "Field cannot be longer than 200 characters."),
        ("department", "課" * 201, "Field cannot be longer than 200 characters."),
        ("prefecture", "ニューヨーク州", "Not a valid choice."),
        ("role", "admin", "Not a valid choice."),
        ("status", "deleted", "Not a valid choice."),
    ],
)
def test_add_refuses_bad_input_with_a_message(
    client: FlaskClient, event: Event, field: str, value: str, message: str
) -> None:
    response = client.post(url(event, "/new"), data=GOOD | {field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert people(event) == []


def test_email_is_unique_per_event_ignoring_case(client: FlaskClient, event: Event) -> None:
    factories.make_participant(event=event, email="taro.kobe@city.kobe.lg.jp")
    response = client.post(url(event, "/new"), data=GOOD)
    assert response.status_code == 400
    assert "Someone in this event already has this email address." in response.get_data(as_text=True)
    assert len(people(event)) == 1
    # The same address in another event is fine.
    other = factories.make_event(organizer=event.organizers[0], slug="other-pp")
    assert client.post(url(other, "/new"), data=GOOD).status_code == 302


def test_edit_a_person(client: FlaskClient, event: Event) -> None:
    person = factories.make_participant(event=event, family_name="山田")
    page = client.get(url(event, f"/{person.id}")).get_data(as_text=True)
    assert 'value="山田' in page and 'name="version" type="hidden" value="1"' in page
    response = client.post(url(event, f"/{person.id}"), data=GOOD | {"version": "1", "status": "present"})
    assert response.status_code == 302
    (saved,) = people(event)
    assert (saved.family_name, saved.status, saved.version) == ("神戸", Status.PRESENT, 2)


def test_edit_refuses_an_email_taken_by_someone_else(client: FlaskClient, event: Event) -> None:
    factories.make_participant(event=event, email="taro.kobe@city.kobe.lg.jp")
    person = factories.make_participant(event=event)
    response = client.post(url(event, f"/{person.id}"), data=GOOD | {"version": "1"})
    assert response.status_code == 400
    assert "already has this email address" in response.get_data(as_text=True)


def test_second_organiser_saving_a_stale_form_gets_a_conflict(client: FlaskClient, event: Event) -> None:
    person = factories.make_participant(event=event, family_name="山田")
    # Organiser A saves first (version 1 → 2).
    assert (
        client.post(url(event, f"/{person.id}"), data=GOOD | {"version": "1", "family_name": "先に"}).status_code == 302
    )
    # Organiser B's form was opened on version 1 too.
    response = client.post(url(event, f"/{person.id}"), data=GOOD | {"version": "1", "family_name": "後で"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this person while you were editing" in page
    assert "先に" in page and 'value="後で"' in page  # theirs shown, mine kept in the form
    assert 'name="version" type="hidden" value="2"' in page
    assert people(event)[0].family_name == "先に"
    # Saving again on purpose keeps B's version.
    assert (
        client.post(url(event, f"/{person.id}"), data=GOOD | {"version": "2", "family_name": "後で"}).status_code == 302
    )
    assert people(event)[0].family_name == "後で"


def test_missing_version_is_a_conflict_not_an_overwrite(client: FlaskClient, event: Event) -> None:
    person = factories.make_participant(event=event, family_name="山田")
    response = client.post(url(event, f"/{person.id}"), data=GOOD | {"version": "abc"})
    assert response.status_code == 409
    assert people(event)[0].family_name == "山田"


def test_delete_asks_then_removes(client: FlaskClient, event: Event) -> None:
    person = factories.make_participant(event=event, family_name="山田")
    page = client.get(url(event, f"/{person.id}/delete")).get_data(as_text=True)
    assert "Remove 山田" in page
    assert client.post(url(event, f"/{person.id}/delete")).status_code == 302
    assert people(event) == []


def test_quick_status_change_keeps_the_filter(client: FlaskClient, event: Event) -> None:
    person = factories.make_participant(event=event)
    back = url(event, "?role=participant")
    response = client.post(url(event, f"/{person.id}/status/cancelled"), data={"next": back})
    assert response.status_code == 302 and response.headers["Location"].endswith(back)
    assert people(event)[0].status == Status.CANCELLED
    # Unknown statuses change nothing; foreign "next" targets are not followed.
    response = client.post(url(event, f"/{person.id}/status/gone"), data={"next": "https://evil.example/"})
    assert response.headers["Location"].endswith(url(event))
    assert people(event)[0].status == Status.CANCELLED


def test_export_csv_has_everyone_but_no_tokens(client: FlaskClient, event: Event) -> None:
    person = factories.make_participant(event=event, family_name="=cmd|' /C calc'!A0", role=Role.FACILITATOR)
    factories.make_participant(event=event, family_name="岩出")
    response = client.get(url(event, "/export.csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:5] == ["姓", "名", "セイ", "メイ", "メールアドレス"]
    assert len(rows) == 3
    assert person.token not in body.decode("utf-8-sig")
    assert ["'=cmd|' /C calc'!A0", "花子"] in [r[:2] for r in rows]  # formula defused
    assert "ファシリテーター" in body.decode("utf-8-sig")


def test_registration_settings(client: FlaskClient, event: Event) -> None:
    page = client.get(url(event, "/registration")).get_data(as_text=True)
    assert "Allowed email domains" in page
    data = {"open": "y", "capacity": "100", "consent": "氏名を共有します。", "domains": "LG.JP, @go.jp", "version": "1"}
    assert client.post(url(event, "/registration"), data=data).status_code == 302
    db.session.expire_all()
    assert event.registration_open and event.registration_capacity == 100
    assert event.registration_domains == "lg.jp, go.jp"
    # A stale form is refused.
    response = client.post(url(event, "/registration"), data=data | {"capacity": "5"})
    assert response.status_code == 409
    db.session.expire_all()
    assert event.registration_capacity == 100


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", "0", "Give a number from 1 to 100,000."),
        ("capacity", "many", "Not a valid integer value."),
        ("domains", "lg.jp, not_a domain!", "This is not a domain name: not_a"),
        ("consent", "x" * 5001, "Field cannot be longer than 5000 characters."),
    ],
)
def test_registration_settings_refuse_bad_input(
    client: FlaskClient, event: Event, field: str, value: str, message: str
) -> None:
    data = {"open": "y", "capacity": "", "consent": "", "domains": "", "version": str(event.version)} | {field: value}
    response = client.post(url(event, "/registration"), data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert not event.registration_open


@pytest.mark.parametrize(
    ("method", "tail"),
    [
        ("get", ""),
        ("get", "/new"),
        ("post", "/new"),
        ("get", "/{pid}"),
        ("post", "/{pid}"),
        ("get", "/{pid}/delete"),
        ("post", "/{pid}/delete"),
        ("post", "/{pid}/status/cancelled"),
        ("get", "/export.csv"),
        ("get", "/registration"),
        ("post", "/registration"),
        ("get", "/import"),
        ("post", "/import"),
        ("get", "/import/" + "k" * 43),
        ("post", "/import/" + "k" * 43),
    ],
)
def test_other_organisers_get_404(client: FlaskClient, logged_in: Organizer, method: str, tail: str) -> None:
    stranger_event = factories.make_event(slug="not-mine")
    person = factories.make_participant(event=stranger_event, family_name="秘密")
    response = getattr(client, method)(f"/manage/events/not-mine/participants{tail.format(pid=person.id)}", data=GOOD)
    assert response.status_code == 404
    assert "秘密" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participant, person.id).family_name == "秘密"


def test_a_person_of_another_event_is_404_even_for_my_event(client: FlaskClient, event: Event) -> None:
    other = factories.make_event(slug="not-mine-2")
    stranger = factories.make_participant(event=other)
    assert client.get(url(event, f"/{stranger.id}")).status_code == 404
    assert client.post(url(event, f"/{stranger.id}/delete")).status_code == 404


def test_logged_out_visitors_are_sent_to_login(client: FlaskClient, db: object) -> None:
    event = factories.make_event(slug="public-one")
    response = client.get(f"/manage/events/{event.slug}/participants")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_tab_appears_on_the_event_page(client: FlaskClient, event: Event) -> None:
    page = client.get(f"/manage/events/{event.slug}").get_data(as_text=True)
    assert f'href="/manage/events/{event.slug}/participants"' in page
