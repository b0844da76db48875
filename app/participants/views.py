"""Organiser pages for an event's people (list, edit, CSV import/export, registration settings)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.auth.guard import current_organizer
from app.domain import participant_import as pi
from app.events.models import Event
from app.events.queries import owned_event_or_404
from app.extensions import db
from app.forms import ConfirmForm, show_service_error
from app.i18n import safe_next
from app.jobs import queue as jobs
from app.pagination import page_arg, paginate
from app.participants import import_job, import_words, labels, picker, queries, services, uploads
from app.participants.forms import ImportUploadForm, ParticipantForm, RegistrationSettingsForm
from app.participants.models import Role, Status

bp = Blueprint("participants", __name__, url_prefix="/manage/events/<slug>/participants")
bp.add_app_template_global(labels.role_label, "participant_role_label")
bp.add_app_template_global(labels.status_label, "participant_status_label")

Page = str | tuple[str, int] | Response
PREVIEW_ROWS = 300
PER_PAGE = 100  # rows of the list: 2,000 people are 20 pages, each well under 1 MB


def _values(form: ParticipantForm) -> dict[str, str]:
    return {name: getattr(form, name).data or "" for name in services.EDITABLE}


@bp.route("")
@login_required
def index(slug: str) -> str:
    """The list, searchable and filtered by role and status, with head-counts."""
    event = owned_event_or_404(slug, current_organizer())
    text, role, status = (request.args.get(k, "").strip()[:100] for k in ("q", "role", "status"))
    people, pages = paginate(queries.search_query(event, text, role, status), PER_PAGE, page_arg())
    return render_template(
        "participants/index.html",
        event=event,
        people=people,
        pages=pages,
        counts=queries.counts(event),
        filters={"q": text, "role": role, "status": status},
        roles=list(Role),
        statuses=list(Status),
        seats_left=services.seats_left(event),
    )


@bp.app_template_global("person_attrs")
def person_attrs(event: Event, group: str = "everyone") -> dict[str, str]:
    """The attributes that make a text field a person picker (static/js/person-picker.js enhances it)."""
    return {
        "data_person_source": url_for("participants.people_json", slug=event.slug, group=group),
        "autocomplete": "off",
        "spellcheck": "false",
        "placeholder": _("Name, reading or email"),
    }


@bp.route("/people.json")
@login_required
def people_json(slug: str) -> Response:
    """The person picker's suggestions: a few people of a group matching ?q= (organisers of the event only)."""
    event = owned_event_or_404(slug, current_organizer())
    found, more = picker.options(event, request.args.get("q", ""), request.args.get("group", "everyone"))
    response = jsonify(people=found, more=more)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/new", methods=["GET", "POST"])
@login_required
def add(slug: str) -> Page:
    """Add one person by hand."""
    event = owned_event_or_404(slug, current_organizer())
    form = ParticipantForm()
    if form.validate_on_submit():
        try:
            person = services.add_participant(event, by=current_organizer(), **_values(form))
        except services.ParticipantError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was added.", name=person.family_name + " " + person.given_name), "success")
            return redirect(url_for("participants.index", slug=event.slug))
    return render_template("participants/form.html", event=event, form=form, person=None), 400 if form.errors else 200


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@login_required
def edit(slug: str, person_id: int) -> Page:
    """Edit a person; a stale form (someone else saved meanwhile) is refused and both versions shown."""
    event = owned_event_or_404(slug, current_organizer())
    person = queries.owned_participant_or_404(event, person_id)
    form = ParticipantForm(obj=person if request.method == "GET" else None)
    if request.method == "GET":
        form.role.data, form.status.data = person.role.value, person.status.value
    elif form.validate_on_submit():
        try:
            services.update_participant(person, form.version.data, by=current_organizer(), **_values(form))
        except services.ConflictError:
            db.session.refresh(person)
            flash(
                _(
                    "Someone else changed this person while you were editing. Their version is shown beside yours; save again to keep yours."
                ),
                "error",
            )
            form.version.data = person.version
            return render_template("participants/form.html", event=event, form=form, person=person, conflict=True), 409
        except services.ParticipantError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("participants.index", slug=event.slug))
    return render_template("participants/form.html", event=event, form=form, person=person), (
        400 if form.errors else 200
    )


@bp.route("/<int:person_id>/delete", methods=["GET", "POST"])
@login_required
def delete(slug: str, person_id: int) -> Page:
    """Ask, then remove a person from the event."""
    event = owned_event_or_404(slug, current_organizer())
    person = queries.owned_participant_or_404(event, person_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_participant(person, by=current_organizer())
        db.session.commit()
        flash(_("The person was removed from the event."), "success")
        return redirect(url_for("participants.index", slug=event.slug))
    return render_template("participants/delete.html", event=event, person=person, form=form)


@bp.route("/<int:person_id>/status/<status>", methods=["POST"])
@login_required
def set_status(slug: str, person_id: int, status: str) -> Response:
    """Quick status change from the list (e.g. mark cancelled)."""
    event = owned_event_or_404(slug, current_organizer())
    person = queries.owned_participant_or_404(event, person_id)
    if ConfirmForm().validate_on_submit() and status in Status._value2member_map_:
        services.set_status(person, status, by=current_organizer())
        db.session.commit()
        flash(_("%(name)s is now: %(status)s.", name=person.family_name, status=labels.status_label(status)), "success")
    back = safe_next(request.form.get("next"))
    list_url = url_for("participants.index", slug=event.slug)
    return redirect(back if back.startswith(list_url) else list_url)


@bp.route("/export.csv")
@login_required
def export(slug: str) -> Response:
    """Everyone as CSV (UTF-8 with BOM, for Excel), tokens left out."""
    event = owned_event_or_404(slug, current_organizer())
    body = pi.export_csv(services.export_rows(event))
    filename = f"participants-{event.slug}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.route("/registration", methods=["GET", "POST"])
@login_required
def registration(slug: str) -> Page:
    """The public registration form's settings: open, capacity, consent text, allowed domains."""
    event = owned_event_or_404(slug, current_organizer())
    form = RegistrationSettingsForm()
    if request.method == "GET":
        form.open.data, form.capacity.data = event.registration_open, event.registration_capacity
        form.consent.data, form.domains.data = event.registration_consent, event.registration_domains
        form.version.data = event.version
    elif form.validate_on_submit():
        settings = services.RegistrationSettings(
            form.open.data, form.capacity.data, form.consent.data or "", form.domains.data or ""
        )
        try:
            services.update_registration_settings(event, settings, form.version.data, by=current_organizer())
        except services.ConflictError:
            db.session.refresh(event)
            flash(_("Someone else changed these settings while you were editing. Check them and save again."), "error")
            form.version.data = event.version
            return render_template("participants/registration_settings.html", event=event, form=form), 409
        except services.ParticipantError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("participants.registration", slug=event.slug))
    return render_template("participants/registration_settings.html", event=event, form=form), (
        400 if form.errors else 200
    )


# ---- CSV import ---------------------------------------------------------------------------------


def _max_bytes() -> int:
    return int(current_app.config.get("PARTICIPANT_IMPORT_MAX_BYTES", 2 * 1024 * 1024))


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_upload(slug: str) -> Page:
    """Upload a CSV file; it is checked, kept server-side and shown in a preview."""
    event = owned_event_or_404(slug, current_organizer())
    form = ImportUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(_max_bytes() + 1)
        error = _upload_problem(form.file.data.filename or "", data)
        if error:
            form.file.errors = [*form.file.errors, error]
        else:
            key = uploads.store(current_app.config["UPLOAD_FOLDER"], event.id, data)
            return redirect(url_for("participants.import_preview", slug=event.slug, key=key))
    return render_template("participants/import.html", event=event, form=form, max_mb=_max_bytes() / 2**20), (
        400 if form.errors else 200
    )


def _upload_problem(filename: str, data: bytes) -> str | None:
    """Why an upload cannot be previewed (size, type, unreadable), in words; None when it can."""
    if len(data) > _max_bytes():
        return _("The file is too large (at most %(mb)s MB).", mb=f"{_max_bytes() / 2**20:g}")
    if not filename.lower().endswith((".csv", ".txt", ".tsv")):
        if filename.lower().endswith((".xlsx", ".xls")):
            return import_words.file_message(pi.ImportFileError(pi.FileProblem.EXCEL))
        return _("Please upload a .csv file.")
    try:
        pi.read_table(data)
    except pi.ImportFileError as error:
        return import_words.file_message(error)
    return None


@bp.route("/import/<key>", methods=["GET", "POST"])
@login_required
def import_preview(slug: str, key: str) -> Page:
    """Preview with column mapping; the organiser may change the mapping, then import all rows or none."""
    event = owned_event_or_404(slug, current_organizer())
    data = uploads.load(current_app.config["UPLOAD_FOLDER"], event.id, key)
    if data is None:
        flash(_("This upload is no longer available. Please upload the file again."), "error")
        return redirect(url_for("participants.import_upload", slug=event.slug))
    try:
        table = pi.read_table(data)  # checked at upload; read again, never trusted from the client
    except pi.ImportFileError as error:
        flash(import_words.file_message(error), "error")
        return redirect(url_for("participants.import_upload", slug=event.slug))
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        mapping = pi.clean_mapping(
            (request.form.get(f"map-{i}", "") for i in range(len(table.header))), len(table.header)
        )
    else:
        mapping = pi.guess_mapping(table.header)
    parsed, mapping_error = None, None
    try:
        parsed = pi.parse(table, mapping)
    except pi.ImportFileError as error:
        mapping_error = import_words.file_message(error)
    if request.form.get("action") == "apply" and form.validate_on_submit() and parsed is not None:
        if parsed.valid and len(parsed.rows) > import_job.background_rows():
            _job, created = import_job.start(event, key, list(mapping), current_organizer(), len(parsed.rows))
            db.session.commit()
            if not created:
                flash(_("This file is already being imported; nothing is imported twice."), "info")
            return redirect(url_for("participants.import_status", slug=event.slug, key=key))
        try:
            plan = services.import_participants(event, parsed, by=current_organizer())
        except services.ParticipantError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            uploads.discard(current_app.config["UPLOAD_FOLDER"], event.id, key)
            flash(_("Imported: %(new)s new, %(updated)s updated.", new=plan.new, updated=plan.updated), "success")
            return redirect(url_for("participants.index", slug=event.slug))
    return render_template(
        "participants/preview.html",
        event=event,
        form=form,
        key=key,
        table=table,
        mapping=mapping,
        parsed=parsed,
        mapping_error=mapping_error,
        plan=services.plan_import(event, parsed) if parsed else None,
        existing=set(queries.emails_of(event)) if parsed else set(),
        choices=import_words.field_choices(),
        cell_message=import_words.cell_message,
        preview_rows=PREVIEW_ROWS,
    ), (422 if request.form.get("action") == "apply" else 200)


@bp.route("/import/<key>/status")
@login_required
def import_status(slug: str, key: str) -> Page:
    """A large import running in the background: its progress, then its outcome."""
    event = owned_event_or_404(slug, current_organizer())
    job = import_job.find(event, key)
    if job is None:
        return redirect(url_for("participants.import_preview", slug=event.slug, key=key))
    return render_template(
        "participants/import_status.html", event=event, key=key, job=jobs.as_json(job), when=job.created_at
    )


@bp.route("/import/<key>/progress.json")
@login_required
def import_progress(slug: str, key: str) -> Response:
    """The import's state and progress for the status page's script."""
    event = owned_event_or_404(slug, current_organizer())
    job = import_job.find(event, key)
    response = jsonify({"job": jobs.as_json(job) if job is not None else None})
    response.headers["Cache-Control"] = "private, no-store"
    return response
