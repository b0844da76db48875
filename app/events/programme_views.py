"""Organiser pages of an event's programme: its items, their speakers, a café's rounds.

The routes join the events blueprint of app/events/views.py, which imports this module once it is defined.
Each page calls a service that writes and commits once when it succeeded.
"""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.events import programme_changes, queries, services
from app.events.forms import ItemForm, RoundForm, ShiftForm, SpeakerForm
from app.events.models import Event, ItemKind, ProgrammeItem, Speaker
from app.events.views import Page, bp
from app.extensions import db
from app.forms import ConfirmForm, show_service_error


def _item_data(form: ItemForm) -> services.ItemData:
    return services.ItemData(
        kind=ItemKind(form.kind.data),
        title=form.title.data.strip(),
        description=form.description.data or "",
        starts_at=form.starts_at.aware(),  # type: ignore[arg-type]
        ends_at=form.ends_at.aware(),  # type: ignore[arg-type]
        room_size_min=form.room_size_min.data or 4,
        room_size_max=form.room_size_max.data or 6,
    )


def _form_page(template: str, form: FlaskForm, **context: object) -> tuple[str, int]:
    """A form's page (again): 400 when the form was refused, with what the organiser typed still in it."""
    return render_template(template, form=form, **context), 400 if form.errors else 200


def _programme_changed(event: Event, message: str) -> Response:
    """Commit the page's change (the service only wrote it), say so, and go back to the programme."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("events.manage", slug=event.slug) + "#programme")


def _saved(event: Event, item: ProgrammeItem, anchor: str = "") -> Response:
    """Commit the page's change (the service only wrote it), say so, and go back to the item's page."""
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("events.edit_item", slug=event.slug, item_id=item.id) + anchor)


@bp.route("/manage/events/<slug>/items/new", methods=["GET", "POST"])
@login_required
def add_item(slug: str) -> Page:
    """Add a programme item; it starts where the previous one ended."""
    event = queries.owned_event_or_404(slug, current_organizer())
    form = ItemForm()
    form.set_zone(event.timezone)
    if request.method == "GET":
        form.kind.data = request.args.get("kind", ItemKind.TALK.value)
        start = event.items[-1].ends_at if event.items else event.starts_at
        form.starts_at.set_aware(start)
        form.ends_at.set_aware(min(start + timedelta(minutes=30), event.ends_at))
    elif form.validate_on_submit():
        try:
            programme_changes.add_item(
                event,
                _item_data(form),
                round_count=form.round_count.data or 3,
                round_gap=timedelta(minutes=form.round_gap.data or 0),
            )
        except services.ProgrammeError as error:
            show_service_error(form, error)
        else:
            return _programme_changed(event, _("The item was added."))
    return _form_page("events/item_form.html", form, event=event, item=None)


@bp.route("/manage/events/<slug>/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit_item(slug: str, item_id: int) -> Page:
    """Edit an item, its speakers and (for a café) its rounds."""
    event = queries.owned_event_or_404(slug, current_organizer())
    item = queries.owned_item_or_404(event, item_id)
    form = ItemForm(obj=item if request.method == "GET" else None)
    form.set_zone(event.timezone)
    if request.method == "GET":
        form.starts_at.set_aware(item.starts_at)
        form.ends_at.set_aware(item.ends_at)
        form.kind.data = item.kind.value
    elif form.validate_on_submit():
        try:
            programme_changes.update_item(item, _item_data(form), move_following=form.move_following.data)
        except services.ProgrammeError as error:
            show_service_error(form, error)
        else:
            return _saved(event, item)
    return _form_page(
        "events/item_form.html", form, event=event, item=item, speaker_form=SpeakerForm(), confirm=ConfirmForm()
    )


@bp.route("/manage/events/<slug>/items/<int:item_id>/delete", methods=["POST"])
@login_required
def delete_item(slug: str, item_id: int) -> Response:
    """Remove a programme item after confirmation."""
    event = queries.owned_event_or_404(slug, current_organizer())
    item = queries.owned_item_or_404(event, item_id)
    if ConfirmForm().validate_on_submit():
        programme_changes.delete_item(item)
        db.session.commit()
        flash(_("The item was removed."), "success")
    return redirect(url_for("events.manage", slug=event.slug) + "#programme")


@bp.route("/manage/events/<slug>/items/<int:item_id>/move/<direction>", methods=["POST"])
@login_required
def move_item(slug: str, item_id: int, direction: str) -> Response:
    """Swap an item with its neighbour (earlier or later)."""
    event = queries.owned_event_or_404(slug, current_organizer())
    item = queries.owned_item_or_404(event, item_id)
    if ConfirmForm().validate_on_submit() and direction in ("up", "down"):
        try:
            programme_changes.swap_with_neighbour(item, -1 if direction == "up" else 1)
            db.session.commit()
        except services.ProgrammeError as error:
            flash(str(error), "error")
    return redirect(url_for("events.manage", slug=event.slug) + "#programme")


@bp.route("/manage/events/<slug>/items/<int:item_id>/shift", methods=["GET", "POST"])
@login_required
def shift_item(slug: str, item_id: int) -> Page:
    """Move an item to a new start time, optionally with every later item."""
    event = queries.owned_event_or_404(slug, current_organizer())
    item = queries.owned_item_or_404(event, item_id)
    form = ShiftForm()
    form.set_zone(event.timezone)
    if request.method == "GET":
        form.starts_at.set_aware(item.starts_at)
    elif form.validate_on_submit():
        try:
            programme_changes.shift_item(item, form.starts_at.aware(), move_following=form.move_following.data)  # type: ignore[arg-type]
        except services.ProgrammeError as error:
            show_service_error(form, error)
        else:
            return _programme_changed(event, _("The programme was updated."))
    return _form_page("events/shift.html", form, event=event, item=item)


@bp.route("/manage/events/<slug>/items/<int:item_id>/speakers", methods=["POST"])
@bp.route("/manage/events/<slug>/items/<int:item_id>/speakers/<int:speaker_id>", methods=["GET", "POST"])
@login_required
def save_speaker(slug: str, item_id: int, speaker_id: int | None = None) -> Page:
    """Add a speaker (POST to the list) or edit one."""
    event = queries.owned_event_or_404(slug, current_organizer())
    item = queries.owned_item_or_404(event, item_id)
    speaker: Speaker | None = None
    if speaker_id is not None:
        speaker = next((s for s in item.speakers if s.id == speaker_id), None)
        if speaker is None:
            return render_template("errors/error.html", code=404, message=_("This speaker does not exist.")), 404
    form = SpeakerForm(obj=speaker if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            programme_changes.save_speaker(
                item,
                speaker,
                **{
                    name: (getattr(form, name).data or "").strip()
                    for name in ("role", "family_name", "given_name", "organization", "department", "bio")
                },
            )
        except services.ProgrammeError as error:
            flash(str(error), "error")
        else:
            return _saved(event, item, "#speakers")
    return _form_page("events/speaker_form.html", form, event=event, item=item, speaker=speaker)


@bp.route("/manage/events/<slug>/items/<int:item_id>/speakers/<int:speaker_id>/delete", methods=["POST"])
@login_required
def delete_speaker(slug: str, item_id: int, speaker_id: int) -> Response:
    """Remove a speaker from a programme item after confirmation."""
    event = queries.owned_event_or_404(slug, current_organizer())
    item = queries.owned_item_or_404(event, item_id)
    speaker = next((s for s in item.speakers if s.id == speaker_id), None)
    if speaker is not None and ConfirmForm().validate_on_submit():
        programme_changes.delete_speaker(speaker)
        db.session.commit()
        flash(_("The speaker was removed."), "success")
    return redirect(url_for("events.edit_item", slug=event.slug, item_id=item.id) + "#speakers")


@bp.route("/manage/events/<slug>/items/<int:item_id>/rounds/<int:number>", methods=["GET", "POST"])
@login_required
def edit_round(slug: str, item_id: int, number: int) -> Page:
    """Edit a café round's question and time slot."""
    event = queries.owned_event_or_404(slug, current_organizer())
    item = queries.owned_item_or_404(event, item_id)
    round_ = next((r for r in item.rounds if r.number == number), None)
    if round_ is None:
        return render_template("errors/error.html", code=404, message=_("This round does not exist.")), 404
    form = RoundForm(obj=round_ if request.method == "GET" else None)
    form.set_zone(event.timezone)
    if request.method == "GET":
        form.starts_at.set_aware(round_.starts_at)
        form.ends_at.set_aware(round_.ends_at)
    elif form.validate_on_submit():
        try:
            programme_changes.update_round(
                round_,
                form.question.data.strip(),
                form.starts_at.aware(),  # type: ignore[arg-type]
                form.ends_at.aware(),  # type: ignore[arg-type]
            )
        except services.ProgrammeError as error:
            show_service_error(form, error)
        else:
            return _saved(event, item, "#rounds")
    return _form_page("events/round_form.html", form, event=event, item=item, round=round_)


@bp.route("/manage/events/<slug>/items/<int:item_id>/rounds/<action>", methods=["POST"])
@login_required
def change_rounds(slug: str, item_id: int, action: str) -> Response:
    """Add a round at the end of a café, or remove the last one."""
    event = queries.owned_event_or_404(slug, current_organizer())
    item = queries.owned_item_or_404(event, item_id)
    if ConfirmForm().validate_on_submit() and action in ("add", "remove-last"):
        try:
            if action == "add":
                programme_changes.add_round(item)
            else:
                programme_changes.delete_last_round(item)
            db.session.commit()
        except services.ProgrammeError as error:
            flash(str(error), "error")
    return redirect(url_for("events.edit_item", slug=event.slug, item_id=item.id) + "#rounds")
