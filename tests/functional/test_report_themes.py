"""Themes across rooms: grouped on harvest, reviewed in the editor (with and without JavaScript), read first."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import Organizer
from app.extensions import db
from app.reports import services
from app.reports.models import Report, ReportTheme
from tests.factories_reports import INTERNAL, Summit, make_summit


@pytest.fixture()
def summit(db: object, logged_in: Organizer) -> Summit:
    return make_summit(organizer=logged_in, slug="network-summit")


def _report(summit: Summit, organizer: Organizer) -> Report:
    report = services.create_report(summit.event, organizer)
    db.session.expire_all()
    return db.session.scalar(select(Report).where(Report.id == report.id))  # type: ignore[return-value]


def _themes(report: Report, round_number: int) -> list[ReportTheme]:
    db.session.expire_all()
    return [t for t in db.session.scalars(select(ReportTheme)) if t.round.number == round_number]


def _members(theme: ReportTheme) -> list[str]:
    return [p.text for p in theme.points]


def _post(client: FlaskClient, summit: Summit, data: dict, *, fetch: bool = False):  # type: ignore[no-untyped-def]
    headers = {"X-Requested-With": "fetch"} if fetch else {}
    return client.post(f"/manage/events/{summit.event.slug}/report/themes", data=data, headers=headers)


def test_harvesting_groups_what_several_rooms_said(summit: Summit, logged_in: Organizer) -> None:
    report = _report(summit, logged_in)
    themes = _themes(report, 1)
    zatsudan = next(t for t in themes if any("雑談の価値" in text for text in _members(t)))
    assert {p.room.name for p in zatsudan.points} == {"ルーム1", "ルーム2"}  # ルーム3's note of round 1 is internal
    idea = next(t for t in themes if t.kind.value == "idea")
    assert all("中高生" in text for text in _members(idea))
    for theme in themes:  # an internal note's points never reach a theme
        assert all(INTERNAL not in text for text in _members(theme))
        assert all(p.note.publishable for p in theme.points)


def test_reader_meets_the_themes_before_any_room(client: FlaskClient, summit: Summit, logged_in: Organizer) -> None:
    report = _report(summit, logged_in)
    services.publish(report, logged_in)
    page = client.get("/reports/network-summit").get_data(as_text=True)
    round_2 = page[page.index('id="round-2"') : page.index('id="round-3"')]
    assert (
        round_2.index("What several rooms said")
        < round_2.index("Ideas for next steps")
        < round_2.index('class="report-room"')
    )
    assert re.search(r'class="theme-count">2 rooms<', round_2)
    assert 'href="#round-2-room-0"' in round_2 and 'id="round-2-room-0"' in round_2
    assert '<details class="rooms-fold"' in round_2  # rooms folded under the synthesis
    assert "「「" not in page and "「オンライン飲み会は飲んだ気にならない」" in page
    assert 'class="report-legend"' in page


def test_merge_hide_rename_split_and_take_out(client: FlaskClient, summit: Summit, logged_in: Organizer) -> None:
    report = _report(summit, logged_in)
    themes = _themes(report, 1)
    round_id = themes[0].round_id
    first, second = themes[0], themes[1]
    both = set(_members(first)) | set(_members(second))
    response = _post(client, summit, {"round": round_id, "theme": [first.id, second.id], "action": "merge"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#themes")
    merged = [t for t in _themes(report, 1) if set(_members(t)) == both]
    assert len(merged) == 1 and merged[0].accepted
    theme = merged[0]

    _post(client, summit, {"round": round_id, "one": f"{theme.id}:rename", f"title-{theme.id}": "雑談と若者の参加"})
    assert db.session.get(ReportTheme, theme.id).title == "雑談と若者の参加"
    points = sorted(p.id for p in db.session.get(ReportTheme, theme.id).points)
    _post(client, summit, {"round": round_id, "one": f"{theme.id}:split", f"point-{theme.id}": [points[0]]})
    assert len(db.session.get(ReportTheme, theme.id).points) == len(points) - 1
    _post(client, summit, {"round": round_id, "one": f"{points[1]}:out"})
    assert points[1] not in {p.id for p in db.session.get(ReportTheme, theme.id).points}

    _post(client, summit, {"round": round_id, "one": f"{theme.id}:hide"})
    assert db.session.get(ReportTheme, theme.id).hidden
    services.publish(db.session.get(Report, report.id), logged_in)
    page = client.get("/reports/network-summit").get_data(as_text=True)
    assert "雑談と若者の参加" not in page  # hidden themes are not published


def test_with_javascript_the_answer_is_the_themes_section_alone(
    client: FlaskClient, summit: Summit, logged_in: Organizer
) -> None:
    report = _report(summit, logged_in)
    theme = _themes(report, 1)[0]
    response = _post(client, summit, {"round": theme.round_id, "one": f"{theme.id}:hide"}, fetch=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "data-themes" in html and "flash-success" in html
    bad = _post(client, summit, {"round": theme.round_id, "theme": [theme.id], "action": "merge"}, fetch=True)
    assert bad.status_code == 400 and "Choose at least two themes" in bad.get_data(as_text=True)


def test_themes_of_another_organisers_event_are_out_of_reach(
    client: FlaskClient, summit: Summit, logged_in: Organizer
) -> None:
    other = make_summit(slug="other-summit")
    report = services.create_report(other.event, other.event.organizers[0])
    theme = report.themes[0]
    response = client.post(
        "/manage/events/other-summit/report/themes", data={"round": theme.round_id, "one": f"{theme.id}:hide"}
    )
    assert response.status_code == 404
    assert not db.session.get(ReportTheme, theme.id).hidden


def test_theme_titles_never_show_private_data_or_names(
    client: FlaskClient, summit: Summit, logged_in: Organizer
) -> None:
    report = _report(summit, logged_in)
    services.publish(report, logged_in)
    page = client.get("/reports/network-summit").get_data(as_text=True)
    for secret in summit.private_strings:
        assert secret not in page
    for host in ("司会0", "司会1", "司会2"):
        assert host not in page  # names only when the organiser chose to show them


def test_editor_shows_themes_with_points_folded_and_markdown_rendered(
    client: FlaskClient, summit: Summit, logged_in: Organizer
) -> None:
    _report(summit, logged_in)
    page = client.get(f"/manage/events/{summit.event.slug}/report").get_data(as_text=True)
    assert 'id="themes"' in page and '<details class="theme-points">' in page
    assert "<strong>詳細</strong>" in page  # free notes shown rendered, not as raw Markdown
    assert "report-themes.js" in page and "<script>" not in page


def test_names_in_the_rooms_words_show_only_when_the_organiser_chooses(
    client: FlaskClient, summit: Summit, logged_in: Organizer
) -> None:
    summit.notes[0].key_points += "\n- 参加者3 花子さんの話が印象的"
    summit.notes[1].key_points += "\n- 参加者3さんの話が印象的だった"
    db.session.commit()
    report = _report(summit, logged_in)
    services.publish(report, logged_in)
    page = client.get("/reports/network-summit").get_data(as_text=True)
    assert "参加者3" not in page and "［氏名］さんの話が印象的" in page
    services.update_settings(report, overview="", summary="", tags=[], show_names=True)
    services.publish(report, logged_in)
    assert "参加者3 花子さんの話が印象的" in client.get("/reports/network-summit").get_data(as_text=True)
