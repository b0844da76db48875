"""The one input guard: control characters refused everywhere, numbers and dates bounded, one-line fields."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.events.models import Event
from app.extensions import db
from tests import factories

EVENT_FORM = {
    "title": "全国自治体職員ネットワークサミット",
    "slug": "",
    "description": "",
    "timezone": "Asia/Tokyo",
    "starts_at": "2026-07-25T13:00",
    "ends_at": "2026-07-25T18:00",
    "meeting_url": "https://zoom.us/j/81234567890",
}


@pytest.mark.parametrize(
    "path",
    [
        "/events/%00",
        "/reports?q=%00",
        "/api/v1/events/%00",
        "/p/%00/calendar.ics",
        "/p/abc%01def",
        "/reports?year=2020&tag=%1b[31m",
        "/lang/en?next=/%00",
    ],
)
def test_control_characters_in_the_address_are_a_clear_400(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    if path.startswith("/api/"):
        assert "control characters" in response.get_json()["error"]["message"]
    else:
        assert "control characters" in body


def test_control_characters_in_a_form_are_refused_and_nothing_is_saved(
    client: FlaskClient, logged_in: Organizer
) -> None:
    response = client.post("/manage/events/new", data={**EVENT_FORM, "description": "a\x00b"})
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Event)).all() == []


def test_control_characters_in_a_json_body_are_refused(client: FlaskClient) -> None:
    response = client.post("/api/v1/events", json={"x": ["ok", {"y": "\x07"}]})
    assert response.status_code == 400


def test_tabs_and_line_breaks_in_text_areas_are_fine(client: FlaskClient, logged_in: Organizer) -> None:
    response = client.post("/manage/events/new", data={**EVENT_FORM, "description": "一行目\r\n\t二行目"})
    assert response.status_code == 302


def test_line_breaks_in_a_one_line_field_are_a_form_error(client: FlaskClient, logged_in: Organizer) -> None:
    response = client.post("/manage/events/new", data={**EVENT_FORM, "title": "Summit\r\nBcc: x@example.com"})
    assert response.status_code == 400
    assert "one line" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Event)).all() == []


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:59", "2201-01-01T00:00"])
def test_dates_outside_1900_to_2200_are_a_form_error(client: FlaskClient, logged_in: Organizer, value: str) -> None:
    response = client.post("/manage/events/new", data={**EVENT_FORM, "starts_at": value, "ends_at": value})
    assert response.status_code == 400
    assert "between 1900 and 2200" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["99999999999999999999999", "-99999999999999999999", "2147483648"])
def test_huge_numbers_in_a_form_are_a_form_error(client: FlaskClient, logged_in: Organizer, value: str) -> None:
    event = factories.make_event(organizer=logged_in)
    data = {
        "kind": "cafe",
        "title": "ワールドカフェ",
        "description": "",
        "starts_at": "2026-07-25T14:00",
        "ends_at": "2026-07-25T15:00",
        "round_count": value,
        "round_gap": "2",
        "room_size_min": "4",
        "room_size_max": "6",
    }
    response = client.post(f"/manage/events/{event.slug}/items/new", data=data)
    assert response.status_code in (200, 400)
    assert "smaller number" in response.get_data(as_text=True) or "Not a valid integer" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize("number", ["99999999999999999999", "2147483648", "18446744073709551616"])
def test_huge_ids_in_the_address_are_not_found(client: FlaskClient, logged_in: Organizer, number: str) -> None:
    event = factories.make_event(organizer=logged_in)
    assert client.get(f"/manage/events/{event.slug}/items/{number}").status_code == 404
    assert client.get(f"/reports/x/v/{number}").status_code == 404


def test_a_meeting_link_longer_than_its_column_is_a_form_error(client: FlaskClient, logged_in: Organizer) -> None:
    long_url = "https://zoom.us/j/" + "1" * 600
    response = client.post("/manage/events/new", data={**EVENT_FORM, "meeting_url": long_url})
    assert response.status_code == 400
    assert "too long" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999", "2147483648"])
def test_numbers_read_from_the_query_are_bounded(client: FlaskClient, logged_in: Organizer, value: str) -> None:
    """`request.args.get(…, type=int)` gives no number an INTEGER column cannot hold (it was a 500 on both DBs)."""
    event = factories.make_event(organizer=logged_in)
    assert client.get("/reports", query_string={"year": value}).status_code == 200
    assert client.get(f"/manage/events/{event.slug}/invites/preview", query_string={"person": value}).status_code < 500


def test_choices_coerced_to_int_are_bounded(app: Flask) -> None:
    from werkzeug.datastructures import MultiDict
    from wtforms import SelectMultipleField

    from app.forms import Form

    class PickForm(Form):
        class Meta:
            csrf = False

        people = SelectMultipleField(coerce=int, validate_choice=False)

    with app.test_request_context():
        form = PickForm(formdata=MultiDict([("people", "3"), ("people", "99999999999999999999")]))
        assert not form.validate()
    assert form.people.data == [] and form.people.errors == ["Please choose one of the options offered."]


def test_an_event_cannot_take_a_slug_the_site_uses(client: FlaskClient, logged_in: Organizer) -> None:
    response = client.post("/manage/events/new", data={**EVENT_FORM, "slug": "new"})
    assert response.status_code in (200, 400)
    assert "used by the site itself" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Event)).all() == []
    event = factories.make_event(organizer=logged_in, slug="summit-2026")
    response = client.post(f"/manage/events/{event.slug}/edit", data={**EVENT_FORM, "slug": "new"})
    assert "used by the site itself" in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.slug == "summit-2026"
