"""Hostile input everywhere, generated from the app itself: no request may end in a server error (5xx).

The routes come from the app's URL map, the forms from the pages the app renders, the query parameters
from the names the code reads. Three passes, each as the event's owner and as an anonymous visitor
(who holds the personal links, as participants and facilitators do):

1. every route parameter of every route gets each hostile value, the others being real ids of a summit;
2. every GET route gets each hostile value in every query parameter the code reads;
3. every form found on a page gets each hostile value in each of its fields, the others keeping the
   values the page gave them (so the request gets past validation of the other fields); routes that
   take a POST but had no form on any page get every known field name at once.

A new route, parameter or form field is covered without touching this file. The number of requests is
printed (`-s`) and checked to stay large, so a broken crawl cannot pass by testing nothing.
"""

from __future__ import annotations

import io
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from wtforms.fields.core import UnboundField

from app.auth.models import Organizer
from app.forms import Form
from app.reports import services as report_services
from app.webhooks.models import WebhookEndpoint
from tests import factories
from tests.factories import PASSWORD
from tests.factories_reports import make_summit
from tests.instants import AFTER_SUMMIT

# A value that cannot be sent as text: bytes that are not UTF-8, written raw into the body or the URL.
NOT_UTF8 = "\udcff\udcfe"

# Route parameters: what a URL can carry that a handler may not expect. (NUL is refused by the input guard
# before any view runs: once per route parameter shows it, the query and form passes leave it out.)
HOSTILE_PATH = [
    "\x00",
    "-1",
    "99999999999999999999999999",
    "new",
    "x" * 3000,
    NOT_UTF8,
]
HOSTILE_QUERY = ["-99999999999999999999", "9999-12-31", "x" * 3000, NOT_UTF8]
HOSTILE_INT_PATH = ["-1", "99999999999999999999999999"]

# Form fields, by the input's type: beyond the column bounds, types and calendars, and text that breaks
# mails, calendars and spreadsheets.
HOSTILE_TEXT = [
    "title\r\nBcc: victim@example.com",
    "=cmd|'/C calc'!A0@city.example.lg.jp",
    "https://zoom.us/j/" + "9" * 600,
    "𠮷野家🍣" * 1500,
    "99999999999999999999",
    NOT_UTF8,
]
HOSTILE_NUMBER = ["-99999999999999999999", "2147483648", "NaN", "1e309", "四"]
HOSTILE_DATE = ["0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T25:61", "0001-01-01", "9999-12-31"]
HOSTILE_CHOICE = ["99999999999999999999", "-1", "<x>", NOT_UTF8]
HOSTILE_BY_TYPE = {
    "number": HOSTILE_NUMBER,
    "range": HOSTILE_NUMBER,
    "date": HOSTILE_DATE,
    "datetime-local": HOSTILE_DATE,
    "time": ["25:61", "99999999999999999999:00"],
    "checkbox": HOSTILE_CHOICE,
    "radio": HOSTILE_CHOICE,
    "select": HOSTILE_CHOICE,
    "hidden": HOSTILE_CHOICE + ["-99999999999999999999"],
    "submit": HOSTILE_CHOICE,
    "file": ["csv", "image", ""],
}
# Uploads: a CSV with a BOM, bytes that are not UTF-8, a cell over csv's 128 KiB limit and a 60,000-column
# row (participant lists, Zoom reports); a PNG header claiming 88 megapixels over broken data.
HOSTILE_FILES = {
    "csv": b"\xef\xbb\xbf\xe5\x90\x8d\xe5\x89\x8d,email\r\n\xff\xfe\x81,x@example.jp\r\n"
    + b'"'
    + b"a" * 140_000
    + b'",y@example.jp\r\n'
    + b"," * 60_000
    + b"\r\n",
    "image": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00'\x10\x00\x00\"`\x08\x00\x00\x00\x00" + b"\x00" * 64,
}
# Bodies for POST routes that showed no form: every known name at once.
HOSTILE_FIELD = ["-99999999999999999999", "9999-12-31T23:59", "title\r\nBcc: victim@example.com", NOT_UTF8]

# Names the code reads straight from the request (request.args.get("q") …).
READ_NAME = re.compile(r"""request\.(?:args|form|values)\.get(?:list)?\(\s*["']([\w-]+)["']""")

DESTRUCTIVE = re.compile(r"delete|remove|withdraw|redact|cancel|revoke|reset|regenerate|logout|token|archive")


@dataclass
class FormSpec:
    action: str
    method: str
    multipart: bool
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, input type)

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (urlsplit(self.action).path, self.method, tuple(sorted({n for n, _v, _t in self.fields})))


class FormParser(HTMLParser):
    """Every <form> of a page with its fields and the values the page gave them."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[FormSpec] = []
        self._form: FormSpec | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = FormSpec(
                a.get("action") or self.page_url,
                (a.get("method") or "get").upper(),
                "multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
        target = self._form
        if target is None or not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if a.get("value"):
                    target.fields.append((a["name"], a["value"], kind))
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                if not any(n == a["name"] for n, _v, _t in target.fields):
                    target.fields.append((a["name"], a.get("value", "on"), kind))
                return
            target.fields.append((a["name"], a.get("value", ""), kind))
        elif tag == "select":
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []
        elif tag == "button" and a.get("value"):
            target.fields.append((a["name"], a["value"], "submit"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form.fields.append((self._select, self._select_value or "", "select"))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text), "textarea"))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


class Prober:
    """Sends the requests, counts them and collects every server error."""

    def __init__(self, app: Flask, caplog: pytest.LogCaptureFixture) -> None:
        self.app = app
        self.caplog = caplog
        self.count = 0
        self.failures: list[str] = []
        self.slowest: dict[str, float] = {}

    def send(self, client: FlaskClient, method: str, url: str, **kwargs: object) -> int:
        self.count += 1
        self.caplog.clear()
        began = time.monotonic()
        try:
            response = client.open(url, method=method, **kwargs)  # type: ignore[arg-type]
            status = response.status_code
            response.close()
        except Exception as error:
            status = 599
            self.caplog.records.append(logging.makeLogRecord({"msg": repr(error), "levelno": logging.ERROR}))
        key = f"{method} {re.sub(r'[?].*', '', url)[:70]}"
        self.slowest[key] = self.slowest.get(key, 0.0) + time.monotonic() - began
        if status >= 500:
            errors = [r.getMessage() for r in self.caplog.records if r.levelno >= logging.ERROR]
            cause = ""
            for record in self.caplog.records:
                if record.exc_info and record.exc_info[1] is not None:
                    cause = f"{type(record.exc_info[1]).__name__}: {str(record.exc_info[1])[:200]}"
            where = kwargs.get("data")
            shown = (str(where)[:160] + "…") if where else ""
            self.failures.append(f"{status} {method} {url[:160]} {shown} {cause or errors[:1]}")
        return status


def _path_value(value: str) -> str:
    if value == NOT_UTF8:
        return "%FF%FE"
    if "%" in value:
        return value  # already written as it should travel
    return quote(value, safe="")


def _url(rule: Rule, values: dict[str, str]) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)


def _body(pairs: Iterable[tuple[str, str]]) -> str:
    """A urlencoded body, with NOT_UTF8 written as raw non-UTF-8 bytes."""
    parts = []
    for name, value in pairs:
        encoded = "%FF%FE" if value == NOT_UTF8 else quote(value, safe="")
        parts.append(f"{quote(name, safe='')}={encoded}")
    return "&".join(parts)


def _files_body(pairs: Iterable[tuple[str, str]], file_names: set[str]) -> dict[str, object]:
    data: dict[str, object] = {}
    for name, value in pairs:
        if name in file_names:
            data[name] = (
                io.BytesIO(HOSTILE_FILES.get(value, b"")),
                "参加者リスト.csv" if value == "csv" else "board.png",
            )
        else:
            data.setdefault(name, value.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    return data


def _known_field_names() -> set[str]:
    names: set[str] = set()
    root = Path(__file__).resolve().parents[2] / "app"
    for path in root.rglob("*.py"):
        names.update(READ_NAME.findall(path.read_text(encoding="utf-8")))
    stack = list(Form.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        names.update(n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField))
    return names


def _query_names() -> list[str]:
    root = Path(__file__).resolve().parents[2] / "app"
    names: set[str] = set()
    pattern = re.compile(r"""request\.args\.get(?:list)?\(\s*["']([\w-]+)["']""")
    for path in root.rglob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


def _visitors_for(rule: Rule) -> tuple[str, ...]:
    """Organisers' pages only as the owner (anonymous visitors are sent to the login before any view code);
    the rest both ways: a public or personal page may take other paths for a stranger."""
    return ("owner",) if rule.rule.startswith(("/manage", "/account")) else ("owner", "anonymous")


def _real_values(rule: Rule, real: dict[str, list[str]]) -> Iterator[dict[str, str]]:
    """Bindings of the rule's parameters to real values (one per choice of token), '1' when unknown."""
    choices: dict[str, list[str]] = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        items = getattr(converter, "items", None)
        if items:  # an any(…) converter: its first choice
            choices[name] = [quote(str(next(iter(items))), safe="")]
        else:
            choices[name] = real.get(name, ["1"])
    tokens = choices.get("token", [""])
    for token in tokens:
        yield {name: (token if name == "token" else values[0]) for name, values in choices.items()}


@pytest.fixture()
def summit_world(app: Flask, db: object) -> tuple[Organizer, dict[str, list[str]]]:
    owner = factories.make_organizer(email="owner@city.kobe.lg.jp")
    factories.make_organizer(email="colleague@city.kobe.lg.jp")
    summit = make_summit(organizer=owner, slug="hostile-summit")
    upcoming = factories.make_event(organizer=owner, slug="upcoming-summit", starts_at=AFTER_SUMMIT.replace(year=2099))
    factories.make_item(event=upcoming, title="基調講演")
    with freeze_time(AFTER_SUMMIT):
        report = report_services.create_report(summit.event, owner)
        report_services.update_settings(report, overview="概要", summary="まとめ", tags=["DX"], show_names=False)
        report_services.publish(report, owner)
    hook = WebhookEndpoint(
        event_id=summit.event.id, url="https://hooks.example.com/t", topics="report.published", secret="s"
    )
    db.session.add(hook)
    db.session.commit()
    guest = next(p for p in summit.people if p.family_name.startswith("参加者"))
    host = summit.rooms[0].host
    assert host is not None
    cafe = summit.cafe
    real = {
        "slug": [summit.event.slug],
        "item_id": [str(cafe.id)],
        "token": [guest.token, host.token],
        "room_id": [str(summit.rooms[0].id)],
        "round_id": [str(cafe.rounds[0].id)],
        "round_number": ["1"],
        "number": ["1"],
        "version": ["1"],
        "person_id": [str(summit.people[-1].id)],
        "participant_id": [str(guest.id)],
        "image_id": [str(summit.images[0].id)] if summit.images else ["1"],
        "endpoint_id": [str(hook.id)],
        "speaker_id": [str(summit.talk.speakers[0].id)] if getattr(summit.talk, "speakers", None) else ["1"],
        "code": ["en"],
    }
    return owner, real


def test_no_hostile_input_makes_a_server_error(
    app: Flask, summit_world: tuple[Organizer, dict[str, list[str]]], caplog: pytest.LogCaptureFixture
) -> None:
    owner, real = summit_world
    caplog.set_level(logging.ERROR)
    prober = Prober(app, caplog)
    started = time.monotonic()
    rules = sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"),
        key=lambda r: (bool(DESTRUCTIVE.search(r.endpoint)), r.rule),
    )

    owner_client = app.test_client()

    def log_in() -> None:
        assert owner_client.post("/login", data={"email": owner.email, "password": PASSWORD}).status_code == 302

    log_in()
    anonymous = app.test_client()
    visitors = {"owner": owner_client, "anonymous": anonymous}

    def still_owner() -> None:
        if owner_client.get("/manage/").status_code != 200:
            log_in()

    # 1. Hostile route parameters (an <int:…> parameter only needs what could slip past its converter).
    for rule in rules:
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        base = next(_real_values(rule, real))
        for name in rule.arguments:
            numeric = type(rule._converters[name]).__name__ == "BoundedIntegerConverter"
            for value in HOSTILE_INT_PATH if numeric else HOSTILE_PATH:
                url = _url(rule, {**base, name: _path_value(value)})
                for who in _visitors_for(rule):
                    for method in methods:
                        if who == "owner" and "logout" in rule.endpoint:
                            continue
                        prober.send(visitors[who], method, url)
        still_owner()
    after_paths = prober.count

    # 2. Hostile query parameters on every page.
    query_names = _query_names()
    pages: list[str] = []
    for rule in rules:
        if "GET" not in (rule.methods or set()):
            continue
        for base in _real_values(rule, real):
            url = _url(rule, base)
            pages.append(url)
            for value in HOSTILE_QUERY:
                query = "&".join(f"{n}={_path_value(value)}" for n in query_names)
                for who in _visitors_for(rule):
                    prober.send(visitors[who], "GET", f"{url}?{query}")
    after_queries = prober.count

    # 3. Every form on every page, field by field.
    forms: dict[tuple[str, str, tuple[str, ...]], tuple[str, FormSpec]] = {}
    adapter = app.url_map.bind("tsunagu.test")
    for who, client in visitors.items():
        for url in pages:
            response = client.get(url)
            html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
            ok = response.status_code == 200
            response.close()
            if ok and html:
                parser = FormParser(url)
                parser.feed(html)
                for form in parser.forms:
                    if form.fields and not urlsplit(form.action).netloc:
                        # One form per endpoint and set of fields (the same form for every room or person once).
                        try:
                            endpoint = adapter.match(urlsplit(form.action).path, method=form.method)[0]
                        except HTTPException:
                            continue
                        forms.setdefault((endpoint, form.method, form.key[2]), (who, form))
    post_paths_with_forms = {urlsplit(form.action).path for _who, form in forms.values()}
    ordered = sorted(forms.values(), key=lambda f: (bool(DESTRUCTIVE.search(f[1].action)), f[1].action))
    for who, form in ordered:
        client = visitors[who]
        names = [n for n, _v, _t in form.fields if n != "csrf_token"]
        file_names = {n for n, _v, t in form.fields if t == "file"}
        kinds = {n: t for n, _v, t in form.fields}
        for name in dict.fromkeys(names):
            for value in HOSTILE_BY_TYPE.get(kinds[name], HOSTILE_TEXT):
                pairs = [(n, value if n == name else v) for n, v, _t in form.fields if n != "csrf_token"]
                if form.method == "GET":
                    prober.send(client, "GET", f"{form.action}?{_body(pairs)}")
                elif form.multipart or file_names:
                    data = _files_body(pairs, file_names)
                    prober.send(client, "POST", form.action, data=data, content_type="multipart/form-data")
                else:
                    body = _body(pairs)
                    prober.send(
                        client, "POST", form.action, data=body, content_type="application/x-www-form-urlencoded"
                    )
        if who == "owner":
            still_owner()

    # Routes that take a POST but showed no form (JSON API, buttons drawn by scripts): every name at once.
    known = sorted(_known_field_names())
    for rule in rules:
        if "POST" not in (rule.methods or set()):
            continue
        for base in list(_real_values(rule, real))[:1]:
            url = _url(rule, base)
            if url in post_paths_with_forms:
                continue
            for value in HOSTILE_FIELD:
                for who in _visitors_for(rule):
                    client = visitors[who]
                    if who == "owner" and "logout" in rule.endpoint:
                        continue
                    prober.send(
                        client,
                        "POST",
                        url,
                        data=_body((n, value) for n in known),
                        content_type="application/x-www-form-urlencoded",
                    )
                    if url.startswith("/api/") and value != NOT_UTF8:
                        prober.send(client, "POST", url, json={n: value for n in known})
        still_owner()

    elapsed = time.monotonic() - started
    print(
        f"\nhostile input: {prober.count} requests ({after_paths} route parameters, "
        f"{after_queries - after_paths} query strings, {prober.count - after_queries} form fields and bodies; "
        f"{len(forms)} forms) in {elapsed:.1f} s, {len(prober.failures)} server errors"
    )
    if os.environ.get("HOSTILE_PROFILE"):
        for key, spent in sorted(prober.slowest.items(), key=lambda kv: -kv[1])[:25]:
            print(f"{spent:7.2f} s  {key}")
    assert prober.count > 2500 and len(forms) > 40
    assert not prober.failures, "\n".join(prober.failures[:60])
