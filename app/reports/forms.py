"""Forms of the report editor (shape only) and the archive search."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form


class SettingsForm(Form):
    overview = TextAreaField(
        _l("Overview"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("What the event was, for readers who were not there. Markdown works."),
    )
    summary = TextAreaField(
        _l("Organisers' summary"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("Your conclusions, shown at the end of the report. Markdown works."),
    )
    tags = StringField(
        _l("Tags"),
        validators=[Optional(), Length(max=400)],
        description=_l("Separated by commas, e.g. ネットワーク活動, オンライン"),
    )
    show_names = BooleanField(_l("Show participants' names (by default only their organisations appear)"))


class ItemSummaryForm(Form):
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20_000)])


class PointForm(Form):
    text = TextAreaField(
        _l("Text in the report"),
        validators=[DataRequired(), Length(max=10_000)],
        description=_l("Only the report's copy changes; the facilitator's note stays as it is."),
    )
