"""Forms of round notes: the note itself, the merge after a conflict, and images. Shape checks only."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length

from app.domain.notes import TEXT_FIELDS, NoteContent
from app.forms import Form, VersionField

MAX_FIELD = 20_000
MAX_BODY = 100_000


class NoteForm(Form):
    """A facilitator's note of one room in one round."""

    summary = TextAreaField(
        _l("Summary"),
        validators=[Length(max=MAX_FIELD)],
        description=_l("Two or three sentences: what did this table talk about?"),
    )
    key_points = TextAreaField(
        _l("Key points"), validators=[Length(max=MAX_FIELD)], description=_l("One point per line.")
    )
    ideas = TextAreaField(
        _l("Ideas and proposals"), validators=[Length(max=MAX_FIELD)], description=_l("One idea per line.")
    )
    quotes = TextAreaField(
        _l("Notable quotes"),
        validators=[Length(max=MAX_FIELD)],
        description=_l("One per line, in the speaker's own words. No names needed."),
    )
    body_md = TextAreaField(
        _l("Free notes (Markdown)"),
        validators=[Length(max=MAX_BODY)],
        description=_l(
            "**bold**, - lists, [link](https://…). HTML and pictures in the text are not shown; upload pictures below."
        ),
    )
    publishable = BooleanField(_l("May appear in the public report"), default=True)
    version = VersionField()

    def content(self) -> NoteContent:
        return NoteContent(
            **{name: getattr(self, name).data or "" for name in TEXT_FIELDS}, publishable=bool(self.publishable.data)
        )


FIELD_LABELS = {
    "summary": _l("Summary"),
    "key_points": _l("Key points"),
    "ideas": _l("Ideas and proposals"),
    "quotes": _l("Notable quotes"),
    "body_md": _l("Free notes (Markdown)"),
    "publishable": _l("Public or internal"),
}


def merged_content(formdata: MultiDict[str, Any], theirs: NoteContent) -> NoteContent:
    """The content chosen on the merge form: per field theirs, yours (kept in a hidden input) or the edited text."""
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        choice = formdata.get(f"choice-{name}", "edited")
        if choice == "theirs":
            values[name] = getattr(theirs, name)
        elif choice == "yours":
            values[name] = formdata.get(f"yours-{name}", "")
        else:
            values[name] = formdata.get(name, "")
    values["publishable"] = bool(formdata.get("publishable"))
    return NoteContent(**values)


def content_from_json(data: object) -> tuple[NoteContent, int] | None:
    """The content and base version of an autosave request, or None if it is not the expected shape."""
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        return None
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = data.get(name, "")
        if not isinstance(value, str) or len(value) > (MAX_BODY if name == "body_md" else MAX_FIELD):
            return None
        values[name] = value
    values["publishable"] = bool(data.get("publishable", True))
    return NoteContent(**values), data["version"]


class RestoreForm(Form):
    """Restore an old version; `version` is the note's version the page showed (optimistic locking)."""

    version = VersionField()


class ImageForm(Form):
    """Upload a graphic recording or whiteboard photo. The type is checked from the file's bytes later."""

    image = FileField(_l("Image (PNG, JPEG, WebP or GIF)"), validators=[FileRequired(_l("Please choose an image."))])
    caption = StringField(
        _l("Caption"),
        validators=[Length(max=300)],
        description=_l("What does it show? Also read aloud by screen readers."),
    )
    publishable = BooleanField(_l("May appear in the public report"), default=True)


class ImageEditForm(Form):
    """Change an image's caption and visibility."""

    caption = StringField(_l("Caption"), validators=[Length(max=300)])
    publishable = BooleanField(_l("May appear in the public report"))
