"""Why two passages were paired: the names, numbers, rare words and phrases
they share, with where each occurs on both sides. It never pairs passages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from aligner.features import Features
from aligner.model import DiffOp, Evidence, EvidenceKind
from aligner.segment import Word, is_stop, words_in

MAX_ITEMS = 12
"""Evidence items kept per pair, strongest first."""
RARE_SHARE = 0.55
"""A shared word counts as rare when its idf is this share of the maximum."""
PHRASE_WORDS = 4
"""Words in a row, two of them content words, that make a shared phrase."""
MAX_PHRASES = 3
"""Phrases kept per pair: the longest, listed in reading order."""
PHRASE_TERM_WORDS = 8
"""Words of a phrase given as its term (its spans cover all of it)."""


def find_evidence(
    a: Sequence[Word], b: Sequence[Word], feats: Features, diff: Sequence[DiffOp] = ()
) -> tuple[Evidence, ...]:
    """Shared items of the passages ``a`` and ``b``, strongest first.

    Args:
        a: The words of passage a.
        b: The words of passage b.
        feats: The comparison's features (idf, names).
        diff: The word diff of ``a`` and ``b``: its longer equal runs are
            shared phrases, listed first.
    """
    where_a: dict[str, list[Word]] = defaultdict(list)
    where_b: dict[str, list[Word]] = defaultdict(list)
    for w in a:
        where_a[w.stem].append(w)
    respell = feats.variants.get
    for w in b:
        where_b[respell(w.stem, w.stem)].append(w)
    items = []
    for stem in where_a.keys() & where_b.keys():
        if is_stop(stem) or stem not in feats.idf:
            continue
        idf = feats.idf[stem]
        kind: EvidenceKind
        if stem in feats.names:
            kind = "name"
        elif any(ch.isdigit() for ch in stem):
            kind = "number"
        elif idf >= RARE_SHARE * feats.max_idf:
            kind = "rare"
        else:
            kind = "word"
        first = where_a[stem][0]
        items.append(
            Evidence(
                kind=kind,
                term=first.norm if kind != "name" else _surface(first, feats),
                weight=round(min(idf / feats.max_idf, 1.0), 3),
                a=tuple((w.start, w.end) for w in where_a[stem]),
                b=tuple((w.start, w.end) for w in where_b[stem]),
            )
        )
    order = {"name": 0, "number": 0, "rare": 1, "word": 2}
    items.sort(key=lambda e: (order.get(e.kind, 3), -e.weight, e.term))
    phrases = _phrases(a, diff, feats)
    return tuple(phrases + items[: MAX_ITEMS - len(phrases)])


def _phrases(a: Sequence[Word], diff: Sequence[DiffOp], feats: Features) -> list[Evidence]:
    """The diff's equal runs of ``PHRASE_WORDS`` or more words, longest first."""
    text = feats.segs[0].doc.text
    found: list[tuple[int, Evidence]] = []
    for op in diff:
        if op.tag != "equal":
            continue
        words = words_in(a, op.a_start, op.a_end)
        content = sum(not is_stop(w.stem) for w in words)
        if len(words) < PHRASE_WORDS or content < 2:
            continue
        term = " ".join(text[words[0].start : words[:PHRASE_TERM_WORDS][-1].end].split())
        found.append(
            (
                len(words),
                Evidence(
                    kind="phrase",
                    term=term + (" …" if len(words) > PHRASE_TERM_WORDS else ""),
                    weight=round(min(content / (2 * PHRASE_WORDS), 1.0), 3),
                    a=((op.a_start, op.a_end),),
                    b=((op.b_start, op.b_end),),
                ),
            )
        )
    found.sort(key=lambda x: (-x[0], x[1].a))
    return sorted((e for _, e in found[:MAX_PHRASES]), key=lambda e: e.a)  # the longest, in order


def _surface(word: Word, feats: Features) -> str:
    return feats.segs[0].doc.text[word.start : word.end]
