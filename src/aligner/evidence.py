"""Why two passages were paired: the names, numbers, rare words and phrases
they share, with where each occurs on both sides. It never pairs passages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from aligner.features import Features
from aligner.model import Evidence, EvidenceKind
from aligner.segment import Word, is_stop

MAX_ITEMS = 12
"""Evidence items kept per pair, strongest first."""
RARE_SHARE = 0.55
"""A shared word counts as rare when its idf is this share of the maximum."""


def find_evidence(a: Sequence[Word], b: Sequence[Word], feats: Features) -> tuple[Evidence, ...]:
    """Shared items of the passages ``a`` and ``b``, strongest first."""
    where_a: dict[str, list[Word]] = defaultdict(list)
    where_b: dict[str, list[Word]] = defaultdict(list)
    for w in a:
        where_a[w.stem].append(w)
    for w in b:
        where_b[w.stem].append(w)
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
    return tuple(items[:MAX_ITEMS])


def _surface(word: Word, feats: Features) -> str:
    return feats.segs[0].doc.text[word.start : word.end]
