"""The webhook endpoint form: shape checks only (address safety is checked by the service)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, web_url

TOPICS = (
    ("rounds.published", _l("Rounds published (seating of café rounds)")),
    ("round.started", _l("Round started")),
    ("notes.submitted", _l("Notes submitted by a facilitator")),
    ("report.published", _l("Report published")),
)


class EndpointForm(Form):
    """A URL, the topics it wants and (optionally) a secret of the receiver's choosing."""

    url = StringField(
        _l("Endpoint URL"),
        validators=[
            DataRequired(),
            Length(max=500),
            *web_url(_l("Please give a full link, like https://hooks.slack.com/…")),
        ],
        description=_l("Slack and Teams incoming webhooks work as they are: the JSON has a “text” field."),
    )
    topics = SelectMultipleField(
        _l("Send when"),
        choices=TOPICS,
        validators=[DataRequired(_l("Choose at least one."))],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )
    secret = PasswordField(
        _l("Signing secret (optional)"),
        validators=[Optional(), Length(min=16, max=200)],
        description=_l("Leave empty to have one generated. It is shown once."),
    )
