"""The plan page on the day: only rounds to come are offered, versions, discard, undo, and a readable history."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.cafe import planner, publishing, services
from app.extensions import db
from tests.factories_cafe import Cafe, make_cafe_event
from tests.instants import FUTURE_SUMMIT

JA = {"Accept-Language": "ja"}
BEFORE = FUTURE_SUMMIT - timedelta(days=7)
IN_ROUND_2 = FUTURE_SUMMIT + timedelta(minutes=35)


@pytest.fixture()
def cafe(logged_in: Organizer) -> Cafe:
    made = make_cafe_event(organizer=logged_in, people=20, facilitators=5, rounds=3)
    made.people[0].family_name, made.people[0].given_name = "藤田", "結衣"
    db.session.commit()
    return made


def _url(cafe: Cafe, tail: str = "") -> str:
    return f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}{tail}"


def _history(html: str) -> str:
    return html.split('id="history"')[1].split("</section>")[0]


def test_a_plan_never_published_says_so(client: FlaskClient, cafe: Cafe) -> None:
    with freeze_time(BEFORE):
        client.post(_url(cafe, "/generate"), data={"seed": 4})
        html = client.get(_url(cafe, "/plan"), headers=JA).get_data(as_text=True)
    assert "まだ公開していません" in html
    assert "ありません" not in html.split('id="changes"')[1].split("</section>")[0]


def test_replan_form_defaults_to_the_next_round_and_offers_only_rounds_to_come(client: FlaskClient, cafe: Cafe) -> None:
    with freeze_time(BEFORE):
        client.post(_url(cafe, "/generate"), data={"seed": 4})
        client.post(_url(cafe, "/publish"), data={"upto": 3})
    with freeze_time(IN_ROUND_2):
        html = client.get(_url(cafe, "/plan"), headers={"Accept-Language": "en"}).get_data(as_text=True)
        replan = html.split('id="from_round"')[1].split("</select>")[0]
        assert re.findall(r'value="(\d)"', replan) == ["3"] and "selected" in replan
        move = html.split('id="move-round"')[1].split("</select>")[0]
        assert re.findall(r'value="(\d)"', move) == ["3"]
        assert "started — kept as held" in html
        # Posting a started round anyway is refused by the service, with a translated message.
        response = client.post(_url(cafe, "/replan"), data={"from_round": 1}, headers=JA, follow_redirects=True)
        assert "第1ラウンドはすでに始まっているため、変更できません" in response.get_data(as_text=True)


def test_history_is_in_the_uis_language_with_names_never_ids(client: FlaskClient, cafe: Cafe) -> None:
    fujita = cafe.people[0]
    with freeze_time(BEFORE):
        client.post(_url(cafe, "/generate"), data={"seed": 4})
        client.post(_url(cafe, "/publish"), data={"upto": 3})
        client.post(_url(cafe, "/absent"), data={"people": [fujita.id]})
        client.post(_url(cafe, "/replan"), data={"from_round": 2})
        client.post(_url(cafe, "/publish"), data={"upto": 3, "confirm": "y"})
        html = client.get(_url(cafe, "/plan"), headers=JA).get_data(as_text=True)
    history = _history(html)
    assert "欠席に設定：藤田 結衣。" in history
    assert "第2ラウンドから再編成" in history and "欠席で外れた人：藤田 結衣" in history
    assert "第2版として公開：ラウンド2、3。" in history
    assert "運営 太郎" in history  # who did it
    for developer_output in ("replan", "repeat_pairs", "{", "absent ", str(fujita.id) + ","):
        assert developer_output not in history, developer_output


def test_discard_and_undo_from_the_plan_page(client: FlaskClient, cafe: Cafe) -> None:
    with freeze_time(BEFORE):
        client.post(_url(cafe, "/generate"), data={"seed": 4})
        client.post(_url(cafe, "/publish"), data={"upto": 3})
        first = planner.load(cafe.item).published
        services.mark_absent(cafe.item, [cafe.people[0].id])
        db.session.commit()
        client.post(_url(cafe, "/replan"), data={"from_round": 2})
        html = client.get(_url(cafe, "/plan"), headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Discard the draft" in html
        client.post(_url(cafe, "/discard"))
        data = planner.load(cafe.item)
        assert data.draft == data.published == first
        client.post(_url(cafe, "/replan"), data={"from_round": 2})
        client.post(_url(cafe, "/publish"), data={"upto": 3, "confirm": "y"})
        assert planner.load(cafe.item).published != first
        html = client.get(_url(cafe, "/plan"), headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Undo this publish" in html
        response = client.post(_url(cafe, "/undo"), headers={"Accept-Language": "en"}, follow_redirects=True)
        assert "Publish 2 was undone" in response.get_data(as_text=True)
        assert planner.load(cafe.item).published == first
        html = client.get(_url(cafe, "/plan"), headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Undo this publish" not in html and "undone" in html
        assert publishing.latest_version(cafe.item).undone_at is not None  # type: ignore[union-attr]


def test_discard_and_undo_belong_to_the_events_organisers(client: FlaskClient, cafe: Cafe) -> None:
    other = make_cafe_event(people=8, facilitators=2, rounds=2)
    for path in ("/discard", "/undo"):
        assert client.post(f"/manage/events/{other.event.slug}/cafe/{other.item.id}{path}").status_code == 404
