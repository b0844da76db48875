"""Organisers: edit any room's note, the overview of all notes, and the pieces other features use."""

from __future__ import annotations

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.extensions import db
from app.notes import queries
from tests import factories
from tests.factories_notes import NotesCafe, make_notes_cafe
from tests.functional.test_notes_edit import note_data, the_note


@pytest.fixture()
def cafe(organizer: Organizer) -> NotesCafe:
    return make_notes_cafe(organizer=organizer)


def test_organiser_pages_need_a_login(client: FlaskClient, cafe: NotesCafe) -> None:
    for url in (cafe.manage_url(), f"/manage/events/{cafe.event.slug}/notes"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_other_organisers_get_404(client: FlaskClient, cafe: NotesCafe) -> None:
    other = factories.make_organizer(email="other@city.example.lg.jp")
    client.post("/login", data={"email": other.email, "password": factories.PASSWORD})
    assert client.get(cafe.manage_url()).status_code == 404
    assert client.get(f"/manage/events/{cafe.event.slug}/notes").status_code == 404
    assert client.post(cafe.manage_url(), data=note_data(summary="x")).status_code == 404


def test_organiser_edits_any_room_and_is_named_in_the_history(
    client: FlaskClient, logged_in: Organizer, cafe: NotesCafe
) -> None:
    client.post(cafe.url(host=1), data=note_data(summary="ホストの要約"))
    page = client.get(cafe.manage_url(room=1))
    assert page.status_code == 200 and "ホストの要約" in page.get_data(as_text=True)
    response = client.post(cafe.manage_url(room=1), data=note_data(1, summary="運営が補足した要約"))
    assert response.status_code == 302 and response.headers["Location"].endswith(cafe.manage_url(room=1))
    note = the_note(cafe, room=1)
    assert (
        note.summary == "運営が補足した要約"
        and note.updated_by_organizer_id == logged_in.id
        and note.updated_by_id is None
    )
    history = client.get(cafe.manage_url(room=1, suffix="/history")).get_data(as_text=True)
    assert "運営 太郎" in history and "後藤" in history  # v2 by the organiser, v1 by the room's host


def test_organiser_conflicts_with_the_host_like_anyone_else(
    client: FlaskClient, logged_in: Organizer, cafe: NotesCafe
) -> None:
    client.post(cafe.manage_url(), data=note_data(summary="運営"))
    client.post(cafe.url(), data=note_data(1, summary="ホスト"))
    response = client.post(cafe.manage_url(), data=note_data(1, summary="運営2"))
    assert response.status_code == 409 and "ホスト" in response.get_data(as_text=True)
    auto = client.post(cafe.manage_url(suffix="/autosave"), json={"version": 1, "summary": "運営3"})
    assert auto.status_code == 409


def test_a_room_and_round_of_different_cafes_or_events_is_404(
    client: FlaskClient, logged_in: Organizer, cafe: NotesCafe
) -> None:
    other = make_notes_cafe(organizer=logged_in)
    mixed = f"/manage/events/{cafe.event.slug}/notes/{cafe.rounds[0].id}/{other.rooms[0].id}"
    assert client.get(mixed).status_code == 404
    foreign = f"/manage/events/{cafe.event.slug}/notes/{other.rounds[0].id}/{other.rooms[0].id}"
    assert client.get(foreign).status_code == 404


def test_overview_shows_every_room_and_round(client: FlaskClient, logged_in: Organizer, cafe: NotesCafe) -> None:
    client.post(cafe.url(host=0, round_number=1), data=note_data(action="submit", summary="Aの第1ラウンド"))
    client.post(cafe.url(host=1, round_number=2), data={**note_data(summary="Bの内部メモ"), "publishable": ""})
    response = client.get(f"/manage/events/{cafe.event.slug}/notes")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "テーブルA" in html and "テーブルB" in html and "Round 3" in html
    assert "2 of 6 notes written · 1 submitted" in html
    assert "Aの第1ラウンド" in html and "Bの内部メモ" in html and "Internal" in html
    assert html.count("Not written yet") == 4
    assert cafe.manage_url(room=1, round_number=2) in html


def test_overview_without_rooms_explains_what_to_do(client: FlaskClient, logged_in: Organizer) -> None:
    event = factories.make_event(organizer=logged_in)
    factories.make_cafe(event=event)
    html = client.get(f"/manage/events/{event.slug}/notes").get_data(as_text=True)
    assert "No rooms yet" in html


def test_rooms_with_notes_and_note_for(client: FlaskClient, cafe: NotesCafe) -> None:
    r1, r2, _ = cafe.rounds
    client.post(cafe.url(host=0, round_number=1), data=note_data(summary="書いた"))
    client.post(cafe.url(host=1, round_number=2), data=note_data(ideas="案"))
    client.post(cafe.url(host=1, round_number=1, suffix="/autosave"), json={"version": 0, "summary": "消す前"})
    client.post(
        cafe.url(host=1, round_number=1, suffix="/autosave"), json={"version": 1, "summary": ""}
    )  # emptied again
    assert queries.rooms_with_notes([r1.id, r2.id]) == {(r1.id, cafe.rooms[0].id), (r2.id, cafe.rooms[1].id)}
    assert queries.rooms_with_notes([]) == set()
    assert queries.note_for(r1.id, cafe.rooms[0].id).summary == "書いた"
    assert queries.note_for(r2.id, cafe.rooms[0].id) is None


def test_room_notes_partial_for_the_facilitator_page(app: Flask, client: FlaskClient, cafe: NotesCafe) -> None:
    host, room, rnd = cafe.hosts[0], cafe.rooms[0], cafe.rounds[0]
    with app.test_request_context():
        empty = render_template("notes/_room_notes.html", participant=host, round=rnd, room=room)
    assert "Not written yet" in empty and f"/p/{host.token}/notes/1" in empty and "Write the notes" in empty
    client.post(cafe.url(), data=note_data(action="submit", summary="要約です", publishable=""))
    db.session.expire_all()
    with app.test_request_context():
        html = render_template("notes/_room_notes.html", participant=host, round=rnd, room=room)
    assert "Submitted" in html and "Internal only" in html and "Last saved" in html and "要約です" in html


def test_markdown_filter_is_available_to_other_templates(app: Flask, db: object) -> None:
    with app.test_request_context():
        html = app.jinja_env.from_string("{{ text|markdown }}").render(text="**太字** <script>x</script>")
    assert "<strong>太字</strong>" in html and "<script>" not in html
