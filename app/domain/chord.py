"""A chord diagram as a standalone SVG string: arcs for groups, ribbons for the connections between them (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from app.domain.connections import Flow, group_totals
from app.domain.report import CHART_FONT

# Okabe–Ito's colour-blind-safe palette (yellow darkened for print on white), then darker companions.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#B59B00", "#6A3D9A",
    "#1B7837", "#8C510A", "#5B6B76", "#C51B7D", "#2166AC", "#7F3B08",
)  # fmt: skip
TAU = 2 * math.pi
LABEL_LINE = 17  # px between two labels on the same side


@dataclass(frozen=True)
class Arc:
    """A group's stretch of the circle, in radians clockwise from the top."""

    group: str
    start: float
    end: float
    total: int
    colour: str

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


@dataclass(frozen=True)
class Ribbon:
    """The connections between two groups: one stretch of each group's arc, joined through the centre."""

    a: str
    b: str
    pairs: int
    a_span: tuple[float, float]
    b_span: tuple[float, float]
    colour: str


@dataclass(frozen=True)
class Layout:
    arcs: list[Arc]
    ribbons: list[Ribbon]


def layout(flows: Sequence[Flow], order: Sequence[str] | None = None, gap: float = 0.035) -> Layout:
    """Where each arc and ribbon goes: arcs in proportion to each group's connections, a gap between arcs.

    Inside each arc, the stretches follow the order of the partner groups, so ribbons do not cross needlessly.
    """
    totals = group_totals(flows)
    groups = [g for g in (order or sorted(totals, key=lambda g: (-totals[g], g))) if totals.get(g)]
    if not groups:
        return Layout([], [])
    gap = min(gap, TAU / len(groups) / 4)
    scale = (TAU - gap * len(groups)) / sum(totals[g] for g in groups)
    index = {g: i for i, g in enumerate(groups)}
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    arcs: list[Arc] = []
    cursor: dict[str, float] = {}
    angle = 0.0
    for g in groups:
        end = angle + totals[g] * scale
        arcs.append(Arc(g, angle, end, totals[g], colours[g]))
        cursor[g] = angle
        angle = end + gap

    def take(group: str, pairs: int) -> tuple[float, float]:
        start = cursor[group]
        cursor[group] = start + pairs * scale
        return (start, cursor[group])

    # Walk each group's partners in circle order, starting from itself, so neighbours sit side by side.
    wanted = [f for f in flows if f.a in index and f.b in index and f.pairs > 0]
    spans: dict[tuple[str, str, str], tuple[float, float]] = {}
    for g in groups:
        mine = [f for f in wanted if g in (f.a, f.b)]
        mine.sort(key=lambda f: (index[f.b if f.a == g else f.a] - index[g]) % len(groups))
        for f in mine:
            if f.a == f.b:
                spans[(f.a, f.b, "a")] = take(g, f.pairs)
                spans[(f.a, f.b, "b")] = take(g, f.pairs)
            else:
                spans[(f.a, f.b, "a" if g == f.a else "b")] = take(g, f.pairs)
    ribbons = [
        Ribbon(
            f.a,
            f.b,
            f.pairs,
            spans[(f.a, f.b, "a")],
            spans[(f.a, f.b, "b")],
            colours[f.a if totals[f.a] >= totals[f.b] else f.b],
        )
        for f in sorted(wanted, key=lambda f: -f.pairs)
    ]
    return Layout(arcs, ribbons)


def _point(cx: float, cy: float, r: float, angle: float) -> tuple[float, float]:
    """Angle 0 is the top of the circle; angles grow clockwise (SVG's y axis points down)."""
    return cx + r * math.sin(angle), cy - r * math.cos(angle)


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _arc_path(cx: float, cy: float, r_in: float, r_out: float, start: float, end: float) -> str:
    large = 1 if end - start > math.pi else 0
    x0, y0 = _point(cx, cy, r_out, start)
    x1, y1 = _point(cx, cy, r_out, end)
    x2, y2 = _point(cx, cy, r_in, end)
    x3, y3 = _point(cx, cy, r_in, start)
    return (
        f"M{_fmt(x0)} {_fmt(y0)}A{_fmt(r_out)} {_fmt(r_out)} 0 {large} 1 {_fmt(x1)} {_fmt(y1)}"
        f"L{_fmt(x2)} {_fmt(y2)}A{_fmt(r_in)} {_fmt(r_in)} 0 {large} 0 {_fmt(x3)} {_fmt(y3)}Z"
    )


def _ribbon_path(cx: float, cy: float, r: float, a: tuple[float, float], b: tuple[float, float]) -> str:
    ax0, ay0 = _point(cx, cy, r, a[0])
    ax1, ay1 = _point(cx, cy, r, a[1])
    bx0, by0 = _point(cx, cy, r, b[0])
    bx1, by1 = _point(cx, cy, r, b[1])
    large_a = 1 if a[1] - a[0] > math.pi else 0
    large_b = 1 if b[1] - b[0] > math.pi else 0
    c = f"{_fmt(cx)} {_fmt(cy)}"
    return (
        f"M{_fmt(ax0)} {_fmt(ay0)}A{_fmt(r)} {_fmt(r)} 0 {large_a} 1 {_fmt(ax1)} {_fmt(ay1)}"
        f"Q{c} {_fmt(bx0)} {_fmt(by0)}A{_fmt(r)} {_fmt(r)} 0 {large_b} 1 {_fmt(bx1)} {_fmt(by1)}"
        f"Q{c} {_fmt(ax0)} {_fmt(ay0)}Z"
    )


@dataclass(frozen=True)
class _Label:
    text: str
    anchor_x: float
    anchor_y: float
    x: float
    y: float
    right: bool


def _spread(labels: list[_Label], top: float, bottom: float) -> list[_Label]:
    """Push labels on one side apart vertically so none overlaps the next, keeping them inside the picture."""
    ys = [lb.y for lb in sorted(labels, key=lambda lb: lb.y)]
    ordered = sorted(labels, key=lambda lb: lb.y)
    for i in range(len(ys)):  # downwards: each at least one line below the one before
        ys[i] = max(ys[i], top if i == 0 else ys[i - 1] + LABEL_LINE)
    for i in reversed(range(len(ys))):  # upwards: back inside the bottom edge
        ys[i] = min(ys[i], bottom if i == len(ys) - 1 else ys[i + 1] - LABEL_LINE)
    return [_Label(lb.text, lb.anchor_x, lb.anchor_y, lb.x, y, lb.right) for lb, y in zip(ordered, ys, strict=True)]


def chord_svg(
    title: str,
    flows: Sequence[Flow],
    labels: Mapping[str, str] | None = None,
    *,
    width: int = 600,
    height: int = 460,
    unit: str = "",
) -> str:
    """The chord diagram as standalone SVG (valid XML, text escaped); `labels` maps group keys to shown names.

    Each ribbon carries a <title> ("A – B: 12"), so screen readers and mouse users get exact numbers.
    """
    labels = labels or {}
    plan = layout(flows)
    cx, cy = width / 2, height / 2 + 12
    radius = min(width / 2 - 170, height / 2 - 40)
    thickness = 14
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family={quoteattr(CHART_FONT)} font-size="15" class="chord">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="16" font-weight="bold" fill="#1d2a33">{escape(title)}</text>',
    ]
    if not plan.arcs:
        parts.append('<text x="0" y="44" fill="#5b6b76">–</text></svg>')
        return "".join(parts)
    parts.append('<g fill-opacity="0.62" stroke="#ffffff" stroke-width="0.6">')
    for rb in plan.ribbons:
        name = f"{labels.get(rb.a, rb.a)} – {labels.get(rb.b, rb.b)}: {rb.pairs}{unit}"
        parts.append(
            f'<path d="{_ribbon_path(cx, cy, radius - 1, rb.a_span, rb.b_span)}" fill="{rb.colour}">'
            f"<title>{escape(name)}</title></path>"
        )
    parts.append("</g><g>")
    pending: list[_Label] = []
    for arc in plan.arcs:
        name = labels.get(arc.group, arc.group)
        parts.append(
            f'<path d="{_arc_path(cx, cy, radius, radius + thickness, arc.start, arc.end)}" fill="{arc.colour}">'
            f"<title>{escape(f'{name}: {arc.total}{unit}')}</title></path>"
        )
        ax, ay = _point(cx, cy, radius + thickness + 4, arc.middle)
        lx, ly = _point(cx, cy, radius + thickness + 16, arc.middle)
        pending.append(_Label(name, ax, ay, lx, ly + 4, math.sin(arc.middle) >= 0))
    parts.append("</g>")
    for side in (True, False):
        for lb in _spread([lb for lb in pending if lb.right == side], 34, height - 6):
            anchor = "start" if lb.right else "end"
            edge = lb.x + (-3 if lb.right else 3)
            parts.append(
                f'<polyline points="{_fmt(lb.anchor_x)},{_fmt(lb.anchor_y)} {_fmt(edge)},{_fmt(lb.y - 4)}" '
                f'fill="none" stroke="#9aa7b0" stroke-width="0.8"/>'
                f'<text x="{_fmt(lb.x)}" y="{_fmt(lb.y)}" text-anchor="{anchor}" fill="#1d2a33">{escape(lb.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
