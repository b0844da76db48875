"""Bench: the organiser's pages at 120, 500 and 2,000 people, through HTTP, under gunicorn (2 workers).

Builds one summit per size on the database (a talk, a café of rooms of 4–6 with a host each, 4 rounds, a
generated and published plan, notes for every room of rounds 1–2, a draft report), starts the app under
gunicorn with SQL_COUNT_HEADER=1 (the app then counts each request's SQL statements in X-SQL-Statements),
logs in and fetches each organiser page. Per step: time to first byte, total time, page weight, statements.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_h2 \\
        .venv/bin/python bench/scale.py [--sizes 120,500,2000] [--port 5200] [--repeat 3] [--reuse]

--reuse keeps the summits built by an earlier run (building 2,000 people takes about a minute).
Targets (issue 11): every page under 1 MB and every request under 2 s (1 s to first byte) at 2,000 people,
and statement counts that do not grow with the number of people.

At 2,000 people (PostgreSQL, gunicorn -w 2, a 2-core machine shared with other work, so times are noisy):

    step                    before (main at 5c47364)      after (issue 11 §2–5)
    participants list        0.71 s  2,067 KiB   9 SQL    0.20 s  112 KiB  10 SQL  (pages of 100)
    links page               1.53 s  2,200 KiB   7 SQL    0.09 s   61 KiB   8 SQL  (pages of 50, search)
    rooms & hosts            9.16 s 10,320 KiB  11 SQL    0.83 s   84 KiB  11 SQL  (person picker, pages of 50)
    plan page                2.81 s  2,059 KiB  15 SQL    1.52 s  193 KiB  16 SQL  (grid and paths in pages)
    who is missing           2.85 s      8 KiB  14 SQL    0.72 s    8 KiB  15 SQL
    seating chart r2         1.33 s    358 KiB  10 SQL    0.46 s  361 KiB  10 SQL  (25 → 8 A4 pages)
    mover sheet r2           0.93 s    286 KiB  10 SQL    0.30 s  362 KiB  10 SQL  (37 → 9 A4 pages)
    zoom page                2.21 s    444 KiB  10 SQL    0.67 s  461 KiB  10 SQL
    export roster r2 .xlsx   5.22 s     79 KiB  10 SQL    1.16 s   79 KiB  10 SQL
    export movers r2 .xlsx   3.52 s     53 KiB  10 SQL    0.84 s   53 KiB  10 SQL
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROUNDS = 4
ROOM_SIZE = 5
PASSWORD = "bench-password-2026"
ORGS = (
    "神戸市",
    "岩出市",
    "石川県",
    "山形市",
    "八幡浜市",
    "岐阜市",
    "品川区",
    "富田林市",
    "横浜市",
    "総務省",
    "札幌市",
    "那覇市",
)
FAMILY = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田")
GIVEN = ("花子", "太郎", "美咲", "健一", "由美", "翔太", "陽子", "大輔")


def slug_for(people: int) -> str:
    return f"bench-scale-{people}"


def organiser_email(people: int) -> str:
    return f"bench-scale-{people}@city.kobe.lg.jp"


# --- building the summits (in this process, with the app's own services) ---------------------------------


def build(app, people: int) -> None:  # type: ignore[no-untyped-def]
    """One summit of `people` (hosts included), planned and published, with notes and a draft report."""
    from app.auth.models import Organizer
    from app.cafe import publishing, services
    from app.cafe.models import Room
    from app.events.models import Event
    from app.extensions import db
    from app.notes.models import RoundNote
    from app.participants.models import Participant, Role
    from app.reports import services as reports
    from tests import factories

    with app.app_context():
        old = db.session.scalar(db.select(Event).where(Event.slug == slug_for(people)))
        if old is not None:
            db.session.delete(old)
            db.session.commit()
        organizer = db.session.scalar(db.select(Organizer).where(Organizer.email == organiser_email(people)))
        if organizer is None:
            organizer = factories.make_organizer(email=organiser_email(people), password=PASSWORD)
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
        event = factories.make_event(
            organizer=organizer,
            slug=slug_for(people),
            title=f"全国自治体職員サミット（{people:,}人）",
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
        )
        factories.make_item(event=event, title="オンライン市役所の事例紹介")
        cafe = factories.make_cafe(event=event, rounds=ROUNDS)
        cafe.room_size_min, cafe.room_size_max = 4, 6
        rooms = max(1, people // ROOM_SIZE)
        everyone = [
            Participant(
                event=event,
                family_name=f"{FAMILY[n % len(FAMILY)]}{n}",
                given_name=GIVEN[n % len(GIVEN)],
                email=f"person{n}@city{n % 90}.lg.jp",
                organization=ORGS[n % len(ORGS)],
                role=Role.FACILITATOR if n < rooms else Role.PARTICIPANT,
            )
            for n in range(people)
        ]
        db.session.add_all(everyone)
        db.session.flush()
        # Rooms straight into the table: the organiser's form capped the count at 200 before issue 11.
        db.session.add_all(
            Room(item=cafe, name=f"ルーム{n + 1}", host=everyone[n], breakout_url="", position=n + 1)
            for n in range(rooms)
        )
        db.session.commit()
        services.generate(cafe, seed=7, actor=organizer)
        publishing.publish(cafe, ROUNDS, confirm=True, actor=organizer)
        room_list = list(db.session.scalars(db.select(Room).where(Room.item_id == cafe.id)))
        for rnd in cafe.rounds[:2]:
            for i, room in enumerate(room_list):
                db.session.add(
                    RoundNote(
                        round=rnd,
                        room=room,
                        publishable=True,
                        submitted=True,
                        summary=f"第{rnd.number}ラウンド{room.name}：庁内の横のつながりをどう作るか",
                        key_points=f"- 雑談の価値 R{rnd.number}-{i}\n- 若手の勉強会を続ける工夫\n- 首長を巻き込む",
                        ideas="・中高生とのコラボ\n・オンライン名刺交換",
                        quotes="オンライン飲み会は飲んだ気にならない",
                    )
                )
        db.session.commit()
        reports.create_report(event, organizer)
        db.session.commit()


# --- driving the pages over HTTP ---------------------------------------------------------------------------


@dataclass
class Result:
    people: int
    step: str
    status: int
    first_byte: float
    total: float
    size: int
    statements: int


class Browser:
    """A minimal HTTP client with a cookie jar, timing the first byte and the whole response."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, float, float, bytes, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Accept-Language": "ja"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        first = time.perf_counter() - start
        data = response.read()
        total = time.perf_counter() - start
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        conn.close()
        return response.status, first, total, data, dict(response.headers)

    def login(self, email: str) -> None:
        _, _, _, page, _ = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        form = {"email": email, "password": PASSWORD}
        if token:
            form["csrf_token"] = token.group(1).decode()
        status, *_ = self.request("POST", "/login", form)
        if status != 302:
            raise SystemExit(f"login failed for {email}: HTTP {status}")


def steps(app, people: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from app.events.models import Event, ItemKind
    from app.extensions import db

    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == slug_for(people)))
        cafe = next(i for i in event.items if i.kind == ItemKind.CAFE)
        base, item = f"/manage/events/{event.slug}", cafe.id
    c = f"{base}/cafe/{item}"
    return [
        ("event page", base),
        ("participants list", f"{base}/participants"),
        ("participants search", f"{base}/participants?q=person12"),
        ("links page", f"{base}/links"),
        ("rooms & hosts", f"{base}/cafe"),
        ("plan page", f"{c}/plan"),
        ("who is missing", f"{base}/live/missing"),
        ("invites page", f"{base}/invites"),
        ("notes overview", f"{base}/notes"),
        ("report editor", f"{base}/report"),
        ("seating chart r2", f"{c}/rounds/2/roster"),
        ("mover sheet r2", f"{c}/rounds/2/movers"),
        ("zoom page", f"{c}/zoom"),
        ("connections page", f"{base}/connections"),
        ("export participants.csv", f"{base}/participants/export.csv"),
        ("export roster r2 .xlsx", f"{c}/rounds/2/roster.xlsx"),
        ("export movers r2 .xlsx", f"{c}/rounds/2/movers.xlsx"),
        ("export zoom r2 .csv", f"{c}/rounds/2/zoom.csv"),
    ]


def drive(app, port: int, people: int, repeat: int) -> list[Result]:  # type: ignore[no-untyped-def]
    browser = Browser(port)
    start = time.perf_counter()
    browser.login(organiser_email(people))
    results = [Result(people, "login", 302, 0.0, time.perf_counter() - start, 0, 0)]
    for name, path in steps(app, people):
        best: Result | None = None
        for _ in range(repeat):
            status, first, total, data, headers = browser.request("GET", path)
            result = Result(people, name, status, first, total, len(data), int(headers.get("X-SQL-Statements", -1)))
            if best is None or result.total < best.total:
                best = result
        assert best is not None
        results.append(best)
        print(line(best), flush=True)
    return results


def printed_pages(app, port: int, people: int) -> str:  # type: ignore[no-untyped-def]
    """A4 pages of the seating chart and mover sheet of round 2, printed by Chromium (whole, and for 8 co-hosts)."""
    try:
        from playwright.sync_api import sync_playwright
        from pypdf import PdfReader
    except ImportError:
        return "(printed pages: needs playwright and pypdf, from requirements-dev.txt)"
    import io

    paths = dict(steps(app, people))
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
        page = browser.new_page(locale="ja-JP")
        page.goto(f"http://127.0.0.1:{port}/login")
        page.fill("input[name=email]", organiser_email(people))
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        for name in ("seating chart r2", "mover sheet r2"):
            for query in ("", "?cohosts=8"):
                page.goto(f"http://127.0.0.1:{port}{paths[name]}{query}")
                count = len(PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages)
                out.append(f"{name}{' (8 co-hosts)' if query else ''}: {count}")
        browser.close()
    return f"{people:>6}  printed A4 pages — " + ", ".join(out)


def line(r: Result) -> str:
    flag = ""
    if r.status != 200:
        flag += f" HTTP {r.status}"
    if r.size > 1024 * 1024:
        flag += " >1MB"
    if r.total > 2.0:
        flag += " >2s"
    elif r.first_byte > 1.0:
        flag += " >1s"
    return (
        f"{r.people:>6}  {r.step:<26} {r.first_byte:7.2f} s {r.total:7.2f} s {r.size / 1024:9.1f} KiB"
        f" {r.statements:>7}{flag}"
    )


def header() -> str:
    return f"{'people':>6}  {'step':<26} {'1st byte':>9} {'total':>9} {'size':>13} {'SQL':>7}"


def table(results: list[Result]) -> str:
    """Steps down, sizes across: total seconds / KiB / statements, so growth shows at a glance."""
    sizes = sorted({r.people for r in results})
    names = list(dict.fromkeys(r.step for r in results))
    by = {(r.people, r.step): r for r in results}
    out = [f"{'step':<26}" + "".join(f" | {f'{n:,} people':^27}" for n in sizes)]
    out.append(f"{'':<26}" + "".join(f" | {'s':>7} {'KiB':>9} {'SQL':>7}  " for _ in sizes))
    for name in names:
        row = f"{name:<26}"
        for n in sizes:
            r = by.get((n, name))
            mark = "!" if r and (r.size > 1024 * 1024 or r.total > 2.0 or r.status not in (200, 302)) else " "
            row += f" | {r.total:7.2f} {r.size / 1024:9.1f} {r.statements:>7} {mark}" if r else f" | {'':27}"
        out.append(row)
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="120,500,2000")
    parser.add_argument("--port", type=int, default=5200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the summits of an earlier run")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-scale",
        "SQL_COUNT_HEADER": "1",
        "UPLOAD_FOLDER": folder,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
    }
    from sqlalchemy import MetaData

    from app import create_app
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-scale", "UPLOAD_FOLDER": folder})
    with app.app_context():
        if not args.reuse:  # a fresh schema: the models may have changed since the last run
            existing = MetaData()
            existing.reflect(bind=db.engine)
            existing.drop_all(bind=db.engine)
        db.create_all()
    if not args.reuse:
        for people in sizes:
            start = time.perf_counter()
            build(app, people)
            print(f"built the {people:,}-person summit in {time.perf_counter() - start:.1f} s", flush=True)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{args.port}", "--timeout", "120", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                Browser(args.port).request("GET", "/login")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        print(
            f"database: {url.split(':', 1)[0]}; gunicorn -w 2; rooms of {ROOM_SIZE} (4–6), {ROUNDS} rounds; "
            f"best of {args.repeat} per step"
        )
        print(header())
        results: list[Result] = []
        for people in sizes:
            results += drive(app, args.port, people, args.repeat)
        print()
        print(table(results))
        print()
        for people in sizes:
            print(printed_pages(app, args.port, people), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
