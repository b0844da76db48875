"""Independent checks of calendar files: ical.js (Thunderbird's parser, from npm), vobject, and RFC 5545 /
5546 / 7986 rules checked on the raw lines. `checked(body)` runs all three and returns what ical.js read."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tests.invites_helpers import parse

JS_DIR = Path(__file__).parent / "js"

# Properties a VEVENT may carry at most once (RFC 5545 §3.6.1).
_ONCE = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "DURATION",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "URL",
    "STATUS",
    "SEQUENCE",
    "LAST-MODIFIED",
    "CREATED",
    "TRANSP",
    "ORGANIZER",
    "CLASS",
    "PRIORITY",
    "GEO",
    "RECURRENCE-ID",
}
_URI = re.compile(r"^(https?|mailto):[^\s]+$")


def icaljs(*bodies: bytes) -> list[dict[str, Any]]:
    """Parse each file with ical.js under Node; fails (never skips) when Node or ical.js is missing."""
    node = shutil.which("node")
    assert node, "Node.js is needed for the ical.js checks (./dev.sh test installs it; see .ci/run)"
    assert (JS_DIR / "node_modules" / "ical.js").is_dir(), "ical.js is missing: run `npm ci` in tests/js"
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, body in enumerate(bodies):
            path = Path(folder) / f"{index}.ics"
            path.write_bytes(body)
            paths.append(str(path))
        done = subprocess.run(
            [node, str(JS_DIR / "check_ics.mjs"), *paths], capture_output=True, text=True, check=True, timeout=60
        )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    for result in results:
        assert "error" not in result, f"ical.js refused the file: {result['error']}"
    return results


def _unfolded(body: bytes) -> list[str]:
    return body.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def _name(line: str) -> str:
    return re.split(r"[;:]", line, maxsplit=1)[0].upper()


_HEAD = re.compile(r'^((?:[^:"]|"[^"]*")*):')


def _params(line: str) -> dict[str, str]:
    head = _HEAD.match(line)
    assert head, line
    return {k.upper(): v.strip('"') for k, v in re.findall(r';([A-Za-z-]+)=("[^"]*"|[^;:]*)', head.group(1))}


def _value(line: str) -> str:
    head = _HEAD.match(line)
    assert head, line
    return line[len(head.group(0)) :]


def rfc_problems(body: bytes) -> list[str]:
    """What breaks RFC 5545 (structure, cardinality, TZIDs), RFC 5546 (METHOD:PUBLISH) or RFC 7986 in `body`."""
    problems: list[str] = []
    lines = _unfolded(body)
    if lines[:1] != ["BEGIN:VCALENDAR"] or lines[-1:] != ["END:VCALENDAR"]:
        problems.append("not one VCALENDAR")
    stack: list[str] = []
    components: list[tuple[str, list[str]]] = []  # (name, its own property lines)
    calendar_props: list[str] = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
            components.append((line[6:], []))
            continue
        if line.startswith("END:"):
            if not stack or stack.pop() != line[4:]:
                problems.append(f"unbalanced {line}")
            continue
        if len(stack) == 1:
            calendar_props.append(line)
        elif stack:
            # the innermost open component owns the line
            for name, props in reversed(components):
                if name == stack[-1]:
                    props.append(line)
                    break
    names = Counter(_name(p) for p in calendar_props)
    for required in ("PRODID", "VERSION"):
        if names[required] != 1:
            problems.append(f"VCALENDAR needs exactly one {required}")
    method = next((_value(p) for p in calendar_props if _name(p) == "METHOD"), None)
    for prop in calendar_props:
        if _name(prop) == "REFRESH-INTERVAL" and _params(prop).get("VALUE") != "DURATION":
            problems.append("REFRESH-INTERVAL needs VALUE=DURATION (RFC 7986)")
        if _name(prop) in ("REFRESH-INTERVAL", "X-PUBLISHED-TTL") and not re.fullmatch(
            r"P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?|P\d+W", _value(prop)
        ):
            problems.append(f"{_name(prop)} is not a duration")
    timezones = {_value(p) for name, props in components if name == "VTIMEZONE" for p in props if _name(p) == "TZID"}
    kinds = Counter(name for name, _props in components)
    if kinds["VTIMEZONE"] and not (kinds["STANDARD"] or kinds["DAYLIGHT"]):
        problems.append("VTIMEZONE without STANDARD or DAYLIGHT")
    uids: Counter[str] = Counter()
    for name, props in components:
        if name != "VEVENT":
            continue
        counts = Counter(_name(p) for p in props)
        uid = next((_value(p) for p in props if _name(p) == "UID"), "?")
        uids[uid] += 1
        for required in ("UID", "DTSTAMP", "DTSTART"):
            if counts[required] != 1:
                problems.append(f"{uid}: needs exactly one {required}")
        for prop, count in counts.items():
            if prop in _ONCE and count > 1:
                problems.append(f"{uid}: {prop} more than once")
        if counts["DTEND"] and counts["DURATION"]:
            problems.append(f"{uid}: DTEND and DURATION")
        for prop in props:
            tzid = _params(prop).get("TZID")
            if tzid and tzid not in timezones:
                problems.append(f"{uid}: TZID {tzid} without VTIMEZONE")
            if _name(prop) in ("DTSTAMP", "LAST-MODIFIED", "CREATED") and not _value(prop).endswith("Z"):
                problems.append(f"{uid}: {_name(prop)} must be UTC")
            if _name(prop) in ("URL", "CONFERENCE") and not _URI.match(_value(prop)):
                problems.append(f"{uid}: {_name(prop)} is not a URI: {_value(prop)!r}")
            if _name(prop) == "CONFERENCE" and _params(prop).get("VALUE") != "URI":
                problems.append(f"{uid}: CONFERENCE needs VALUE=URI (RFC 7986)")
            if _name(prop) == "STATUS" and _value(prop) not in ("TENTATIVE", "CONFIRMED", "CANCELLED"):
                problems.append(f"{uid}: STATUS {_value(prop)}")
            if _name(prop) == "SEQUENCE" and not _value(prop).isdigit():
                problems.append(f"{uid}: SEQUENCE {_value(prop)!r}")
        starts = [p for p in props if _name(p) in ("DTSTART", "DTEND")]
        if len(starts) == 2 and _value(starts[0]) >= _value(starts[1]) and _params(starts[0]) == _params(starts[1]):
            problems.append(f"{uid}: DTEND not after DTSTART")
        if method == "PUBLISH":  # RFC 5546 §3.2.1
            if counts["ORGANIZER"] != 1:
                problems.append(f"{uid}: PUBLISH needs an ORGANIZER")
            if counts["ATTENDEE"]:
                problems.append(f"{uid}: PUBLISH must not carry ATTENDEEs")
            if counts["SUMMARY"] != 1:
                problems.append(f"{uid}: PUBLISH needs a SUMMARY")
    if method not in (None, "PUBLISH"):
        problems.append(f"unexpected METHOD {method}")
    problems += [f"UID {uid} used {n} times" for uid, n in uids.items() if n > 1]
    return problems


def checked(body: bytes) -> dict[str, Any]:
    """Raw form and vobject (tests.invites_helpers.parse), RFC rules, then ical.js; returns ical.js's view."""
    parse(body)
    problems = rfc_problems(body)
    assert not problems, problems
    [result] = icaljs(body)
    return result


def by_uid(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {event["uid"]: event for event in result["events"]}
