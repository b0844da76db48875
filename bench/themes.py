"""Benchmark: theme grouping quality on labelled Japanese paraphrases, and its time for a 400-room round.

Quality: pairwise precision and recall of the grouping on tests/data/theme_paraphrases.txt (texts that
say the same thing in different words, and texts that share words but must stay apart), with the
tokenizer's base forms (what the app uses) and with character n-grams alone (the baseline).
Speed: one round of 400 rooms × 6 points (2,400 points: tokenising and grouping), best of three runs,
beside a baseline in the same run (tokenising alone).

Run: .venv/bin/python bench/themes.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.demo import notes_text as demo_text  # noqa: E402
from app.domain import themes  # noqa: E402
from app.reports.words import content_words  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "theme_paraphrases.txt"
ENDINGS = ("", "という声があった", "と感じている", "という意見が多かった", "（複数の参加者から）", "との話も出た")


def labelled_sets() -> list[tuple[str, list[list[str]]]]:
    """The labelled file, and the demo's rounds (their paraphrase groups are labelled the same way)."""
    sets = [("tests/data/theme_paraphrases.txt", themes.labelled_groups(LABELLED.read_text(encoding="utf-8")))]
    for number in sorted(demo_text.KEY_POINTS):
        opinions = demo_text.KEY_POINTS[number] + [[q] for q in demo_text.QUOTES[number]]
        sets.append((f"demo round {number}, opinions", opinions))
        sets.append((f"demo round {number}, ideas", demo_text.IDEAS[number]))
    return sets


def quality() -> None:
    for label, groups in labelled_sets():
        texts = [t for g in groups for t in g]
        truth, start = [], 0
        for g in groups:
            truth.append(list(range(start, start + len(g))))
            start += len(g)
        words = [content_words(t) for t in texts]
        themed = sum(1 for g in groups if len(g) > 1)
        print(f"{label}: {len(texts)} texts, {themed} groups of paraphrases, {len(groups) - themed} loners")
        for name, w, threshold in (
            ("tokenizer + n-grams (app)", words, themes.THRESHOLD),
            ("n-grams only", None, 0.14),
        ):
            predicted = themes.cluster(texts, threshold, w)
            p, r = themes.pair_scores(predicted, truth)
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            print(f"  {name:28s} threshold {threshold:.2f}: precision {p:.2f}  recall {r:.2f}  F1 {f1:.2f}")


def big_round(rooms: int = 400, per_room: int = 6, seed: int = 7) -> list[tuple[int, str, str]]:
    """(room, kind, text) for a large round: labelled sentences with varied endings, ideas among them."""
    rng = random.Random(seed)
    groups = themes.labelled_groups(LABELLED.read_text(encoding="utf-8"))
    pool = [t for g in groups for t in g]
    return [
        (room, "idea" if k == per_room - 1 else "opinion", rng.choice(pool) + rng.choice(ENDINGS))
        for room in range(rooms)
        for k in range(per_room)
    ]


def speed() -> None:
    rows = big_round()
    for attempt in range(3):
        t0 = time.perf_counter()
        words = [content_words(text) for _room, _kind, text in rows]
        t1, c1 = time.perf_counter(), time.process_time()
        points = [themes.ThemePoint(i, room, kind, text, words[i]) for i, (room, kind, text) in enumerate(rows)]
        found = themes.group(points)
        t2, c2 = time.perf_counter(), time.process_time()
        print(
            f"  run {attempt + 1}: 400 rooms, {len(rows)} points → {len(found)} themes: "
            f"tokenise {t1 - t0:.2f} s (baseline) + group {t2 - t1:.2f} s = {t2 - t0:.2f} s "
            f"(grouping: {c2 - c1:.2f} s of CPU; on a shared machine the wall time says little)"
        )


if __name__ == "__main__":
    quality()
    print("400-room round:")
    speed()
