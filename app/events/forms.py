"""Forms for events, programme items, speakers and café rounds (shape only; services check the rest)."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from app.events.models import ItemKind, SpeakerRole
from app.forms import Form, LocalDateTimeField, VersionField, web_url

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$"


def kind_choices() -> list[tuple[str, Any]]:
    """The programme item kinds for a select field, labelled in the current language."""
    return [
        (ItemKind.TALK.value, _l("Talk")),
        (ItemKind.PANEL.value, _l("Panel")),
        (ItemKind.CAFE.value, _l("World café")),
        (ItemKind.BREAK.value, _l("Break")),
        (ItemKind.SOCIAL.value, _l("After-party / social")),
    ]


def _timezones() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [(z, z) for z in zones]


class ZonedForm(Form):
    """A form whose LocalDateTimeFields are read in one time zone."""

    def set_zone(self, tz: str) -> None:
        for field in self:
            if isinstance(field, LocalDateTimeField):
                field.set_zone(tz)


class EventForm(ZonedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address (slug)"),
        validators=[
            Optional(),
            Regexp(SLUG_PATTERN, message=_l("Use 3–80 lower-case letters, digits and hyphens.")),
        ],
        description=_l("Used in the event's links. Leave empty to make one from the title's Latin words or the date."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])
    timezone = SelectField(_l("Time zone"), default="Asia/Tokyo")
    starts_at = LocalDateTimeField(_l("Starts"), validators=[DataRequired(message=_l("Please give a date and time."))])
    ends_at = LocalDateTimeField(_l("Ends"), validators=[DataRequired(message=_l("Please give a date and time."))])
    meeting_url = StringField(_l("Meeting link (Zoom, Teams, …)"), validators=web_url())
    meeting_url_public = BooleanField(
        _l("Show the meeting link on the public event page"),
        description=_l(
            "Off (recommended): only registered people see it, on their personal page and in their invitation. "
            "The public page says the link is sent to registered participants."
        ),
    )
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezones()
        self.set_zone(self.timezone.data or "Asia/Tokyo")

    def validate_timezone(self, field: SelectField) -> None:
        if field.data not in available_timezones():
            raise ValidationError(_l("Choose a time zone from the list."))

    def validate_ends_at(self, field: LocalDateTimeField) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))


class ItemForm(ZonedForm):
    kind = SelectField(_l("Kind"), choices=kind_choices)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])
    starts_at = LocalDateTimeField(_l("Starts"), validators=[DataRequired(message=_l("Please give a date and time."))])
    ends_at = LocalDateTimeField(_l("Ends"), validators=[DataRequired(message=_l("Please give a date and time."))])
    round_count = IntegerField(
        _l("Rounds"),
        default=3,
        validators=[Optional(), NumberRange(min=1, max=12)],
        description=_l("World café only: the café's time is divided evenly; you can adjust each round after."),
    )
    round_gap = IntegerField(
        _l("Minutes between rounds"), default=2, validators=[Optional(), NumberRange(min=0, max=60)]
    )
    room_size_min = IntegerField(_l("Smallest room"), default=4, validators=[Optional(), NumberRange(min=2, max=50)])
    room_size_max = IntegerField(_l("Largest room"), default=6, validators=[Optional(), NumberRange(min=2, max=50)])
    move_following = BooleanField(_l("Move the items after this one by as much"))
    version = VersionField()

    def validate_ends_at(self, field: LocalDateTimeField) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))

    def validate_room_size_max(self, field: IntegerField) -> None:
        minimum = self.room_size_min.data
        if self.kind.data == ItemKind.CAFE and minimum and field.data and field.data < minimum:
            raise ValidationError(_l("The largest room cannot be smaller than the smallest."))


class ShiftForm(ZonedForm):
    starts_at = LocalDateTimeField(
        _l("New start"), validators=[DataRequired(message=_l("Please give a date and time."))]
    )
    move_following = BooleanField(_l("Move the items after this one by as much"), default=True)


class SpeakerForm(Form):
    role = SelectField(
        _l("Role"),
        choices=[(SpeakerRole.SPEAKER.value, _l("Speaker")), (SpeakerRole.MODERATOR.value, _l("Moderator"))],
        default=SpeakerRole.SPEAKER.value,
    )
    family_name = StringField(_l("Family name"), validators=[DataRequired(), Length(max=80)])
    given_name = StringField(_l("Given name"), validators=[Length(max=80)])
    organization = StringField(_l("Organisation"), validators=[Length(max=200)])
    department = StringField(_l("Department"), validators=[Length(max=200)])
    bio = TextAreaField(_l("Short bio"), validators=[Length(max=2000)])


class RoundForm(ZonedForm):
    question = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=1000)])
    starts_at = LocalDateTimeField(_l("Starts"), validators=[DataRequired(message=_l("Please give a date and time."))])
    ends_at = LocalDateTimeField(_l("Ends"), validators=[DataRequired(message=_l("Please give a date and time."))])

    def validate_ends_at(self, field: LocalDateTimeField) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))


class CoOrganizerForm(Form):
    email = EmailField(_l("Organiser's email"), validators=[DataRequired(), Email(), Length(max=254)])
