"""Benchmark: reading, validating and importing participant CSV files (120 and 5,000 rows, CP932).

Run: .venv/bin/python bench/participants_import.py   (uses a throw-away SQLite database)
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app
from app.db import utcnow
from app.demo.participants import demo_people
from app.domain import participant_import as pi
from app.events.models import Event
from app.extensions import db
from app.participants import services


def cp932_file(rows: int) -> bytes:
    people = demo_people("bench", count=rows, facilitators=rows // 6)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["氏名", "ふりがな", "メールアドレス", "所属", "都道府県", "部署", "役割"])
    for i, p in enumerate(people):
        email = p.email.replace("@", f".{i}@")  # unique even for very long lists
        writer.writerow([f"{p.family_name}　{p.given_name}", f"{p.family_kana} {p.given_kana}", email,
                         p.organization, p.prefecture, p.department, p.role.value])  # fmt: skip
    return buffer.getvalue().encode("cp932")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            for rows in (120, 5000):
                data = cp932_file(rows)
                start = time.perf_counter()
                table = pi.read_table(data)
                parsed = pi.parse(table, pi.guess_mapping(table.header))
                parse_s = time.perf_counter() - start
                assert parsed.valid, parsed.errors[:3]
                event = Event(slug=f"bench-{rows}", title="bench", starts_at=utcnow(), ends_at=utcnow())
                db.session.add(event)
                db.session.commit()
                start = time.perf_counter()
                services.import_participants(event, parsed)
                first_s = time.perf_counter() - start
                start = time.perf_counter()
                plan = services.import_participants(event, parsed)  # re-import: all updates
                again_s = time.perf_counter() - start
                print(
                    f"{rows:>5} rows, {len(data) / 1024:7.1f} KiB: read+validate {parse_s * 1000:7.1f} ms, "
                    f"import {first_s * 1000:7.1f} ms, re-import ({plan.updated} updates) {again_s * 1000:7.1f} ms"
                )


if __name__ == "__main__":
    main()
