"""The one email of connections: "you both want to talk again", built once and put in the durable outbox."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app import outbox
from app.invites import calendars, drafting
from app.invites.mailer import POLICY
from app.outbox.models import OutboxMessage
from app.participants.models import Participant
from app.templating import person_name


def people_url(person: Participant) -> str:
    """The absolute address of the person's "people you met" page (their personal link is the key)."""
    return calendars.external("connections.people", token=person.token)


def queue_match(to: Participant, other: Participant, now: datetime) -> OutboxMessage:
    """Tell `to` that they and `other` both want to talk again (no commit: it lands with the match)."""
    event = to.event
    with force_locale(drafting.person_language(to)):
        context = {"person": to, "other": other, "event": event, "people_url": people_url(to)}
        subject = _("%(name)s would also like to talk again", name=person_name(other))
        message = EmailMessage(policy=POLICY)
        message_id = outbox.new_message_id(calendars.uid_domain())
        message["Subject"] = subject
        message["From"] = Address(display_name=event.title[:60], addr_spec=current_app.config["MAIL_FROM"])
        message["To"] = Address(display_name=person_name(to), addr_spec=to.email)
        message["Date"] = format_datetime(now)
        message["Message-ID"] = f"<{message_id}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(render_template("email/talk_again.txt", **context), subtype="plain", charset="utf-8")
        message.add_alternative(render_template("email/talk_again.html", **context), subtype="html", charset="utf-8")
    return outbox.enqueue(
        kind="email",
        event_id=event.id,
        participant_id=to.id,
        recipient=to.email,
        subject=subject,
        payload=message.as_string(),
        message_id=message_id,
        now=now,
    )
