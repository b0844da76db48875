"""Round notes pages: the note form (personal link of the room's host, or an organiser), autosave,
conflict merge, history, images, and the organisers' overview."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.domain.notes import NoteContent, changed_fields, merge, split_items
from app.events import queries as event_queries
from app.extensions import db
from app.forms import Form
from app.notes import queries, services, storage
from app.notes.forms import (
    FIELD_LABELS,
    ImageEditForm,
    ImageForm,
    NoteForm,
    RestoreForm,
    content_from_json,
    merged_content,
)
from app.notes.markdown import render_inline, render_markdown
from app.notes.models import NoteImage, RoundNote
from app.notes.scope import Scope, manage_scope, token_scope
from app.templating import local_datetime

bp = Blueprint("notes", __name__)

Page = str | tuple[str, int] | Response | tuple[Response, int]

bp.app_template_filter("markdown")(render_markdown)
bp.app_template_filter("markdown_inline")(render_inline)
bp.app_template_filter("note_items")(split_items)
bp.app_template_global("room_note")(queries.note_for)

TOKEN_BASE = "/p/<token>/notes/<int:round_number>"
MANAGE_BASE = "/manage/events/<slug>/notes/<int:round_id>/<int:room_id>"


def _route(suffix: str, methods: tuple[str, ...] = ("GET",)) -> Callable[[Callable[..., Page]], Callable[..., Page]]:
    """Register a note view twice: under the host's personal link and under the organiser's pages."""

    def decorator(view: Callable[..., Page]) -> Callable[..., Page]:
        name = view.__name__.lstrip("_")

        @functools.wraps(view)
        def by_token(token: str, round_number: int, **kwargs: Any) -> Page:
            return view(token_scope(token, round_number), **kwargs)

        @functools.wraps(view)
        def by_organizer(slug: str, round_id: int, room_id: int, **kwargs: Any) -> Page:
            return view(manage_scope(slug, round_id, room_id), **kwargs)

        bp.add_url_rule(TOKEN_BASE + suffix, name, by_token, methods=list(methods))
        bp.add_url_rule(MANAGE_BASE + suffix, f"manage_{name}", login_required(by_organizer), methods=list(methods))
        return view

    return decorator


def _page(template: str, scope: Scope, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, scope=scope, event=scope.event, labels=FIELD_LABELS, **context), status


def _note_form(note: RoundNote | None) -> NoteForm:
    form = NoteForm(obj=note, formdata=None) if note else NoteForm(formdata=None)
    form.version.data = note.version if note else 0
    return form


@_route("", ("GET", "POST"))
def _edit(scope: Scope) -> Page:
    """The note form. POST saves a draft, submits, or saves the merge chosen after a conflict."""
    note = queries.note_for(scope.round.id, scope.room.id)
    if request.method == "GET":
        return _edit_page(scope, note, _note_form(note))
    form = NoteForm()
    action = request.form.get("action", "save")
    if not form.validate_on_submit():
        return _edit_page(scope, note, form, status=400)
    base = form.version.data or 0
    content = form.content()
    if action == "merge":  # what the writer meant to do before the conflict (save, submit, draft) still holds
        content = merged_content(request.form, NoteContent.of(note) if note else NoteContent())
        action = request.form.get("then", "save")
    try:
        services.save_note(
            scope.round, scope.room, content, base, scope.actor, submit={"submit": True, "draft": False}.get(action)
        )
    except services.NoteConflict as conflict:
        return _conflict_page(scope, conflict.note, content, base, action)
    db.session.commit()
    messages = {"submit": _("Your note is submitted. Thank you!"), "draft": _("Saved as a draft.")}
    flash(messages.get(action, _("Saved.")), "success")
    return redirect(scope.url("edit"))


def _edit_page(
    scope: Scope, note: RoundNote | None, form: NoteForm, status: int = 200, **context: Any
) -> tuple[str, int]:
    return _page("notes/edit.html", scope, status, note=note, form=form, image_form=ImageForm(formdata=None), **context)


def _conflict_page(
    scope: Scope, note: RoundNote | None, yours: NoteContent, base_version: int, action: str = "save"
) -> tuple[str, int]:
    """409: the saved version (theirs) beside yours, field by field, with a proposed merge to edit and save."""
    base_revision = queries.revision_at(note, base_version)
    base = NoteContent.of(base_revision) if base_revision else NoteContent()
    theirs = NoteContent.of(note) if note else NoteContent()
    merged = merge(base, theirs, yours.normalised())
    form = NoteForm(formdata=None, obj=merged.proposal)
    form.version.data = note.version if note else 0
    then = action if action in ("save", "submit", "draft") else "save"
    conflict = {"merge": merged, "theirs": theirs, "yours": yours.normalised(), "note": note, "then": then}
    return _edit_page(scope, note, form, status=409, conflict=conflict)


@_route("/autosave", ("POST",))
def _autosave(scope: Scope) -> Page:
    """JSON: save a draft typed in the browser (CSRF token in the X-CSRFToken header)."""
    parsed = content_from_json(request.get_json(silent=True))
    if parsed is None:
        return jsonify(status="invalid", message=_("The note could not be read. Please reload the page.")), 400
    content, base = parsed
    try:
        note = services.save_note(scope.round, scope.room, content, base, scope.actor, autosave=True)
    except services.NoteConflict as conflict:
        version = conflict.note.version if conflict.note else 0
        message = _("Someone else saved this note. Your text is kept on this device.")
        return jsonify(status="conflict", version=version, message=message), 409
    db.session.commit()
    return jsonify(
        status="saved",
        version=note.version if note else 0,
        saved_at=note.updated_at.isoformat() if note else None,
        saved_label=local_datetime(note.updated_at, scope.event.timezone, "time") if note else "",
        preview=render_template("notes/_note_view.html", content=note, scope=scope, images=[]) if note else "",
    )


@_route("/history")
def _history(scope: Scope) -> Page:
    """Every saved version of the note, newest first, with who saved it and what changed."""
    note = queries.note_for(scope.round.id, scope.room.id)
    revisions = list(reversed(note.revisions)) if note else []
    changes = {}
    previous: NoteContent | None = None
    for revision in note.revisions if note else []:
        content = NoteContent.of(revision)
        changes[revision.version] = changed_fields(previous, content)
        previous = content
    restore = RestoreForm(formdata=None, version=note.version if note else 0)
    return _page("notes/history.html", scope, note=note, revisions=revisions, changes=changes, restore=restore)


@_route("/history/<int:version>")
def _revision(scope: Scope, version: int) -> Page:
    """One old version of the note, as it was saved."""
    note = queries.note_for(scope.round.id, scope.room.id)
    restore = RestoreForm(formdata=None, version=note.version if note else 0)
    return _page(
        "notes/revision.html", scope, note=note, revision=queries.revision_or_404(note, version), restore=restore
    )


@_route("/history/<int:version>/restore", ("POST",))
def _restore(scope: Scope, version: int) -> Page:
    """Save an old version again as the newest one (the versions in between stay in the history)."""
    form = RestoreForm()
    if not form.validate_on_submit():
        flash(_("The page was out of date. Please try again."), "error")
        return redirect(scope.url("history"))
    try:
        note = services.restore_revision(scope.round, scope.room, version, form.version.data or 0, scope.actor)
    except LookupError:
        abort(404)
    except services.NoteConflict:
        flash(_("Someone saved this note meanwhile. Check the newest version, then restore again if needed."), "error")
        return redirect(scope.url("history"))
    db.session.commit()
    flash(_("Version %(old)s was restored as version %(new)s.", old=version, new=note.version), "success")
    return redirect(scope.url("edit"))


@_route("/images", ("POST",))
def _upload(scope: Scope) -> Page:
    """Upload a graphic recording or whiteboard photo."""
    form = ImageForm()
    if form.validate_on_submit():
        try:
            services.add_image(
                scope.round, scope.room, form.image.data.stream, form.image.data.filename or "",
                form.caption.data or "", bool(form.publishable.data), scope.actor,
            )  # fmt: skip
        except storage.ImageError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The image was added."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(scope.url("edit") + "#images")


def _own_image(scope: Scope, image_id: int) -> NoteImage:
    note = queries.note_for(scope.round.id, scope.room.id)
    image = next((i for i in note.images if i.id == image_id), None) if note else None
    if image is None:
        abort(404)
    return image


@_route("/images/<int:image_id>", ("POST",))
def _image_update(scope: Scope, image_id: int) -> Page:
    """Change an image's caption or whether it may appear in the public report."""
    image = _own_image(scope, image_id)
    form = ImageEditForm()
    if form.validate_on_submit():
        services.update_image(image, form.caption.data or "", bool(form.publishable.data), scope.actor)
        db.session.commit()
        flash(_("The image was updated."), "success")
    else:
        flash(_("The caption is too long (300 characters at most)."), "error")
    return redirect(scope.url("edit") + "#images")


@_route("/images/<int:image_id>/delete", ("POST",))
def _image_delete(scope: Scope, image_id: int) -> Page:
    """Delete an image."""
    image = _own_image(scope, image_id)
    if Form().validate_on_submit():
        services.delete_image(image, scope.actor)
        db.session.commit()
        flash(_("The image was deleted."), "success")
    return redirect(scope.url("edit") + "#images")


@bp.route("/p/<token>/notes/images/<int:image_id>")
def image(token: str, image_id: int) -> Response:
    """An image of a note, for the host of its room."""
    person = queries.participant_by_token_or_404(token)
    return storage.image_response(queries.hosted_image_or_404(person, image_id))


@bp.route("/manage/events/<slug>/notes/images/<int:image_id>")
@login_required
def manage_image(slug: str, image_id: int) -> Response:
    """An image of a note, for the event's organisers."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    return storage.image_response(queries.event_image_or_404(event, image_id))


@bp.route("/manage/events/<slug>/notes")
@login_required
def overview(slug: str) -> str:
    """All notes of the event: rooms × rounds, with their state, then the notes themselves."""
    event = event_queries.owned_event_or_404(slug, current_organizer())

    def image_url(image: NoteImage) -> str:
        return url_for("notes.manage_image", slug=event.slug, image_id=image.id)

    cafes = queries.overview(event, request.args.get("page", 1, type=int), request.args.get("round", type=int))
    return render_template("notes/overview.html", event=event, cafes=cafes, image_url=image_url)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    message = _(
        "The upload is larger than %(mb)s MB. Please choose a smaller image.", mb=storage.max_bytes() // (1024 * 1024)
    )
    return render_template("errors/error.html", code=413, message=message), 413


@bp.after_request
def _private(response: Response) -> Response:
    """Personal-link pages hold a private token in their URL: keep them out of caches and referrers."""
    if request.path.startswith("/p/"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        if not (response.mimetype or "").startswith("image/"):
            response.headers["Cache-Control"] = "no-store"
    return response
