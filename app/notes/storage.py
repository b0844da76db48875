"""Image files of notes on disk: checked on the way in (real type, size), served with safe headers."""

from __future__ import annotations

import io
import logging
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import Response, abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, ImageSequence

from app.domain.notes import image_size, sniff_image
from app.notes.models import NoteImage

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Decoding costs about 4 bytes a pixel (and a copy or two while cleaning): 40 megapixels covers a 48 MP
# phone photo's usual 12 MP output, an A3 scan at 400 dpi and long GIF animations, in a few hundred MB at most.
DEFAULT_MAX_PIXELS = 40_000_000
SUBFOLDER = "notes"


class ImageError(ValueError):
    """An upload we refuse, with a message for the person who sent it."""


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    width: int | None
    height: int | None


def max_bytes() -> int:
    """The largest note image accepted, in bytes (NOTES_IMAGE_MAX_BYTES)."""
    return int(current_app.config.get("NOTES_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    """The largest number of pixels (all frames together) an uploaded image may have."""
    return int(current_app.config.get("NOTES_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def folder() -> Path:
    """The folder holding note images under UPLOAD_FOLDER, created when missing."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / SUBFOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_image(stream: IO[bytes]) -> StoredFile:
    """Check an uploaded image and write it under a random name; raises ImageError with a clear message."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise ImageError(_l("The file is empty. Please choose the image again."))
    if len(data) > limit:
        raise ImageError(
            _l(
                "The image is larger than %(mb)s MB. Please make it smaller (for example, take a screenshot).",
                mb=limit // (1024 * 1024),
            )
        )
    kind = sniff_image(data[:32])
    if kind is None:
        raise ImageError(
            _l(
                "This file is not a PNG, JPEG, WebP or GIF image, whatever its name says. Please upload a photo or a picture."
            )
        )
    data = _without_metadata(data, kind.extension)
    width, height = image_size(data[:65536], kind) or (None, None)
    filename = f"{secrets.token_hex(16)}.{kind.extension}"
    (folder() / filename).write_bytes(data)
    log.info("stored note image %s (%s, %d bytes)", filename, kind.content_type, len(data))
    return StoredFile(filename, kind.content_type, len(data), width, height)


def _without_metadata(data: bytes, extension: str) -> bytes:
    """Decode the image fully (a damaged or hostile file is refused) and drop its metadata.

    Phone photos carry EXIF with the GPS position and the camera's owner; published graphic
    recordings must not. Every type is re-encoded from its pixels alone: JPEG (turned upright first),
    PNG and WebP without EXIF, XMP or text chunks; GIF frame by frame (the animation kept) without its
    comment, XMP or other application blocks. The size is checked from the header before anything is
    decoded (all frames of an animation count), so a small file cannot make the worker decode gigabytes.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                _check_pixels(probe)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                out = io.BytesIO()
                if extension == "gif":
                    _save_gif(image, out)
                    return out.getvalue()
                image.load()
                clean = ImageOps.exif_transpose(image)
                clean.info.clear()
                if extension == "jpg":
                    clean.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
                elif extension == "png":
                    clean.save(out, "PNG", optimize=True)
                else:
                    clean.save(out, "WEBP", quality=90)
                return out.getvalue()
    except ImageError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        log.info("refused a note image that does not decode: %s", error)
        raise ImageError(
            _l("This image could not be read. It may be damaged; please export it again and retry.")
        ) from None


def _check_pixels(image: Image.Image) -> None:
    """Refuse, from the header alone, an image whose frames hold more than max_pixels() pixels in all."""
    width, height = image.size
    frames = getattr(image, "n_frames", 1) if image.format == "GIF" else 1
    limit = max_pixels()
    if width * height * frames > limit:
        log.info("refused a note image of %dx%d pixels x %d frames", width, height, frames)
        raise ImageError(
            _l(
                "The image has too many pixels (%(width)d × %(height)d%(frames)s). Please make it smaller, at most "
                "%(megapixels)d megapixels in all (for example, save it at a lower resolution).",
                width=width,
                height=height,
                frames=f" × {frames}" if frames > 1 else "",
                megapixels=limit // 1_000_000,
            )
        )


def _save_gif(image: Image.Image, out: io.BytesIO) -> None:
    """The GIF's frames and timing only: comments and application blocks (XMP, …) are not written."""
    frames, durations, disposals = [], [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(int(frame.info.get("duration", 100)))
        disposals.append(int(getattr(frame, "disposal_method", 0) or 0))
        copy = frame.copy()
        copy.info = {k: v for k, v in frame.info.items() if k in ("transparency", "background")}
        frames.append(copy)
    options: dict[str, object] = {"comment": b""}
    if len(frames) > 1:
        options.update(
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            disposal=disposals,
            loop=int(image.info.get("loop", 0)),
        )
    frames[0].save(out, "GIF", **options)


def image_path(image: NoteImage) -> Path:
    """Where the file of an image lives. The stored name is ours (random hex), never the uploader's."""
    return folder() / Path(image.filename).name


def remove_file(filename: str) -> None:
    """Delete a stored note image; only the file name is used, so a path cannot escape the folder."""
    path = folder() / Path(filename).name
    path.unlink(missing_ok=True)
    log.info("removed note image file %s", filename)


def image_response(image: NoteImage) -> Response:
    """The image file with headers that stop browsers from treating it as anything else."""
    path = image_path(image)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=image.content_type, max_age=3600, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def public_image_path(image: NoteImage) -> Path | None:
    """The file of an image the public report may show (image and note publishable), else None.

    The report serves it from its own public route, e.g. `send_file(path, mimetype=image.content_type)`,
    or through `image_response(image)` once it has checked the event is public.
    """
    if not (image.publishable and image.note.publishable):
        return None
    path = image_path(image)
    return path if path.exists() else None
