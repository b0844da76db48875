"""The public self-registration form of an event (no login)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for

from app.db import utcnow
from app.events.queries import public_event_or_404
from app.extensions import db
from app.forms import show_service_error
from app.participants import services
from app.participants.forms import RegistrationForm

bp = Blueprint("registration", __name__)

Page = str | tuple[str, int] | Response
FIELDS = (
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "email",
    "zoom_email",
    "organization",
    "prefecture",
    "department",
)


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
def register(slug: str) -> Page:
    """Register for a published event: consent, allowed domains and capacity are checked by the service."""
    event = public_event_or_404(slug)
    if not services.registration_available(event):
        return render_template("participants/register_closed.html", event=event), 200
    seats_left = services.seats_left(event)
    if seats_left == 0:
        return render_template("participants/register_closed.html", event=event, full=True), 200
    form = RegistrationForm(consent_required=bool(event.registration_consent), domains=event.registration_domains)
    if form.validate_on_submit() and form.website.data:
        # Only bots fill the hidden field: tell them it worked, keep nothing.
        return redirect(url_for("registration.done", slug=event.slug))
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name in FIELDS}
        try:
            services.register(event, consent=bool(form.consent.data), now=utcnow(), **values)
        except (services.RegistrationClosed, services.RegistrationFull) as error:
            flash(str(error), "error")
            return render_template("participants/register_closed.html", event=event, full=True), 409
        except services.ParticipantError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("registration.done", slug=event.slug))
    return render_template("participants/register.html", event=event, form=form, seats_left=seats_left), (
        400 if form.errors else 200
    )


@bp.route("/events/<slug>/register/done")
def done(slug: str) -> str:
    """Thanks: shows nothing about the person (the page is reachable by anyone)."""
    return render_template("participants/register_done.html", event=public_event_or_404(slug))
