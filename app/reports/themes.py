"""State changes of a report's themes: grouping the rooms' points, and the organiser's review of the groups.

Each function writes (flushes); its caller — the view, the job handler — commits once. Themes the organiser
accepted (or renamed, merged, split) are theirs: regrouping leaves them and their points alone and only
regroups the rest.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Organizer
from app.domain import themes as domain
from app.extensions import db
from app.reports.building import cafe_rounds, publishable_notes, visible
from app.reports.models import Report, ReportPoint, ReportTheme, ThemeKind
from app.reports.words import content_words

log = logging.getLogger(__name__)

GROUPED_KINDS = ("point", "idea", "quote")  # summaries and free notes are prose, not points to group
THEME_ACTIONS = ("accept", "hide", "show", "highlight", "unhighlight", "merge", "ungroup")


class ThemeError(ValueError):
    """A theme change that cannot be made; the message is shown to the organiser."""


def _regroup_round(report: Report, round_id: int, notes: dict[int, object]) -> int:
    """Replace the round's unreviewed themes by a fresh grouping of the points in no reviewed theme."""
    kept = {t.id for t in report.themes if t.round_id == round_id and t.accepted}
    for theme in [t for t in report.themes if t.round_id == round_id and not t.accepted]:
        for point in report.points:
            if point.theme_id == theme.id:
                point.theme = None
        report.themes.remove(theme)
    db.session.flush()
    candidates = [
        p
        for p in report.points
        if p.round_id == round_id and p.kind in GROUPED_KINDS and p.theme_id not in kept and visible(p, notes)  # type: ignore[arg-type]
    ]
    by_id = {p.id: p for p in candidates}
    found = domain.group(
        domain.ThemePoint(p.id, p.room_id, "idea" if p.kind == "idea" else "opinion", p.text, content_words(p.text))
        for p in candidates
    )
    start = max((t.position for t in report.themes if t.round_id == round_id), default=0)
    for offset, group in enumerate(found, start=1):
        members = [by_id[ref] for ref in group.refs]
        theme = ReportTheme(
            round_id=round_id,
            kind=ThemeKind(group.kind),
            title=members[0].text[:300],
            position=start + offset,
        )
        report.themes.append(theme)
        for point in members:
            point.theme = theme
    return len(found)


def regroup(report: Report, round_ids: Iterable[int] | None = None) -> int:
    """Group the rooms' points of the given rounds (all by default) into themes; returns how many were found."""
    notes = {n.id: n for n in publishable_notes(report.event)}
    wanted = set(round_ids) if round_ids is not None else {r.id for r in cafe_rounds(report.event)}
    found = sum(_regroup_round(report, round_id, notes) for round_id in sorted(wanted))
    db.session.flush()
    log.info("report %s: %d themes grouped in %d rounds", report.id, found, len(wanted))
    return found


def members(theme: ReportTheme) -> list[ReportPoint]:
    """A theme's points, read from the database (not from every point of the report)."""
    return list(
        db.session.scalars(
            select(ReportPoint).where(ReportPoint.theme_id == theme.id).order_by(ReportPoint.position, ReportPoint.id)
        )
    )


def _members(_report: Report, theme: ReportTheme) -> list[ReportPoint]:
    return members(theme)


def _drop_if_empty(report: Report, theme: ReportTheme) -> None:
    if not _members(report, theme):
        report.themes.remove(theme)


def change_themes(report: Report, themes: Sequence[ReportTheme], action: str, actor: Organizer) -> None:
    """Accept, hide, show, highlight, merge (into the first) or ungroup several themes of one round at once."""
    if action not in THEME_ACTIONS:
        raise ThemeError(_l("Unknown action."))
    if not themes:
        raise ThemeError(_l("Choose one or more themes first."))
    if action == "merge":
        _merge(report, themes)
    elif action == "ungroup":
        for theme in themes:
            for point in _members(report, theme):
                point.theme = None
            report.themes.remove(theme)
    else:
        for theme in themes:
            if action == "accept":
                theme.accepted = True
            elif action in ("hide", "show"):
                theme.hidden = action == "hide"
                theme.accepted = True
            else:
                theme.highlight = action == "highlight"
                theme.accepted = True
    db.session.flush()
    log.info("report %s themes %s: %s by organiser %s", report.id, [t.id for t in themes], action, actor.id)


def _merge(report: Report, themes: Sequence[ReportTheme]) -> None:
    if len(themes) < 2:
        raise ThemeError(_l("Choose at least two themes to merge."))
    if len({(t.round_id, t.kind) for t in themes}) != 1:
        raise ThemeError(_l("Only themes of the same round and kind (opinions or ideas) can be merged."))
    target, *others = themes
    for theme in others:
        for point in _members(report, theme):
            point.theme = target
        target.highlight = target.highlight or theme.highlight
        report.themes.remove(theme)
    target.accepted = True


def rename(report: Report, theme: ReportTheme, title: str, actor: Organizer) -> None:
    """Give a theme the organiser's own title (an empty title goes back to its most central point's)."""
    title = " ".join(title.split())[:300]
    members = _members(report, theme)
    theme.named = bool(title)
    theme.title = title or (members[0].text[:300] if members else "")
    theme.accepted = True
    db.session.flush()
    log.info("report %s theme %s renamed by organiser %s", report.id, theme.id, actor.id)


def split(report: Report, theme: ReportTheme, points: Sequence[ReportPoint], actor: Organizer) -> ReportTheme:
    """Move the chosen points of a theme into a new theme of their own (both then count as reviewed)."""
    chosen = [p for p in points if p.theme_id == theme.id]
    if not chosen:
        raise ThemeError(_l("Tick the points to move into a new theme first."))
    if len(chosen) == len(_members(report, theme)):
        raise ThemeError(_l("Leave at least one point in the theme, or ungroup it instead."))
    new = ReportTheme(
        round_id=theme.round_id,
        kind=theme.kind,
        title=chosen[0].text[:300],
        position=theme.position,
        accepted=True,
    )
    report.themes.append(new)
    for point in chosen:
        point.theme = new
    theme.accepted = True
    db.session.flush()
    log.info("report %s theme %s split (%d points) by organiser %s", report.id, theme.id, len(chosen), actor.id)
    return new


def remove_point(report: Report, point: ReportPoint, actor: Organizer) -> None:
    """Take one point out of its theme (the theme goes when nothing is left in it)."""
    theme = point.theme
    if theme is None:
        return
    point.theme = None
    db.session.flush()
    theme.accepted = True
    _drop_if_empty(report, theme)
    db.session.flush()
    log.info("report %s point %s taken out of theme %s by organiser %s", report.id, point.id, theme.id, actor.id)


def themes_by_round(report: Report) -> dict[int, list[ReportTheme]]:
    """The report's themes per round id, in position order."""
    out: dict[int, list[ReportTheme]] = defaultdict(list)
    for theme in report.themes:
        out[theme.round_id].append(theme)
    return out
