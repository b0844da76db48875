"""Two app servers on one PostgreSQL database behave as one system.

Two gunicorn instances (each its own processes and memory, as two machines behind a load balancer) serve
the same database, with the same SECRET_KEY. A browser may reach either of them at any request, so:
- the login brake counts one account's failures across both (also when they arrive at the same moment);
- logging out on one server ends the session on the other (the same cookie, replayed there);
- a personal page served by one server shows a change made through the other within the stated bound
  (DAY_LIVE_CHECK_SECONDS), checked by waiting for the condition;
- two outbox workers (one beside each server) send every queued email exactly once.
PostgreSQL only: SQLite is one file on one machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from flask import Flask

from app import outbox
from app.db import utcnow
from app.extensions import db as _db
from app.outbox.models import MessageStatus, OutboxMessage
from tests import factories
from tests.factories import PASSWORD
from tests.factories_day import make_day
from tests.smtp_server import SMTPServer, free_port
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
LIVE_CHECK_SECONDS = 1.0
EMAILS = 40


def _env(app: Flask, smtp_port: int) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="two-servers-secret",
        DAY_LIVE_CHECK_SECONDS=str(LIVE_CHECK_SECONDS),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        SMTP_TLS="none",
        MAIL_FROM="summit@city.kobe.lg.jp",
    )


@pytest.fixture()
def servers(app: Flask, committed_db: object, tmp_path: Path) -> Iterator[tuple[list[str], SMTPServer, dict[str, str]]]:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("two app servers share a PostgreSQL database (SQLite is one file on one machine)")
    smtp = SMTPServer()
    smtp.start()
    env = _env(app, smtp.port)
    processes: list[subprocess.Popen[bytes]] = []
    bases = []
    log = tmp_path / "servers.log"
    try:
        for _ in range(2):
            port = free_port()
            with log.open("ab") as out:
                processes.append(
                    subprocess.Popen(
                        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}"]
                        + ["--timeout", "60", "wsgi:app"],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            wait_until(lambda base=base: _up(base), f"{base} to answer", timeout=60)
        yield bases, smtp, env
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        smtp.stop()


def _up(base: str) -> bool:
    try:
        return requests.get(f"{base}/login", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _login(browser: requests.Session, base: str, email: str, password: str) -> int:
    token = _csrf(browser.get(f"{base}/login", timeout=10).text)
    response = browser.post(
        f"{base}/login",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code


def _manage_status(browser: requests.Session, base: str) -> int:
    return browser.get(f"{base}/manage/", allow_redirects=False, timeout=10).status_code


def test_two_servers_behave_as_one_system(
    app: Flask, servers: tuple[list[str], SMTPServer, dict[str, str]], tmp_path: Path
) -> None:
    (a, b), smtp, env = servers
    owner = factories.make_organizer(email="owner@city.kobe.lg.jp")
    target = factories.make_organizer(email="target@city.kobe.lg.jp")
    racer = factories.make_organizer(email="racer@city.kobe.lg.jp")
    now = utcnow()
    day = make_day(organizer=owner, start=now - timedelta(minutes=10), cafe_start=now + timedelta(minutes=20))
    member = day.people[0]
    owner_email, target_email, racer_email, token, slug = (
        owner.email,
        target.email,
        racer.email,
        member.token,
        day.event.slug,
    )

    # 1. The brake: failures on either server count for the one account.
    for n in range(5):
        assert _login(requests.Session(), (a, b)[n % 2], target_email, f"guess-{n}") == 401
    assert _login(requests.Session(), a, target_email, PASSWORD) == 429
    assert _login(requests.Session(), b, target_email, PASSWORD) == 429
    # …also when a dozen guesses reach both servers at the same moment: exactly five are checked.
    codes: list[int] = []
    barrier = threading.Barrier(12)

    def guess(n: int) -> None:
        browser = requests.Session()
        token_page = browser.get(f"{(a, b)[n % 2]}/login", timeout=10).text
        barrier.wait()
        response = browser.post(
            f"{(a, b)[n % 2]}/login",
            data={"email": racer_email, "password": f"guess-{n}", "csrf_token": _csrf(token_page)},
            allow_redirects=False,
            timeout=60,
        )
        codes.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [401] * 5 + [429] * 7

    # 2. Logout on one server ends the session on the other (the same cookie replayed there).
    browser = requests.Session()
    assert _login(browser, a, owner_email, PASSWORD) == 302
    assert _manage_status(browser, b) == 200  # one session, good on both servers
    copy = requests.Session()
    copy.cookies.update(browser.cookies)
    logout_token = _csrf(browser.get(f"{b}/manage/", timeout=10).text)
    assert browser.post(f"{b}/logout", data={"csrf_token": logout_token}, allow_redirects=False).status_code == 302
    assert _manage_status(copy, a) == 302 and _manage_status(copy, b) == 302

    # 3. The day's caches: a personal page on B shows a broadcast sent through A within the bound.
    assert _login(browser, a, owner_email, PASSWORD) == 302
    guest = requests.Session()
    assert guest.get(f"{b}/p/{token}", timeout=10).status_code == 200  # B now holds the page's snapshot
    message = "ルーム移動は5分後です（二台構成の確認）"
    console = browser.get(f"{a}/manage/events/{slug}/live", timeout=10).text
    sent = browser.post(
        f"{a}/manage/events/{slug}/live/broadcasts",
        data={"body": message, "csrf_token": _csrf(console)},
        allow_redirects=False,
        timeout=10,
    )
    assert sent.status_code == 302
    waited = wait_until(lambda: message in guest.get(f"{b}/p/{token}", timeout=10).text, "the broadcast on B")
    # The stated bound, plus the time one request takes on a shared, loaded machine.
    assert waited <= LIVE_CHECK_SECONDS + 2.0, waited
    print(f"\ntwo servers: brake {sorted(codes)}, broadcast seen on the other server after {waited:.2f} s")

    # 4. The outbox: a worker beside each server; every email goes out exactly once.
    event_id = day.event.id
    for n in range(EMAILS):
        outbox.enqueue(
            kind="email",
            event_id=event_id,
            recipient=f"person{n}@city.kobe.lg.jp",
            subject="二台構成",
            payload=f"Subject: two servers {n}\r\nMessage-ID: <two-{n}@tsunagu>\r\n\r\nbody {n}\r\n",
            message_id=f"two-{n}@tsunagu",
            now=utcnow() - timedelta(seconds=1),
        )
    _db.session.commit()
    log = tmp_path / "workers.log"
    workers = []
    with log.open("ab") as out:
        for _ in range(2):
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--interval", "0.1", "--batch", "3"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        wait_until(lambda: len(smtp.received) >= EMAILS, "every email", timeout=120)

        def all_sent() -> bool:
            _db.session.expire_all()
            return {m.status for m in _db.session.scalars(_db.select(OutboxMessage))} == {MessageStatus.SENT}

        wait_until(all_sent, "every message recorded as sent")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    ids = [r.message["Message-ID"] for r in smtp.received]
    assert len(ids) == EMAILS and len(set(ids)) == EMAILS, log.read_text()[-2000:]
    print(f"two servers: {len(ids)} emails queued, {len(set(ids))} delivered once each by two workers")
