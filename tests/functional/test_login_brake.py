"""The login brake: per account with doubling waits (never a permanent lock), a much higher per-address
limit, a known browser never locked out, atomic under concurrency, no account-existence leak, and the
real client address behind TRUSTED_PROXIES only."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from werkzeug.test import Client

from app.auth import services
from app.auth.models import Organizer
from app.security.proxies import TrustedProxies, parse_networks
from tests.factories import PASSWORD
from tests.instants import BEFORE_SUMMIT

PROXY = "10.0.0.5"


def login(client: FlaskClient, email: str, password: str, address: str = PROXY, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}, headers=headers
    )
    return response.status_code


@pytest.fixture()
def behind_proxy(app: Flask) -> Iterator[None]:
    """The app as deployed behind nginx at PROXY (TRUSTED_PROXIES=10.0.0.0/24)."""
    plain = app.wsgi_app
    app.wsgi_app = TrustedProxies(plain, parse_networks("10.0.0.0/24"))  # type: ignore[method-assign]
    yield
    app.wsgi_app = plain  # type: ignore[method-assign]


def test_made_up_emails_from_the_proxy_do_not_lock_out_the_owner(
    client: FlaskClient, organizer: Organizer, behind_proxy: None
) -> None:
    with freeze_time(BEFORE_SUMMIT):
        for n in range(8):
            assert login(client, f"nobody{n}@example.jp", "guess", forwarded="203.0.113.9") == 401
        # The owner comes through the same proxy, from another office.
        assert login(app_client(client), organizer.email, PASSWORD, forwarded="198.51.100.7") == 302


def app_client(client: FlaskClient) -> FlaskClient:
    """A fresh browser (no cookies) on the same app."""
    return client.application.test_client()


def test_the_address_limit_is_much_higher_and_spares_known_browsers(
    app: Flask, client: FlaskClient, organizer: Organizer, behind_proxy: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_MAX_FAILURES", 30)
    office = "198.51.100.20"  # a whole town hall behind one LGWAN address
    known = app_client(client)
    with freeze_time(BEFORE_SUMMIT) as frozen:
        assert login(known, organizer.email, PASSWORD, forwarded=office) == 302  # this browser is now known
        frozen.tick(timedelta(minutes=1))
        for n in range(29):
            assert login(client, f"guess{n}@example.jp", "guess", forwarded=office) == 401
        assert login(client, "guess-last@example.jp", "guess", forwarded=office) == 401  # the 30th failure
        # A new browser at that address now waits, even with the right password…
        response = app_client(client).post(
            "/login",
            data={"email": organizer.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": PROXY},
            headers={"X-Forwarded-For": office},
        )
        assert response.status_code == 429
        assert 0 < int(response.headers["Retry-After"]) <= 60
        # …but the organiser's own browser is not locked out, nor is anyone at another address.
        assert login(known, organizer.email, PASSWORD, forwarded=office) == 302
        assert login(app_client(client), organizer.email, PASSWORD, forwarded="192.0.2.44") == 302


def test_per_account_back_off_doubles_is_capped_and_spares_the_known_browser(
    client: FlaskClient, organizer: Organizer
) -> None:
    known = app_client(client)
    with freeze_time(BEFORE_SUMMIT) as frozen:
        assert login(known, organizer.email, PASSWORD) == 302
        for n in range(5):  # from ever-changing addresses: the account's counter is what stops them
            assert login(client, organizer.email, "guess", address=f"192.0.2.{n}") == 401
        response = client.post(
            "/login", data={"email": organizer.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "192.0.2.99"}
        )
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) == 60
        assert "Too many failed attempts" in response.get_data(as_text=True)
        assert login(known, organizer.email, PASSWORD) == 302  # the owner's own browser still gets in
        waits = []
        for _ in range(6):
            frozen.tick(timedelta(seconds=waits[-1] if waits else 60))
            assert login(client, organizer.email, "guess", address="192.0.2.50") == 401
            response = client.post(
                "/login",
                data={"email": organizer.email, "password": "guess"},
                environ_base={"REMOTE_ADDR": "192.0.2.51"},
            )
            assert response.status_code == 429
            waits.append(int(response.headers["Retry-After"]))
        assert waits == [120, 240, 480, 900, 900, 900]  # doubling, capped at 15 minutes: never a permanent lock
        frozen.tick(timedelta(seconds=900))
        assert login(client, organizer.email, PASSWORD, address="192.0.2.52") == 302


@pytest.mark.committed_db  # twelve threads race on the brake's rows, each on its own connection
def test_concurrent_guesses_get_exactly_the_allowed_count(app: Flask, organizer: Organizer) -> None:
    attempts = 12
    barrier = threading.Barrier(attempts)
    codes: list[int] = []
    email = organizer.email

    def guess(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        codes.append(login(client, email, f"guess-{n}", address=f"192.0.2.{n}"))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [401] * 5 + [429] * 7


def test_login_time_does_not_tell_whether_an_account_exists(
    app: Flask, client: FlaskClient, db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 50)
    real = services.create_organizer("timing@city.example.lg.jp", "a long enough password")  # the default hash

    def timed(email: str, n: int) -> float:
        started = time.perf_counter()
        assert login(app_client(client), email, f"wrong-{n}", address=f"192.0.2.{n}") == 401
        return time.perf_counter() - started

    # Interleaved, so that the load of a shared machine weighs on both alike. Before the constant work, an
    # unknown email answered in a twentieth of the time (no hash checked).
    known, unknown = [], []
    for n in range(6):
        known.append(timed(real.email, 2 * n))
        unknown.append(timed(f"nobody-{n}@city.example.lg.jp", 2 * n + 1))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.33 < ratio < 3, (known, unknown)


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() -> None:
    """A guesser connecting directly cannot claim a new address per request to dodge the address limit."""
    seen: list[tuple[str, str]] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append((environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]))
        start_response("204 No Content", [])
        return []

    client = Client(TrustedProxies(app, parse_networks("10.0.0.0/24")))
    https = {"X-Forwarded-Proto": "https"}
    client.get("/", environ_base={"REMOTE_ADDR": "203.0.113.50"}, headers={"X-Forwarded-For": "1.2.3.4", **https})
    client.get("/", environ_base={"REMOTE_ADDR": PROXY}, headers={"X-Forwarded-For": "1.2.3.4, 203.0.113.60", **https})
    client.get("/", environ_base={"REMOTE_ADDR": PROXY}, headers={"X-Forwarded-For": "203.0.113.70, 10.0.0.9"})
    client.get("/", environ_base={"REMOTE_ADDR": PROXY}, headers={"X-Forwarded-For": "10.0.0.8, 10.0.0.9"})
    assert seen == [
        ("203.0.113.50", "http"),  # not from a proxy: its headers are ignored
        ("203.0.113.60", "https"),  # the entry our nginx wrote, not the one the client made up
        ("203.0.113.70", "http"),  # through two proxies of ours
        ("10.0.0.8", "http"),  # only proxies: the first of them
    ]


def test_trusted_proxies_must_be_addresses() -> None:
    assert [str(n) for n in parse_networks(" 10.0.0.1, 192.168.0.0/16 ,::1")] == [
        "10.0.0.1/32",
        "192.168.0.0/16",
        "::1/128",
    ]
    with pytest.raises(ValueError, match="nginx"):
        parse_networks("nginx")
