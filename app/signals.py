"""Signals that features send and others subscribe to (webhooks, invites)."""

from blinker import Namespace

signals = Namespace()

# Sent with sender=event, item=<café ProgrammeItem>, rounds=[round numbers] just before the commit.
rounds_published = signals.signal("rounds-published")

# Sent with sender=<RoundNote> after a note was submitted as final (committed), with actor=<Actor>.
notes_submitted = signals.signal("notes-submitted")

# Sent with sender=event, report=<Report>, version=<ReportVersion> after a report version was published (committed).
report_published = signals.signal("report-published")

# Sent with sender=event, round=<CafeRound> when a café round starts (by hand on the live console),
# before the commit of that change.
round_started = signals.signal("round-started")
