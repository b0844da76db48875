"""Bench: what the report's network section (two chord diagrams drawn server-side as SVG, and their tables)
costs in the PDF export, at 2,000 people (the network of bench/connections.py).

The same published version is laid out as a PDF with its network section and without it (--repeat times each,
alternating); the difference is the section's cost in time, bytes and pages. The rest of the document is small
(no notes), so the difference is not lost in the noise of a 100-page report (bench/report.py lays that out).

    .venv/bin/python bench/report_network_pdf.py [--people 2000] [--repeat 3] [--save network.pdf]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app
from app.db import utcnow
from app.extensions import db
from bench.connections import seed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", default="", help="keep the PDF with the section here, to look at")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    folder = tempfile.mkdtemp(prefix="bench-network-pdf-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "SECRET_KEY": "bench",
            "TESTING": True,
            "UPLOAD_FOLDER": f"{folder}/uploads",
        }
    )
    import pypdf

    from app.reports import exports, services
    from app.reports.rendering import reader_context

    with app.app_context():
        db.create_all()
        event, _hosts, _guests = seed(args.people, args.rounds)
        event.ends_at = utcnow() - timedelta(hours=1)  # every round has been held
        for item in event.items:
            for rnd in item.rounds:
                rnd.starts_at, rnd.ends_at = rnd.starts_at - timedelta(days=3650), rnd.ends_at - timedelta(days=3650)
        db.session.commit()
        report = services.create_report(event, event.organizers[0])
        version = services.publish(report, event.organizers[0])
        db.session.commit()  # the services leave the commit to their caller
        doc = json.loads(version.data)
        net = doc.get("network")
        if not net:
            sys.exit("the version has no network section: nothing to measure")
        print(
            f"{args.people} people, {args.rounds} rounds: {net['cross_pairs']} cross-organisation pairs, "
            f"{len(net['by_prefecture'])} prefecture flows, {len(net['by_type'])} organisation-type flows"
        )
        without = {k: v for k, v in doc.items() if k != "network"}
        with app.test_request_context(f"/reports/{event.slug}"):
            html = {
                "with": exports.standalone_html(reader_context(event, doc, version, standalone=True)),
                "without": exports.standalone_html(reader_context(event, without, version, standalone=True)),
            }
            svg = html["with"].count("<svg")
            print(
                f"standalone HTML: {len(html['with']) / 1e3:.0f} kB with the section ({svg} SVG), "
                f"{len(html['without']) / 1e3:.0f} kB without"
            )
            exports.pdf_bytes(html["without"])  # load pango and the fonts once, outside the measurement
            times: dict[str, list[float]] = {"with": [], "without": []}
            pdfs: dict[str, bytes] = {}
            for _ in range(args.repeat):
                for key in ("with", "without"):
                    start = time.perf_counter()
                    pdfs[key] = exports.pdf_bytes(html[key])
                    times[key].append(time.perf_counter() - start)
    if args.save:
        Path(args.save).write_bytes(pdfs["with"])
    for key in ("with", "without"):
        pages = len(pypdf.PdfReader(io.BytesIO(pdfs[key])).pages)
        print(
            f"PDF {key:>7} the network section: median {statistics.median(times[key]):.2f} s "
            f"(min {min(times[key]):.2f}), {len(pdfs[key]) / 1e3:.0f} kB, {pages} pages"
        )
    extra = statistics.median(times["with"]) - statistics.median(times["without"])
    print(
        f"the section's cost: {extra:+.2f} s, {(len(pdfs['with']) - len(pdfs['without'])) / 1e3:+.0f} kB "
        "(a shared machine: compare the minimums too)"
    )


if __name__ == "__main__":
    main()
