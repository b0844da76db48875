"""Forms for participants: by hand, CSV upload, registration settings and the public registration (shape only)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from app.domain.participant_import import PREFECTURES
from app.domain.participant_registration import domain_allowed, parse_domains
from app.forms import Form, VersionField
from app.participants.labels import role_choices, status_choices

_EMAIL_HELP = _l("Used for the personal link. Only organisers see it.")


def prefecture_choices() -> list[tuple[str, Any]]:
    """The 47 prefectures for a select field, with "not set" first."""
    return [("", _l("— not set —")), *((p, p) for p in PREFECTURES)]


class PersonFields(Form):
    """The fields a person gives about themselves."""

    family_name = StringField(_l("Family name"), validators=[DataRequired(), Length(max=80)])
    given_name = StringField(_l("Given name"), validators=[Length(max=80)])
    family_kana = StringField(_l("Family name (kana)"), validators=[Length(max=80)])
    given_kana = StringField(_l("Given name (kana)"), validators=[Length(max=80)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)], description=_EMAIL_HELP)
    zoom_email = EmailField(
        _l("Zoom sign-in email"),
        validators=[Optional(), Email(), Length(max=254)],
        description=_l(
            "Only if the Zoom account is under another address. Zoom puts people in their breakout room "
            "by the account they are signed in with. Leave empty if it is the email above."
        ),
    )
    organization = StringField(
        _l("Organisation"), validators=[Length(max=200)], description=_l("Municipality or agency, e.g. 神戸市")
    )
    prefecture = SelectField(_l("Prefecture"), choices=prefecture_choices, validate_choice=True)
    department = StringField(_l("Department"), validators=[Length(max=200)])


class ParticipantForm(PersonFields):
    role = SelectField(_l("Role"), choices=role_choices)
    status = SelectField(_l("Status"), choices=status_choices)
    version = VersionField()


class ImportUploadForm(Form):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Please choose a CSV file."))],
        description=_l(
            "UTF-8 or Shift_JIS (as Excel saves it); comma, tab or semicolon separated; first row = headings."
        ),
    )


class RegistrationSettingsForm(Form):
    open = BooleanField(_l("Open the public registration form"))
    capacity = IntegerField(
        _l("Capacity"),
        validators=[Optional(), NumberRange(min=1, max=100000, message=_l("Give a number from 1 to 100,000."))],
        description=_l("Everyone who has not cancelled counts, whatever their role. Leave empty for no limit."),
    )
    consent = TextAreaField(
        _l("Consent text"),
        validators=[Length(max=5000)],
        description=_l("If given, people must tick a box agreeing to this text to register."),
    )
    domains = StringField(
        _l("Allowed email domains"),
        validators=[Length(max=500)],
        description=_l("Optional, separated by commas, e.g. lg.jp, go.jp. Sub-domains are included."),
    )
    version = VersionField()


class RegistrationForm(PersonFields):
    consent = BooleanField(_l("I agree"))
    # A field people never see: bots fill it in.
    website = StringField(_l("Leave this empty"), validators=[Length(max=500)])

    def __init__(self, *args: Any, consent_required: bool = False, domains: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent_required = consent_required
        self.domains = domains

    def validate_email(self, field: EmailField) -> None:
        # Said here too, so the person sees every problem at once; the service decides.
        if field.data and not domain_allowed(field.data, parse_domains(self.domains)):
            raise ValidationError(
                _l("Registration is limited to addresses ending in: %(domains)s", domains=self.domains)
            )

    def validate_consent(self, field: BooleanField) -> None:
        if self.consent_required and not field.data:
            raise ValidationError(_l("Please agree to the terms to register."))
