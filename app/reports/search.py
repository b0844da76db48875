"""The archive's keyword search: bigram index first, exact match second, highlighted snippets for one page.

Japanese has no spaces, so neither word indexes nor PostgreSQL's text search find 雑談 inside 雑談の価値.
Every readable report's text is indexed by its character bigrams (ReportSearchGram); a keyword's bigrams
narrow the candidates with an index lookup, the exact substring test on the folded text (NFKC, case-folded,
stored that way) confirms them, and only the page of results shown is read again to cut snippets. Works the same on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select

from app.domain import report as domain
from app.domain import report_digest as digest
from app.events.models import Event
from app.extensions import db
from app.reports import versions
from app.reports.models import Report, ReportSearchGram, ReportState, ReportVersion

PAGE_SIZE = 20
MAX_WORDS = 5


@dataclass(frozen=True)
class ArchiveEntry:
    slug: str
    version: ReportVersion
    snippets: list[digest.Snippet]


@dataclass(frozen=True)
class ArchivePage:
    entries: list[ArchiveEntry]
    total: int
    page: int
    pages: int


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def readable_versions() -> Select:  # type: ignore[type-arg]
    """(version, slug) of the version readers get for every public report."""
    return (
        select(ReportVersion, Event.slug)
        .join(Report, and_(Report.id == ReportVersion.report_id, Report.current_version == ReportVersion.number))
        .join(Event, Event.id == Report.event_id)
        .where(Report.state == ReportState.PUBLISHED, ReportVersion.withdrawn_at.is_(None))
    )


def keywords(text: str) -> list[str]:
    """The words of a query (spaces, full-width ones too, separate them), at most MAX_WORDS."""
    return [w for w in digest.fold(text).split() if w][:MAX_WORDS]


def _matching(words: list[str]) -> Select:  # type: ignore[type-arg]
    """Versions holding every word: the bigram index narrows, LIKE on the folded text confirms."""
    query = readable_versions()
    for word in words:
        query = query.where(ReportVersion.search_text.like(_like_pattern(word), escape="\\"))
        grams = sorted(digest.bigrams(word))
        if grams:
            having = (
                select(ReportSearchGram.report_id)
                .where(ReportSearchGram.gram.in_(grams))
                .group_by(ReportSearchGram.report_id)
                .having(func.count() == len(grams))
            )
            query = query.where(ReportVersion.report_id.in_(having))
    return query


def search(text: str = "", year: int | None = None, tag: str = "", page: int = 1) -> ArchivePage:
    """One page of the readable reports matching every keyword, newest event first, with snippets."""
    words = keywords(text)
    query = _matching(words)
    if year:
        query = query.where(ReportVersion.year == year)
    if tag:
        query = query.where(ReportVersion.tags.like(_like_pattern(f"|{tag}|"), escape="\\"))
    query = query.order_by(Event.starts_at.desc(), Report.id)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = list(db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all())
    gone = versions.retracted_of([version.report_id for version, _slug in shown]) if words else {}
    entries = [ArchiveEntry(slug, version, _snippets(version, words, gone)) for version, slug in shown]
    return ArchivePage(entries=entries, total=total, page=page, pages=pages)


def _readable(version: ReportVersion, gone: dict[int, versions.Retracted]) -> dict[str, Any]:
    """The version's document without retracted points, without loading its report."""
    refs, texts = gone[version.report_id]
    data: dict[str, Any] = json.loads(version.data)
    if not refs and not texts:
        return data
    return digest.withdraw(domain.document_from_dict(data), refs, texts).to_dict()


def _snippets(version: ReportVersion, words: list[str], gone: dict[int, versions.Retracted]) -> list[digest.Snippet]:
    if not words:
        return []
    doc = domain.document_from_dict(_readable(version, gone))
    return digest.snippets(digest.search_sections(doc), words)


def facets() -> tuple[list[int], list[str]]:
    """The years and tags of readable reports, for the archive's filters."""
    rows = db.session.execute(readable_versions().with_only_columns(ReportVersion.year, ReportVersion.tags)).all()
    years = sorted({year for year, _tags in rows}, reverse=True)
    tags = sorted({t for _year, tags in rows for t in tags.split("|") if t})
    return years, tags
