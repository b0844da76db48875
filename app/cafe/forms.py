"""Forms of the café pages (shape only; the services check the rest). Choices are filled in by the views."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.cafe.services import MAX_ROOMS
from app.forms import Form, new_request_key, web_url


def _int_or_none(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CreateRoomsForm(Form):
    count = IntegerField(_l("Number of rooms"), validators=[InputRequired(), NumberRange(min=1, max=MAX_ROOMS)])


class RoomForm(Form):
    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=80)])
    breakout_url = StringField(_l("Breakout link"), validators=[*web_url(), Length(max=500)])
    # Person pickers (app/participants/picker.py): text resolved to one person by the view.
    host = StringField(_l("Host (facilitator)"), validators=[Length(max=200)])


class KeepApartForm(Form):
    first = StringField(_l("Person"), validators=[InputRequired(), Length(max=200)])
    second = StringField(_l("and"), validators=[InputRequired(), Length(max=200)])


class GenerateForm(Form):
    seed = IntegerField(
        _l("Arrangement number (optional)"),
        validators=[Optional(), NumberRange(min=0, max=2**31 - 1)],
        description=_l("The same number makes the same plan again. Leave it empty for a new arrangement."),
    )
    # Made when the page is rendered: a double click of a large café's button finds the same background job.
    request_key = HiddenField(default=new_request_key, validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])


class MoveForm(Form):
    round = SelectField(_l("Round"), coerce=int, validate_choice=False)
    person = StringField(_l("Person"), validators=[InputRequired(), Length(max=200)])
    room = SelectField(_l("To room"), coerce=_int_or_none, validators=[InputRequired()], validate_choice=False)


class SwapForm(Form):
    round = SelectField(_l("Round"), coerce=int, validate_choice=False)
    first = StringField(_l("Person"), validators=[InputRequired(), Length(max=200)])
    second = StringField(_l("with"), validators=[InputRequired(), Length(max=200)])


class PublishForm(Form):
    upto = SelectField(_l("Publish"), coerce=int, validate_choice=False)
    confirm = BooleanField(_l("Yes, change the published rounds"))


class ReplanForm(Form):
    from_round = SelectField(_l("Re-plan from round"), coerce=int, validate_choice=False)
    request_key = HiddenField(default=new_request_key, validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])


class AbsentForm(Form):
    people = SelectMultipleField(_l("Who is missing?"), coerce=int, validate_choice=False)
