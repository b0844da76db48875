"""One action, one commit, made by the edge: the services of events, auth and webhooks write (flush) and leave
the commit to their caller; each page commits once. (Participants and the day: test_unit_of_work.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from app.auth import services as auth_services
from app.auth.models import Organizer
from app.db import after_commit, after_rollback, savepoint
from app.events import programme_changes
from app.events import services as event_services
from app.events.models import Event, ItemKind, OrganizerInvite, ProgrammeItem
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.webhooks import services as webhook_services
from app.webhooks.models import WebhookEndpoint
from tests import factories
from tests.functional.test_events_manage import EVENT_FORM
from tests.unit_of_work import commits as counted_commits


def rows(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def undone_by_rollback(action: Callable[[], object], model: type) -> bool:
    """The service wrote its rows (visible in the transaction) and a rollback takes them away."""
    before = rows(model)
    action()
    written = rows(model) != before
    db.session.rollback()
    return written and rows(model) == before


# ---- the services leave the commit to their caller --------------------------------------------------


def test_event_services_write_without_committing(organizer: Organizer) -> None:
    data = event_services.EventData(
        title="夏のサミット",
        description="",
        timezone="Asia/Tokyo",
        starts_at=factories.EVENT_START,
        ends_at=factories.EVENT_END,
        meeting_url="",
        slug="summer-summit",
    )
    assert undone_by_rollback(lambda: event_services.create_event(organizer, data), Event)
    event = factories.make_event(organizer=organizer)
    item = event_services.ItemData(
        kind=ItemKind.CAFE,
        title="ワールドカフェ",
        description="",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(minutes=60),
    )
    assert undone_by_rollback(lambda: programme_changes.add_item(event, item), ProgrammeItem)
    assert undone_by_rollback(lambda: event_services.add_organizer(event, "colleague@city.kobe.lg.jp"), OrganizerInvite)


def test_a_stale_event_edit_leaves_the_callers_transaction_usable(organizer: Organizer) -> None:
    """The version is checked in a savepoint: the conflict is refused alone, the caller's other change stays."""
    event = factories.make_event(organizer=organizer, slug="summit-a")
    other = factories.make_event(organizer=organizer, slug="summit-b")
    saved_elsewhere = update(Event).where(Event.id == event.id).values(version=Event.version + 1)
    db.session.execute(saved_elsewhere.execution_options(synchronize_session=False))
    other.description = "変更は残る"
    data = event_services.EventData(
        title="新しい題名",
        description="",
        timezone=event.timezone,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        meeting_url=event.meeting_url,
    )
    with pytest.raises(event_services.ConflictError):
        event_services.update_event(event, data, event.version)
    db.session.commit()
    db.session.expire_all()
    assert other.description == "変更は残る"
    assert event.title != "新しい題名"


def test_a_taken_address_is_refused_by_the_database_and_the_transaction_goes_on(organizer: Organizer) -> None:
    """Two events given the same address at once: the second insert is refused in its savepoint."""
    factories.make_event(organizer=organizer, slug="summit-2026")
    bystander = factories.make_event(organizer=organizer)
    bystander.description = "変更は残る"
    refused = savepoint(lambda _error: event_services.ProgrammeError("already used"))
    with pytest.raises(event_services.ProgrammeError, match="already used"), refused:
        db.session.add(
            Event(
                slug="summit-2026",
                title="同じ住所",
                timezone="Asia/Tokyo",
                starts_at=factories.EVENT_START,
                ends_at=factories.EVENT_END,
            )
        )
    db.session.commit()
    db.session.expire_all()
    assert bystander.description == "変更は残る"


def test_auth_and_webhook_services_write_without_committing(app: Flask, organizer: Organizer) -> None:
    assert undone_by_rollback(
        lambda: auth_services.create_organizer("new@city.kobe.lg.jp", "a long enough password"), Organizer
    )
    event = factories.make_event(organizer=organizer)
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    try:
        add = lambda: webhook_services.add_endpoint(event, "http://127.0.0.1:9999/hook", ["report.published"])  # noqa: E731
        assert undone_by_rollback(add, WebhookEndpoint)
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False


# ---- what must follow a real commit ----------------------------------------------------------------


def test_after_commit_runs_after_the_commit_only(organizer: Organizer) -> None:
    ran: list[str] = []
    organizer.display_name = "変更"
    after_commit(lambda: ran.append("committed"))
    with savepoint():
        organizer.display_name = "もう一度"
    assert ran == []  # a savepoint released is not the commit
    db.session.commit()
    assert ran == ["committed"]
    organizer.display_name = "次の変更"
    db.session.commit()
    assert ran == ["committed"]  # once


def test_after_commit_is_dropped_when_the_transaction_is_rolled_back(organizer: Organizer) -> None:
    ran: list[str] = []
    organizer.display_name = "変更"
    db.session.flush()
    after_commit(lambda: ran.append("committed"))
    db.session.rollback()
    organizer.display_name = "別の変更"
    db.session.commit()
    assert ran == []


def test_after_rollback_runs_when_the_transaction_ends_without_a_commit(organizer: Organizer) -> None:
    ran: list[str] = []
    organizer.display_name = "変更"
    after_rollback(lambda: ran.append("rolled back"))
    with savepoint():
        organizer.display_name = "もう一度"
    assert ran == []  # a savepoint released ends nothing
    db.session.rollback()
    assert ran == ["rolled back"]
    organizer.display_name = "また変更"
    db.session.flush()
    after_rollback(lambda: ran.append("closed"))
    db.session.close()  # a failed request's session is closed, never committed
    assert ran == ["rolled back", "closed"]
    after_rollback(lambda: ran.append("committed"))
    db.session.commit()
    db.session.rollback()
    assert ran == ["rolled back", "closed"]  # a committed transaction's callbacks are gone


# ---- the edges commit once ---------------------------------------------------------------------------


def test_creating_and_editing_an_event_with_its_programme_commits_once_per_page(
    client: FlaskClient, logged_in: Organizer
) -> None:
    with counted_commits() as commits:
        assert client.post("/manage/events/new", data=EVENT_FORM).status_code == 302
    assert len(commits) == 1
    event = db.session.scalar(select(Event).where(Event.slug == "summit-2026"))
    assert event is not None
    item_form = {
        "kind": "cafe",
        "title": "ワールドカフェ",
        "starts_at": "2026-07-25T14:00",
        "ends_at": "2026-07-25T15:00",
        "round_count": "3",
        "round_gap": "0",
        "room_size_min": "4",
        "room_size_max": "6",
    }
    with counted_commits() as commits:
        assert client.post(f"/manage/events/{event.slug}/items/new", data=item_form).status_code == 302
    assert len(commits) == 1
    assert [len(i.rounds) for i in event.items] == [3]
    edit = {**EVENT_FORM, "title": "新しい題名", "version": str(event.version)}
    with counted_commits() as commits:
        assert client.post(f"/manage/events/{event.slug}/edit", data=edit).status_code == 302
    assert len(commits) == 1
    item = event.items[0]
    with counted_commits() as commits:
        shift = {"starts_at": "2026-07-25T14:30", "move_following": "y"}
        assert client.post(f"/manage/events/{event.slug}/items/{item.id}/shift", data=shift).status_code == 302
    assert len(commits) == 1
    db.session.expire_all()
    assert event.title == "新しい題名"


def test_a_refused_edit_commits_nothing(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in, slug="summit-2026")
    stale = {**EVENT_FORM, "title": "古い版", "version": str(event.version - 1)}
    with counted_commits() as commits:
        assert client.post(f"/manage/events/{event.slug}/edit", data=stale).status_code == 409
    assert commits == []


def test_adding_a_co_organiser_commits_once(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    with counted_commits() as commits:
        response = client.post(f"/manage/events/{event.slug}/organizers", data={"email": "colleague@city.kobe.lg.jp"})
    assert response.status_code == 302
    assert len(commits) == 1
    assert rows(OrganizerInvite) == 1


def test_adding_and_testing_a_webhook_commit_once_each(app: Flask, client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    try:
        with counted_commits() as commits:
            response = client.post(
                f"/manage/events/{event.slug}/webhooks",
                data={"url": "http://127.0.0.1:9999/hook", "topics": ["report.published"]},
            )
        assert response.status_code == 200
        assert len(commits) == 1
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint is not None
    with counted_commits() as commits:
        assert client.post(f"/manage/events/{event.slug}/webhooks/{endpoint.id}/test").status_code == 302
    assert len(commits) == 1
    assert rows(OutboxMessage) == 1


def test_an_organiser_added_by_email_joins_at_login_in_the_logins_commit(client: FlaskClient) -> None:
    owner = factories.make_organizer()
    event = factories.make_event(organizer=owner)
    db.session.add(OrganizerInvite(event_id=event.id, email="colleague@city.kobe.lg.jp"))
    colleague = factories.make_organizer(email="colleague@city.kobe.lg.jp")
    response = client.post("/login", data={"email": colleague.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    db.session.rollback()  # only what the login committed is left
    db.session.expire_all()
    assert event.is_organized_by(colleague)
    assert rows(OrganizerInvite) == 0


def test_after_commit_adds_no_listener_per_call(organizer: Organizer) -> None:
    """A worker keeps one session for its life: a hundred changes leave the session's listeners as they were."""
    ran: list[int] = []
    after_commit(lambda: ran.append(0))
    db.session.commit()
    listeners = len(db.session().dispatch.after_commit), len(db.session().dispatch.after_transaction_end)
    for n in range(1, 101):
        organizer.display_name = f"変更{n}"
        after_commit(lambda n=n: ran.append(n))
        db.session.commit()
    assert ran == list(range(101))
    assert (len(db.session().dispatch.after_commit), len(db.session().dispatch.after_transaction_end)) == listeners
