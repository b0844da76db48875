"""Signals that features send and others subscribe to (webhooks, invites).

Every signal is sent inside the sender's transaction, just before its commit: subscribers add rows
(outbox deliveries) to the same session and never commit, so the change and its consequences land together.
"""

from blinker import Namespace

signals = Namespace()

# Sent with sender=event, item=<café ProgrammeItem>, rounds=[round numbers] just before the commit.
rounds_published = signals.signal("rounds-published")

# Sent with sender=<RoundNote>, actor=<Actor> when a note is submitted as final, before the commit.
notes_submitted = signals.signal("notes-submitted")

# Sent with sender=event, report=<Report>, version=<ReportVersion> when a version is published, before the commit.
report_published = signals.signal("report-published")

# Sent with sender=event, round=<CafeRound> when a café round starts (by hand on the live console),
# before the commit of that change.
round_started = signals.signal("round-started")

# Sent with sender=<RoundNote>, actor=<Actor> when a note that was publishable is made internal, before
# the commit: published reports must stop showing and finding its text.
note_retracted = signals.signal("note-retracted")

# Sent with sender=<event id>, AFTER the commit, when a person is removed from an event: the day's pages drop
# what this process keeps of the event, so the person's link stops working here at once (other processes
# within DAY_LIVE_CHECK_SECONDS).
participant_deleted = signals.signal("participant-deleted")
