"""Forms of the café pages (shape only; the services check the rest). Choices are filled in by the views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import Form, web_url
from app.participants.models import Participant
from app.templating import affiliation, person_name


def _int_or_none(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def people_choices(people: Iterable[Participant], empty: Any = None) -> list[tuple[Any, str]]:
    """Select options for people: "Name (organisation)"."""
    options: list[tuple[Any, str]] = [("", str(empty))] if empty is not None else []
    for person in people:
        org = affiliation(person)
        options.append((person.id, f"{person_name(person)}（{org}）" if org else person_name(person)))
    return options


class CreateRoomsForm(Form):
    count = IntegerField(_l("Number of rooms"), validators=[InputRequired(), NumberRange(min=1, max=200)])


class RoomForm(Form):
    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=80)])
    breakout_url = StringField(_l("Breakout link"), validators=[*web_url(), Length(max=500)])
    host = SelectField(_l("Host (facilitator)"), coerce=_int_or_none, validate_choice=False)


class KeepApartForm(Form):
    first = SelectField(_l("Person"), coerce=_int_or_none, validators=[InputRequired()], validate_choice=False)
    second = SelectField(_l("and"), coerce=_int_or_none, validators=[InputRequired()], validate_choice=False)


class GenerateForm(Form):
    seed = IntegerField(
        _l("Seed (optional)"),
        validators=[Optional(), NumberRange(min=0, max=2**31 - 1)],
        description=_l("The same seed gives the same plan. Leave empty for a new one."),
    )


class MoveForm(Form):
    round = SelectField(_l("Round"), coerce=int, validate_choice=False)
    person = SelectField(_l("Person"), coerce=_int_or_none, validators=[InputRequired()], validate_choice=False)
    room = SelectField(_l("To room"), coerce=_int_or_none, validators=[InputRequired()], validate_choice=False)


class SwapForm(Form):
    round = SelectField(_l("Round"), coerce=int, validate_choice=False)
    first = SelectField(_l("Person"), coerce=_int_or_none, validators=[InputRequired()], validate_choice=False)
    second = SelectField(_l("with"), coerce=_int_or_none, validators=[InputRequired()], validate_choice=False)


class PublishForm(Form):
    upto = SelectField(_l("Publish"), coerce=int, validate_choice=False)
    confirm = BooleanField(_l("Yes, change the published rounds"))


class ReplanForm(Form):
    from_round = SelectField(_l("Re-plan from round"), coerce=int, validate_choice=False)


class AbsentForm(Form):
    people = SelectMultipleField(_l("Who is missing?"), coerce=int, validate_choice=False)
