"""Notes never lose a word: a same-field conflict keeps both texts unless the writer deletes one; restore."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from flask.testing import FlaskClient

from tests.factories_notes import NotesCafe, make_notes_cafe
from tests.functional.test_notes_edit import note_data, the_note


@pytest.fixture()
def cafe(db: object) -> NotesCafe:
    return make_notes_cafe()


def _form_fields(page: str) -> dict[str, str]:
    """What a browser would post from the merge form as shown: hidden inputs, checked radios, textareas."""
    form = page[page.index("data-merge-form") :]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("radio", "checkbox") and "checked" not in tag:
            continue
        data[name.group(1)] = htmllib.unescape(value.group(1) if value else "")
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = htmllib.unescape(text.lstrip("\n"))
    return data


def test_two_tabs_editing_the_same_field_both_texts_survive_the_default_save(
    client: FlaskClient, cafe: NotesCafe
) -> None:
    client.post(cafe.url(), data=note_data(summary="最初の要約", key_points="移動コスト"))
    client.post(
        cafe.url(), data=note_data(1, summary="タブ1：雑談の価値が話題に", key_points="移動コスト\n若手の巻き込み")
    )
    response = client.post(
        cafe.url(), data=note_data(1, summary="タブ2：偶然の出会いが話題に", key_points="移動コスト\n名刺交換の意味")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    fields = _form_fields(page)
    assert "タブ1：雑談の価値が話題に" in fields["summary"] and "タブ2：偶然の出会いが話題に" in fields["summary"]
    assert fields["key_points"].split("\n") == ["移動コスト", "若手の巻き込み", "名刺交換の意味"]

    assert client.post(cafe.url(), data=fields).status_code == 302  # the big save button, nothing changed
    note = the_note(cafe)
    assert "タブ1：雑談の価値が話題に" in note.summary and "タブ2：偶然の出会いが話題に" in note.summary
    assert note.key_points == "移動コスト\n若手の巻き込み\n名刺交換の意味"


def test_the_writer_may_still_keep_only_one_side(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(), data=note_data(summary="元"))
    client.post(cafe.url(), data=note_data(1, summary="タブ1の要約"))
    page = client.post(cafe.url(), data=note_data(1, summary="タブ2の要約")).get_data(as_text=True)
    fields = _form_fields(page)
    fields["choice-summary"] = "theirs"
    client.post(cafe.url(), data=fields)
    assert the_note(cafe).summary == "タブ1の要約"


def test_any_history_version_can_be_restored_as_a_new_version(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(), data=note_data(summary="版1", ideas="中高生とコラボ"))
    client.post(cafe.url(), data=note_data(1, summary="版2"))
    client.post(cafe.url(), data=note_data(2, summary="版3"))
    history = client.get(cafe.url(suffix="/history")).get_data(as_text=True)
    assert "Restore this version" in history
    response = client.post(cafe.url(suffix="/history/1/restore"), data={"version": "3"})
    assert response.status_code == 302
    note = the_note(cafe)
    assert (note.version, note.summary, note.ideas) == (4, "版1", "中高生とコラボ")
    assert [r.summary for r in note.revisions] == ["版1", "版2", "版3", "版1"]  # nothing in between is lost


def test_restoring_from_a_stale_page_changes_nothing(client: FlaskClient, cafe: NotesCafe) -> None:
    client.post(cafe.url(), data=note_data(summary="版1"))
    client.post(cafe.url(), data=note_data(1, summary="版2"))
    response = client.post(cafe.url(suffix="/history/1/restore"), data={"version": "1"}, follow_redirects=True)
    assert "Someone saved this note meanwhile" in response.get_data(as_text=True)
    assert the_note(cafe).summary == "版2" and the_note(cafe).version == 2
    assert client.post(cafe.url(suffix="/history/9/restore"), data={"version": "2"}).status_code == 404
