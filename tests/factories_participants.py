"""Helpers for participant tests: CSV files in the encodings people send, uploads through the test client."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_CP932 = DATA / "participants_cp932.csv"
HEADER = "氏名,ふりがな,メールアドレス,所属,都道府県,部署,役割"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8", bom: bool = False) -> bytes:
    """A CSV file with CRLF line ends, as a spreadsheet writes it."""
    data = "\r\n".join((header, *rows)).encode(encoding) + b"\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + data


def upload(client: FlaskClient, slug: str, data: bytes, filename: str = "participants.csv") -> TestResponse:
    """POST a file to the import page (not following the redirect to the preview)."""
    # Encoded in memory: werkzeug's test client would spool big bodies to a temp file it never closes.
    boundary, body = encode_multipart(MultiDict({"file": FileStorage(io.BytesIO(data), filename)}))
    return client.post(
        f"/manage/events/{slug}/participants/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def preview_url(response: TestResponse) -> str:
    """The preview page an upload redirected to."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    assert re.search(r"/participants/import/[A-Za-z0-9_-]{32,}$", location), location
    return location


def apply(client: FlaskClient, url: str, mapping: list[str] | None = None) -> TestResponse:
    """Confirm the import from the preview, optionally with a changed mapping."""
    data = {"action": "apply"}
    if mapping is not None:
        data |= {f"map-{i}": name for i, name in enumerate(mapping)}
    else:
        page = client.get(url).get_data(as_text=True)
        data |= dict(re.findall(r'name="(map-\d+)">.*?<option value="([a-z_]*)" selected>', page, re.S))
    return client.post(url, data=data)
