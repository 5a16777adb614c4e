"""Why two passages were paired: the names, numbers, rare words and phrases
they share, with where each occurs on both sides. It never pairs passages."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence

from aligner.features import Features, joined_names, name_runs
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
_BRACKET = re.compile(r"\s*[(\[]")
"""Where an alias in brackets begins ("Inspection (Rabkrin)"): a name's term ends there."""


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
    shared = [s for s in where_a.keys() & where_b.keys() if not is_stop(s) and s in feats.idf]
    together = _names_together(a, b, {s for s in shared if s in feats.names}, feats)
    items = []
    for stem in shared:
        names = together.get(stem)
        if names is not None and stem != names[0]:
            continue  # given once, with the first name of its group
        group = names[1:] if names is not None else (stem,)
        idf = max(feats.idf[t] for t in group)
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
        if names is not None:
            term = _group_term(a, b, set(group), feats)
        else:
            term = first.norm if kind != "name" else _surface(first, feats)
        items.append(
            Evidence(
                kind=kind,
                term=term,
                weight=round(min(idf / feats.max_idf, 1.0), 3),
                a=_mentions(a, group, feats.segs[0].doc.text, feats),
                b=_mentions(b, group, feats.segs[1].doc.text, feats),
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


def _names_together(
    a: Sequence[Word], b: Sequence[Word], names: set[str], feats: Features
) -> dict[str, tuple[str, ...]]:
    """The shared ``names`` that either passage gives as one name or one list
    ("Bornholmer Strasse", "Bukharin, Rykov and Tomsky"), as the engine counts
    them (``align._shared``): stem -> (the group's key stem, its stems...)."""
    respell = feats.variants.get
    spelt_b = {w.stem for w in b if respell(w.stem, w.stem) in names}
    runs = name_runs(a, names, feats.segs[0].doc.text) + name_runs(
        b, spelt_b, feats.segs[1].doc.text
    )
    out: dict[str, tuple[str, ...]] = {}
    for group in joined_names({respell(w.stem, w.stem) for w in run} for run in runs):
        if len(group) > 1:
            stems = tuple(sorted(group))
            for t in stems:
                out[t] = (stems[0], *stems)
    return out


def _mentions(
    words: Sequence[Word], group: Sequence[str], text: str, feats: Features
) -> tuple[tuple[int, int], ...]:
    """Where ``words`` mention the names of ``group``: a span per mention, a
    list or a name of several words being one ("Bukharin, Rykov and Tomsky"),
    an alias in brackets one of its own."""
    respell = feats.variants.get
    spelt = {w.stem for w in words if respell(w.stem, w.stem) in group}
    spans: list[tuple[int, int]] = []
    for run in name_runs(words, spelt, text):
        start = run[0].start
        for w, nxt in itertools.pairwise(run):
            if any(mark in text[w.end : nxt.start] for mark in "()[]"):
                spans.append((start, w.end))
                start = nxt.start
        spans.append((start, run[-1].end))
    return tuple(spans)


def _group_term(a: Sequence[Word], b: Sequence[Word], group: set[str], feats: Features) -> str:
    """A group of names as a passage writes it: its first run of two or more
    of them, in a if a has one."""
    respell = feats.variants.get
    for words, seg in ((a, feats.segs[0]), (b, feats.segs[1])):
        spelt = {w.stem for w in words if respell(w.stem, w.stem) in group}
        for run in name_runs(words, spelt, seg.doc.text):
            if len(run) > 1:
                # An alias in brackets ("Inspection (Rabkrin)") ends the term.
                term = _BRACKET.split(seg.doc.text[run[0].start : run[-1].end])[0]
                return " ".join(term.split())
    return _surface(next(w for w in a if w.stem in group), feats)


def _surface(word: Word, feats: Features) -> str:
    return feats.segs[0].doc.text[word.start : word.end]
