"""Benchmark: the archive's keyword search over hundreds of published reports (Japanese, no word boundaries).

Builds REPORTS published reports of ~80 rooms each (about 20,000 characters of searchable text apiece)
and times one search page for a few keywords, beside a baseline in the same run: the same query without
the bigram index (a LIKE scan over every report's text). Best of five per query.

Run: .venv/bin/python bench/report_search.py [postgresql+psycopg://…/db]   (default: a throwaway SQLite file)
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from app.demo import notes_text  # noqa: E402
from app.domain import report as domain  # noqa: E402
from app.domain import report_digest as digest  # noqa: E402
from app.domain import themes  # noqa: E402
from app.events.models import Event, EventStatus  # noqa: E402
from app.extensions import db  # noqa: E402
from app.reports import search, versions  # noqa: E402
from app.reports.models import Report, ReportState, ReportVersion  # noqa: E402
from bench.common import bench_app, fresh_schema  # noqa: E402

REPORTS, ROOMS = 300, 80
QUERIES = ("雑談", "偶然の出会い", "脇田", "中高生 オンライン", "ハイブリッド開催", "見つからない言葉")


def _pool() -> list[str]:
    labelled = (ROOT / "tests" / "data" / "theme_paraphrases.txt").read_text(encoding="utf-8")
    pool = [t for g in themes.labelled_groups(labelled) for t in g]
    for rounds in (notes_text.KEY_POINTS, notes_text.IDEAS):
        pool += [t for groups in rounds.values() for g in groups for t in g]
    return pool


def _document(i: int, rng: random.Random, pool: list[str]) -> domain.Document:
    speaker = "脇田 雅也" if i % 50 == 0 else f"講師{i}"
    rounds = [
        domain.RoundSection(
            number=n,
            question=f"第{n}ラウンドの問い {i}",
            rooms=[
                domain.RoomSection(
                    f"ルーム{r + 1}",
                    "",
                    [domain.Point("point", rng.choice(pool) + f"（{i}-{n}-{r}）") for _ in range(3)],
                )
                for r in range(ROOMS // 3)
            ],
        )
        for n in (1, 2, 3)
    ]
    return domain.Document(
        title=f"自治体職員サミット {i}",
        slug=f"summit-{i}",
        starts_at="2026-07-25T13:00:00+09:00",
        timezone="Asia/Tokyo",
        year=2020 + i % 7,
        overview="全国の公務員がオンラインで語り合った記録。",
        summary="",
        tags=["オンライン"],
        show_names=False,
        programme=[
            domain.ProgrammeSection(
                "talk",
                "基調講演",
                "2026-07-25T13:00:00+09:00",
                "2026-07-25T13:40:00+09:00",
                "",
                "要約",
                [domain.SpeakerInfo(speaker, "神奈川県", "speaker")],
            )
        ],  # fmt: skip
        rounds=rounds,
        gallery=[],
        stats=domain.Stats(0, 0, 0, ROOMS, 3, 0.0),
    )


def build() -> None:
    rng = random.Random(3)
    pool = _pool()
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for i in range(REPORTS):
        doc = _document(i, rng, pool)
        event = Event(
            slug=doc.slug,
            title=doc.title,
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=5),
            status=EventStatus.FINISHED,
        )
        report = Report(event=event, state=ReportState.PUBLISHED, current_version=1)
        report.versions.append(
            ReportVersion(
                number=1,
                title=doc.title,
                year=doc.year,
                tags="|オンライン|",
                data=json.dumps(doc.to_dict(), ensure_ascii=False),
                search_text=digest.fold(digest.search_text(doc)),
            )
        )
        db.session.add(report)
        db.session.flush()
        versions.reindex(report, texts=False)
    db.session.commit()


def timed(run: object) -> float:
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
        db.session.expire_all()
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tmp}/search.sqlite"
        app = bench_app(url, f"{tmp}/up")
        fresh_schema(app)
        with app.app_context():
            t0 = time.perf_counter()
            build()
            chars = sum(len(v.search_text) for v in db.session.query(ReportVersion))
            print(
                f"{REPORTS} reports, {chars / 1e6:.1f} M characters of searchable text "
                f"({time.perf_counter() - t0:.1f} s to build and index), {db.engine.dialect.name}"
            )
            indexed = search._matching

            def plain(words: list[str]):  # type: ignore[no-untyped-def]
                query = search.readable_versions()
                for word in words:
                    query = query.where(ReportVersion.search_text.like(search._like_pattern(word), escape="\\"))
                return query

            for q in QUERIES:
                with_index = timed(lambda q=q: search.search(q))
                search._matching = plain
                scan = timed(lambda q=q: search.search(q))
                search._matching = indexed
                found = search.search(q).total
                print(
                    f"  {q!r:22s} {found:4d} reports: bigram index {with_index * 1000:7.1f} ms · "
                    f"plain scan {scan * 1000:7.1f} ms"
                )


if __name__ == "__main__":
    main()
