"""Choose which candidates become pairs, and how far each passage reaches.

Free order (accounts): retellings grow from sentence pairs that are each
other's best match (with a margin over the runner-up) into windows of up to
a few sentences, taking in neighbours that agree; quotations come from
``quotes``. Overlapping candidates are merged.

Ordered mode (versions, translations): a monotone dynamic-programming
alignment of paragraphs, allowing 1-1, 1-2, 2-1 and skipped paragraphs.

This module picks and shapes passages; it never renders or diffs them.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aligner import match
from aligner.boilerplate import is_citation
from aligner.features import Features, joined_names, name_runs
from aligner.segment import Segmented
from aligner.spanindex import SpanIndex

if TYPE_CHECKING:
    from aligner.features import Matrix

SEED_SCORE = 0.15
"""A mutual-best sentence pair must score this much to seed a retelling."""
ONE_SIDED_SCORE = 0.35
"""A pair that is the best match of only one of its sentences needs this:
a passage may have parallels in several places of the other document."""
MIN_SHARED = 2
"""Content words a seed pair must share: one shared word is chance."""
REFERENCE_MAX_IDF = 7.3
"""The largest idf in two documents of ~1,000 sentences each: the scale at
which ``MIN_MASS`` and ``quotes.RUN_WEIGHT`` are set."""
MIN_MASS = 6.5
"""Summed idf of those shared words (two rare ones, or several common)."""
EXTEND_SCORE = 0.08
"""A neighbouring sentence joins a window when it scores this much against
the other side's window."""
CALIBRATION = {
    "seed": 0.0,
    "margin": 1.93,
    "mass": 2.07,
    "soft": 5.72,
    "conflict": -1.28,
    "support": 0.48,
}
"""Logistic weights of a window's signals (``mass`` enters as log1p).

Fitted on the dev gold's judged retelling candidates (leave-one-document-
pair-out it ranks as well as when fitted on all); the seed's own rank adds
nothing once margin and soft agreement are known."""
CALIBRATION_BIAS = -7.95
"""Set so that the default floor 0.5 keeps the most true pairs at >= 70 %
judged precision on the dev gold."""
PAD_CHARS = 300
"""A retelling passage shorter than this (characters) takes in neighbours
from its own paragraph: one short sentence is too little to read an event by.
So does a passage shorter than its partner, up to the partner's length."""
ELSEWHERE = 0.2
"""A neighbour that matches somewhere else this much better stays out."""
MAX_SENTENCES = 10
"""Longest window, in sentences, on either side."""
SHORT_QUOTE_CHARS = 60
"""A quotation shorter than this inside a retelling is left to the retelling."""
NEST_RATIO = 1.3
"""A retelling window this many times longer than a quotation inside it is
reported beside it (it tells the event around the quotation); a shorter one
gives way to the quotation."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed pair: character spans in a and b, a score and a kind."""

    a: tuple[int, int]
    b: tuple[int, int]
    score: float
    kind: str
    signals: tuple[tuple[str, float], ...] = ()
    """The measurements the score was computed from (for calibration)."""


def select_windows(score: Matrix, context: Matrix, feats: Features) -> list[Candidate]:
    """Retellings: mutual-best sentence pairs grown into agreeing windows.

    Args:
        score: Sentence-to-sentence similarity.
        context: The same with each sentence's neighbours folded in.
        feats: The sentence features both were computed from.
    """
    import numpy as np

    seg_a, seg_b = feats.segs
    if score.size == 0:
        return []
    rank = seeding_rank(score, context)
    scale = idf_scale(feats)
    found: dict[tuple[int, int], float | None] = {}

    cited = (citations(seg_a), citations(seg_b))

    def eligible(i: int, j: int) -> float | None:
        """The shared mass of (i, j) when it may seed, else None."""
        if (i, j) not in found:
            shared, mass = _shared(feats, i, j)
            found[(i, j)] = (
                mass * scale
                if shared >= MIN_SHARED
                and mass * scale >= MIN_MASS
                and i not in cited[0]
                and j not in cited[1]
                else None
            )
        return found[(i, j)]

    best_b = _best_eligible(rank, eligible)
    best_a = _best_eligible(rank.T, lambda j, i: eligible(i, j))
    cells = {(i, j) for i, j in enumerate(best_b) if j >= 0}
    cells |= {(i, j) for j, i in enumerate(best_a) if i >= 0}
    seeds = []
    for i, j in cells:
        mutual = best_a[j] == i and best_b[i] == j
        if rank[i, j] < (SEED_SCORE if mutual else ONE_SIDED_SCORE):
            continue
        mass = eligible(i, j)
        if mass is not None:
            seeds.append((float(rank[i, j]), i, j, mass))
    seeds.sort(reverse=True)
    taken_a = np.zeros(score.shape[0], dtype=bool)
    taken_b = np.zeros(score.shape[1], dtype=bool)
    out = []
    # Each sentence's best score anywhere, for ``_grow`` (once, not per neighbour).
    best = (score.max(axis=1), score.max(axis=0))
    for _, i, j, mass in seeds:
        if taken_a[i] or taken_b[j]:
            continue
        a0, a1, b0, b1 = _grow(score, best, i, j, taken_a, taken_b)
        a1, b1 = _with_what_they_introduce(seg_a, seg_b, (a0, a1, b0, b1), taken_a, taken_b)
        taken_a[a0 : a1 + 1] = True
        taken_b[b0 : b1 + 1] = True
        out.append(
            Candidate(
                (seg_a.sentences[a0].start, seg_a.sentences[a1].end),
                (seg_b.sentences[b0].start, seg_b.sentences[b1].end),
                *_window_score(rank, feats, i, j, (a0, a1, b0, b1), mass),
            )
        )
    return out


def citations(seg: Segmented) -> frozenset[int]:
    """The sentences that only cite a source ("(LCW, Vol. 25, p. 468.)"):
    they may join a retelling, never seed one."""
    text = seg.doc.text
    return frozenset(
        k
        for k, s in enumerate(seg.sentences)
        if text[s.start] == "(" and is_citation(text[s.start : s.end])
    )


def seeding_rank(score: Matrix, context: Matrix) -> Matrix:
    """What free order ranks sentence pairs by: their score alone and in
    context, averaged."""
    import numpy as np

    rank: Matrix = ((score + context) / 2).astype(np.float32)
    return rank


ELIGIBLE_RANKS = 2
"""A sentence's partner is its best match among its few best that share
enough words to seed: a better-scoring neighbour sharing nothing (similar
in wording only) does not hide it."""


def _best_eligible(rank: Matrix, eligible: Callable[[int, int], float | None]) -> list[int]:
    """Per row, the best column among its ``ELIGIBLE_RANKS`` best that may seed
    (-1 for none); rows too weak to seed at all keep their plain best."""
    import numpy as np

    best = rank.argmax(axis=1)
    out: list[int] = best.tolist()
    k = min(ELIGIBLE_RANKS, rank.shape[1])
    strong = np.flatnonzero(rank[np.arange(len(best)), best] >= SEED_SCORE).tolist()
    blocked = [i for i in strong if eligible(i, out[i]) is None]
    if k < 2 or not blocked:
        return out
    rows = rank[blocked]
    # The runners-up of the blocked rows only, in one call.
    top = np.argpartition(-rows, k - 1, axis=1)[:, :k] if k < rank.shape[1] else None
    for n, i in enumerate(blocked):
        cands = top[n].tolist() if top is not None else list(range(rank.shape[1]))
        order = sorted((j for j in cands if j != out[i]), key=lambda j: -rank[i, j])
        out[i] = next((j for j in order if eligible(i, j) is not None), -1)
    return out


def idf_scale(feats: Features) -> float:
    """Factor bringing idf sums to the scale of documents of ~1,000 sentences.

    The thresholds above were set there; idf grows with the log of the
    number of sentences, so two short texts would otherwise never reach them.
    """
    return REFERENCE_MAX_IDF / feats.max_idf if feats.max_idf > 0 else 1.0


def _shared(feats: Features, i: int, j: int) -> tuple[int, float]:
    """How many content stems sentences i and j share, and their summed idf.

    A name of several words or a list of names that either sentence gives
    (``_name_groups``) is one item, weighing as its rarest name: "People's
    Commissariat of Workers' and Peasants' Inspection" or "Bukharin, Rykov
    and Tomsky" is one piece of evidence, not three rare words that meet.
    """
    bag_a, bag_b = feats.bags[0][i], feats.bags[1][j]
    common = bag_a.keys() & bag_b.keys()
    names = {t for t in common if t in feats.names}
    if len(names) < 2:  # one name makes no group
        return len(common), sum(feats.idf[t] for t in common)
    merged = joined_names(
        _name_groups(feats.segs[0], i, names) + _name_groups(feats.segs[1], j, names)
    )
    single = common.difference(*merged)
    mass = sum(feats.idf[t] for t in single) + sum(max(feats.idf[t] for t in g) for g in merged)
    return len(single) + len(merged), mass


def _name_groups(seg: Segmented, k: int, names: set[str]) -> list[set[str]]:
    """The ``names`` of sentence k, a set per name or list of names."""
    s = seg.sentences[k]
    words = seg.words[s.w0 : s.w1]
    return [{w.stem for w in run} for run in name_runs(words, names, seg.doc.text)]


def _grow(
    score: Matrix,
    best: tuple[Matrix, Matrix],
    i: int,
    j: int,
    taken_a: object,
    taken_b: object,
) -> tuple[int, int, int, int]:
    """Widen the seed (i, j) with neighbours that agree with the other side.

    ``best`` holds each sentence's best score in ``score`` (rows, columns).
    """
    a0 = a1 = i
    b0 = b1 = j
    n_a, n_b = score.shape
    while True:
        options = []
        if a1 - a0 + 1 < MAX_SENTENCES:
            for k in (a0 - 1, a1 + 1):
                if 0 <= k < n_a and not taken_a[k]:  # type: ignore[index]
                    support = float(score[k, max(b0 - 1, 0) : b1 + 2].max())
                    floor = EXTEND_SCORE
                    if support >= floor and best[0][k] - support < ELSEWHERE:
                        options.append((support, "a", k))
        if b1 - b0 + 1 < MAX_SENTENCES:
            for k in (b0 - 1, b1 + 1):
                if 0 <= k < n_b and not taken_b[k]:  # type: ignore[index]
                    support = float(score[max(a0 - 1, 0) : a1 + 2, k].max())
                    floor = EXTEND_SCORE
                    if support >= floor and best[1][k] - support < ELSEWHERE:
                        options.append((support, "b", k))
        if not options:
            return a0, a1, b0, b1
        _, side, k = max(options)
        if side == "a":
            a0, a1 = min(a0, k), max(a1, k)
        else:
            b0, b1 = min(b0, k), max(b1, k)


def _window_score(
    rank: Matrix,
    feats: Features,
    i: int,
    j: int,
    window: tuple[int, int, int, int],
    mass: float,
) -> tuple[float, str, tuple[tuple[str, float], ...]]:
    """Score a grown window: (score, kind, signals).

    Signals: the seed's rank, its margin over the best rival partner of
    either sentence, the rarity mass of the words the windows share, their
    soft word agreement (synonyms count), and whether they name only
    different years (two passages dated 1921 and 1927 tell other events).
    """
    import numpy as np

    a0, a1, b0, b1 = window
    seed = float(rank[i, j])
    row = rank[i].copy()
    row[max(b0 - 2, 0) : b1 + 3] = -1
    col = rank[:, j].copy()
    col[max(a0 - 2, 0) : a1 + 3] = -1
    # With no rival left (two short texts), the margin is over nothing: 0.
    margin = seed - max(float(row.max(initial=0)), float(col.max(initial=0)), 0.0)
    ra, rb = range(a0, a1 + 1), range(b0, b1 + 1)
    soft = match.soft_overlap(feats, ra, rb)
    ya, yb = match.years(feats, 0, ra), match.years(feats, 1, rb)
    conflict = float(bool(ya and yb and not ya & yb))
    support = float(np.count_nonzero(rank[a0 : a1 + 1, b0 : b1 + 1] >= EXTEND_SCORE) - 1)
    signals = (
        ("seed", seed),
        ("margin", margin),
        ("mass", min(mass, 40.0)),
        ("soft", soft),
        ("conflict", conflict),
        ("support", min(support, 5.0)),
    )
    logit = CALIBRATION_BIAS + sum(
        CALIBRATION[name] * (math.log1p(value) if name == "mass" else value)
        for name, value in signals
    )
    return 1.0 / (1.0 + math.exp(-logit)), "retelling", signals


def merge(
    cands: list[Candidate], segs: tuple[Segmented, Segmented] | None = None
) -> list[Candidate]:
    """Merge candidates overlapping on both sides.

    Two quotations become one covering both (two runs of one quotation). A
    retelling window overlapping a quotation gives way to it, keeping the
    quotation tight, unless the window is ``NEST_RATIO`` times longer: then
    it tells the event around the quotation and both are kept. What a window
    tells beyond the quotations, before them on both sides or after them,
    stays a pair of its own (in whole sentences of ``segs``, when given).
    """
    kept: dict[int, Candidate] = {}  # in the order kept, by serial number
    index: SpanIndex[int] = SpanIndex()  # kept candidates by their span in a
    serials = itertools.count()

    def keep(c: Candidate) -> None:
        n = next(serials)
        kept[n] = c
        index.add(n, 0, c.a)

    def drop(n: int) -> None:
        index.discard(n, 0, kept.pop(n).a)

    for c in sorted(cands, key=lambda c: (c.kind != "quotation", -c.score)):
        clash = sorted(
            n for n in index.near(0, c.a) if overlaps(c.a, kept[n].a) and overlaps(c.b, kept[n].b)
        )
        others = [kept[n] for n in clash]
        if not clash:
            keep(c)
        elif c.kind == "quotation":
            for n in clash:
                drop(n)
            keep(
                Candidate(
                    (min(k.a[0] for k in [c, *others]), max(k.a[1] for k in [c, *others])),
                    (min(k.b[0] for k in [c, *others]), max(k.b[1] for k in [c, *others])),
                    max(k.score for k in [c, *others]),
                    "quotation",
                )
            )
        elif all(k.kind == "quotation" and _nests(k, c) for k in others):
            keep(c)
            # A short quotation inside it adds nothing the retelling lacks.
            for n, k in zip(clash, others, strict=True):
                if _shorter_side(k) < SHORT_QUOTE_CHARS:
                    drop(n)
        elif all(k.kind == "quotation" for k in others):
            # It gives way to them, but what it tells beyond them stays.
            rest = _rest(c, others, segs)
            if rest is not None and not any(
                overlaps(rest.a, kept[n].a) and overlaps(rest.b, kept[n].b)
                for n in index.near(0, rest.a)
            ):
                keep(rest)
    return list(kept.values())


MIN_REST = 100
"""Fewest characters, on each side, a retelling must tell beyond the
quotations it overlaps for that part to stay a pair (``merge``)."""


def _rest(
    c: Candidate, quotes: list[Candidate], segs: tuple[Segmented, Segmented] | None
) -> Candidate | None:
    """What retelling ``c`` tells beyond the quotations it overlaps, in whole
    sentences when ``segs`` are given: the part before them on both sides,
    or else the part after them; None when too little is left."""
    a0, a1 = min(q.a[0] for q in quotes), max(q.a[1] for q in quotes)
    b0, b1 = min(q.b[0] for q in quotes), max(q.b[1] for q in quotes)
    parts = (((c.a[0], a0), (c.b[0], b0)), ((a1, c.a[1]), (b1, c.b[1])))
    for before, (x, y) in zip((True, False), parts, strict=True):
        if segs is not None:
            x, y = _whole(segs[0], x, before), _whole(segs[1], y, before)
        if x[1] - x[0] >= MIN_REST and y[1] - y[0] >= MIN_REST:
            return Candidate(x, y, c.score, c.kind, c.signals)
    return None


def _whole(seg: Segmented, span: tuple[int, int], before: bool) -> tuple[int, int]:
    """``span`` without the sentence a quotation cuts at its end (``before``:
    the part before the quotation) or at its start."""
    ends = seg.sentence_ends
    if before:
        k = bisect.bisect_right(ends, span[1]) - 1
        return (span[0], ends[k]) if k >= 0 and ends[k] > span[0] else (span[0], span[0])
    k = bisect.bisect_left(ends, span[0] + 1)
    if k < len(ends) and seg.sentences[k].start < span[0]:
        k += 1
    return (seg.sentences[k].start, span[1]) if k < len(ends) else (span[1], span[1])


def _shorter_side(c: Candidate) -> int:
    return min(c.a[1] - c.a[0], c.b[1] - c.b[0])


def _nests(inner: Candidate, outer: Candidate) -> bool:
    def ratio(x: tuple[int, int], y: tuple[int, int]) -> float:
        return (y[1] - y[0]) / max(x[1] - x[0], 1)

    return min(ratio(inner.a, outer.a), ratio(inner.b, outer.b)) >= NEST_RATIO


def overlaps(x: tuple[int, int], y: tuple[int, int]) -> bool:
    """True when the half-open character ranges ``x`` and ``y`` share a character."""
    return x[0] < y[1] and y[0] < x[1]


def pad(cands: list[Candidate], score: Matrix, feats: Features) -> list[Candidate]:
    """Give short retelling passages the rest of their sentence's context.

    Each side shorter than ``PAD_CHARS``, or than the other side, takes in
    neighbouring sentences of its paragraph until it is as long as the longer
    of the two: the one agreeing more with the other side first, never
    entering a sentence another pair already uses. Where the window grown
    from the seed holds one sentence of a and four of b, the event a tells
    goes on around that sentence.
    """
    used = [_sentence_owner(feats.segs[side], cands, side) for side in (0, 1)]
    out = []
    for n, c in enumerate(cands):
        if c.kind != "retelling":
            out.append(c)
            continue
        length = max(PAD_CHARS, c.a[1] - c.a[0], c.b[1] - c.b[0])
        a = _pad_side(feats.segs[0], c.a, length, used[0], n, lambda k: float(score[k].max()))
        b = _pad_side(feats.segs[1], c.b, length, used[1], n, lambda k: float(score[:, k].max()))
        out.append(Candidate(a, b, c.score, c.kind, c.signals))
    return out


def _sentence_owner(seg: Segmented, cands: list[Candidate], side: int) -> dict[int, int]:
    owner = {}
    for n, c in enumerate(cands):
        for k in sentences_in(seg, c.a if side == 0 else c.b):
            owner[k] = n
    return owner


def sentences_in(seg: Segmented, span: tuple[int, int]) -> range:
    """Indices of the sentences overlapping ``span``."""
    ends = seg.sentence_ends
    lo = bisect.bisect_right(ends, span[0])
    hi = lo
    while hi < len(seg.sentences) and seg.sentences[hi].start < span[1]:
        hi += 1
    return range(lo, hi)


def _pad_side(
    seg: Segmented,
    span: tuple[int, int],
    length: int,
    owner: dict[int, int],
    me: int,
    support: Callable[[int], float],
) -> tuple[int, int]:
    """``span`` widened by whole sentences of its paragraph to ``PAD_CHARS``,
    and on towards ``length`` characters while a sentence brings it nearer
    (as far as the paragraph, ``MAX_SENTENCES`` and the other pairs'
    sentences allow)."""
    sents = seg.sentences
    inside = sentences_in(seg, span)
    if not inside:
        return span
    k0, k1 = inside[0], inside[-1]
    start, end = span
    while end - start < length and k1 - k0 + 1 < MAX_SENTENCES:
        options = [
            k
            for k in (k0 - 1, k1 + 1)
            if 0 <= k < len(sents)
            and sents[k].paragraph == sents[k0 if k < k0 else k1].paragraph
            and not sents[k].boiler
            and owner.get(k, me) == me
            and not (k > k1 and _introduces(seg, k))
        ]
        if not options:
            break
        k = max(options, key=support)
        grown = max(end, sents[k].end) - min(start, sents[k].start)
        if end - start >= PAD_CHARS and grown - length > length - (end - start):
            break  # matching the partner's length, a sentence too many overshoots it
        owner[k] = me
        if k < k0:
            k0, start = k, min(start, sents[k].start)
        else:
            k1, end = k, max(end, sents[k].end)
    return start, end


def _with_what_they_introduce(
    seg_a: Segmented,
    seg_b: Segmented,
    window: tuple[int, int, int, int],
    taken_a: object,
    taken_b: object,
) -> tuple[int, int]:
    """The last sentences ``(a1, b1)`` of a window, each one further on when
    both end by introducing what follows ("Victor Serge described ...:" /
    "Victor Serge describes ...:"): two introductions are as parallel as the
    quotations they introduce, and the window is scored with those."""
    a0, a1, b0, b1 = window
    if (
        _introduces(seg_a, a1)
        and _introduces(seg_b, b1)
        and a1 + 1 < len(seg_a.sentences)
        and b1 + 1 < len(seg_b.sentences)
        and not taken_a[a1 + 1]  # type: ignore[index]
        and not taken_b[b1 + 1]  # type: ignore[index]
        and max(a1 - a0, b1 - b0) + 2 <= MAX_SENTENCES
    ):
        return a1 + 1, b1 + 1
    return a1, b1


def _introduces(seg: Segmented, k: int) -> bool:
    """Whether sentence k ends with a colon: it introduces what follows it
    (a quotation, a list), which a passage padded with it would leave out."""
    return seg.doc.text[seg.sentences[k].start : seg.sentences[k].end].rstrip().endswith(":")


def chain(cands: list[Candidate], feats: Features) -> list[Candidate]:
    """Join pairs that continue each other in both documents.

    Two pairs whose passages follow each other in one paragraph of each
    document, at most ``CHAIN_GAP`` sentences apart on either side, tell one
    passage (an episode told in a few stretches the engine found apart): one
    pair, scored as the better of the two, a quotation only when both were.
    """
    seg_a, seg_b = feats.segs
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: c.a):
        if out and _continues(out[-1], c, seg_a, seg_b):
            p = out[-1]
            kind = "quotation" if p.kind == c.kind == "quotation" else "retelling"
            out[-1] = Candidate((p.a[0], c.a[1]), (p.b[0], c.b[1]), max(p.score, c.score), kind)
        else:
            out.append(c)
    return out


CHAIN_GAP = 2
"""Most sentences between two pairs that ``chain`` joins, on either side
(one account's sentence is often two of the other's: a gap of one sentence
on one side is two on the other)."""


def _continues(p: Candidate, c: Candidate, seg_a: Segmented, seg_b: Segmented) -> bool:
    """Whether ``c`` follows ``p`` closely in one paragraph of both documents:
    on each side it starts no earlier and ends later, at most ``CHAIN_GAP``
    sentences after ``p`` ends (or overlapping it: the words of a quotation
    told on in a retelling of the rest of the episode)."""
    for seg, x, y in ((seg_a, p.a, c.a), (seg_b, p.b, c.b)):
        if y[0] < x[0] or y[1] <= x[1]:
            return False
        last = bisect.bisect_right(seg.sentence_ends, x[1] - 1)
        first = bisect.bisect_right(seg.sentence_ends, y[0])
        if first - last - 1 > CHAIN_GAP or first >= len(seg.sentences):
            return False
        if seg.sentences[first].paragraph != seg.sentences[last].paragraph:
            return False
    return True
