"""Reading a report document, pure: a round's synthesis, quotes, withdrawn points, and the archive's text.

The synthesis of a round is what a reader meets first: its themes (what several rooms said), then its
ideas (grouped ideas, then the loose ones), then the rooms. Points withdrawn after publishing (a note
made internal, a point redacted by an organiser) are taken out of every version here, at read time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from app.domain.report import Document, RoundSection, ThemeEntry, ThemeSection

# Opening and closing brackets a quote may already carry.
_PAIRS = {"「": "」", "『": "』", "“": "”", '"': '"', "《": "》", "〝": "〟", "(": ")", "（": "）"}


def quoted(text: str) -> str:
    """A quote in 「」, unless the writer already bracketed it; brackets inside become 『』 as Japanese nests them."""
    text = text.strip()
    if len(text) >= 2 and text[0] in _PAIRS and text.endswith(_PAIRS[text[0]]) and _balanced(text[1:-1], text[0]):
        return text
    return "「" + text.replace("「", "『").replace("」", "』") + "」"


def _balanced(inner: str, opening: str) -> bool:
    """True when the inner text does not close the opening bracket early (「あ」から「い」 is two quotes)."""
    closing = _PAIRS[opening]
    if opening == closing:
        return opening not in inner
    depth = 0
    for char in inner:
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@dataclass(frozen=True)
class LooseIdea:
    room: int
    text: str


@dataclass(frozen=True)
class RoundDigest:
    """What a reader meets first in a round: opinion themes, idea themes, the ideas in no theme."""

    themes: list[ThemeSection]
    idea_themes: list[ThemeSection]
    loose_ideas: list[LooseIdea]

    @property
    def empty(self) -> bool:
        return not (self.themes or self.idea_themes or self.loose_ideas)


def digest(rnd: RoundSection) -> RoundDigest:
    """Themes ranked by rooms (then points) as stored, ideas grouped first, then the ideas no theme holds."""
    opinion = [t for t in rnd.themes if t.kind != "idea" and t.entries]
    ideas = [t for t in rnd.themes if t.kind == "idea" and t.entries]
    in_theme = {(e.room, e.text) for t in ideas for e in t.entries}
    loose = [
        LooseIdea(index, p.text)
        for index, room in enumerate(rnd.rooms)
        for p in room.points
        if p.kind == "idea" and (index, p.text) not in in_theme
    ]
    return RoundDigest(themes=opinion, idea_themes=ideas, loose_ideas=loose)


def withdraw(doc: Document, refs: Iterable[int] = (), texts: Iterable[tuple[int, str]] = ()) -> Document:
    """The document without the given points (by ref; by (round number, text) for versions without refs).

    Themes lose those entries (and a title taken from one of them); a theme left empty goes; rooms keep
    their place (themes point at rooms by index) and simply show fewer points.
    """
    gone_refs = set(refs) - {0}
    gone_texts = set(texts)
    if not gone_refs and not gone_texts:
        return doc

    def gone(number: int, ref: int, text: str) -> bool:
        return ref in gone_refs or (number, text) in gone_texts

    rounds = []
    for rnd in doc.rounds:
        removed = {p.text for room in rnd.rooms for p in room.points if gone(rnd.number, p.ref, p.text)}
        removed |= {text for number, text in gone_texts if number == rnd.number}
        rooms = [
            replace(room, points=[p for p in room.points if not gone(rnd.number, p.ref, p.text)]) for room in rnd.rooms
        ]
        themes = []
        for theme in rnd.themes:
            entries = [e for e in theme.entries if not gone(rnd.number, e.ref, e.text)]
            if not entries:
                continue
            title = theme.title
            if theme.title_ref and (theme.title_ref in gone_refs or title in removed):
                title = entries[0].text
            themes.append(replace(theme, entries=entries, title=title))
        highlights = [h for h in rnd.highlights if h not in removed]
        rounds.append(replace(rnd, rooms=rooms, themes=themes, highlights=highlights))
    return replace(doc, rounds=rounds)


def theme_section(title: str, kind: str, highlight: bool, title_ref: int, entries: list[ThemeEntry]) -> ThemeSection:
    """A theme as the document stores it; an empty title falls back to its first entry's text."""
    if not title and entries:
        title, title_ref = entries[0].text, entries[0].ref
    return ThemeSection(title=title, kind=kind, highlight=highlight, title_ref=title_ref, entries=entries)


# ---- the archive's text ---------------------------------------------------------------------------

SECTION_KINDS = ("title", "overview", "speaker", "programme", "question", "theme", "room", "summary")


@dataclass(frozen=True)
class SearchSection:
    """A piece of a report's text the archive searches, with what it is (for the result's label)."""

    kind: str  # one of SECTION_KINDS
    label: str  # e.g. the talk's title, "2" for round 2, the room's name
    text: str


def search_sections(doc: Document) -> list[SearchSection]:
    """Title, overview, speakers, talks and panels, questions, themes, room notes and summary, in reading order."""
    out = [SearchSection("title", "", doc.title)]
    if doc.overview:
        out.append(SearchSection("overview", "", doc.overview))
    out += [SearchSection("title", "", t) for t in doc.tags]
    for item in doc.programme:
        for sp in item.speakers:
            who = f"{sp.name}（{sp.affiliation}）" if sp.affiliation else sp.name
            out.append(SearchSection("speaker", item.title, who))
        out.append(SearchSection("programme", item.title, "\n".join(p for p in (item.title, item.summary) if p)))
        if item.description and not item.summary:
            out.append(SearchSection("programme", item.title, item.description))
    for rnd in doc.rounds:
        if rnd.question:
            out.append(SearchSection("question", str(rnd.number), rnd.question))
        out += [SearchSection("theme", str(rnd.number), t.title) for t in rnd.themes]
        for room in rnd.rooms:
            text = "\n".join(p.text for p in room.points)
            if text:
                out.append(SearchSection("room", f"{rnd.number} {room.name}", text))
    if doc.summary:
        out.append(SearchSection("summary", "", doc.summary))
    return out


def search_text(doc: Document) -> str:
    """The plain text the archive's keyword search looks in."""
    return "\n".join(s.text for s in search_sections(doc) if s.text)


def fold(text: str) -> str:
    """The form both the index and the keywords are compared in: NFKC, case-folded (ｚｏｏｍ finds Zoom)."""
    return unicodedata.normalize("NFKC", text).casefold()


def bigrams(text: str) -> set[str]:
    """Every pair of adjacent non-space characters of the folded text (the archive's index terms)."""
    out: set[str] = set()
    for chunk in fold(text).split():
        out.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return out


@dataclass(frozen=True)
class Snippet:
    """A match in context: the section it is in, and the text cut into (part, is_match) pieces."""

    section: SearchSection
    parts: list[tuple[str, bool]]


def snippets(sections: Iterable[SearchSection], words: list[str], width: int = 36, limit: int = 3) -> list[Snippet]:
    """Up to `limit` places where any keyword occurs, each with `width` characters of context on both sides."""
    wanted = [fold(w) for w in words if w.strip()]
    out: list[Snippet] = []
    for section in sections:
        text = " ／ ".join(" ".join(line.split()) for line in section.text.splitlines() if line.strip())
        folded = fold(text)
        if len(folded) != len(text):  # NFKC changed the length (rare ligatures): match on the text as is
            folded = text.casefold()
            if len(folded) != len(text):
                continue
        spans = sorted((i, i + len(w)) for w in wanted for i in _find_all(folded, w))
        if not spans:
            continue
        first = spans[0][0]
        start, end = max(0, first - width), min(len(text), first + width + len(wanted[0]) + width)
        parts: list[tuple[str, bool]] = [("…", False)] if start else []
        cursor = start
        for s, e in spans:
            if s < cursor or s >= end:
                continue
            parts += [(text[cursor:s], False), (text[s : min(e, end)], True)]
            cursor = min(e, end)
        parts.append((text[cursor:end], False))
        if end < len(text):
            parts.append(("…", False))
        out.append(Snippet(section, [p for p in parts if p[0]]))
        if len(out) >= limit:
            break
    return out


def _find_all(text: str, word: str) -> list[int]:
    found: list[int] = []
    start = text.find(word)
    while start >= 0 and len(found) < 50:
        found.append(start)
        start = text.find(word, start + len(word))
    return found


# ---- names ----------------------------------------------------------------------------------------

NAME = "［氏名］"
HONORIFICS = (
    "さん",
    "様",
    "さま",
    "氏",
    "くん",
    "君",
    "ちゃん",
    "課長",
    "係長",
    "部長",
    "主任",
    "主事",
    "主査",
    "室長",
)


class Names:
    """Participants' names, found in free text by exact lookup: "田中 花子", "田中花子", or "田中さん" and the like.

    A family name alone is left as it is (田中 is also part of 田中町); with a given name or an honorific it
    is a person.
    """

    def __init__(self, people: Iterable[tuple[str, str]]) -> None:
        self.given: dict[str, set[str]] = {}
        for family, given in people:
            family, given = family.strip(), given.strip()
            if family:
                self.given.setdefault(family, set()).add(given)
        self.lengths = sorted({len(f) for f in self.given}, reverse=True)
        self.first_chars = {f[0] for f in self.given}

    def _match(self, text: str, start: int) -> int:
        """The length of a name at `start`, or 0."""
        for length in self.lengths:
            family = text[start : start + length]
            if family not in self.given:
                continue
            rest = start + length
            gap = rest + 1 if text[rest : rest + 1] in (" ", "\u3000") else rest
            for given in sorted(self.given[family], key=len, reverse=True):
                if given and text.startswith(given, gap):
                    return gap + len(given) - start
            for honorific in HONORIFICS:
                if text.startswith(honorific, rest):
                    return rest + len(honorific) - start
        return 0

    def scrub(self, text: str) -> str:
        """The text with every name replaced by ［氏名］ (only where a family name's first character stands)."""
        if not self.lengths:
            return text
        out, done, i = [], 0, 0
        while i < len(text):
            found = self._match(text, i) if text[i] in self.first_chars else 0
            if found:
                out += [text[done:i], NAME]
                i += found
                done = i
            else:
                i += 1
        return "".join(out) + text[done:] if out else text


def without_names(doc: Document, names: Names) -> Document:
    """The document with participants' names taken out of what the rooms said (points, themes, highlights)."""
    rounds = [
        replace(
            rnd,
            highlights=[names.scrub(h) for h in rnd.highlights],
            rooms=[
                replace(room, points=[replace(p, text=names.scrub(p.text)) for p in room.points]) for room in rnd.rooms
            ],
            themes=[
                replace(
                    t,
                    title=names.scrub(t.title),
                    entries=[replace(e, text=names.scrub(e.text)) for e in t.entries],
                )
                for t in rnd.themes
            ],
        )
        for rnd in doc.rounds
    ]
    return replace(doc, rounds=rounds)
