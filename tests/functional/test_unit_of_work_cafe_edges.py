"""The edge commits once: each café action of the organiser's pages is one
transaction, committed by the view (or the job) after the services have written."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.cafe import planner, publishing, services
from app.extensions import db
from app.participants import picker
from app.participants.models import Participant, Rsvp, Status
from tests.factories_cafe import Cafe, make_cafe_event
from tests.unit_of_work import commits


class WriteRefused(Exception):
    """What the database would raise if it refused a write (a full disk, a lost connection)."""


@pytest.fixture()
def cafe(logged_in: Organizer) -> Cafe:
    return make_cafe_event(organizer=logged_in, people=20, facilitators=5, rounds=3)


@pytest.fixture()
def planned(cafe: Cafe) -> Cafe:
    services.generate(cafe.item, seed=5)
    db.session.commit()
    return cafe


@pytest.fixture()
def published(planned: Cafe) -> Cafe:
    publishing.publish(planned.item, 3, confirm=False)
    db.session.commit()
    return planned


def _url(cafe: Cafe, tail: str = "") -> str:
    return f"/manage/events/{cafe.event.slug}/cafe/{cafe.item.id}{tail}"


def _post_once(client: FlaskClient, url: str, data: dict[str, Any] | None = None) -> str:
    """POST and check that the request committed exactly once; returns the page it leads to."""
    with commits() as count:
        response = client.post(url, data=data or {})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(count) == 1, f"{url}: {len(count)} commits"
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _two_in_different_rooms(cafe: Cafe) -> tuple[int, int]:
    hosts = {r.host_id for r in cafe.rooms}
    rooms = [members for members in planner.load(cafe.item).draft[1].values() if members]
    return (
        next(int(p) for p in rooms[0] if int(p) not in hosts),
        next(int(p) for p in rooms[1] if int(p) not in hosts),
    )


def _label(person_id: int) -> str:
    return picker.label(db.session.get(Participant, person_id))


def test_generate_and_publish_commit_once(client: FlaskClient, cafe: Cafe) -> None:
    assert "A new draft plan was made" in _post_once(client, _url(cafe, "/generate"), {"seed": "5"})
    assert "Published: rounds 1, 2, 3" in _post_once(client, _url(cafe, "/publish"), {"upto": "3"})


def test_move_swap_and_discard_commit_once(client: FlaskClient, published: Cafe) -> None:
    first, second = _two_in_different_rooms(published)
    page = _post_once(
        client,
        _url(published, "/swap"),
        {"swap-round": "2", "swap-first": _label(first), "swap-second": _label(second)},
    )
    assert "Swapped." in page
    page = _post_once(
        client,
        _url(published, "/move"),
        {"move-round": "3", "move-person": _label(first), "move-room": str(published.rooms[-1].id)},
    )
    assert "Moved." in page
    assert "The draft was discarded" in _post_once(client, _url(published, "/discard"))


def test_undo_commits_once(client: FlaskClient, published: Cafe) -> None:
    assert "Publish 1 was undone" in _post_once(client, _url(published, "/undo"))


def test_mark_absent_and_replan_commit_once(client: FlaskClient, published: Cafe) -> None:
    gone = published.people[:2]
    assert "2 people were marked absent" in _post_once(
        client, _url(published, "/absent"), {"people": [p.id for p in gone]}
    )
    assert "Rounds 2 onwards were re-planned" in _post_once(client, _url(published, "/replan"), {"from_round": "2"})


def test_taking_out_who_cant_attend_is_one_transaction(client: FlaskClient, published: Cafe) -> None:
    """Marking them absent and re-planning around them: one commit."""
    for person in published.people[:3]:
        person.rsvp = Rsvp.NO
    db.session.commit()
    assert "3 people who can&#39;t attend were taken out" in _post_once(client, _url(published, "/rsvp-absent"))


def test_a_failed_replan_marks_nobody_absent(client: FlaskClient, published: Cafe) -> None:
    """The re-plan is the second part of the action: when it is refused, the first (absent) is undone too."""
    said_no = published.people[:3]
    for person in said_no:
        person.rsvp = Rsvp.NO
    published.item.room_size_min = published.item.room_size_max = 40  # no room can be filled: the plan fails
    db.session.commit()
    with commits() as count:
        response = client.post(_url(published, "/rsvp-absent"), follow_redirects=True)
    assert "The rooms cannot hold this attendance" in response.get_data(as_text=True)
    assert count == []
    db.session.expire_all()
    assert all(p.status != Status.ABSENT for p in said_no)
