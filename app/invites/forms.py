"""Forms of the invites page and the attendance answer: shape checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.validators import DataRequired, InputRequired, Optional, Regexp

from app.forms import Form, new_request_key
from app.participants.models import Rsvp


class SendInvitesForm(Form):
    """Send to everyone, to those with changes, or to one person (preview first, then confirm)."""

    audience = RadioField(
        _l("Send to"),
        choices=[
            ("changed", _l("Everyone not invited yet or whose invitation changed")),
            ("all", _l("Everyone (again)")),
            ("one", _l("One person")),
        ],
        default="changed",
        validators=[DataRequired()],
    )
    participant_id = IntegerField(validators=[Optional()])
    expected = IntegerField(validators=[Optional()])  # the count the confirmation showed
    # Made when the confirmation is rendered: submitting it twice (a double click, back and resubmit)
    # queues nothing more (services.queue_invites derives each email's Message-ID from it).
    request_key = HiddenField(default=new_request_key, validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])


class AttendanceForm(Form):
    """The holder's answer: attend, can't attend, not sure."""

    answer = RadioField(
        _l("Will you attend?"),
        choices=[
            (Rsvp.YES.value, _l("I will attend")),
            (Rsvp.NO.value, _l("I can't attend")),
            (Rsvp.MAYBE.value, _l("Not sure yet")),
        ],
        validators=[InputRequired()],
    )
