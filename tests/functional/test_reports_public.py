"""Readers' pages: the archive with search and filters, a report, old versions, images, exports and the API."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pypdf
import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.auth.models import Organizer
from app.extensions import db
from app.reports import services
from app.reports.models import Report
from tests import factories
from tests.factories_reports import Summit, make_summit
from tests.instants import AFTER_SUMMIT


def publish(summit: Summit, organizer: Organizer, **settings: object) -> Report:
    report = services.create_report(summit.event, organizer)
    services.update_settings(
        report,
        overview=str(settings.get("overview", "全国の公務員がつながった半日。")),
        summary=str(settings.get("summary", "まずは行動に移すことに意味がある。")),
        tags=list(settings.get("tags", ["オンライン", "ワールドカフェ"])),  # type: ignore[call-overload]
        show_names=bool(settings.get("show_names", False)),
    )
    with freeze_time(AFTER_SUMMIT):
        services.publish(report, organizer)
    return report


@pytest.fixture()
def published(db: object, organizer: Organizer) -> Summit:
    summit = make_summit(organizer=organizer, slug="network-summit")
    publish(summit, organizer)
    return summit


def test_report_page_shows_everything_in_order(client: FlaskClient, published: Summit) -> None:
    html = client.get("/reports/network-summit").get_data(as_text=True)
    for needle in (
        published.event.title,
        "オンライン市役所の事例紹介",
        "脇田 雅也",
        "リアルだからこその価値は？",
        "雑談の価値 R2-1",
        "「オンライン飲み会は飲んだ気にならない」",
        "<strong>詳細</strong>",
        "まずは行動に移す",
        'id="round-2"',
        "<svg",
    ):
        assert needle in html, needle
    assert html.index('id="round-1"') < html.index('id="round-2"') < html.index('id="summary"')
    assert 'lang="ja"' in html and "css/report.css" in html


def test_statistics_on_the_page_come_from_the_published_seats(client: FlaskClient, published: Summit) -> None:
    data = client.get("/api/v1/events/network-summit/report").get_json()
    stats = data["report"]["stats"]
    # 3 hosts + 12 guests attend (the cancelled person does not count).
    assert stats["participants"] == 15 and stats["rooms"] == 3 and stats["rounds"] == 3
    assert 0 < stats["avg_new_people"] <= 14
    assert stats["organisations"] == len({p.organization for p in published.people})


def test_archive_search_year_and_tag(client: FlaskClient, organizer: Organizer) -> None:
    first = make_summit(
        organizer=organizer, slug="summit-2026", title="つなぐサミット2026", people=4, rooms=2, rounds=2
    )
    publish(first, organizer, tags=["オンライン"], summary="雑談の大切さを確認した。")
    older = factories.make_event(
        organizer=organizer,
        slug="summit-2020",
        title="スピンオフ企画2020",
        starts_at=datetime(2020, 7, 25, 4, tzinfo=UTC),
        ends_at=datetime(2020, 7, 25, 9, tzinfo=UTC),
    )
    publish(
        Summit(older, None, None, None, [], []), organizer, tags=["ネットワーク活動"], overview="Zoom over 120 people"
    )  # type: ignore[arg-type]
    draft = make_summit(organizer=organizer, slug="draft-only", title="下書きのサミット", people=2, rooms=1, rounds=1)
    services.create_report(draft.event, organizer)

    def titles(query: str) -> list[str]:
        html = client.get("/reports" + query).get_data(as_text=True)
        return re.findall(r'<h2><a href="/reports/[^"]+">([^<]+)</a></h2>', html)

    assert titles("") == ["つなぐサミット2026", "スピンオフ企画2020"]  # newest first, no drafts
    assert titles("?q=雑談") == ["つなぐサミット2026"]  # found in the points and the summary
    assert titles("?q=zoom") == ["スピンオフ企画2020"]  # case-insensitive
    assert titles("?q=100%25") == []  # LIKE wildcards are literal
    assert titles("?year=2020") == ["スピンオフ企画2020"]
    assert titles("?tag=オンライン") == ["つなぐサミット2026"]
    assert titles("?tag=オン") == []  # tags match whole
    assert titles("?q=下書き") == []
    page = client.get("/reports").get_data(as_text=True)
    assert '<option value="2020"' in page and "ネットワーク活動" in page


def test_public_event_page_links_to_the_report_once_published(client: FlaskClient, organizer: Organizer) -> None:
    summit = make_summit(organizer=organizer, slug="linked", people=3, rooms=1, rounds=1)
    assert "/reports/linked" not in client.get("/events/linked").get_data(as_text=True)
    publish(summit, organizer)
    assert 'href="/reports/linked"' in client.get("/events/linked").get_data(as_text=True)
    assert 'href="/reports"' in client.get("/").get_data(as_text=True)  # the archive is in the nav


def test_unknown_and_unpublished_reports_are_404(client: FlaskClient, organizer: Organizer) -> None:
    summit = make_summit(organizer=organizer, slug="hidden", people=3, rooms=1, rounds=1)
    assert client.get("/reports/nothing").status_code == 404
    services.create_report(summit.event, organizer)
    for url in ("/reports/hidden", "/reports/hidden/v/1", "/reports/hidden/report.pdf", "/api/v1/events/hidden/report"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/events/hidden/report").get_json()["error"]["code"] == 404
    assert client.get("/reports/hidden/report.exe").status_code == 404


def test_images_only_when_in_a_published_version(client: FlaskClient, published: Summit) -> None:
    shown, private, internal = published.images
    response = client.get(f"/reports/network-summit/images/{shown.id}")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    for image in (private, internal):
        assert client.get(f"/reports/network-summit/images/{image.id}").status_code == 404
    other = make_summit(organizer=factories.make_organizer(), slug="other", people=2, rooms=1, rounds=1)
    publish(other, other.event.organizers[0])
    assert client.get(f"/reports/other/images/{shown.id}").status_code == 404  # not that report's image
    shown.publishable = False  # the facilitator withdrew it after publication
    db.session.commit()
    assert client.get(f"/reports/network-summit/images/{shown.id}").status_code == 404


def test_api_returns_the_latest_version(client: FlaskClient, published: Summit, organizer: Organizer) -> None:
    data = client.get("/api/v1/events/network-summit/report").get_json()
    assert data["version"] == 1 and data["event"]["slug"] == "network-summit"
    assert data["published_at"].startswith("2026-07-26T12:00:00+09:00")
    assert data["report"]["rounds"][1]["question"] == "リアルだからこその価値は？"
    assert data["downloads"]["pdf"].endswith("/reports/network-summit/v/1/report.pdf")
    report = db.session.get(Report, db.session.query(Report.id).scalar())
    services.update_settings(report, overview="改訂版", summary="", tags=[], show_names=False)
    services.publish(report, organizer)
    data = client.get("/api/v1/events/network-summit/report").get_json()
    assert data["version"] == 2 and data["report"]["overview"] == "改訂版"
    assert [v["number"] for v in data["versions"]] == [1, 2]


def test_markdown_export(client: FlaskClient, published: Summit) -> None:
    response = client.get("/reports/network-summit/report.md")
    assert response.status_code == 200 and response.mimetype == "text/markdown"
    assert 'filename="network-summit-report-v1.md"' in response.headers["Content-Disposition"]
    md = response.get_data(as_text=True)
    assert md.startswith(f"# {published.event.title}\n")
    assert "**リアルだからこその価値は？**" in md and "- 雑談の価値 R2-1" in md


def test_html_export_is_self_contained(client: FlaskClient, published: Summit) -> None:
    html = client.get("/reports/network-summit/v/1/report.html").get_data(as_text=True)
    assert "<style>" in html and ".report-room" in html
    assert "data:image/png;base64," in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert not re.search(r"""<link[^>]+stylesheet""", html)
    assert "url(http" not in html and "@import" not in html
    assert "雑談の価値 R2-1" in html
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        ET.fromstring(svg)


def test_pdf_export_has_japanese_text(client: FlaskClient, published: Summit) -> None:
    response = client.get("/reports/network-summit/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages)
    compact = re.sub(r"\s+", "", text)
    assert "リアルだからこその価値は？" in compact and "雑談の価値R2-1" in compact
    # Tagged for screen readers (PDF/UA-1): a structure tree, marked content, the document's language.
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"] and catalog["/Lang"] == "ja"
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout
        assert "全国自治体職員ネットワークサミット" in out.decode()
    again = client.get("/reports/network-summit/report.pdf")  # the cached copy
    assert again.data == response.data


def test_old_versions_stay_readable(client: FlaskClient, published: Summit, organizer: Organizer) -> None:
    report = db.session.query(Report).one()
    services.update_settings(report, overview="第2版の概要", summary="", tags=[], show_names=False)
    services.publish(report, organizer)
    old = client.get("/reports/network-summit/v/1").get_data(as_text=True)
    new = client.get("/reports/network-summit").get_data(as_text=True)
    assert "全国の公務員がつながった半日。" in old and "第2版の概要" not in old
    assert "第2版の概要" in new and 'href="/reports/network-summit/v/1"' in new
    assert "/reports/network-summit" in old and "report-old-version" in old
    md = client.get("/reports/network-summit/v/1/report.md").get_data(as_text=True)
    assert "全国の公務員がつながった半日。" in md
    assert json.loads(report.versions[0].data)["overview"] == "全国の公務員がつながった半日。"


def test_exports_name_their_charset_once(client: FlaskClient, published: Summit) -> None:
    for path in ("/reports/network-summit/report.md", "/reports/network-summit/report.html"):
        content_type = client.get(path).headers["Content-Type"]
        assert content_type.lower().count("charset") == 1, content_type
