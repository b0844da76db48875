"""The note form through a host's personal link: access, saving, submitting, conflicts, history, safety."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.notes import queries
from app.notes.models import RoundNote
from app.signals import notes_submitted
from tests.conftest import csrf_token_from
from tests.factories_notes import NotesCafe, make_notes_cafe


@pytest.fixture()
def cafe(db: object) -> NotesCafe:
    return make_notes_cafe()


def note_data(version: int = 0, action: str = "save", **fields: str) -> dict[str, str]:
    data = {"summary": "", "key_points": "", "ideas": "", "quotes": "", "body_md": "", "publishable": "y"}
    data.update(fields, version=str(version), action=action)
    return data


def the_note(cafe: NotesCafe, room: int = 0, round_number: int = 1) -> RoundNote | None:
    db.session.expire_all()
    return queries.note_for(cafe.rounds[round_number - 1].id, cafe.rooms[room].id)


@pytest.fixture()
def submitted() -> Iterator[list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    def receiver(sender: RoundNote, **extra: Any) -> None:
        received.append({"note_id": sender.id, **extra})

    notes_submitted.connect(receiver)
    yield received
    notes_submitted.disconnect(receiver)


# ---- access ---------------------------------------------------------------------------------------


def test_host_sees_the_form_for_their_room_and_round(client: FlaskClient, cafe: NotesCafe) -> None:
    response = client.get(cafe.url(round_number=2))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "テーブルA" in html and cafe.rounds[1].question in html
    assert 'name="summary"' in html and 'name="version" type="hidden" value="0"' in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "<script>" not in html  # only external scripts, no inline code


def test_unknown_token_gets_a_friendly_404(client: FlaskClient, cafe: NotesCafe) -> None:
    response = client.get("/p/not-a-real-token/notes/1")
    assert response.status_code == 404
    assert "personal link is not valid" in response.get_data(as_text=True)


def test_a_participant_who_hosts_no_room_cannot_write_notes(client: FlaskClient, cafe: NotesCafe) -> None:
    url = f"/p/{cafe.guest.token}/notes/1"
    assert client.get(url).status_code == 403
    response = client.post(url, data=note_data(summary="勝手に書く"))
    assert response.status_code == 403
    assert "Only the table host" in response.get_data(as_text=True)
    assert client.post(url + "/autosave", json={"version": 0, "summary": "x"}).status_code == 403
    assert db.session.query(RoundNote).count() == 0


def test_a_round_that_does_not_exist_is_404(client: FlaskClient, cafe: NotesCafe) -> None:
    assert client.get(cafe.url(round_number=9)).status_code == 404


def test_tokens_isolate_rooms(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(host=0), data=note_data(summary="Aの要約"))
    client.post(cafe.url(host=1), data=note_data(summary="Bの要約"))
    assert the_note(cafe, room=0).summary == "Aの要約"
    assert the_note(cafe, room=1).summary == "Bの要約"
    # Host A's pages only ever show room A: nothing of room B leaks through A's link.
    html = client.get(cafe.url(host=0)).get_data(as_text=True) + client.get(
        cafe.url(host=0, suffix="/history/1")
    ).get_data(as_text=True)
    assert "Bの要約" not in html and "テーブルB" not in html


def test_a_reissued_token_stops_working(client: FlaskClient, cafe: NotesCafe) -> None:
    old = cafe.url()
    cafe.hosts[0].token = "x" * 43
    db.session.commit()
    assert client.get(old).status_code == 404
    assert client.get(f"/p/{'x' * 43}/notes/1").status_code == 200


# ---- saving -------------------------------------------------------------------------------------


def test_save_draft_then_submit_then_back_to_draft(
    client: FlaskClient, cafe: NotesCafe, submitted: list[dict[str, Any]]
) -> None:
    response = client.post(cafe.url(), data=note_data(summary="移動コストが減った", key_points="気軽\r\n若手"))
    assert response.status_code == 302 and response.headers["Location"].endswith(cafe.url())
    note = the_note(cafe)
    assert (note.version, note.submitted, note.key_points) == (1, False, "気軽\n若手")
    assert note.updated_by_id == cafe.hosts[0].id
    assert submitted == []

    client.post(cafe.url(), data=note_data(1, "submit", summary="移動コストが減った", key_points="気軽\n若手"))
    note = the_note(cafe)
    assert note.submitted and note.submitted_at is not None and note.version == 2
    assert submitted == [{"note_id": note.id, "actor": submitted[0]["actor"]}]
    assert submitted[0]["actor"].participant_id == cafe.hosts[0].id

    # Submitting the same again changes nothing and sends nothing.
    client.post(cafe.url(), data=note_data(2, "submit", summary="移動コストが減った", key_points="気軽\n若手"))
    assert the_note(cafe).version == 2 and len(submitted) == 1

    client.post(cafe.url(), data=note_data(2, "draft", summary="移動コストが減った", key_points="気軽\n若手"))
    note = the_note(cafe)
    assert not note.submitted and note.submitted_at is None and note.version == 3
    assert [r.version for r in note.revisions] == [1, 2, 3]
    assert [r.submitted for r in note.revisions] == [False, True, False]


def test_publishable_checkbox(client: FlaskClient, cafe: NotesCafe) -> None:
    data = note_data(summary="内部だけ")
    del data["publishable"]
    client.post(cafe.url(), data=data)
    assert the_note(cafe).publishable is False
    assert "Internal only" in client.get(cafe.url()).get_data(as_text=True)


def test_too_long_text_is_refused_with_a_message(client: FlaskClient, cafe: NotesCafe) -> None:
    response = client.post(cafe.url(), data=note_data(summary="あ" * 20_001))
    assert response.status_code == 400
    assert "Please correct the marked fields" in response.get_data(as_text=True)
    assert the_note(cafe) is None


# ---- conflicts ----------------------------------------------------------------------------------


def test_two_saves_on_the_same_version_the_second_gets_the_conflict_view(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(), data=note_data(summary="最初の要約"))
    client.post(cafe.url(), data=note_data(1, summary="タブ1の要約", ideas="中高生とコラボ"))
    response = client.post(cafe.url(), data=note_data(1, summary="タブ2の要約", quotes="今だからこそ失敗できる"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this note" in html
    assert "タブ1の要約" in html and "タブ2の要約" in html  # theirs beside yours
    assert 'name="version" type="hidden" value="2"' in html  # the merge is saved on the new version
    assert 'name="choice-summary" value="edited" checked' in html  # changed on both sides: a person decides
    assert 'name="choice-ideas" value="theirs" checked' in html  # only theirs changed it
    assert 'name="choice-quotes" value="yours" checked' in html  # only yours changed it
    note = the_note(cafe)
    assert note.summary == "タブ1の要約" and note.version == 2  # never a silent overwrite

    merged = note_data(2, "merge", summary="タブ1とタブ2をまとめた要約", ideas="", quotes="")
    merged.update(
        {
            "choice-summary": "edited",
            "choice-ideas": "theirs",
            "choice-quotes": "yours",
            "yours-quotes": "今だからこそ失敗できる",
        }
    )
    response = client.post(cafe.url(), data=merged)
    assert response.status_code == 302
    note = the_note(cafe)
    assert (note.summary, note.ideas, note.quotes, note.version) == (
        "タブ1とタブ2をまとめた要約",
        "中高生とコラボ",
        "今だからこそ失敗できる",
        3,
    )
    assert [r.summary for r in note.revisions] == ["最初の要約", "タブ1の要約", "タブ1とタブ2をまとめた要約"]


def test_a_merge_based_on_an_outdated_version_conflicts_again(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(), data=note_data(summary="v1"))
    client.post(cafe.url(), data=note_data(1, summary="v2"))
    stale_merge = note_data(1, "merge", summary="merged")
    assert client.post(cafe.url(), data=stale_merge).status_code == 409
    assert the_note(cafe).summary == "v2"


def test_conflict_with_a_fresh_note_created_meanwhile(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(), data=note_data(summary="先に保存"))
    response = client.post(cafe.url(), data=note_data(0, summary="後から保存"))
    assert response.status_code == 409
    assert the_note(cafe).summary == "先に保存"


# ---- autosave -----------------------------------------------------------------------------------


def test_autosave_saves_drafts_and_refuses_stale_versions(client: FlaskClient, cafe: NotesCafe) -> None:
    url = cafe.url(suffix="/autosave")
    first = client.post(url, json={"version": 0, "summary": "自動保存1", "publishable": True})
    assert first.status_code == 200
    assert first.json["status"] == "saved" and first.json["version"] == 1
    assert re.fullmatch(r"\d\d:\d\d", first.json["saved_label"])
    assert "自動保存1" in first.json["preview"]

    same = client.post(url, json={"version": 1, "summary": "自動保存1", "publishable": True})
    assert same.json["version"] == 1  # nothing changed: no new revision

    stale = client.post(url, json={"version": 0, "summary": "別タブ", "publishable": True})
    assert stale.status_code == 409
    assert stale.json == {"status": "conflict", "version": 1, "message": stale.json["message"]}
    note = the_note(cafe)
    assert note.summary == "自動保存1" and len(note.revisions) == 1 and note.revisions[0].autosave
    assert not note.submitted


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"summary": "no version"},
        {"version": "1"},
        {"version": 0, "summary": 5},
        {"version": 0, "body_md": "x" * 100_001},
    ],
)
def test_autosave_rejects_malformed_requests(client: FlaskClient, cafe: NotesCafe, body: object) -> None:
    response = (
        client.post(cafe.url(suffix="/autosave"), json=body)
        if body is not None
        else client.post(cafe.url(suffix="/autosave"), data="{")
    )
    assert response.status_code == 400 and response.json["status"] == "invalid"
    assert the_note(cafe) is None


def test_autosave_needs_the_csrf_token_header(app: Flask, client: FlaskClient, cafe: NotesCafe) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = csrf_token_from(client.get(cafe.url()).get_data(as_text=True))
        url = cafe.url(suffix="/autosave")
        assert client.post(url, json={"version": 0, "summary": "x"}).status_code == 400
        ok = client.post(url, json={"version": 0, "summary": "x"}, headers={"X-CSRFToken": token})
        assert ok.status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# ---- history and rendering ----------------------------------------------------------------------


def test_history_lists_every_revision_and_shows_old_ones(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(), data=note_data(summary="第1版"))
    client.post(cafe.url(suffix="/autosave"), json={"version": 1, "summary": "第2版", "publishable": True})
    client.post(cafe.url(), data=note_data(2, "submit", summary="第3版"))
    html = client.get(cafe.url(suffix="/history")).get_data(as_text=True)
    assert html.count("<tr>") == 4  # header + three versions
    assert "v3" in html and "v1" in html and "納" in html and "auto" in html and "submitted" in html
    old = client.get(cafe.url(suffix="/history/1"))
    assert (
        old.status_code == 200 and "第1版" in old.get_data(as_text=True) and "第3版" not in old.get_data(as_text=True)
    )
    assert client.get(cafe.url(suffix="/history/9")).status_code == 404


def test_history_of_an_unwritten_note(client: FlaskClient, cafe: NotesCafe) -> None:
    response = client.get(cafe.url(suffix="/history"))
    assert response.status_code == 200 and "Nothing has been saved yet" in response.get_data(as_text=True)


def test_script_and_javascript_links_render_harmlessly(client: FlaskClient, cafe: NotesCafe) -> None:
    evil = "<script>alert('xss')</script>\n[押して](javascript:alert(1)) <img src=x onerror=alert(2)> [ok](https://example.jp)"
    client.post(
        cafe.url(), data=note_data(summary="<script>alert(3)</script>", quotes="<b onmouseover=alert(4)>", body_md=evil)
    )
    for url in (cafe.url(), cafe.url(suffix="/history/1")):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html
        assert 'href="javascript:' not in html
        assert '<a href="https://example.jp" rel="nofollow noopener noreferrer">ok</a>' in html
        assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html  # shown as text, not run


def test_note_items_render_one_per_line(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(), data=note_data(key_points="・五感\n- 雑談の価値\n\n名刺交換"))
    html = client.get(cafe.url()).get_data(as_text=True)
    assert "<li>五感</li>" in html and "<li>雑談の価値</li>" in html and "<li>名刺交換</li>" in html


def test_a_submit_that_conflicts_is_submitted_once_merged(
    client: FlaskClient, cafe: NotesCafe, submitted: list[dict[str, Any]]
) -> None:
    client.post(cafe.url(), data=note_data(summary="下書き"))
    client.post(cafe.url(), data=note_data(1, summary="別タブの版"))
    response = client.post(cafe.url(), data=note_data(1, "submit", summary="提出したい版"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and 'name="then" value="submit"' in html
    assert "Save and submit the merged note" in html and not submitted
    merged = note_data(2, "merge", summary="まとめた版")
    merged["then"] = "submit"
    client.post(cafe.url(), data=merged)
    note = the_note(cafe)
    assert note.submitted and note.summary == "まとめた版" and len(submitted) == 1


def test_the_note_page_shows_the_round_as_it_ran_by_the_live_timetable(client: FlaskClient, cafe: NotesCafe) -> None:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    rnd = cafe.rounds[0]
    rnd.live_starts_at = rnd.starts_at + timedelta(minutes=3)  # started by hand, then extended by 10 minutes
    rnd.live_ends_at = rnd.ends_at + timedelta(minutes=13)
    db.session.commit()
    html = client.get(cafe.url(), headers={"Accept-Language": "en"}).get_data(as_text=True)
    zone = ZoneInfo(cafe.event.timezone)
    ran = f"{rnd.live_starts_at.astimezone(zone):%H:%M}–{rnd.live_ends_at.astimezone(zone):%H:%M}"
    assert ran in html
    assert f"{rnd.starts_at.astimezone(zone):%H:%M}–" not in html
