"""The archive finds speakers, summaries, questions, themes and room notes, in Japanese, with highlighted context."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.reports import search, services
from tests.factories_reports import Summit, make_summit


def _publish(summit: Summit, organizer: Organizer) -> None:
    report = services.create_report(summit.event, organizer)
    services.update_settings(
        report, overview="全国の公務員がつながった半日。", summary="", tags=["オンライン"], show_names=False
    )
    services.publish(report, organizer)


@pytest.fixture()
def summit(db: object, organizer: Organizer) -> Summit:
    summit = make_summit(organizer=organizer, slug="network-summit")
    summit.talk.summary = "人事異動でノウハウがゼロに戻らないよう、横のつながりで知見を継承する。"
    _publish(summit, organizer)
    return summit


def _results(client: FlaskClient, q: str) -> str:
    page = client.get("/reports", query_string={"q": q})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html.split('class="archive-list"', 1)[1] if 'class="archive-list"' in html else ""


def test_finds_the_keynote_speaker_and_a_panelist_by_name(client: FlaskClient, summit: Summit) -> None:
    for name, where in (("脇田", "Speaker"), ("高倉 真紀", "Speaker")):
        html = _results(client, name)
        assert "network-summit" in html and where in html
        assert f"<mark>{name.split()[0]}</mark>" in html


def test_japanese_words_inside_sentences_questions_themes_and_notes(client: FlaskClient, summit: Summit) -> None:
    assert "<mark>ノウハウ</mark>" in _results(client, "ノウハウ")  # a talk summary, mid-sentence
    assert "Question" in _results(client, "リアルだからこそ")
    html = _results(client, "雑談")
    assert "<mark>雑談</mark>" in html and ("Theme" in html or "Room notes" in html)
    assert _results(client, "雑談 中高生")  # several words: all of them
    assert not _results(client, "雑談 存在しない言葉")


def test_case_and_width_are_folded(client: FlaskClient, db: object, organizer: Organizer) -> None:
    other = make_summit(organizer=organizer, slug="zoom-summit", title="Zoomで語るサミット")
    _publish(other, organizer)
    assert "zoom-summit" in _results(client, "ＺＯＯＭ")
    assert "zoom-summit" in _results(client, "zoom")


def test_private_text_and_unpublished_reports_are_never_found(
    client: FlaskClient, summit: Summit, organizer: Organizer
) -> None:
    for secret in (summit.people[-1].email, summit.people[0].token[:20], "社外秘メモ"):
        assert not _results(client, secret)
    draft = make_summit(organizer=organizer, slug="draft-summit", title="下書きだけのサミット")
    services.create_report(draft.event, organizer)
    assert not _results(client, "下書きだけ")


def test_results_come_in_pages(client: FlaskClient, db: object, organizer: Organizer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    for i in range(5):
        _publish(make_summit(organizer=organizer, slug=f"s{i}", rooms=2, people=4, rounds=1), organizer)
    first = client.get("/reports", query_string={"q": "雑談"}).get_data(as_text=True)
    assert "5 reports found" in first and first.count('class="card archive-entry"') == 2
    last = client.get("/reports", query_string={"q": "雑談", "page": 3}).get_data(as_text=True)
    assert last.count('class="card archive-entry"') == 1
    assert client.get("/reports", query_string={"q": "雑談", "page": 99}).status_code == 200
