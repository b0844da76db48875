"""Forms of connections: what to share and with whom, a pick, a private note, "talk again", the settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length

from app.connections.services import NOTE_MAX, TEXT_MAX
from app.domain.connections import Audience
from app.forms import Form, VersionField


class CardForm(Form):
    """The holder's own contact card: what they share, and with whom. Nothing is shared until they choose."""

    share_email = BooleanField(_l("My email address"))
    text = StringField(
        _l("A short text"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("For example a phone extension, a chat handle or how to find you in Teams."),
    )
    audience = RadioField(
        _l("Share with"),
        choices=[
            (Audience.NOBODY.value, _l("Nobody (nothing is shared)")),
            (Audience.EVERYONE.value, _l("Everyone I met at a table")),
            (Audience.PICKED.value, _l("Only the people I pick below")),
        ],
        default=Audience.NOBODY.value,
    )
    version = VersionField()


class WithdrawForm(Form):
    """Stop sharing with anyone (the CSRF token is all it carries)."""


class PickForm(Form):
    """Share the holder's contact with one person they met, or stop."""

    share = HiddenField(validators=[AnyOf(["0", "1"])])


class NoteForm(Form):
    """The holder's private note on someone they met."""

    text = TextAreaField(_l("My private note"), validators=[Length(max=NOTE_MAX)])
    version = VersionField()


class TalkAgainForm(Form):
    """One click: I would like to talk again with this person (or not any more)."""

    wish = HiddenField(validators=[AnyOf(["0", "1"])])


class SettingsForm(Form):
    """The organiser's choices for the event's connections."""

    talk_again = BooleanField(
        _l("Offer “I'd like to talk again”"),
        description=_l("When two people both click it for each other, each gets one email. Off by default."),
    )
    in_report = BooleanField(
        _l("Show the network picture in the report"),
        description=_l("Counts and groups only, never people. Takes effect when the report is next published."),
    )
