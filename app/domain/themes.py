"""Themes across rooms, pure: group what several rooms said into themes by Japanese character n-grams.

Japanese has no spaces between words, so texts are compared by their character bigrams and trigrams
and, when the caller passes them, the base forms of their content words from a Japanese tokenizer
(止まっている and 止まった share 止まる), weighted by how rare they are in the round (TF-IDF, cosine
similarity), after NFKC normalisation and a small table of variants that table hosts write for the same
thing (ズーム/Zoom, 対面/リアル…).
Points are then grouped by average-linkage agglomerative clustering over the sparse similarities: two
groups join only while their texts are, on average, alike enough, so one shared word never chains
unrelated points together. Ideas (次の一歩) are grouped apart from opinions. Deterministic: the same
points in the same order always give the same themes.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Calibrated on tests/data/theme_paraphrases.txt (bench/themes.py prints precision and recall).
THRESHOLD = 0.18

# Variants that mean the same in these notes, mapped to one spelling before comparing. Kept small and
# general (meeting tools, online/offline, common synonyms); longest keys are replaced first.
VARIANTS: dict[str, str] = {
    "ズーム": "zoom",
    "ウェブ会議": "オンライン",
    "web会議": "オンライン",
    "リモート": "オンライン",
    "画面越し": "オンライン",
    "オフライン": "リアル",
    "対面": "リアル",
    "現地": "リアル",
    "会って": "リアルで",
    "ブレインストーミング": "ブレスト",
    "グループワーク": "ワークショップ",
    "パソコン": "機械",
    "デジタル": "機械",
    "it": "機械",
    "不慣れ": "苦手",
    "敷居": "ハードル",
    "若い職員": "若手",
    "新人": "若手",
    "育児": "子育て",
    "子ども": "子育て",
    "子供": "子育て",
    "おしゃべり": "雑談",
    "懇親会": "飲み会",
    "お酒": "飲み会",
    "チャレンジ": "挑戦",
    "コスト": "お金",
    "費用": "お金",
    "交通費": "お金",
    "出張": "移動",
    "中学生や高校生": "中高生",
    "高校生": "中高生",
    "中学生": "中高生",
    "行政": "官",
    "民間": "民",
    "おやつ": "お菓子",
}
_VARIANT_RE = re.compile("|".join(re.escape(k) for k in sorted(VARIANTS, key=len, reverse=True)))
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)  # punctuation, brackets, spaces: not content
_HIRAGANA = re.compile(r"^[ぁ-ゖー]+$")
HIRAGANA_WEIGHT = 0.35  # bigrams of kana only (ので, には…) say little about the topic
WORD_WEIGHT = 3.0  # a shared base form (止まる for 止まっている and 止まった) counts more than one n-gram

# Words nearly every point of an online-meeting café uses: in a small round every word looks rare, so
# these are damped from the start (their n-grams are cut out, their base forms weigh little).
# Words that say "a chance", "an opportunity", "a moment" name no topic of their own: two texts that share
# only such a word (官民をつなげるチャンス, 前例がない今こそチャレンジのチャンス) say different things.
GENERIC_WORDS = ("チャンス", "機会", "きっかけ", "好機", "タイミング", "課題")
COMMON_WORDS = ("オンライン", "リアル", "zoom", "参加", "職員", "自治体", "メンバー", "活動", *GENERIC_WORDS)
COMMON_BASES = {
    *COMMON_WORDS,
    "難い",
    "易い",
    "ない",
    "無い",
    "ず",
    "ぬ",
    "良い",
    "大事",
    "出来る",
    "切っ掛け",
    "始める",
}
# Two texts whose only common content word (base form) is one word are alike by that word alone: their
# similarity counts for less unless it is high (移動がない分、業務の効率が上がった and
# 移動がない今は全国規模のネットワークづくりの好機 share 移動 and say different things).
ONE_WORD_FACTOR = 0.85
ONE_WORD_STRONG = 0.3
COMMON_WEIGHT = 0.25
_COMMON_RE = re.compile("|".join(re.escape(w) for w in COMMON_WORDS))

KINDS = ("opinion", "idea")


@dataclass(frozen=True)
class ThemePoint:
    """One point to group: the caller's id for it, the room it came from, opinion or idea, its text."""

    ref: int
    room: int
    kind: str
    text: str
    words: tuple[str, ...] = ()  # base forms of its content words, from a Japanese tokenizer (optional)


@dataclass(frozen=True)
class Theme:
    """A group of points: its kind, the points' refs (most central first) and the rooms that raised it."""

    kind: str
    refs: tuple[int, ...]
    rooms: tuple[int, ...]

    @property
    def label_ref(self) -> int:
        """The point whose text names the theme: the one most like the others."""
        return self.refs[0]


def normalise(text: str) -> str:
    """NFKC, lower case, variants replaced, punctuation and spaces removed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _VARIANT_RE.sub(lambda m: VARIANTS[m.group(0)], text)
    return _DROP.sub("", text)


def features(text: str, words: Sequence[str] = ()) -> Counter[str]:
    """Character bigrams and trigrams of the normalised text, plus the words' base forms when a tokenizer gave them."""
    chars = normalise(text)
    grams: Counter[str] = Counter()
    grams.update(f"w:{normalise(w) or w}" for w in words)
    for chunk in _COMMON_RE.split(chars):
        for n in (2, 3):
            grams.update(chunk[i : i + n] for i in range(len(chunk) - n + 1))
    if len(chars) < 2:
        grams.update(chars)
    return grams


def _vectors(texts: Sequence[str], words: Sequence[Sequence[str]] | None = None) -> list[dict[str, float]]:
    """TF-IDF vectors, unit length, with the rarity of each n-gram measured on these texts."""
    counted = [features(t, words[i] if words else ()) for i, t in enumerate(texts)]
    df: Counter[str] = Counter(g for c in counted for g in c)
    n = len(texts)
    out = []
    for c in counted:
        vec = {}
        for gram, tf in c.items():
            weight = (1 + math.log(tf)) * (math.log((n + 1) / (df[gram] + 1)) + 1)
            if gram.startswith("w:"):
                weight *= WORD_WEIGHT * (COMMON_WEIGHT if gram[2:] in COMMON_BASES else 1.0)
            elif _HIRAGANA.match(gram):
                weight *= HIRAGANA_WEIGHT
            vec[gram] = weight
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        out.append({g: w / norm for g, w in vec.items()})
    return out


def similarities(
    texts: Sequence[str], floor: float = 0.05, words: Sequence[Sequence[str]] | None = None
) -> dict[tuple[int, int], float]:
    """Cosine similarity of the pairs (i < j) that share a telling n-gram and reach `floor` (sparse).

    Candidate pairs come from the n-grams that at most `common_cap` texts contain; the common ones
    (オンライン in an online-meeting round) are added to those pairs afterwards, never used to find pairs:
    each would pair hundreds of texts with each other at a 400-room scale and decide nothing alone.
    """
    vectors = _vectors(texts, words)
    bases = [{normalise(w) or w for w in ws} - COMMON_BASES for ws in words] if words else []
    n = len(vectors)
    df: Counter[str] = Counter(g for vec in vectors for g in vec)
    cap = max(50, n // 20)
    common = {g for g, count in df.items() if count > cap}
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vec in enumerate(vectors):
        for gram, weight in vec.items():
            if gram not in common:
                postings[gram].append((index, weight))
    frequent = [{g: w for g, w in vec.items() if g in common} for vec in vectors]
    # The common n-grams can add at most |f_i|·|f_j| to a pair (Cauchy–Schwarz): pairs that cannot reach
    # the floor even then are dropped before that sum is taken.
    reach = [math.sqrt(sum(w * w for w in f.values())) for f in frequent]
    sims: dict[tuple[int, int], float] = {}
    for i, vec in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for gram, weight in vec.items():
            if gram in common:
                continue
            for j, other in postings[gram]:
                if j > i:
                    scores[j] += weight * other
        mine = frequent[i]
        for j, score in scores.items():
            if mine and score + reach[i] * reach[j] >= floor:
                theirs = frequent[j]
                score += sum(w * theirs[g] for g, w in mine.items() if g in theirs)
            if score < floor:
                continue
            if bases and score < ONE_WORD_STRONG and len(bases[i] & bases[j]) < 2:
                score *= ONE_WORD_FACTOR
                if score < floor:
                    continue
            sims[(i, j)] = score
    return sims


def cluster(
    texts: Sequence[str], threshold: float = THRESHOLD, words: Sequence[Sequence[str]] | None = None
) -> list[list[int]]:
    """Average-linkage clusters of the texts' indices; each cluster sorted, clusters by first index."""
    return _cluster(len(texts), similarities(texts, threshold / 2, words), threshold)


def _cluster(n: int, sims: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    # total similarity between two live clusters (missing pairs count as 0, as average linkage says)
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), s in sims.items():
        links[i][j] = s
        links[j][i] = s
    heap = [(-s, i, j) for (i, j), s in sims.items() if s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        current = links[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(current + neg) > 1e-12:
            continue  # stale entry: the pair's average changed since it was pushed
        merged = a  # the lower id survives, which keeps the result independent of heap ties
        gone = b
        members[merged] = sorted(members[a] + members[b])
        del members[gone]
        total = links.pop(gone)
        total.pop(merged, None)
        links[merged].pop(gone, None)
        for k, s in total.items():
            links[k].pop(gone, None)
            links[merged][k] = links[merged].get(k, 0.0) + s
            links[k][merged] = links[merged][k]
        for k, s in links[merged].items():
            average = s / (len(members[merged]) * len(members[k]))
            if average >= threshold:
                heapq.heappush(heap, (-average, min(merged, k), max(merged, k)))
    return sorted(members.values(), key=lambda m: m[0])


def _central_first(indices: list[int], sims: dict[tuple[int, int], float], texts: Sequence[str]) -> list[int]:
    """Members ordered by how alike they are to the rest (the label first); ties: shorter text, then order."""

    def closeness(i: int) -> float:
        return sum(sims.get((min(i, j), max(i, j)), 0.0) for j in indices if j != i)

    return sorted(indices, key=lambda i: (-round(closeness(i), 9), len(texts[i]), i))


def group(points: Iterable[ThemePoint], *, threshold: float = THRESHOLD, min_rooms: int = 2) -> list[Theme]:
    """Themes raised by at least `min_rooms` rooms, per kind, most rooms first (then most points, then order)."""
    themes: list[tuple[int, Theme]] = []
    by_kind: dict[str, list[ThemePoint]] = defaultdict(list)
    for point in points:
        if point.text.strip():
            by_kind[point.kind if point.kind in KINDS else "opinion"].append(point)
    for kind in KINDS:
        pts = by_kind.get(kind, [])
        texts = [p.text for p in pts]
        sims = similarities(texts, threshold / 2, [p.words for p in pts])
        for indices in _cluster(len(pts), sims, threshold):
            rooms = tuple(dict.fromkeys(pts[i].room for i in indices))
            if len(rooms) < min_rooms:
                continue
            ordered = _central_first(indices, sims, texts)
            themes.append((indices[0], Theme(kind, tuple(pts[i].ref for i in ordered), rooms)))
    themes.sort(key=lambda t: (KINDS.index(t[1].kind), -len(t[1].rooms), -len(t[1].refs), t[0]))
    return [t for _, t in themes]


def pair_scores(predicted: Iterable[Iterable[int]], truth: Iterable[Iterable[int]]) -> tuple[float, float]:
    """Pairwise precision and recall of a grouping against labelled groups (items are any ids)."""

    def pairs(groups: Iterable[Iterable[int]]) -> set[tuple[int, int]]:
        out: set[tuple[int, int]] = set()
        for g in groups:
            items = sorted(g)
            out.update((a, b) for k, a in enumerate(items) for b in items[k + 1 :])
        return out

    got, want = pairs(predicted), pairs(truth)
    precision = len(got & want) / len(got) if got else 1.0
    recall = len(got & want) / len(want) if want else 1.0
    return precision, recall


def labelled_groups(text: str) -> list[list[str]]:
    """Parse a labelled paraphrase file: "## label" opens a group, "## -" holds texts that stand alone."""
    groups: list[list[str]] = []
    alone = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            alone = line[3:].strip() == "-"
            groups.append([])
        elif alone:
            groups.append([line])
        elif groups:
            groups[-1].append(line)
    return [g for g in groups if g]
