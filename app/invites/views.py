"""Calendar feeds, the organisers' invites page (preview, confirm, who got what) and the attendance answer."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app import outbox
from app.auth.guard import current_organizer
from app.db import utcnow
from app.events import queries as events
from app.events.models import Event, EventStatus
from app.extensions import csrf, db
from app.forms import ConfirmForm
from app.i18n import current_language
from app.invites import feeds, queries, rsvp, services
from app.invites import jobs as invite_jobs
from app.invites.feeds import Feed
from app.invites.forms import AttendanceForm, SendInvitesForm, new_request_key
from app.jobs import queue
from app.jobs.models import Job, JobState
from app.outbox.models import MessageStatus, OutboxMessage
from app.participants.models import Participant, Rsvp

bp = Blueprint("invites", __name__)

WORKER_HINT_AFTER = timedelta(seconds=20)


def _calendar_response(feed: Feed, filename: str, *, private: bool) -> Response:
    """A feed with validators: ETag and Last-Modified, and 304 when the client already has this version."""
    response = Response(feed.body, content_type="text/calendar; charset=utf-8; method=PUBLISH")
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.set_etag(feed.etag)
    if feed.last_modified is not None:
        response.last_modified = feed.last_modified
    response.headers["Cache-Control"] = "private, no-cache" if private else "public, max-age=300"
    if private:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.vary.add("Accept-Language")
    return response.make_conditional(request)


@bp.route("/events/<slug>/calendar.ics")
def public_ics(slug: str) -> Response:
    """The public programme as an iCalendar feed (download or webcal:// subscription)."""
    event = events.public_event_or_404(slug)
    feed = feeds.public_calendar(event, utcnow(), current_language())
    db.session.commit()  # the entries' SEQUENCE numbers the feed recorded
    return _calendar_response(feed, f"{event.slug}.ics", private=False)


def _holder_or_404(token: str) -> Participant:
    if not 20 <= len(token) <= 64:
        abort(404)
    person = db.session.scalar(select(Participant).where(Participant.token == token))
    if person is None:  # the token is the only key; drafts too, as invitations may go out before publishing
        abort(404)
    return person


@bp.route("/p/<token>/calendar.ics")
def personal_ics(token: str) -> Response:
    """A person's own calendar: an entry per café round with their room, host and link. The token is the only key."""
    person = _holder_or_404(token)
    feed = feeds.personal_calendar(person, utcnow())
    db.session.commit()  # the entries' SEQUENCE numbers the feed recorded
    return _calendar_response(feed, f"{person.event.slug}-my-schedule.ics", private=True)


# A personal link is a capability, not a session: the token in the URL is the credential, so a forged
# cross-site form would need the token itself. The rendered page is also shared by the holder's devices
# (page cache), so a per-session CSRF token cannot be embedded. Browsers' Sec-Fetch-Site refuses
# cross-site posts on top.
@csrf.exempt
@bp.post("/p/<token>/attendance")
def attendance(token: str) -> Response:
    """The holder answers whether they will attend; back to their page, where the answer shows."""
    person = _holder_or_404(token)
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        abort(403)
    form = AttendanceForm(meta={"csrf": False})
    if person.event.status == EventStatus.FINISHED:
        flash(_("The event is over: there is no attendance to answer any more."), "error")
    elif form.validate_on_submit():
        if rsvp.answer(person, Rsvp(form.answer.data), utcnow()):
            db.session.commit()
            _forget_personal_page(person.event_id)
        flash(_("Thank you — your answer is saved. You can change it here at any time."), "success")
    else:
        flash(_("Please choose one of the answers."), "error")
    return redirect(url_for("day.personal", token=person.token, _anchor="attendance"))


def _forget_personal_page(event_id: int) -> None:
    """The personal page keeps its holders for a second per process: show the new answer at once here."""
    from app.day import holders  # the day feature renders the page; invites only tells it to look again

    holders.forget(event_id)


# ---- the organiser's invites page ------------------------------------------------------------------


def _owned(slug: str) -> Event:
    return events.owned_event_or_404(slug, current_organizer())


@bp.get("/manage/events/<slug>/invites")
@login_required
def index(slug: str) -> str:
    """Who got what, answers and email states, one page at a time; the send form leads to a preview."""
    event = _owned(slug)
    page = request.args.get("page", 1, type=int) or 1
    view = queries.overview(
        event,
        search=request.args.get("q", "")[:100],
        state=request.args.get("state", "")[:20],
        answer=request.args.get("answer", "")[:10],
        page=page,
    )
    return render_template(
        "invites/index.html",
        event=event,
        view=view,
        form=SendInvitesForm(formdata=None),
        retry_form=ConfirmForm(),
        sending=_sending(event),
    )


@dataclass(frozen=True)
class Sending:
    """The latest background send as the page shows it."""

    job: Job
    progress: dict[str, Any]
    waiting_for_worker: bool  # queued for a while and never started: is the worker running?


def _sending(event: Event) -> Sending | None:
    job = invite_jobs.latest(event)
    if job is None:
        return None
    waiting = job.state == JobState.QUEUED and job.started_at is None and utcnow() - job.created_at > WORKER_HINT_AFTER
    return Sending(job, queue.as_json(job), waiting)


def _preview_person(event: Event, plan: services.Plan, wanted: int | None) -> Participant | None:
    """The person whose email the preview shows: the one asked for, else the first who would get one."""
    rows = plan.invite + plan.cancel
    if wanted is not None:
        person = db.session.get(Participant, wanted)
        if person is not None and person.event_id == event.id:
            return person
    return db.session.get(Participant, rows[0].person.id) if rows else None


@bp.get("/manage/events/<slug>/invites/preview")
@login_required
def preview(slug: str) -> str | Response:
    """Step 2 of sending: how many, exactly what one real person gets (email and calendar), then confirm."""
    event = _owned(slug)
    form = SendInvitesForm(request.args, meta={"csrf": False})
    if not form.validate():
        flash(_("Please choose who to send to."), "error")
        return redirect(url_for("invites.index", slug=event.slug))
    try:
        plan = services.plan(event, form.audience.data, form.participant_id.data)
    except services.InviteError as error:
        flash(str(error), "error")
        return redirect(url_for("invites.index", slug=event.slug))
    person = _preview_person(event, plan, request.args.get("person", type=int))
    composed = services.preview(event, person, utcnow()) if person is not None else None
    confirm = SendInvitesForm(formdata=None, audience=form.audience.data, participant_id=form.participant_id.data)
    confirm.expected.data = plan.total
    return render_template(
        "invites/preview.html",
        event=event,
        plan=plan,
        person=person,
        composed=composed,
        confirm=confirm,
        problems=services.problems(event),
        sample=[r.person for r in (plan.invite + plan.cancel)[:30]],
    )


@bp.get("/manage/events/<slug>/invites/preview/<int:participant_id>/email.html")
@login_required
def preview_html(slug: str, participant_id: int) -> Response:
    """The HTML part of one person's email as it would be sent, for the preview's frame (no scripts)."""
    event = _owned(slug)
    person = _participant_of(event, participant_id)
    composed = services.preview(event, person, utcnow())
    response = Response(composed.html, content_type="text/html; charset=utf-8")
    # Mail HTML needs its inline styles: exactly those are allowed (by hash), in a sandbox with no scripts,
    # framed only by our own preview page.
    response.headers["Content-Security-Policy"] = email_preview_policy(composed.html)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/manage/events/<slug>/invites/preview/<int:participant_id>.ics")
@login_required
def preview_ics(slug: str, participant_id: int) -> Response:
    """The calendar part of one person's email as it would be sent."""
    event = _owned(slug)
    person = _participant_of(event, participant_id)
    composed = services.preview(event, person, utcnow())
    return _calendar_response(Feed(composed.ics, None), f"invite-preview-{person.id}.ics", private=True)


def email_preview_policy(html: str) -> str:
    """The CSP of an email shown in the preview's frame: its own style attributes by hash, nothing else."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode() + "'"
        for css in sorted(set(_STYLE_ATTRIBUTE.findall(html)))
    )
    return (
        f"sandbox; default-src 'none'; style-src 'unsafe-hashes' {hashes}; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _participant_of(event: Event, participant_id: int) -> Participant:
    person = db.session.get(Participant, participant_id)
    if person is None or person.event_id != event.id:
        abort(404)
    return person


@bp.post("/manage/events/<slug>/invites/send")
@login_required
def send(slug: str) -> Response:
    """Step 3: queue what the preview showed. One person: at once. Everyone: one background job, keyed by the
    confirmation (a double click finds the same job), whose progress the invites page shows."""
    event = _owned(slug)
    form = SendInvitesForm()
    if not form.validate_on_submit():
        flash(_("Please choose who to send to."), "error")
        return redirect(url_for("invites.index", slug=event.slug))
    request_key = form.request_key.data or new_request_key()
    if form.audience.data != services.Audience.ONE:
        if found := services.problems(event):
            flash(" ".join(found), "error")
            return redirect(url_for("invites.index", slug=event.slug))
        _job, created = invite_jobs.start(event, current_organizer(), form.audience.data, request_key)
        db.session.commit()
        if created:
            flash(_("The invitations are being prepared in the background. This page shows how far it got."), "success")
        else:
            flash(_("These invitations were already queued; nothing was sent twice."), "info")
        return redirect(url_for("invites.index", slug=event.slug, _anchor="sending"))
    try:
        result = services.queue_invites(
            event,
            current_organizer(),
            form.audience.data,
            utcnow(),
            participant_id=form.participant_id.data,
            request_key=request_key,
        )
        db.session.commit()
    except services.InviteError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("invites.index", slug=event.slug))
    except IntegrityError:  # the same confirmation again (a double click): its email is already queued
        db.session.rollback()
        flash(_("These invitations were already queued; nothing was sent twice."), "info")
        return redirect(url_for("invites.index", slug=event.slug))
    flash(
        ngettext("%(num)s invitation queued.", "%(num)s invitations queued.", result.requests)
        + (" " + _("%(num)s cancellations queued.", num=result.cancels) if result.cancels else ""),
        "success",
    )
    return redirect(url_for("invites.index", slug=event.slug))


@bp.get("/manage/events/<slug>/invites/progress.json")
@login_required
def progress(slug: str) -> Response:
    """The latest send's state and progress and the email queue's counts, for the page's scripts (nothing private)."""
    event = _owned(slug)
    job = invite_jobs.latest(event)
    body = queue.as_json(job) if job is not None else None
    counts = outbox.status_counts(event.id)
    emails = {state.value: counts.get(("email", state.value), 0) for state in MessageStatus}
    response = jsonify({"job": body, "emails": emails})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/manage/events/<slug>/invites/<int:participant_id>.ics")
@login_required
def sent_ics(slug: str, participant_id: int) -> Response:
    """The calendar part of the last invitation queued for one person, as it was sent."""
    event = _owned(slug)
    person = _participant_of(event, participant_id)
    body = services.invitation_ics(event, person)
    if body is None:
        abort(404)
    return _calendar_response(Feed(body, None), f"invite-{person.id}.ics", private=True)


@bp.route("/manage/events/<slug>/outbox/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(slug: str, message_id: int) -> Response:
    """Put a failed or waiting email back in line."""
    event = _owned(slug)
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.event_id != event.id or message.kind != "email":
        abort(404)
    if ConfirmForm().validate_on_submit() and outbox.retry(message, utcnow()):
        db.session.commit()
        flash(_("The email will be sent again shortly."), "success")
    return redirect(url_for("invites.index", slug=event.slug))
