"""Calendar files (public feed, personal calendar) and the organisers' invites page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.views import current_organizer
from app.db import utcnow
from app.events import queries
from app.extensions import db
from app.i18n import current_language
from app.invites import outbox, services
from app.invites.forms import RetryForm, SendInvitesForm
from app.invites.models import OutboxMessage
from app.participants.models import Participant

bp = Blueprint("invites", __name__)


def _calendar_response(body: bytes, method: str, filename: str) -> Response:
    response = Response(body, content_type=f"text/calendar; charset=utf-8; method={method}")
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/events/<slug>/calendar.ics")
def public_ics(slug: str) -> Response:
    """The public programme as an iCalendar feed (download or webcal:// subscription)."""
    event = queries.public_event_or_404(slug)
    feed = services.public_calendar(event, utcnow(), current_language())
    return _calendar_response(feed.body, feed.method, f"{event.slug}.ics")


@bp.route("/p/<token>/calendar.ics")
def personal_ics(token: str) -> Response:
    """A person's own calendar: their rooms, hosts and breakout links. The token is the only key."""
    person = db.session.scalar(select(Participant).where(Participant.token == token))
    if person is None:  # the token is the only key; drafts too, as invitations may go out before publishing
        abort(404)
    feed = services.personal_calendar(person, utcnow())
    return _calendar_response(feed.body, feed.method, f"{person.event.slug}-my-schedule.ics")


@bp.route("/manage/events/<slug>/invites", methods=["GET", "POST"])
@login_required
def index(slug: str) -> Response | str | tuple[str, int]:
    """Send or resend invitations; see who got what and when."""
    event = queries.owned_event_or_404(slug, current_organizer())
    form = SendInvitesForm()
    if form.validate_on_submit():
        try:
            result = services.queue_invites(
                event, current_organizer(), form.audience.data, utcnow(), participant_id=form.participant_id.data
            )
        except services.InviteError as error:
            flash(str(error), "error")
        else:
            flash(
                ngettext("%(num)s invitation queued.", "%(num)s invitations queued.", result.requests)
                + (" " + _("%(num)s cancellations queued.", num=result.cancels) if result.cancels else ""),
                "success",
            )
            return redirect(url_for("invites.index", slug=event.slug))
    elif request.method == "POST":
        flash(_("Please choose who to send to."), "error")
    rows = services.invite_rows(event)
    return render_template(
        "invites/index.html",
        event=event,
        form=form,
        rows=rows,
        counts=outbox.status_counts(event.id),
        retry_form=RetryForm(),
    )


@bp.route("/manage/events/<slug>/invites/<int:participant_id>.ics")
@login_required
def sent_ics(slug: str, participant_id: int) -> Response:
    """The calendar part of the last invitation queued for one person, as it was sent."""
    event = queries.owned_event_or_404(slug, current_organizer())
    person = db.session.get(Participant, participant_id)
    if person is None or person.event_id != event.id:
        abort(404)
    body = services.invitation_ics(event, person)
    if body is None:
        abort(404)
    return _calendar_response(body, "REQUEST" if b"METHOD:REQUEST" in body else "CANCEL", f"invite-{person.id}.ics")


@bp.route("/manage/events/<slug>/outbox/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(slug: str, message_id: int) -> Response:
    """Put a failed or waiting email back in line."""
    event = queries.owned_event_or_404(slug, current_organizer())
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.event_id != event.id or message.kind != "email":
        abort(404)
    if RetryForm().validate_on_submit() and outbox.retry(message, utcnow()):
        flash(_("The email will be sent again shortly."), "success")
    return redirect(url_for("invites.index", slug=event.slug))
