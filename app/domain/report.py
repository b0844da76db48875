"""Report building, pure: harvesting note points, privacy redaction, statistics, SVG charts, Markdown."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

# ---- the document ---------------------------------------------------------------------------------

POINT_KINDS = ("summary", "point", "idea", "quote", "note")


@dataclass(frozen=True)
class SpeakerInfo:
    name: str
    affiliation: str
    role: str  # speaker | moderator


@dataclass(frozen=True)
class ProgrammeSection:
    kind: str
    title: str
    starts_at: str  # ISO 8601 with the event zone's offset
    ends_at: str
    description: str
    summary: str
    speakers: list[SpeakerInfo] = field(default_factory=list)


@dataclass(frozen=True)
class Point:
    kind: str
    text: str
    highlight: bool = False
    ref: int = 0  # the report point it came from (0 in versions published before refs existed)


@dataclass(frozen=True)
class RoomSection:
    name: str
    host: str  # the facilitator's name, or "" when names are not shown
    points: list[Point] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeEntry:
    """One room's point under a theme: the room's index in its round's `rooms`, and the point."""

    room: int
    ref: int
    kind: str
    text: str


@dataclass(frozen=True)
class ThemeSection:
    """What several rooms said: a title (the organiser's, or its most central point's text) and the points."""

    title: str
    kind: str  # opinion | idea
    highlight: bool = False
    title_ref: int = 0  # the point the title was taken from; 0 when the organiser named the theme
    entries: list[ThemeEntry] = field(default_factory=list)

    @property
    def room_indices(self) -> list[int]:
        return list(dict.fromkeys(e.room for e in self.entries))


@dataclass(frozen=True)
class RoundSection:
    number: int
    question: str
    highlights: list[str] = field(default_factory=list)
    rooms: list[RoomSection] = field(default_factory=list)
    themes: list[ThemeSection] = field(default_factory=list)


@dataclass(frozen=True)
class GalleryImage:
    id: int
    caption: str
    round: int | None
    room: str


@dataclass(frozen=True)
class Stats:
    participants: int
    organisations: int
    prefectures: int
    rooms: int
    rounds: int
    avg_new_people: float
    by_prefecture: list[tuple[str, int]] = field(default_factory=list)
    new_people_histogram: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """Everything a reader sees; stored as JSON in each published version."""

    title: str
    slug: str
    starts_at: str  # ISO 8601 with the event zone's offset
    timezone: str
    year: int
    overview: str
    summary: str
    tags: list[str]
    show_names: bool
    programme: list[ProgrammeSection]
    rounds: list[RoundSection]
    gallery: list[GalleryImage]
    stats: Stats
    organisations: list[str] = field(default_factory=list)
    people: list[tuple[str, str]] = field(default_factory=list)  # (name, organisation), only with show_names
    # Who met across organisations, as counts and groups (app/domain/connections.Network plus sharing counts).
    network: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def document_from_dict(data: Mapping[str, Any]) -> Document:
    """The inverse of Document.to_dict (JSON turns tuples into lists; that is fine here)."""
    stats = dict(data["stats"])
    stats["by_prefecture"] = [tuple(x) for x in stats.get("by_prefecture", [])]
    stats["new_people_histogram"] = [tuple(x) for x in stats.get("new_people_histogram", [])]
    return Document(
        **{
            **data,
            "programme": [
                ProgrammeSection(**{**p, "speakers": [SpeakerInfo(**s) for s in p["speakers"]]})
                for p in data["programme"]
            ],
            "rounds": [
                RoundSection(
                    **{
                        **r,
                        "rooms": [
                            RoomSection(**{**m, "points": [Point(**pt) for pt in m["points"]]}) for m in r["rooms"]
                        ],
                        "themes": [
                            ThemeSection(**{**t, "entries": [ThemeEntry(**e) for e in t["entries"]]})
                            for t in r.get("themes", [])
                        ],
                    }
                )
                for r in data["rounds"]
            ],
            "gallery": [GalleryImage(**g) for g in data["gallery"]],
            "stats": Stats(**stats),
            "people": [tuple(p) for p in data.get("people", [])],
        }
    )


# ---- harvesting and privacy -----------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*+・•●○◦‣]|\d{1,3}[.)、]|[（(]\d{1,3}[)）])\s*")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Personal links of participants and facilitators: /p/<token>, /f/<token> and the like.
PERSONAL_LINK = re.compile(
    r"(?:https?://[A-Za-z0-9.:-]+)?(?:/[A-Za-z0-9._~-]+)*?/(?:p|f|t|me|s)/[A-Za-z0-9_-]{16,}[A-Za-z0-9_./?=&%#-]*"
)
REDACTED = "［非公開］"


def split_lines(text: str) -> list[str]:
    """Bullet lists typed by facilitators, one point per line, markers removed."""
    lines = (_BULLET.sub("", line).strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


def harvest(summary: str, key_points: str, ideas: str, quotes: str, body_md: str) -> list[Point]:
    """A note's fields as report points: its summary, one point per line of the lists, the free notes."""
    points: list[Point] = []
    if summary.strip():
        points.append(Point("summary", summary.strip()))
    for kind, text in (("point", key_points), ("idea", ideas), ("quote", quotes)):
        points.extend(Point(kind, line) for line in split_lines(text))
    if body_md.strip():
        points.append(Point("note", body_md.strip()))
    return points


_RUN = re.compile(r"[A-Za-z0-9_-]{8,}")


class Secrets:
    """Known secret strings (tokens), found by exact lookup so that thousands of them stay fast."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values = {v for v in values if v and len(v) >= 8 and _RUN.fullmatch(v)}
        self.lengths = sorted({len(v) for v in self.values}, reverse=True)

    def scrub(self, run: str) -> str:
        for length in self.lengths:
            if length > len(run):
                continue
            for start in range(len(run) - length + 1):
                if run[start : start + length] in self.values:
                    return self.scrub(run[:start]) + REDACTED + self.scrub(run[start + length :])
        return run


def redact(text: str, secrets: Secrets | Iterable[str] = ()) -> str:
    """Remove emails, personal links and any known secret (tokens) from text meant for the public."""
    known = secrets if isinstance(secrets, Secrets) else Secrets(secrets)
    text = PERSONAL_LINK.sub(REDACTED, text)
    text = EMAIL.sub(REDACTED, text)
    if known.values:
        text = _RUN.sub(lambda m: known.scrub(m.group(0)), text)
    return text


def redact_document(doc: Document, secrets: Iterable[str] = ()) -> Document:
    """The same document with every free text passed through `redact` (the last line of defence)."""
    known = Secrets(secrets)

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value, known)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, tuple):
            return tuple(clean(v) for v in value)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    data = doc.to_dict()
    data = {k: (v if k in ("slug",) else clean(v)) for k, v in data.items()}
    return document_from_dict(data)


# ---- statistics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    organisation: str
    prefecture: str


def new_people_met(seating: Iterable[tuple[int, int, int]]) -> dict[int, int]:
    """For (round, room, person) rows: how many different others each person shared a room with."""
    groups: dict[tuple[int, int], set[int]] = defaultdict(set)
    for round_, room, person in seating:
        groups[(round_, room)].add(person)
    met: dict[int, set[int]] = defaultdict(set)
    for members in groups.values():
        for person in members:
            met[person].update(members)
    return {person: len(others) - 1 for person, others in met.items()}


def histogram(counts: Iterable[int], buckets: int = 8) -> list[tuple[str, int]]:
    """Counts grouped into at most `buckets` ranges, labelled '3' or '4–6'."""
    values = sorted(counts)
    if not values:
        return []
    low, high = values[0], values[-1]
    width = max(1, -(-(high - low + 1) // buckets))
    tally: Counter[int] = Counter((v - low) // width for v in values)
    rows = []
    for index in range(max(tally) + 1):
        start = low + index * width
        end = start + width - 1
        rows.append((str(start) if width == 1 else f"{start}–{end}", tally.get(index, 0)))
    return rows


def top_counts(values: Iterable[str], limit: int, other: str) -> list[tuple[str, int]]:
    """The most common values, then the rest summed under `other`."""
    tally = Counter(v for v in values if v)
    common = tally.most_common(limit)
    rest = sum(tally.values()) - sum(n for _, n in common)
    return common + ([(other, rest)] if rest else [])


def statistics(
    people: list[Person], rooms: int, rounds: int, seating: Iterable[tuple[int, int, int]], other_label: str = ""
) -> Stats:
    """Head counts, and the average number of new people each seated person met across the rounds.

    The prefectures beyond the top ten are summed under `other_label` ("" by default: readers' pages
    show it as "Other" in their own language).
    """
    met = new_people_met(seating)
    average = round(sum(met.values()) / len(met), 1) if met else 0.0
    return Stats(
        participants=len(people),
        organisations=len({p.organisation for p in people if p.organisation}),
        prefectures=len({p.prefecture for p in people if p.prefecture}),
        rooms=rooms,
        rounds=rounds,
        avg_new_people=average,
        by_prefecture=top_counts((p.prefecture for p in people), 10, other_label),
        new_people_histogram=histogram(met.values()),
    )


# ---- charts ---------------------------------------------------------------------------------------

CHART_FONT = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', sans-serif"


def bar_chart(title: str, rows: list[tuple[str, int]], *, width: int = 640, unit: str = "") -> str:
    """A horizontal bar chart as a standalone SVG string (valid XML, all text escaped)."""
    bar, gap, label_w, top = 22, 8, 150, 36
    height = top + len(rows) * (bar + gap) + 8
    most = max((n for _, n in rows), default=0) or 1
    plot = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family={quoteattr(CHART_FONT)} font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="20" font-size="15" font-weight="bold" fill="#1d2a33">{escape(title)}</text>',
    ]
    for index, (label, count) in enumerate(rows):
        y = top + index * (bar + gap)
        length = max(2, round(plot * count / most)) if count else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end" fill="#1d2a33">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length}" height="{bar}" rx="3" fill="#0f6e6e"/>'
            f'<text x="{label_w + length + 6}" y="{y + bar * 0.7:.1f}" fill="#5b6b76">{count}{escape(unit)}</text>'
        )
    if not rows:
        parts.append(f'<text x="0" y="{top + 14}" fill="#5b6b76">–</text>')
    parts.append("</svg>")
    return "".join(parts)
