"""Event pages: the public list and event page, and the organisers' event pages (the programme editor's
pages: app/events/programme_views.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, user_logged_in
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.auth.models import Organizer
from app.db import utcnow
from app.events import queries, services
from app.events.forms import (
    CoOrganizerForm,
    EventForm,
)
from app.events.models import EventStatus, ItemKind
from app.extensions import db
from app.forms import ConfirmForm, show_service_error
from app.templating import status_label


@user_logged_in.connect
def _join_events_on_login(_app: object, user: Organizer, **_extra: object) -> None:
    """At sign-in, the organiser joins the events that added their email (the login view commits)."""
    services.claim_organizer_invites(user)


bp = Blueprint("events", __name__)

Page = str | tuple[str, int] | Response


# ---- public -----------------------------------------------------------------------------------


@bp.route("/")
def index() -> str:
    """Published events: upcoming first, past after."""
    upcoming, past = queries.public_events(utcnow())
    return render_template("events/index.html", upcoming=upcoming, past=past)


@bp.route("/events/<slug>")
def show(slug: str) -> str:
    """The public event page with the programme in the event's time zone."""
    event = queries.public_event_or_404(slug)
    return render_template("events/show.html", event=event, now=utcnow())


# ---- organisers -------------------------------------------------------------------------------


def _event_data(form: EventForm) -> services.EventData:
    return services.EventData(
        title=form.title.data.strip(),
        description=form.description.data or "",
        timezone=form.timezone.data,
        starts_at=form.starts_at.aware(),  # type: ignore[arg-type]
        ends_at=form.ends_at.aware(),  # type: ignore[arg-type]
        meeting_url=(form.meeting_url.data or "").strip(),
        slug=(form.slug.data or "").strip(),
        meeting_url_public=bool(form.meeting_url_public.data),
    )


@bp.route("/manage/")
@login_required
def dashboard() -> str:
    """The organiser's events (first joining those that added their email since they signed in)."""
    if services.claim_organizer_invites(current_organizer()):
        db.session.commit()
    return render_template("events/dashboard.html", events=queries.organizer_events(current_organizer()))


@bp.route("/manage/events/new", methods=["GET", "POST"])
@login_required
def create() -> Page:
    """Create a draft event."""
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = services.create_event(current_organizer(), _event_data(form))
        except services.ProgrammeError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The event was created as a draft. Now add its programme."), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return render_template("events/form.html", form=form, event=None), 400 if form.errors else 200


@bp.route("/manage/events/<slug>")
@login_required
def manage(slug: str) -> str:
    """An event's overview for its organisers: details, status, programme."""
    event = queries.owned_event_or_404(slug, current_organizer())
    return render_template(
        "events/manage.html", event=event, confirm=ConfirmForm(), coorg=CoOrganizerForm(), kinds=ItemKind
    )


@bp.route("/manage/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Page:
    """Change an event's details (optimistic locking: a stale form is refused, nothing overwritten)."""
    event = queries.owned_event_or_404(slug, current_organizer())
    form = EventForm(obj=event if request.method == "GET" else None)
    if request.method == "GET":
        form.set_zone(event.timezone)
        form.starts_at.set_aware(event.starts_at)
        form.ends_at.set_aware(event.ends_at)
        form.version.data = event.version
    elif form.validate_on_submit():
        try:
            services.update_event(event, _event_data(form), form.version.data)
        except services.ConflictError:
            db.session.refresh(event)
            flash(
                _(
                    "Someone else changed this event while you were editing. Their version is shown beside yours; save again to keep yours."
                ),
                "error",
            )
            form.version.data = event.version
            return render_template("events/form.html", form=form, event=event, conflict=True), 409
        except services.ProgrammeError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return render_template("events/form.html", form=form, event=event), 400 if form.errors else 200


@bp.route("/manage/events/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete(slug: str) -> Page:
    """Ask for confirmation, then delete the event with everything in it."""
    event = queries.owned_event_or_404(slug, current_organizer())
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_event(event)
        db.session.commit()
        flash(_("The event was deleted."), "success")
        return redirect(url_for("events.dashboard"))
    return render_template("events/delete.html", event=event, form=form)


@bp.route("/manage/events/<slug>/status/<status>", methods=["POST"])
@login_required
def set_status(slug: str, status: str) -> Response:
    """Publish, unpublish or finish an event."""
    event = queries.owned_event_or_404(slug, current_organizer())
    if ConfirmForm().validate_on_submit() and status in EventStatus._value2member_map_:
        try:
            services.set_status(event, EventStatus(status))
            db.session.commit()
            flash(_("The event's status is now: %(status)s.", status=status_label(status)), "success")
        except services.ProgrammeError as error:
            flash(str(error), "error")
    return redirect(url_for("events.manage", slug=event.slug))


@bp.route("/manage/events/<slug>/organizers", methods=["POST"])
@login_required
def add_organizer(slug: str) -> Response:
    """Share an event with another organiser."""
    event = queries.owned_event_or_404(slug, current_organizer())
    form = CoOrganizerForm()
    if form.validate_on_submit():
        try:
            invite = services.add_organizer(event, form.email.data or "")
            db.session.commit()
            flash(
                _(
                    "%(email)s was added. They can open this event once they sign in with an organiser account "
                    "of this email (ask your administrator to create one if they have none).",
                    email=invite.email,
                ),
                "success",
            )
        except services.ProgrammeError as error:
            flash(str(error), "error")
    else:
        flash(_("Please give a valid email address."), "error")
    return redirect(url_for("events.manage", slug=event.slug) + "#organizers")


# The programme's pages (items, speakers, rounds) join this blueprint (imported last: they use `bp` above).
from app.events import programme_views  # noqa: E402, F401
