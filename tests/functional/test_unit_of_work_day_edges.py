"""The edge commits once: each action of the live console, of "Who is missing?" and of the notes pages is one
transaction, committed by its view after the services have written (a refused save commits nothing)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.cafe import publishing, services
from app.day.models import Broadcast
from app.extensions import db
from app.notes.models import NoteImage
from tests.factories_cafe import Cafe, make_cafe_event
from tests.factories_day import Day, make_day
from tests.factories_notes import NotesCafe, make_notes_cafe, png_bytes
from tests.instants import FUTURE_SUMMIT, ROUND_1
from tests.unit_of_work import commits

BEFORE = FUTURE_SUMMIT - timedelta(days=7)
IN_ROUND_2 = FUTURE_SUMMIT + timedelta(minutes=35)


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> tuple[int, int]:
    """POST; returns the status and how many commits the request made."""
    with commits() as count:
        response = client.post(url, data=data or {}, **kwargs)
    return response.status_code, len(count)


@pytest.fixture()
def day(logged_in: Organizer) -> Day:
    return make_day(organizer=logged_in)


CONSOLE: dict[str, tuple[str, dict[str, Any]]] = {
    "start the next round": ("/live/next", {"confirm": "yes"}),
    "extend the round": ("/live/extend", {"minutes": 5, "direction": "later", "confirm": "yes"}),
    "end the round": ("/live/end", {"confirm": "yes"}),
    "post a broadcast": ("/live/broadcasts", {"body": "ブレイクアウトへ"}),
    "check in": ("/live/attendance", {"set": "present:{person}", "status": "present"}),
    "a late arrival": ("/live/late", {"family_name": "森田", "email": "k.morita@city.kobe.lg.jp", "joins_round": 3}),
    "re-issue a link": ("/links/{person}/reissue", {}),
}


@pytest.mark.parametrize("name", CONSOLE)
def test_each_console_action_commits_once(client: FlaskClient, day: Day, name: str) -> None:
    path, data = CONSOLE[name]
    person = day.people[0].id
    data = {k: v.format(person=person) if isinstance(v, str) else v for k, v in data.items()}
    with freeze_time(ROUND_1):
        assert post(client, f"/manage/events/{day.event.slug}" + path.format(person=person), data) == (302, 1)


def test_deleting_a_broadcast_commits_once(client: FlaskClient, day: Day) -> None:
    client.post(f"/manage/events/{day.event.slug}/live/broadcasts", data={"body": "ブレイクアウトへ"})
    message = db.session.query(Broadcast).one()
    assert post(client, f"/manage/events/{day.event.slug}/live/broadcasts/{message.id}/delete") == (302, 1)


def test_a_refused_late_arrival_commits_nothing(client: FlaskClient, day: Day) -> None:
    data = {"family_name": "重複", "email": day.people[0].email, "joins_round": 3}
    with freeze_time(ROUND_1):
        assert post(client, f"/manage/events/{day.event.slug}/live/late", data) == (400, 0)


@pytest.fixture()
def cafe(logged_in: Organizer) -> Cafe:
    made = make_cafe_event(organizer=logged_in, people=20, facilitators=5, rounds=3)
    services.generate(made.item, seed=3, now=BEFORE)
    publishing.publish(made.item, 3, confirm=False, now=BEFORE)
    db.session.commit()
    return made


def test_who_is_missing_commits_once_per_action(client: FlaskClient, cafe: Cafe) -> None:
    base = f"/manage/events/{cafe.event.slug}/live/missing"
    gone, late = cafe.people[0], "遅刻 一郎, late@example.lg.jp"
    with freeze_time(IN_ROUND_2):
        assert post(client, base + "/status", {"participant_id": gone.id, "status": "absent"}) == (302, 1)
        assert post(client, base + "/late", {"people": late, "joins_round": 3}) == (302, 1)
        assert post(client, base + "/zoom/apply", {"present": str(cafe.people[1].id), "absent": ""}) == (302, 1)
        assert post(client, base + "/replan") == (302, 1)
        assert post(client, base + "/discard") == (302, 1)
        assert post(client, base + "/replan") == (302, 1)
        assert post(client, base + "/publish") == (302, 1)


@pytest.fixture()
def notes(logged_in: Organizer) -> NotesCafe:
    return make_notes_cafe(organizer=logged_in)


def note_data(version: int, summary: str) -> dict[str, str]:
    fields = {"key_points": "", "ideas": "", "quotes": "", "body_md": "", "publishable": "y", "action": "save"}
    return {**fields, "summary": summary, "version": str(version)}


def test_a_note_save_commits_once_and_a_conflict_commits_nothing(client: FlaskClient, notes: NotesCafe) -> None:
    url = notes.url()
    assert post(client, url, note_data(0, "最初")) == (302, 1)
    assert post(client, url, note_data(0, "古い版から")) == (409, 0)  # someone saved since: both shown, nothing saved
    assert post(client, url, note_data(1, "次")) == (302, 1)
    with commits() as count:
        assert client.post(url + "/autosave", json={"version": 2, "summary": "自動保存"}).status_code == 200
        assert client.post(url + "/autosave", json={"version": 2, "summary": "古い"}).status_code == 409
    assert len(count) == 1
    assert post(client, url + "/history/1/restore", {"version": 3}) == (302, 1)


def test_image_actions_commit_once(client: FlaskClient, notes: NotesCafe) -> None:
    url = notes.url(suffix="/images")
    form = {"image": (io.BytesIO(png_bytes()), "board.png"), "caption": "板書", "publishable": "y"}
    assert post(client, url, form, content_type="multipart/form-data") == (302, 1)
    image = db.session.query(NoteImage).one()
    assert post(client, f"{url}/{image.id}", {"caption": "新しい説明"}) == (302, 1)
    assert post(client, f"{url}/{image.id}/delete") == (302, 1)
