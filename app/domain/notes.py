"""Round notes, pure: three-way merge of two edits of a note, item lists, and image-type sniffing."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

TEXT_FIELDS = ("summary", "key_points", "ideas", "quotes", "body_md")


@dataclass(frozen=True)
class NoteContent:
    """What a facilitator writes: the text fields and whether the note may go into the public report."""

    summary: str = ""
    key_points: str = ""
    ideas: str = ""
    quotes: str = ""
    body_md: str = ""
    publishable: bool = True

    @classmethod
    def of(cls, obj: Any) -> NoteContent:
        """The content of anything with the same attribute names (a model, a revision, a form's data)."""
        texts: dict[str, Any] = {name: getattr(obj, name) or "" for name in TEXT_FIELDS}
        return cls(**texts, publishable=bool(obj.publishable))

    def normalised(self) -> NoteContent:
        """Line endings as \\n and no trailing blanks, so that a browser's \\r\\n is not a change."""
        texts: dict[str, Any] = {name: _normalise(getattr(self, name)) for name in TEXT_FIELDS}
        return replace(self, **texts)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in TEXT_FIELDS)


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip("\n")


class FieldState(StrEnum):
    SAME = "same"  # both sides hold the same value
    THEIRS = "theirs"  # only the saved version changed it: take theirs
    YOURS = "yours"  # only your edit changed it: keep yours
    CONFLICT = "conflict"  # both changed it differently: a person decides


@dataclass(frozen=True)
class Merge:
    """A proposed merge: per field what happened, and the content with every non-conflicting change taken."""

    states: dict[str, FieldState]
    proposal: NoteContent

    @property
    def conflicts(self) -> list[str]:
        return [name for name, state in self.states.items() if state == FieldState.CONFLICT]


LIST_FIELDS = ("key_points", "ideas", "quotes")  # one item per line


def both(name: str, theirs: str, yours: str) -> str:
    """Both texts of a field changed on both sides, kept: lists as theirs then your new lines, prose one after the other."""
    if name in LIST_FIELDS:
        seen = {line.strip() for line in theirs.split("\n") if line.strip()}
        extra = [line for line in yours.split("\n") if line.strip() and line.strip() not in seen]
        return "\n".join([theirs.rstrip("\n"), *extra]) if theirs.strip() else "\n".join(extra)
    if yours.strip() in theirs:
        return theirs
    if theirs.strip() in yours:
        return yours
    return f"{theirs.rstrip()}\n\n{yours.lstrip()}"


def merge(base: NoteContent, theirs: NoteContent, yours: NoteContent) -> Merge:
    """Three-way merge per field. A field changed on both sides proposes both texts, so no word is dropped
    unless the writer deletes it."""
    states: dict[str, FieldState] = {}
    values: dict[str, object] = {}
    for name in (*TEXT_FIELDS, "publishable"):
        b, t, y = getattr(base, name), getattr(theirs, name), getattr(yours, name)
        if t == y:
            states[name], values[name] = FieldState.SAME, t
        elif y == b:
            states[name], values[name] = FieldState.THEIRS, t
        elif t == b:
            states[name], values[name] = FieldState.YOURS, y
        else:
            states[name], values[name] = FieldState.CONFLICT, both(name, str(t), str(y))
    return Merge(states=states, proposal=NoteContent(**values))  # type: ignore[arg-type]


def changed_fields(before: NoteContent | None, after: NoteContent) -> list[str]:
    """Names of the fields that differ between two versions (all non-empty ones for the first version)."""
    if before is None:
        return [name for name in TEXT_FIELDS if getattr(after, name).strip()]
    names = [name for name in TEXT_FIELDS if getattr(before, name) != getattr(after, name)]
    if before.publishable != after.publishable:
        names.append("publishable")
    return names


_BULLET = re.compile(r"^\s*(?:[-*+・•●○◦‣]|\d+[.)．]|[（(]?\d+[)）])\s*")


def split_items(text: str) -> list[str]:
    """One item per non-empty line, with any bullet or number the writer typed taken off."""
    items = []
    for line in text.replace("\r\n", "\n").split("\n"):
        item = _BULLET.sub("", line, count=1).strip()
        if item:
            items.append(item)
    return items


# ---- images -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageType:
    content_type: str
    extension: str


PNG = ImageType("image/png", "png")
JPEG = ImageType("image/jpeg", "jpg")
GIF = ImageType("image/gif", "gif")
WEBP = ImageType("image/webp", "webp")


def sniff_image(head: bytes) -> ImageType | None:
    """The real type of an image from its first bytes (magic numbers), whatever the file is called."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def image_size(head: bytes, kind: ImageType) -> tuple[int, int] | None:
    """Width and height read from the header, when it is where the format puts it; None otherwise."""
    try:
        if kind == PNG and head[12:16] == b"IHDR":
            width, height = struct.unpack(">II", head[16:24])
            return width, height
        if kind == GIF:
            width, height = struct.unpack("<HH", head[6:10])
            return width, height
        if kind == WEBP and head[12:16] == b"VP8X":
            width = int.from_bytes(head[24:27], "little") + 1
            height = int.from_bytes(head[27:30], "little") + 1
            return width, height
        if kind == JPEG:
            return _jpeg_size(head)
    except (struct.error, IndexError):
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers up to the first start-of-frame."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None
