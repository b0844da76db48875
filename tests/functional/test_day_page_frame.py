"""A personal page's frame is rendered once per process and filled per holder (app/day/page_frame.py).

A frame that kept anything of the holder it was first rendered for would show it to the next one: these
tests render every holder's page after frames made by others, in both orders, and compare with the plain
render a signed-in visitor gets (pages of signed-in visitors never use kept frames).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.day.timetable import forget_everything
from app.extensions import db as _db
from app.participants.models import Participant, Rsvp
from tests import factories
from tests.factories_day import Day, make_day
from tests.instants import BEFORE_SUMMIT, ROUND_2


@pytest.fixture()
def day(db: object) -> Day:
    """Holders who differ in every way the frame could: answers, names (Latin, markup), role, rounds begun."""
    day = make_day(people=6)
    answers = [Rsvp.YES, Rsvp.NO, Rsvp.MAYBE, None, Rsvp.YES, None]
    for person, answer in zip(day.people, answers, strict=True):
        person.rsvp = answer
    day.people[1].family_name, day.people[1].given_name = "Yamada", "Taro"
    day.people[2].family_name, day.people[2].given_name = '<b>"大野"</b>', "&健"
    # Someone with no seat yet: no "people you met" for them.
    day.people.append(factories.make_participant(event=day.event, family_name="未着席"))
    _db.session.commit()
    return day


def holders(day: Day) -> list[Participant]:
    return [*day.hosts, *day.people]


def pages(client: FlaskClient, people: list[Participant], lang: str) -> dict[str, str]:
    """Every holder's page, in this order, after every kept page and frame is forgotten."""
    forget_everything()
    bodies = {}
    for person in people:
        response = client.get(f"/p/{person.token}", headers={"Accept-Language": lang})
        assert response.status_code == 200
        bodies[person.token] = response.get_data(as_text=True)
    return bodies


@pytest.mark.parametrize("instant", [BEFORE_SUMMIT, ROUND_2])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_page_is_the_same_whoever_rendered_the_frame_first(
    client: FlaskClient, day: Day, instant: str, lang: str
) -> None:
    with freeze_time(instant):
        forward = pages(client, holders(day), lang)
        backward = pages(client, holders(day)[::-1], lang)
    assert forward == backward


def test_each_page_shows_its_own_holder_and_nobody_elses_link(client: FlaskClient, day: Day) -> None:
    people = holders(day)
    with freeze_time(ROUND_2):
        bodies = pages(client, people, "en")
    for person in people:
        body = bodies[person.token]
        others = [p.token for p in people if p.token != person.token]
        assert not [t for t in others if t in body]
        assert f'data-state-url="/p/{person.token}/state.json"' in body
        assert f"/p/{person.token}/calendar.ics" in body
    assert "Personal page of Taro Yamada" in bodies[people[3].token]
    assert "Personal page of &lt;b&gt;&#34;大野&#34;&lt;/b&gt; &amp;健" in bodies[people[4].token]
    assert "Your answer: you can't attend." in bodies[people[3].token]
    assert "cx-entry" not in bodies[people[-1].token]
    assert f"/p/{people[-2].token}/people" in bodies[people[-2].token]


def main_part(body: str) -> str:
    """The page without the site header (which shows a signed-in visitor's account)."""
    return re.sub(r"<header class=\"site-header\">.*?</header>", "", body, flags=re.S)


def test_a_filled_frame_is_the_plain_render(app: Flask, client: FlaskClient, day: Day, organizer: Organizer) -> None:
    signed_in = app.test_client()
    response = signed_in.post("/login", data={"email": organizer.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    people = holders(day)
    with freeze_time(ROUND_2):
        framed = pages(client, people, "ja")
        for person in people:
            plain = signed_in.get(f"/p/{person.token}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
            assert main_part(framed[person.token]) == main_part(plain)
