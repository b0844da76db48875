"""Japanese content words for the theme grouping: base forms from SudachiPy (core dictionary, PyPI)."""

from __future__ import annotations

import threading
from collections.abc import Iterable

_local = threading.local()

# Parts of speech that carry a topic; words that carry none (する, ある, こと…) are left out.
_KEEP = {"名詞", "動詞", "形容詞", "形状詞", "副詞"}
_STOP = {
    "する", "為る", "有る", "ある", "居る", "いる", "出来る", "成る", "なる", "事", "物", "方", "よう", "様",
    "こと", "もの", "思う", "人", "中", "時", "言う", "いう", "所", "ところ",
}  # fmt: skip
# Endings that turn a claim around: 生まれにくい is not 生まれる, 残らない is not 残る.
_POLARITY = {("接尾辞", "難い"), ("接尾辞", "易い"), ("助動詞", "ない"), ("助動詞", "ず"), ("助動詞", "ぬ")}


def _tokenizer():  # type: ignore[no-untyped-def]
    """One tokenizer per thread (SudachiPy's are not thread-safe); loading the dictionary takes ~0.1 s."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import Dictionary, SplitMode

        tok = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
        _local.tokenizer = tok
    return tok


def content_words(text: str) -> tuple[str, ...]:
    """The normalised base forms of a text's content words (and its negations), in order."""
    out = []
    for morpheme in _tokenizer().tokenize(text[:2000]):
        pos = morpheme.part_of_speech()
        base = morpheme.normalized_form()
        if (pos[0] in _KEEP and pos[1] != "数詞" and base not in _STOP) or (pos[0], base) in _POLARITY:
            out.append(base)
    return tuple(out)


def content_words_of(texts: Iterable[str]) -> list[tuple[str, ...]]:
    """content_words for many texts."""
    return [content_words(t) for t in texts]
