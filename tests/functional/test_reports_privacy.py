"""Privacy: nothing private in any public page, export or API response of a report built from private data."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from flask.testing import FlaskClient

from app.auth.models import Organizer
from app.domain.report import EMAIL
from app.reports import services
from tests.factories_reports import Summit, make_summit


def _public_texts(client: FlaskClient, summit: Summit) -> dict[str, str]:
    slug = summit.event.slug
    urls = [
        "/reports",
        "/reports?q=雑談",
        f"/reports?tag={summit.event.title}",
        f"/reports/{slug}",
        f"/reports/{slug}/v/1",
        f"/reports/{slug}/report.md",
        f"/reports/{slug}/report.html",
        f"/reports/{slug}/v/1/report.html",
        f"/api/v1/events/{slug}/report",
        f"/events/{slug}",
    ]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.get_data(as_text=True)
    pdf = client.get(f"/reports/{slug}/report.pdf").data
    texts["pdf"] = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return texts


def _assert_clean(texts: dict[str, str], summit: Summit) -> None:
    for where, text in texts.items():
        for secret in summit.private_strings:
            if secret == "@":
                assert not EMAIL.search(text), (where, EMAIL.search(text))
            else:
                assert secret not in text, (where, secret)
        assert not re.search(r"/[pf]/[A-Za-z0-9_-]{16,}", text), where


@pytest.mark.parametrize("show_names", [False, True])
def test_no_email_token_personal_link_or_internal_note_anywhere(
    client: FlaskClient, organizer: Organizer, show_names: bool
) -> None:
    summit = make_summit(organizer=organizer, slug="private-data")
    report = services.create_report(summit.event, organizer)
    guest = summit.people[-1]
    services.update_settings(
        report,
        overview=f"問い合わせ: {organizer.email} / {guest.email} / https://tsunagu.test/p/{guest.token}",
        summary=f"担当のトークン {summit.people[1].token}",
        tags=["オンライン"],
        show_names=show_names,
    )
    summit.talk.summary = f"講師への連絡は {guest.email}"
    services.publish(report, organizer)

    texts = _public_texts(client, summit)
    _assert_clean(texts, summit)
    page = texts[f"/reports/{summit.event.slug}"]
    assert "雑談の価値 R1-0" in page  # the harvest is there, only the private parts are gone
    assert "［非公開］" in page
    names = summit.participant_names
    host = f"{summit.people[0].family_name} {summit.people[0].given_name}"
    if show_names:
        assert all(name in page for name in names) and host in page
    else:
        for where, text in texts.items():
            if where.startswith("/events/"):
                continue  # the event page is not the report
            assert not any(name in text for name in names), where
            assert host not in text, where
        assert summit.people[-1].organization in page  # organisations only


def test_preview_is_as_clean_as_the_public_page(client: FlaskClient, logged_in: Organizer) -> None:
    summit = make_summit(organizer=logged_in, slug="preview-clean")
    client.post("/manage/events/preview-clean/report/create")
    html = client.get("/manage/events/preview-clean/report/preview").get_data(as_text=True)
    _assert_clean({"preview": html}, summit)
    assert "雑談の価値 R1-0" in html
