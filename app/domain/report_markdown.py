"""The report as Markdown, pure: the same order as the reader's page (per round: themes, ideas, rooms)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.report import Document
from app.domain.report_digest import digest, quoted


def _md_escape_line(text: str) -> str:
    """Keep a one-line text from turning into a heading, list or HTML in Markdown."""
    text = " ".join(text.split())
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"^([#>+\-*]|\d+\.)", r"\\\1", text.strip())


def local_text(iso: str, fmt: str) -> str:
    """An ISO instant (carrying the event zone's offset) as wall-clock text in that zone."""
    return datetime.fromisoformat(iso).strftime(fmt)


def _rooms(labels: Mapping[str, str], names: list[str]) -> str:
    return labels["rooms_count"] % {"num": len(names)} + "：" + "、".join(names)


@dataclass(frozen=True)
class NetworkText:
    """The report's network section as the reader's page words it: counts, then the largest flows per picture."""

    heading: str
    counts: list[tuple[str, object]]  # (label, number)
    tables: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)  # (title, [(groups, pairs)])
    unit: str = ""  # after a number of pairs ("組")


def _network(section: NetworkText) -> list[str]:
    out = [f"## {_md_escape_line(section.heading)}", ""]
    out += [f"- {_md_escape_line(label)}: {value}" for label, value in section.counts]
    out.append("")
    for title, rows in section.tables:
        if rows:
            out += [f"### {_md_escape_line(title)}", ""]
            out += [f"- {_md_escape_line(groups)}: {pairs}{section.unit}" for groups, pairs in rows]
            out.append("")
    return out


def to_markdown(doc: Document, labels: Mapping[str, str], network: NetworkText | None = None) -> str:
    """The report as Markdown; `labels` carries the headings in the reader's language; `network` the network
    section when the version has one (worded by the caller, as on the reader's page)."""
    out = [f"# {_md_escape_line(doc.title)}", "", local_text(doc.starts_at, "%Y-%m-%d"), ""]
    if doc.tags:
        out += [" ".join(f"`{t}`" for t in doc.tags), ""]
    if doc.overview:
        out += [f"## {labels['overview']}", "", doc.overview.strip(), ""]
    s = doc.stats
    out += [f"## {labels['statistics']}", ""]
    for key in ("participants", "organisations", "prefectures", "rooms", "rounds", "avg_new_people"):
        out.append(f"- {labels[key]}: {getattr(s, key)}")
    out.append("")
    if network is not None:
        out += _network(network)
    if doc.programme:
        out += [f"## {labels['programme']}", ""]
        for item in doc.programme:
            time = f"{local_text(item.starts_at, '%H:%M')}–{local_text(item.ends_at, '%H:%M')}"
            out += [f"### {_md_escape_line(item.title)}", "", f"*{time}*", ""]
            for sp in item.speakers:
                role = labels["moderator"] if sp.role == "moderator" else labels["speaker"]
                who = _md_escape_line(sp.name) + (f"（{_md_escape_line(sp.affiliation)}）" if sp.affiliation else "")
                out.append(f"- {role}: {who}")
            if item.speakers:
                out.append("")
            if item.summary:
                out += [item.summary.strip(), ""]
    for rnd in doc.rounds:
        names = [room.name for room in rnd.rooms]
        out += [f"## {labels['round'] % {'number': rnd.number}}", "", f"**{_md_escape_line(rnd.question)}**", ""]
        found = digest(rnd)
        if found.themes:
            out += [f"### {labels['themes']}", ""]
            for theme in found.themes:
                rooms = [names[i] for i in theme.room_indices]
                out.append(f"- **{_md_escape_line(theme.title)}**（{_rooms(labels, rooms)}）")
        if found.idea_themes or found.loose_ideas:
            out += ["", f"### {labels['ideas']}", ""]
            for theme in found.idea_themes:
                rooms = [names[i] for i in theme.room_indices]
                out.append(f"- **{_md_escape_line(theme.title)}**（{_rooms(labels, rooms)}）")
            out += [f"- {_md_escape_line(idea.text)}（{names[idea.room]}）" for idea in found.loose_ideas]
        if not found.empty:
            out.append("")
        if rnd.highlights and not found.themes:
            out += [f"### {labels['highlights']}", ""] + [f"- {_md_escape_line(h)}" for h in rnd.highlights] + [""]
        for room in rnd.rooms:
            if not room.points:
                continue
            heading = room.name + (f"（{room.host}）" if room.host else "")
            out += [f"### {_md_escape_line(heading)}", ""]
            for point in room.points:
                if point.kind == "note":
                    out += ["", point.text.strip(), ""]
                elif point.kind == "quote":
                    out.append(f"- {_md_escape_line(quoted(point.text))}")
                else:
                    out.append(f"- {_md_escape_line(point.text)}")
            out.append("")
    if doc.gallery:
        out += [f"## {labels['gallery']}", ""] + [f"- {_md_escape_line(g.caption or '—')}" for g in doc.gallery] + [""]
    if doc.summary:
        out += [f"## {labels['summary']}", "", doc.summary.strip(), ""]
    if doc.show_names and doc.people:
        out += [f"## {labels['people']}", ""] + [f"- {n}（{o}）" if o else f"- {n}" for n, o in doc.people] + [""]
    elif doc.organisations:
        out += [f"## {labels['organisations']}", "", "、".join(doc.organisations), ""]
    return "\n".join(out).rstrip() + "\n"
