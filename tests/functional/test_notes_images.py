"""Pictures of notes: real type from the bytes, size limits, clear messages, access checks, delete."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from app.auth.models import Organizer
from app.extensions import db
from app.notes.models import NoteImage
from app.notes.storage import public_image_path
from tests import factories
from tests.factories_notes import NotesCafe, make_notes_cafe, png_bytes
from tests.functional.test_notes_edit import note_data, the_note


@pytest.fixture()
def cafe(organizer: Organizer) -> NotesCafe:
    return make_notes_cafe(organizer=organizer)


@pytest.fixture()
def uploads(app: Flask) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "notes"


@pytest.fixture()
def small_limit(app: Flask) -> Iterator[None]:
    app.config["NOTES_IMAGE_MAX_BYTES"] = 2048
    yield
    app.config.pop("NOTES_IMAGE_MAX_BYTES")


def upload(client: FlaskClient, url: str, data: bytes, name: str = "board.png", **fields: str) -> str:
    form = {"image": (io.BytesIO(data), name), "caption": "ホワイトボード", "publishable": "y", **fields}
    response = client.post(url, data=form, content_type="multipart/form-data", follow_redirects=True)
    return response.get_data(as_text=True)


def test_upload_stores_a_real_png_under_a_random_name(client: FlaskClient, cafe: NotesCafe, uploads: Path) -> None:
    html = upload(client, cafe.url(suffix="/images"), png_bytes(40, 30), name="../../etc/グラレコ.png")
    assert "The image was added" in html
    image = db.session.query(NoteImage).one()
    assert image.content_type == "image/png" and (image.width, image.height) == (40, 30)
    assert image.filename.endswith(".png") and len(image.filename) == 36 and "/" not in image.filename
    with Image.open(uploads / image.filename) as stored:
        assert stored.format == "PNG" and stored.size == (40, 30)
    assert image.note.version == 0  # a picture alone is not a text version: the form's version stays valid
    assert client.post(cafe.url(), data=note_data(0, summary="画像のあとに本文")).status_code == 302
    assert "ホワイトボード" in html and f"/p/{cafe.hosts[0].token}/notes/images/{image.id}" in html


def test_photo_metadata_such_as_gps_is_removed(client: FlaskClient, cafe: NotesCafe, uploads: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 22.0)}  # GPSInfo: a position in Tokyo
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(photo, "JPEG", exif=exif)
    assert b"Phone maker" in photo.getvalue()
    upload(client, cafe.url(suffix="/images"), photo.getvalue(), name="whiteboard.jpg")
    image = db.session.query(NoteImage).one()
    stored = (uploads / image.filename).read_bytes()
    assert b"Phone maker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as again:
        assert again.size == (64, 48) and not again.getexif()


def test_a_damaged_image_is_refused_clearly(client: FlaskClient, cafe: NotesCafe) -> None:
    broken = png_bytes(40, 30)[:40] + b"\x00" * 40  # right magic bytes, nonsense after them
    html = upload(client, cafe.url(suffix="/images"), broken)
    assert "could not be read" in html
    assert db.session.query(NoteImage).count() == 0


def test_the_host_and_organisers_can_see_it_nobody_else(client: FlaskClient, cafe: NotesCafe) -> None:
    upload(client, cafe.url(suffix="/images"), png_bytes())
    image = db.session.query(NoteImage).one()
    own = client.get(f"/p/{cafe.hosts[0].token}/notes/images/{image.id}")
    assert own.status_code == 200 and own.mimetype == "image/png"
    with Image.open(io.BytesIO(own.data)) as served:
        assert served.format == "PNG"
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in own.headers["Content-Security-Policy"]
    own.close()
    assert client.get(f"/p/{cafe.hosts[1].token}/notes/images/{image.id}").status_code == 404
    assert client.get(f"/p/{cafe.guest.token}/notes/images/{image.id}").status_code == 404
    assert client.get(f"/manage/events/{cafe.event.slug}/notes/images/{image.id}").status_code == 302  # login first
    client.post("/login", data={"email": "organiser@city.kobe.lg.jp", "password": factories.PASSWORD})
    organiser_view = client.get(f"/manage/events/{cafe.event.slug}/notes/images/{image.id}")
    assert organiser_view.status_code == 200
    organiser_view.close()
    other = make_notes_cafe(organizer=db.session.get(Organizer, cafe.event.organizers[0].id))
    assert client.get(f"/manage/events/{other.event.slug}/notes/images/{image.id}").status_code == 404


def test_html_disguised_as_png_is_refused(client: FlaskClient, cafe: NotesCafe, uploads: Path) -> None:
    before = set(uploads.glob("*")) if uploads.exists() else set()
    html = upload(client, cafe.url(suffix="/images"), b"<html><script>alert(1)</script></html>", name="photo.png")
    assert "not a PNG, JPEG, WebP or GIF image" in html
    assert db.session.query(NoteImage).count() == 0
    assert (set(uploads.glob("*")) if uploads.exists() else set()) == before


def test_svg_is_refused(client: FlaskClient, cafe: NotesCafe) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    assert "not a PNG, JPEG, WebP or GIF image" in upload(client, cafe.url(suffix="/images"), svg, name="x.svg")


def test_too_large_image_gets_a_clear_message(client: FlaskClient, cafe: NotesCafe, small_limit: None) -> None:
    html = upload(client, cafe.url(suffix="/images"), png_bytes() + b"\x00" * 4096)
    assert "The image is larger than" in html
    assert db.session.query(NoteImage).count() == 0


def test_request_over_the_server_limit_gets_a_friendly_413(app: Flask, client: FlaskClient, cafe: NotesCafe) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.post(
            cafe.url(suffix="/images"),
            data={"image": (io.BytesIO(png_bytes() + b"\x00" * 5000), "big.png")},
            content_type="multipart/form-data",
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    assert response.status_code == 413
    assert "Please choose a smaller image" in response.get_data(as_text=True)


def test_empty_file_and_no_file(client: FlaskClient, cafe: NotesCafe) -> None:
    assert "The file is empty" in upload(client, cafe.url(suffix="/images"), b"", name="empty.png")
    response = client.post(cafe.url(suffix="/images"), data={"caption": "x"}, follow_redirects=True)
    assert "Please choose an image" in response.get_data(as_text=True)
    assert db.session.query(NoteImage).count() == 0


def test_a_guest_cannot_upload(client: FlaskClient, cafe: NotesCafe) -> None:
    response = client.post(f"/p/{cafe.guest.token}/notes/1/images", data={"image": (io.BytesIO(png_bytes()), "a.png")})
    assert response.status_code == 403
    assert db.session.query(NoteImage).count() == 0


def test_caption_visibility_and_delete(client: FlaskClient, cafe: NotesCafe, uploads: Path) -> None:
    upload(client, cafe.url(suffix="/images"), png_bytes())
    image = db.session.query(NoteImage).one()
    path = uploads / image.filename
    assert public_image_path(image) == path

    client.post(cafe.url(suffix=f"/images/{image.id}"), data={"caption": "第1ラウンドの板書"})
    db.session.expire_all()
    assert image.caption == "第1ラウンドの板書" and image.publishable is False
    assert public_image_path(image) is None  # internal pictures never reach the public report

    # Another host cannot touch it through their own link.
    assert client.post(f"/p/{cafe.hosts[1].token}/notes/1/images/{image.id}/delete").status_code == 404
    assert path.exists()
    client.post(cafe.url(suffix=f"/images/{image.id}/delete"))
    assert db.session.query(NoteImage).count() == 0 and not path.exists()


def test_a_publishable_image_of_an_internal_note_is_not_public(client: FlaskClient, cafe: NotesCafe) -> None:
    upload(client, cafe.url(suffix="/images"), png_bytes())
    client.post(cafe.url(), data={**note_data(0, summary="内部"), "publishable": ""})
    image = db.session.query(NoteImage).one()
    db.session.expire_all()
    assert the_note(cafe).publishable is False and public_image_path(image) is None


def huge_png(width: int, height: int) -> bytes:
    """A real, valid greyscale PNG of width × height pixels that compresses to a small file."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + black pixels
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_an_image_with_too_many_pixels_is_refused_before_decoding(client: FlaskClient, cafe: NotesCafe) -> None:
    bomb = huge_png(10_000, 8_800)  # 88 megapixels in about 90 KB: under Pillow's own bomb threshold
    assert len(bomb) < 200_000
    html = upload(client, cafe.url(suffix="/images"), bomb)
    assert "The image has too many pixels (10000 × 8800)" in html and "at most 40 megapixels" in html
    assert db.session.query(NoteImage).count() == 0


def test_the_pixel_cap_counts_every_frame_of_an_animation(
    app: Flask, client: FlaskClient, cafe: NotesCafe, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "NOTES_IMAGE_MAX_PIXELS", 5_000)
    frames = [Image.new("RGB", (40, 30), (50 * n, 0, 0)) for n in range(5)]  # 1,200 pixels a frame, 6,000 in all
    animation = io.BytesIO()
    frames[0].save(animation, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    html = upload(client, cafe.url(suffix="/images"), animation.getvalue(), name="anim.gif")
    assert "too many pixels (40 × 30 × 5)" in html
    assert db.session.query(NoteImage).count() == 0


def test_gif_comments_and_xmp_are_removed_and_the_animation_kept(
    client: FlaskClient, cafe: NotesCafe, uploads: Path
) -> None:
    frames = [Image.new("RGB", (30, 20), (0, 90 * n, 0)) for n in range(3)]
    animation = io.BytesIO()
    frames[0].save(
        animation,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"GPS 35.68N 139.76E iPhone of Taro",
    )
    data = animation.getvalue()
    at = data.index(b"\x21\xff")  # before the first application block: an XMP packet as editors write it
    data = data[:at] + b"\x21\xff\x0bXMP DataXMP" + bytes([12]) + b"owner: Taro!" + b"\x00" + data[at:]
    upload(client, cafe.url(suffix="/images"), data, name="anim.gif")
    image = db.session.query(NoteImage).one()
    stored = (uploads / image.filename).read_bytes()
    assert b"GPS" not in stored and b"Taro" not in stored and b"XMP" not in stored
    with Image.open(io.BytesIO(stored)) as again:
        assert again.format == "GIF" and again.n_frames == 3 and again.size == (30, 20)
        durations = []
        for n in range(3):
            again.seek(n)
            durations.append(again.info["duration"])
        assert durations == [100, 200, 300]


def test_png_text_chunks_are_removed(client: FlaskClient, cafe: NotesCafe, uploads: Path) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Taro Yamada, city hall")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 35.68N</x:xmpmeta>")
    picture = io.BytesIO()
    Image.new("RGB", (20, 10), (1, 2, 3)).save(picture, "PNG", pnginfo=info)
    upload(client, cafe.url(suffix="/images"), picture.getvalue())
    stored = (uploads / db.session.query(NoteImage).one().filename).read_bytes()
    assert b"Taro" not in stored and b"GPS" not in stored and b"xmp" not in stored
