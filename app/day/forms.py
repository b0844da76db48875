"""Forms of the live console (shape only; services check the rest)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.domain.attendance import MAX_ROWS as MAX_REPORT_ROWS
from app.domain.attendance import ReportError, ReportProblem, ReportRow, parse_report
from app.forms import Form

MAX_REPORT_BYTES = 2 * 1024 * 1024


class BroadcastForm(Form):
    body = TextAreaField(
        _l("Message to everyone"),
        validators=[DataRequired(message=_l("Write a message first.")), Length(max=500)],
        description=_l("Shown at the top of every personal page of the event within a few seconds."),
    )
    urgent = BooleanField(_l("Highlight as important"))


class AttendanceForm(Form):
    """Present / absent / registered for one or more people (checkboxes named `ids`)."""

    status = SelectField(
        _l("Mark as"),
        choices=[("present", _l("Present")), ("absent", _l("Absent")), ("registered", _l("Not checked in"))],
    )


class LateArrivalForm(Form):
    family_name = StringField(_l("Family name"), validators=[DataRequired(), Length(max=80)])
    given_name = StringField(_l("Given name"), validators=[Optional(), Length(max=80)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    organization = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    joins_round = IntegerField(_l("Joins from round"), validators=[Optional(), NumberRange(min=1, max=20)])


class ZoomReportForm(Form):
    report = FileField(
        _l("Zoom participant report (CSV)"),
        validators=[
            FileRequired(message=_l("Choose the CSV file exported from Zoom.")),
            FileAllowed(["csv", "txt"], message=_l("Upload the CSV file exported from Zoom.")),
            FileSize(max_size=MAX_REPORT_BYTES, message=_l("The file is larger than 2 MB.")),
        ],
        description=_l("Zoom → Reports → Usage → Participants → Export. UTF-8 or Shift_JIS."),
    )

    def read_rows(self) -> list[ReportRow] | None:
        """The report's people once the upload is valid and readable; else None, the reason among its errors."""
        if not self.validate_on_submit():
            return None
        try:
            return parse_report(self.report.data.read())
        except ReportError as error:
            self.report.errors = [*self.report.errors, _report_problem(error)]
            return None


def _report_problem(error: ReportError) -> str:
    """Why a Zoom participant report cannot be read, in the organiser's language."""
    messages = {
        ReportProblem.ENCODING: _(
            "The file's character encoding could not be read (it is neither UTF-8 nor Shift_JIS). "
            "Download the participant report from Zoom again and upload it as it is."
        ),
        ReportProblem.TOO_MANY_ROWS: _("The file has too many rows (at most %(max)s).", max=MAX_REPORT_ROWS),
        ReportProblem.TOO_MANY_COLUMNS: _(
            "Row %(row)s has too many columns for a Zoom participant report. Please upload the report as Zoom made it.",
            row=error.row,
        ),
        ReportProblem.BROKEN_ROW: _(
            "Row %(row)s cannot be read: a cell is extremely long or a quotation mark is not closed.", row=error.row
        ),
        ReportProblem.NO_TABLE: _(
            "No participant table found: the file needs a name column, e.g. “Name (Original Name)”."
        ),
    }
    return messages[error.problem]


class ApplyAttendanceForm(Form):
    """Carries the preview's decision back: comma-separated participant ids."""

    present = HiddenField()
    absent = HiddenField()


class NextRoundForm(Form):
    """Start the next round now: names the round the console showed, and the confirmation button's value."""

    round_id = IntegerField(validators=[Optional()])
    confirm = HiddenField()


class ExtendForm(Form):
    """Move the running round's end (or, between rounds, the next round's start) by some minutes."""

    minutes = IntegerField(
        _l("Minutes"),
        validators=[InputRequired(message=_l("Give a number of minutes.")), NumberRange(min=1, max=120)],
        default=5,
    )
    direction = SelectField(_l("Direction"), choices=[("later", _l("later")), ("earlier", _l("earlier"))])
    confirm = HiddenField()


class EndRoundForm(Form):
    round_id = IntegerField(validators=[Optional()])
    confirm = HiddenField()


class PersonStatusForm(Form):
    """One person's status from the "Who is missing?" search (the search is carried back in `q`)."""

    participant_id = IntegerField(validators=[DataRequired()])
    status = HiddenField()
    q = HiddenField()


class LateListForm(Form):
    """Latecomers pasted as a list, one person a line."""

    people = TextAreaField(
        _l("Late arrivals, one a line"),
        validators=[DataRequired(message=_l("Paste at least one person.")), Length(max=40_000)],
        description=_l("Name, email and organisation, separated by tabs (paste from a spreadsheet) or commas."),
    )
    joins_round = SelectField(_l("They join from"), coerce=int, validate_choice=False)
