"""The demo step publishes the finished event's report once, and re-running it duplicates nothing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.cafe.models import Room
from app.demo import notes, programme, reports
from app.events.models import ItemKind
from app.extensions import db as _db
from app.reports.models import Report, ReportPoint, ReportVersion


def test_demo_report_is_published_with_summary_themes_and_tags(db: object) -> None:
    organizer = programme.demo_organizer("demo-password")
    events = programme.seed_events(organizer, None)
    events = reports.seed_report(organizer, events)  # before any room or note: copes, publishes v1
    finished = events[1]
    cafe = next(i for i in finished.items if i.kind == ItemKind.CAFE)
    for n in range(3):
        _db.session.add(Room(item=cafe, name=f"ルーム{n + 1}", position=n))
    _db.session.commit()
    events = notes.seed_notes(organizer, events)
    events = reports.seed_report(organizer, events)
    report = _db.session.scalar(select(Report).where(Report.event_id == finished.id))
    assert report is not None and report.is_published and report.current_version == 2
    assert "ワールドカフェ" in report.tag_list and "今の自分に何ができるのか" in report.summary
    data = json.loads(report.versions[-1].data)
    assert [r["number"] for r in data["rounds"]] == [1, 2, 3]
    assert all(r["themes"] for r in data["rounds"])  # several rooms said alike things in every round
    assert all(any(t["highlight"] for t in r["themes"]) for r in data["rounds"])  # the organiser's pick
    assert data["programme"][0]["summary"].startswith("公務員限定")
    counts = (
        _db.session.scalar(select(func.count(ReportPoint.id))),
        _db.session.scalar(select(func.count(ReportVersion.id))),
    )
    reports.seed_report(organizer, notes.seed_notes(organizer, programme.seed_events(organizer, None)))
    assert (
        _db.session.scalar(select(func.count(ReportPoint.id))),
        _db.session.scalar(select(func.count(ReportVersion.id))),
    ) == counts
