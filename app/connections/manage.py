"""The organiser's page of connections: the network in numbers and pictures (never people), and the settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from app.auth.guard import current_organizer
from app.connections import network, queries, services
from app.connections.forms import SettingsForm
from app.db import utcnow
from app.events import queries as event_queries
from app.extensions import db

bp = Blueprint("connections_manage", __name__, url_prefix="/manage/events/<slug>/connections")


@bp.route("", methods=["GET", "POST"])
@login_required
def index(slug: str) -> Response | str:
    """The café's network: new cross-organisation connections, how many shared contacts, who met by group."""
    event = event_queries.owned_event_or_404(slug, current_organizer())
    settings = queries.settings_for(event.id)
    form = SettingsForm(obj=settings)
    if form.validate_on_submit():
        services.update_settings(
            event, talk_again=form.talk_again.data, in_report=form.in_report.data, actor=current_organizer()
        )
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("connections_manage.index", slug=event.slug))
    data, counts = network.live_section(event, utcnow())
    return render_template(
        "connections/manage.html",
        event=event,
        form=form,
        settings=settings,
        net=data,
        counts=counts,
        pictures=network.pictures(data),
    )
