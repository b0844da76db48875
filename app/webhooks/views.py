"""The organisers' webhooks page: endpoints, a signed test call, and the delivery log with retry."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from app import outbox
from app.auth.guard import current_organizer
from app.db import utcnow
from app.events import queries
from app.events.models import Event
from app.extensions import db
from app.forms import ConfirmForm
from app.webhooks import hooks, services
from app.webhooks.forms import FORMATS, EndpointForm, FormatForm
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

bp = Blueprint("webhooks", __name__)
hooks.connect()


def _page(
    event: Event, form: EndpointForm, created: WebhookEndpoint | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "webhooks/index.html",
        event=event,
        form=form,
        endpoints=services.endpoints_of(event),
        deliveries=services.deliveries_of(event),
        created=created,
        button=ConfirmForm(),
        format_form=FormatForm(formdata=None),
        formats=dict(FORMATS),
    ), status


def _endpoint_or_404(event: Event, endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.event_id != event.id:
        abort(404)
    return endpoint


@bp.route("/manage/events/<slug>/webhooks", methods=["GET", "POST"])
@login_required
def index(slug: str) -> tuple[str, int]:
    """List endpoints and deliveries; register a new endpoint (its secret is shown once, on this answer)."""
    event = queries.owned_event_or_404(slug, current_organizer())
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            endpoint = services.add_endpoint(
                event, form.url.data or "", form.topics.data or [], form.secret.data or "", form.format.data or ""
            )
        except services.WebhookError as error:
            form.url.errors = [*form.url.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The endpoint was added. Copy its secret now: it will not be shown again."), "success")
            return _page(event, EndpointForm(formdata=None), created=endpoint)
    return _page(event, form, status=400 if form.errors else 200)


@bp.route("/manage/events/<slug>/webhooks/<int:endpoint_id>/delete", methods=["POST"])
@login_required
def delete(slug: str, endpoint_id: int) -> Response:
    """Remove a webhook endpoint after confirmation."""
    event = queries.owned_event_or_404(slug, current_organizer())
    endpoint = _endpoint_or_404(event, endpoint_id)
    if ConfirmForm().validate_on_submit():
        services.delete_endpoint(endpoint)
        db.session.commit()
        flash(_("The endpoint was removed."), "success")
    return redirect(url_for("webhooks.index", slug=event.slug))


@bp.route("/manage/events/<slug>/webhooks/<int:endpoint_id>/test", methods=["POST"])
@login_required
def test(slug: str, endpoint_id: int) -> Response:
    """Queue a signed `ping` to the endpoint."""
    event = queries.owned_event_or_404(slug, current_organizer())
    endpoint = _endpoint_or_404(event, endpoint_id)
    if ConfirmForm().validate_on_submit():
        hooks.send_test(endpoint)
        db.session.commit()
        flash(_("A test call was queued. It appears in the log below once sent."), "success")
    return redirect(url_for("webhooks.index", slug=event.slug))


@bp.route("/manage/events/<slug>/webhooks/<int:endpoint_id>/format", methods=["POST"])
@login_required
def change_format(slug: str, endpoint_id: int) -> Response:
    """Lay the endpoint's next calls out as plain JSON, a Slack message or a Teams card."""
    event = queries.owned_event_or_404(slug, current_organizer())
    endpoint = _endpoint_or_404(event, endpoint_id)
    form = FormatForm()
    if form.validate_on_submit():
        services.set_format(endpoint, form.format.data or "")
        db.session.commit()
        flash(_("The format was changed. Send a test call to see it."), "success")
    else:
        flash(_("Choose a format from the list."), "error")
    return redirect(url_for("webhooks.index", slug=event.slug))


@bp.route("/manage/events/<slug>/webhooks/deliveries/<int:delivery_id>/retry", methods=["POST"])
@login_required
def retry(slug: str, delivery_id: int) -> Response:
    """Put a failed or waiting delivery back in line now."""
    event = queries.owned_event_or_404(slug, current_organizer())
    found = db.session.get(WebhookDelivery, delivery_id)
    if found is None or found.endpoint.event_id != event.id:
        abort(404)
    if ConfirmForm().validate_on_submit() and outbox.retry(found.outbox, utcnow()):
        db.session.commit()
        flash(_("The delivery will be tried again shortly."), "success")
    return redirect(url_for("webhooks.index", slug=event.slug) + "#log")
