"""Unit tests of app/domain/chord.py: the chord diagram's geometry and its SVG."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from app.domain.chord import TAU, chord_svg, layout
from app.domain.connections import Flow

SVG = "{http://www.w3.org/2000/svg}"
FLOWS = [
    Flow("兵庫県", "和歌山県", 6),
    Flow("兵庫県", "東京都", 3),
    Flow("東京都", "東京都", 2),
    Flow("石川県", "東京都", 1),
]


def test_arcs_are_proportional_to_connections_and_fill_the_circle_with_gaps() -> None:
    plan = layout(FLOWS, gap=0.05)
    totals = {a.group: a.total for a in plan.arcs}
    assert totals == {"兵庫県": 9, "和歌山県": 6, "東京都": 8, "石川県": 1}  # inside a group counts twice
    spans = [a.end - a.start for a in plan.arcs]
    assert sum(spans) + 0.05 * len(plan.arcs) == pytest.approx(TAU)
    per_pair = spans[0] / plan.arcs[0].total
    for arc, span in zip(plan.arcs, spans, strict=True):
        assert span == pytest.approx(per_pair * arc.total)
    for before, after in zip(plan.arcs, plan.arcs[1:], strict=False):
        assert after.start == pytest.approx(before.end + 0.05)


def test_each_ribbon_end_lies_inside_its_groups_arc_and_ends_do_not_overlap() -> None:
    plan = layout(FLOWS)
    arcs = {a.group: a for a in plan.arcs}
    used: dict[str, list[tuple[float, float]]] = {}
    for rb in plan.ribbons:
        for group, span in ((rb.a, rb.a_span), (rb.b, rb.b_span)):
            arc = arcs[group]
            assert arc.start - 1e-9 <= span[0] < span[1] <= arc.end + 1e-9
            used.setdefault(group, []).append(span)
    for group, spans in used.items():
        spans.sort()
        for first, second in zip(spans, spans[1:], strict=False):
            assert first[1] <= second[0] + 1e-9, group
        covered = sum(e - s for s, e in spans)
        assert covered == pytest.approx(arcs[group].end - arcs[group].start)


def test_the_svg_is_valid_xml_with_escaped_labels_and_a_title_per_ribbon() -> None:
    flows = [Flow("<script>", "A&B", 2), Flow("A&B", "C", 1)]
    svg = chord_svg("つながり <図>", flows, {"C": "市"}, unit=" 組")
    root = ET.fromstring(svg)  # raises on invalid XML
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "つながり <図>" in texts and "<script>" in texts and "市" in texts
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "<script> – A&B: 2 組" in titles
    assert "<script>" not in svg  # escaped, never markup


def test_labels_on_one_side_never_overlap() -> None:
    flows = [Flow(f"県{i:02d}", f"県{(i + 1) % 12:02d}", 1 + i % 3) for i in range(12)]
    root = ET.fromstring(chord_svg("t", flows))
    labels = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") in ("start", "end")]
    assert len(labels) == 12
    for side in ("start", "end"):
        ys = sorted(float(t.get("y") or 0) for t in labels if t.get("text-anchor") == side)
        assert all(b - a >= 16.9 for a, b in zip(ys, ys[1:], strict=False))
        assert all(0 <= y <= 460 for y in ys)


def test_no_flows_draws_an_empty_but_valid_picture() -> None:
    root = ET.fromstring(chord_svg("なし", []))
    assert not list(root.iter(f"{SVG}path"))


def test_a_single_group_is_a_full_circle_less_one_gap() -> None:
    plan = layout([Flow("兵庫県", "兵庫県", 4)])
    (arc,) = plan.arcs
    assert arc.end - arc.start < TAU and arc.end - arc.start > math.pi
