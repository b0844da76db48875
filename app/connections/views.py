"""Personal pages of connections: the people you met, your contact card, notes, "talk again", the vCard file."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Blueprint, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.connections import contacts, network, queries, services
from app.connections.forms import CardForm, NoteForm, PickForm, TalkAgainForm, WithdrawForm
from app.connections.models import ContactCard
from app.connections.services import ConnectionsError, StaleEdit
from app.db import utcnow
from app.domain.connections import Audience
from app.extensions import db
from app.participants.models import Participant

bp = Blueprint("connections", __name__)

# Seconds between the page's checks for contacts shared or withdrawn meanwhile.
POLL_SECONDS = 10


def _private(response: Response) -> Response:
    """Personal pages: never stored by proxies or browsers' caches, never indexed, no Referer with the token."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def organiser_looking(holder: Participant) -> bool:
    """An organiser of the event opened someone else's personal link: contacts and notes stay hidden from them."""
    if not current_user.is_authenticated or not holder.event.is_organized_by(current_user):
        return False
    return str(current_user.email).strip().lower() != holder.email.strip().lower()


def _card_form(card: ContactCard | None) -> CardForm:
    form = CardForm(formdata=None)
    if card is not None:
        form.share_email.data, form.text.data, form.audience.data = card.share_email, card.text, card.audience.value
    form.version.data = card.version if card else 0
    return form


def _render(
    holder: Participant,
    *,
    card_form: CardForm | None = None,
    note_forms: dict[int, NoteForm] | None = None,
    conflicts: dict[int, str] | None = None,
    status: int = 200,
) -> Response:
    page = queries.met_page(holder, utcnow())
    withheld = organiser_looking(holder)
    if withheld:
        page.shared_with_me, page.notes = {}, {}
    note_forms = dict(note_forms or {})
    for pid in page.people:
        if pid not in note_forms:
            note = page.notes.get(pid)
            form = NoteForm(formdata=None)
            form.text.data, form.version.data = (note.text, note.version) if note else ("", 0)
            note_forms[pid] = form
    body = render_template(
        "connections/people.html",
        event=holder.event,
        person=holder,
        page=page,
        card_form=card_form or _card_form(page.card),
        note_forms=note_forms,
        conflicts=conflicts or {},
        withheld=withheld,
        poll_seconds=POLL_SECONDS,
    )
    return _private(make_response(body, status))


def _back(holder: Participant, anchor: str = "") -> Response:
    return _private(redirect(url_for("connections.people", token=holder.token) + (f"#{anchor}" if anchor else "")))


def _refuse_organiser(holder: Participant) -> Response | None:
    if organiser_looking(holder):
        flash(_("Organisers cannot change what a participant shares."), "error")
        return _back(holder)
    return None


@bp.get("/p/<token>/people")
def people(token: str) -> Response:
    """Everyone the holder met, round by round, with what they share with the holder and the holder's notes."""
    return _render(queries.holder_or_404(token))


@bp.post("/p/<token>/people/card")
def save_card(token: str) -> Response:
    """Save what the holder shares and with whom."""
    holder = queries.holder_or_404(token)
    if (refused := _refuse_organiser(holder)) is not None:
        return refused
    form = CardForm()
    if not form.validate_on_submit():
        return _render(holder, card_form=form, status=400)
    data = services.CardData(
        Audience(form.audience.data), form.share_email.data, form.text.data or "", form.version.data or 0
    )
    try:
        card = services.save_card(holder, data)
    except StaleEdit as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(holder, "my-card")
    except ConnectionsError as error:
        db.session.rollback()
        field = getattr(form, error.field or "", None) or form.audience
        field.errors = [*field.errors, str(error)]
        return _render(holder, card_form=form, status=400)
    db.session.commit()
    flash(_sharing_message(card.audience), "success")
    return _back(holder, "my-card")


def _sharing_message(audience: Audience) -> str:
    if audience == Audience.EVERYONE:
        return _("Saved: everyone you met can now see what you share.")
    if audience == Audience.PICKED:
        return _("Saved: only the people you pick can see what you share.")
    return _("Saved: nothing is shared.")


@bp.post("/p/<token>/people/withdraw")
def withdraw(token: str) -> Response:
    """Stop sharing with anyone, at once."""
    holder = queries.holder_or_404(token)
    if (refused := _refuse_organiser(holder)) is not None:
        return refused
    if WithdrawForm().validate_on_submit():
        services.withdraw(holder)
        db.session.commit()
        flash(_("You no longer share your contact with anyone. It disappeared from every page at once."), "success")
    return _back(holder, "my-card")


def _person_action(token: str, person_id: int, form: Any, act: Any, anchor: str) -> Response:
    holder = queries.holder_or_404(token)
    if (refused := _refuse_organiser(holder)) is not None:
        return refused
    if not form.validate_on_submit():
        flash(_("The form expired; please send it again."), "error")
        return _back(holder, anchor)
    try:
        message = act(holder)
    except ConnectionsError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(holder, anchor)
    db.session.commit()
    if message:
        flash(message, "success")
    return _back(holder, anchor)


@bp.post("/p/<token>/people/<int:person_id>/share")
def share_with(token: str, person_id: int) -> Response:
    """Share (or stop sharing) the holder's contact with one person they met."""
    form = PickForm()

    def act(holder: Participant) -> str:
        share = form.share.data == "1"
        services.set_pick(holder, person_id, share, utcnow())
        return _("Shared with this person.") if share else _("No longer shared with this person.")

    return _person_action(token, person_id, form, act, f"person-{person_id}")


@bp.post("/p/<token>/people/<int:person_id>/talk-again")
def talk_again(token: str, person_id: int) -> Response:
    """One click: the holder would like to talk again with this person (or takes it back)."""
    form = TalkAgainForm()

    def act(holder: Participant) -> str:
        matched = services.set_talk_again(holder, person_id, form.wish.data == "1", utcnow())
        if matched:
            return _("You both would like to talk again! We sent each of you one email.")
        return ""

    return _person_action(token, person_id, form, act, f"person-{person_id}")


@bp.post("/p/<token>/people/<int:person_id>/note")
def save_note(token: str, person_id: int) -> Response:
    """Keep the holder's private note on someone they met; a note changed in another tab is never overwritten."""
    holder = queries.holder_or_404(token)
    if (refused := _refuse_organiser(holder)) is not None:
        return refused
    form = NoteForm()
    if not form.validate_on_submit():
        return _render(holder, note_forms={person_id: form}, status=400)
    try:
        services.save_note(holder, person_id, form.text.data or "", form.version.data or 0, utcnow())
    except StaleEdit as error:
        db.session.rollback()
        current = queries.note_of(holder, person_id)
        form.version.data = current.version if current else 0
        form.text.errors = [*form.text.errors, str(error)]
        conflicts = {person_id: current.text if current else ""}
        return _render(holder, note_forms={person_id: form}, conflicts=conflicts, status=409)
    except ConnectionsError as error:
        db.session.rollback()
        if error.field:
            form.text.errors = [*form.text.errors, str(error)]
            return _render(holder, note_forms={person_id: form}, status=400)
        flash(str(error), "error")
        return _back(holder)
    db.session.commit()
    flash(_("Your note was saved. Only you can see it."), "success")
    return _back(holder, f"person-{person_id}")


@bp.get("/p/<token>/people/contacts.vcf")
def vcard(token: str) -> Response:
    """The contacts shared with the holder as one vCard file (phones and Outlook import it)."""
    holder = queries.holder_or_404(token)
    entries = [] if organiser_looking(holder) else contacts.entries_for(holder, utcnow())
    response = make_response(contacts.vcard_text(entries))
    response.mimetype = "text/vcard"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{holder.event.slug}-contacts.vcf"'
    return _private(response)


@bp.get("/p/<token>/people/shared.json")
def shared_json(token: str) -> Response:
    """What is shared with the holder right now (the page checks it, so a withdrawal shows within seconds)."""
    holder = queries.holder_or_404(token)
    met = queries.met_ids(holder, utcnow())
    shared = {} if organiser_looking(holder) else queries.shared_with(holder, met)
    payload = {str(pid): {"email": c.email, "text": c.text} for pid, c in sorted(shared.items())}
    etag = hashlib.blake2b(json.dumps(payload, sort_keys=True).encode(), digest_size=12).hexdigest()
    unchanged = etag in request.if_none_match
    response = make_response("", 304) if unchanged else jsonify(shared=payload, poll=POLL_SECONDS)
    response.set_etag(etag)
    return _private(response)


@bp.app_template_global()
def people_met_link(state: Any) -> str | None:
    """The holder's "people you met" address once a round they sat in has started (from the page's state, no query).

    `state` is the personal page's state (app/day/queries.Personal): its seats, timetable, instant and live check.
    """
    rounds = state.programme.rounds
    for round_id in state.seats:
        rnd = rounds.get(round_id)
        if rnd is not None and rnd.has_started(state.at):  # the live timetable's "started" (app/domain/clock.py)
            return url_for("connections.people", token=state.participant.token)
    return None


@bp.app_template_global()
def network_pictures(data: dict[str, Any]) -> list[Any]:
    """The chord diagrams of a report version's network section, labelled in the reader's language."""
    return network.pictures(data)
