"""The organisers' report editor: harvest, edit without touching notes, refresh, preview, publish, versions."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import Organizer
from app.events.models import ItemKind
from app.extensions import db
from app.notes.models import RoundNote
from app.reports.models import Report, ReportPoint, ReportState, ReportVersion
from app.signals import report_published
from tests import factories
from tests.factories_reports import INTERNAL, Summit, make_summit


def _base(summit: Summit) -> str:
    return f"/manage/events/{summit.event.slug}/report"


def _create(client: FlaskClient, summit: Summit) -> Report:
    response = client.post(_base(summit) + "/create")
    assert response.status_code == 302
    report = db.session.scalar(select(Report).where(Report.event_id == summit.event.id))
    assert report is not None
    return report


def _point(report: Report, contains: str) -> ReportPoint:
    return next(p for p in report.points if contains in p.text)


def test_start_page_then_draft_harvests_publishable_notes_only(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in)
    page = client.get(_base(summit))
    assert (
        page.status_code == 200
        and "Create the draft report" in page.get_data(as_text=True)
        or "下書き" in page.get_data(as_text=True)
    )
    report = _create(client, summit)
    texts = [p.text for p in report.points]
    assert any("雑談の価値 R2-0" in t for t in texts)
    assert not any(INTERNAL in t for t in texts)
    kinds = {p.kind for p in report.points}
    assert kinds == {"summary", "point", "idea", "quote", "note"}
    # publishable images only (the note of the last room is internal)
    assert [ri.image.caption for ri in report.images] == ["グラレコ 第1部"]
    assert report.state == ReportState.DRAFT
    editor = client.get(_base(summit)).get_data(as_text=True)
    assert "雑談の価値 R1-0" in editor and summit.talk.title in editor


def test_editing_a_point_changes_the_report_copy_not_the_note(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in)
    report = _create(client, summit)
    point = _point(report, "雑談の価値 R1-0")
    assert client.get(f"{_base(summit)}/points/{point.id}/edit").status_code == 200
    response = client.post(f"{_base(summit)}/points/{point.id}/edit", data={"text": "雑談の価値（編集済み）"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReportPoint, point.id).text == "雑談の価値（編集済み）"
    note = db.session.get(RoundNote, point.note_id)
    assert "雑談の価値 R1-0" in note.key_points
    # restore brings the harvested text back
    client.post(f"{_base(summit)}/points/{point.id}/restore")
    db.session.expire_all()
    assert db.session.get(ReportPoint, point.id).text == "雑談の価値 R1-0"


def test_empty_edit_is_refused_with_a_message(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in)
    point = _create(client, summit).points[0]
    response = client.post(f"{_base(summit)}/points/{point.id}/edit", data={"text": "  "})
    assert response.status_code == 400


def test_highlight_hide_and_reorder(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in)
    report = _create(client, summit)
    first, second = [p for p in report.points if p.round.number == 2 and p.room_id == summit.rooms[0].id][:2]
    client.post(f"{_base(summit)}/points/{second.id}/highlight")
    client.post(f"{_base(summit)}/points/{second.id}/up")
    client.post(f"{_base(summit)}/points/{first.id}/hide")
    assert client.post(f"{_base(summit)}/points/{first.id}/explode").status_code == 302
    db.session.expire_all()
    first, second = db.session.get(ReportPoint, first.id), db.session.get(ReportPoint, second.id)
    assert second.highlight and first.hidden and second.position < first.position
    html = client.get(_base(summit) + "/preview").get_data(as_text=True)
    assert first.text not in html.split('id="round-2"')[1].split('id="round-3"')[0]
    assert "report-highlights" in html and second.text in html


def test_item_summary_and_settings_are_saved(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in)
    _create(client, summit)
    response = client.post(
        f"{_base(summit)}/items/{summit.talk.id}", data={f"item{summit.talk.id}-summary": "**学び**の多い講演"}
    )
    assert response.status_code == 302
    assert summit.talk.summary == "**学び**の多い講演"
    response = client.post(
        _base(summit) + "/settings",
        data={"overview": "概要です", "summary": "まとめです", "tags": "オンライン、ワールドカフェ, オンライン"},
    )
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    assert report.tag_list == ["オンライン", "ワールドカフェ"] and not report.show_names
    html = client.get(_base(summit) + "/preview").get_data(as_text=True)
    assert "<strong>学び</strong>の多い講演" in html and "まとめです" in html
    # a break is not a talk: no summary form for it
    break_item = factories.make_item(event=summit.event, title="休憩", kind=ItemKind.BREAK)
    assert client.post(f"{_base(summit)}/items/{break_item.id}", data={}).status_code == 404


def test_refresh_shows_new_points_then_adds_them(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in)
    report = _create(client, summit)
    count = len(report.points)
    note = summit.notes[0]
    note.key_points += "\n- あとから追記した気づき"
    db.session.commit()
    page = client.get(_base(summit) + "/refresh").get_data(as_text=True)
    assert "あとから追記した気づき" in page
    assert "1" in page
    client.post(_base(summit) + "/refresh")
    db.session.expire_all()
    report = db.session.scalar(select(Report))
    assert len(report.points) == count + 1
    assert "あとから追記した気づき" not in client.get(_base(summit) + "/refresh").get_data(as_text=True)


def test_publish_versions_and_unpublish(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in)
    _create(client, summit)
    slug = summit.event.slug
    assert client.get(f"/reports/{slug}").status_code == 404  # a draft is not public
    received = []

    def listener(sender: object, **extra: object) -> None:
        received.append((sender, extra["version"].number))

    with report_published.connected_to(listener):
        client.post(_base(summit) + "/settings", data={"overview": "第一版の概要"})
        client.post(_base(summit) + "/publish")
        assert "第一版の概要" in client.get(f"/reports/{slug}").get_data(as_text=True)
        # publishing again with nothing changed does not make a version
        client.post(_base(summit) + "/publish")
        client.post(_base(summit) + "/settings", data={"overview": "第二版の概要"})
        assert "第一版の概要" in client.get(f"/reports/{slug}").get_data(as_text=True)  # edits stay private
        client.post(_base(summit) + "/publish")
    assert [n for _, n in received] == [1, 2] and received[0][0] is not None
    assert db.session.scalar(select(db.func.count(ReportVersion.id))) == 2
    latest = client.get(f"/reports/{slug}").get_data(as_text=True)
    assert "第二版の概要" in latest
    old = client.get(f"/reports/{slug}/v/1").get_data(as_text=True)
    assert "第一版の概要" in old and "earlier version" in old or "以前の版" in old
    assert client.get(f"/reports/{slug}/v/3").status_code == 404
    client.post(_base(summit) + "/unpublish")
    for url in (
        f"/reports/{slug}",
        f"/reports/{slug}/v/1",
        f"/reports/{slug}/report.md",
        f"/api/v1/events/{slug}/report",
    ):
        assert client.get(url).status_code == 404, url
    client.post(_base(summit) + "/publish")  # republishing the same content keeps version 2
    assert client.get(f"/reports/{slug}").status_code == 200
    assert db.session.scalar(select(db.func.count(ReportVersion.id))) == 2


def test_another_organiser_gets_404_everywhere(client: FlaskClient, logged_in: Organizer) -> None:
    other = factories.make_organizer(email="other@city.example.lg.jp")
    summit = make_summit(organizer=other)
    base = _base(summit)
    assert client.get(base).status_code == 404
    assert client.post(base + "/create").status_code == 404
    assert db.session.scalar(select(Report)) is None
    # even once the owner has a report
    db.session.add(Report(event=summit.event))
    db.session.commit()
    point_urls = [
        base + "/points/1/hide",
        base + "/publish",
        base + "/unpublish",
        base + "/refresh",
        base + "/settings",
    ]
    for url in [base, base + "/preview", base + "/refresh", base + "/points/1/edit", base + "/gallery/1/file"]:
        assert client.get(url).status_code == 404, url
    for url in point_urls:
        assert client.post(url).status_code == 404, url


def test_logged_out_visitors_are_sent_to_login(client: FlaskClient) -> None:
    summit = make_summit(organizer=factories.make_organizer())
    response = client.get(_base(summit))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_gallery_include_exclude_and_organiser_image(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in)
    _create(client, summit)
    image = summit.images[0]
    response = client.get(f"{_base(summit)}/gallery/{image.id}/file")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    response.close()
    client.post(f"{_base(summit)}/gallery/{image.id}/exclude")
    assert "グラレコ 第1部" not in client.get(_base(summit) + "/preview").get_data(as_text=True)
    client.post(f"{_base(summit)}/gallery/{image.id}/include")
    assert "グラレコ 第1部" in client.get(_base(summit) + "/preview").get_data(as_text=True)
    assert client.post(f"{_base(summit)}/gallery/{summit.images[1].id}/include").status_code == 404
