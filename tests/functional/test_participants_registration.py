"""Public self-registration: open/closed, drafts 404, consent, domain allow-list, capacity, duplicates."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.events.models import Event, EventStatus
from app.extensions import db
from app.participants.models import Participant, Role, Status
from tests import factories

FORM = {
    "family_name": "岩出",
    "given_name": "花子",
    "family_kana": "いわで",
    "given_kana": "はなこ",
    "email": "Hanako.Iwade@city.iwade.lg.jp",
    "organization": "岩出市",
    "prefecture": "和歌山県",
    "department": "情報政策課",
    "consent": "y",
}


def open_event(**settings: object) -> Event:
    event = factories.make_event(slug="open-summit")
    event.registration_open = True
    event.registration_consent = "氏名と所属を同じルームの参加者と共有します。"
    for name, value in settings.items():
        setattr(event, f"registration_{name}", value)
    db.session.commit()
    return event


def registered(event: Event) -> list[Participant]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Participant).where(Participant.event_id == event.id)))


def test_event_page_shows_register_only_when_open(client: FlaskClient, db: object) -> None:
    event = factories.make_event(slug="closed-summit")
    assert "/register" not in client.get(f"/events/{event.slug}").get_data(as_text=True)
    event = open_event()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f'href="/events/{event.slug}/register"' in page


def test_register_happy_path(client: FlaskClient, db: object) -> None:
    event = open_event()
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "氏名と所属を同じルームの参加者と共有します。" in page and 'name="consent"' in page
    response = client.post(f"/events/{event.slug}/register", data=FORM)
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/done")
    (person,) = registered(event)
    assert person.email == "hanako.iwade@city.iwade.lg.jp"
    assert (person.role, person.status) == (Role.PARTICIPANT, Status.REGISTERED)
    assert person.family_kana == "イワデ" and person.consent_at is not None
    done = client.get(f"/events/{event.slug}/register/done").get_data(as_text=True)
    assert "Thank you for registering" in done and "hanako" not in done.lower()


def test_drafts_are_404(client: FlaskClient, db: object) -> None:
    event = open_event()
    event.status = EventStatus.DRAFT
    db.session.commit()
    assert client.get(f"/events/{event.slug}/register").status_code == 404
    assert client.post(f"/events/{event.slug}/register", data=FORM).status_code == 404
    assert client.get(f"/events/{event.slug}/register/done").status_code == 404
    assert client.get("/events/no-such-event/register").status_code == 404
    assert registered(event) == []


@pytest.mark.parametrize("status", [EventStatus.PUBLISHED, EventStatus.FINISHED])
def test_closed_registration(client: FlaskClient, db: object, status: EventStatus) -> None:
    event = open_event()
    event.registration_open = status == EventStatus.FINISHED  # finished events are closed even if "open"
    event.status = status
    db.session.commit()
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Registration is closed" in page
    client.post(f"/events/{event.slug}/register", data=FORM)
    assert registered(event) == []


def test_consent_is_required_when_there_is_a_consent_text(client: FlaskClient, db: object) -> None:
    event = open_event()
    response = client.post(f"/events/{event.slug}/register", data=FORM | {"consent": ""})
    assert response.status_code == 400
    assert "Please agree to the terms to register." in response.get_data(as_text=True)
    assert registered(event) == []


def test_no_consent_text_no_checkbox(client: FlaskClient, db: object) -> None:
    event = open_event(consent="")
    assert 'name="consent"' not in client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert client.post(f"/events/{event.slug}/register", data=FORM | {"consent": ""}).status_code == 302
    assert registered(event)[0].consent_at is None


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("taro@city.kobe.lg.jp", True),
        ("taro@pref.ishikawa.lg.jp", True),
        ("taro@soumu.go.jp", True),
        ("taro@gmail.com", False),
        ("taro@fake-lg.jp", False),
        ("taro@lg.jp.example.com", False),
    ],
)
def test_domain_allow_list(client: FlaskClient, db: object, email: str, allowed: bool) -> None:
    event = open_event(domains="lg.jp, go.jp")
    response = client.post(f"/events/{event.slug}/register", data=FORM | {"email": email})
    assert (response.status_code == 302) is allowed
    if not allowed:
        assert "Registration is limited to addresses ending in: lg.jp, go.jp" in response.get_data(as_text=True)
    assert len(registered(event)) == int(allowed)


def test_duplicate_email_is_friendly_and_reveals_nothing(client: FlaskClient, db: object) -> None:
    event = open_event()
    factories.make_participant(
        event=event, family_name="秘密", email="hanako.iwade@city.iwade.lg.jp", organization="秘密市"
    )
    response = client.post(f"/events/{event.slug}/register", data=FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already registered for this event" in page
    assert "秘密" not in page
    assert len(registered(event)) == 1


def test_capacity(client: FlaskClient, db: object) -> None:
    event = open_event(capacity=2)
    factories.make_participant(event=event)
    factories.make_participant(event=event, status=Status.CANCELLED)  # cancelled people free their place
    assert "Only 1 place left." in client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert client.post(f"/events/{event.slug}/register", data=FORM).status_code == 302
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "This event is full" in page and 'name="email"' not in page
    response = client.post(f"/events/{event.slug}/register", data=FORM | {"email": "late@city.kobe.lg.jp"})
    assert "This event is full" in response.get_data(as_text=True)
    assert len(registered(event)) == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "", "This field is required."),
        ("family_name", "名" * 81, "Field cannot be longer than 80 characters."),
        ("given_name", "名" * 81, "Field cannot be longer than 80 characters."),
        ("family_kana", "カ" * 81, "Field cannot be longer than 80 characters."),
        ("given_kana", "カ" * 81, "Field cannot be longer than 80 characters."),
        ("email", "", "This field is required."),
        ("email", "not-an-email", "Invalid email address."),
        ("organization", "市" * 201, "Field cannot be longer than 200 characters."),
        ("department", "課" * 201, "Field cannot be longer than 200 characters."),
        ("prefecture", "カリフォルニア", "Not a valid choice."),
    ],
)
def test_bad_input_is_explained(client: FlaskClient, db: object, field: str, value: str, message: str) -> None:
    event = open_event()
    response = client.post(f"/events/{event.slug}/register", data=FORM | {field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert registered(event) == []


def test_bots_filling_the_hidden_field_are_thanked_and_ignored(client: FlaskClient, db: object) -> None:
    event = open_event()
    response = client.post(f"/events/{event.slug}/register", data=FORM | {"website": "http://spam.example"})
    assert response.status_code == 302
    assert registered(event) == []


def test_registration_cannot_set_role_or_status(client: FlaskClient, db: object) -> None:
    event = open_event()
    client.post(f"/events/{event.slug}/register", data=FORM | {"role": "staff", "status": "present"})
    (person,) = registered(event)
    assert (person.role, person.status) == (Role.PARTICIPANT, Status.REGISTERED)


def test_output_is_escaped(client: FlaskClient, db: object) -> None:
    event = open_event(consent="<script>alert(1)</script>")
    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
