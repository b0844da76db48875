"""Forms of the invites page: shape checks only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.validators import DataRequired, Optional

from app.forms import Form


class SendInvitesForm(Form):
    """Send to everyone, to those with changes, or to one person."""

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


class RetryForm(Form):
    """A bare POST button (CSRF only)."""

    next = HiddenField()
