"""Find candidate parallels: shared word runs and similar sentences.

Two detectors feed the aligner:

* ``find_runs``: runs of the same normalised words in both documents (seeded
  by word n-grams, as text-reuse tools do), chained across small gaps, so a
  quotation is found however its surroundings differ.
* ``sentence_scores``: a similarity for every pair of sentences, combining
  tf-idf cosine of stems (rare words, names and numbers weigh most) with the
  cosine of SIF-weighted static embeddings corrected for hubness (CSLS).

This module scores; it does not decide which candidates are reported.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aligner.caches import per_document
from aligner.features import Features
from aligner.segment import Segmented, stop_stems

if TYPE_CHECKING:
    from aligner.features import Matrix

SEED_N = 4
"""Words in a seed n-gram."""
MAX_SEED_HITS = 8
"""An n-gram seen more often than this in either document seeds nothing
(repeated boilerplate, pathological repetition)."""
MAX_GAP = 10
"""Words a run may skip on either side and still be one run."""
CSLS_K = 10
"""Neighbourhood size for the hubness correction."""
LEXICAL_WEIGHT = 0.55
"""Share of the tf-idf cosine in the sentence score (the rest: embeddings)."""


@dataclass(frozen=True, slots=True)
class Run:
    """Matched words in both documents (word indices, half-open)."""

    a0: int
    a1: int
    b0: int
    b1: int
    matched: int
    """Words inside the run that are the same in both."""
    repeats: int = 2
    """Occurrences, in both documents together, of the run's rarest seed
    n-gram: 2 for a passage each document has once; more for a stock phrase
    ("the development of the productive forces") that both keep using."""


def opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Levenshtein opcodes between two token lists (rapidfuzz)."""
    from rapidfuzz.distance import Levenshtein

    return [tuple(op) for op in Levenshtein.opcodes(a, b)]  # type: ignore[misc]


def find_runs(a: Segmented, b: Segmented, *, min_words: int = 6) -> list[Run]:
    """Stretches where both documents use the same words in the same order."""
    # Index the shorter document and scan the longer: the index of a book
    # would hold millions of places.
    flip = len(a.words) < len(b.words)
    small, large = (a, b) if flip else (b, a)
    index = _gram_index(small)
    scanned = _live_stems(large)
    # Only the n-grams the index has are collected from the scanned side.
    found: dict[tuple[str, ...], list[int]] = {}
    # The places whose n-gram the index holds, picked by C-level iterators
    # (a book has millions of places, a few thousand of them hits).
    places = itertools.compress(itertools.count(), map(index.__contains__, _grams(scanned)))
    for i in places:
        positions = found.setdefault(tuple(scanned[i : i + SEED_N]), [])
        # Past the cap a gram seeds nothing: stop counting its places.
        if len(positions) <= MAX_SEED_HITS:
            positions.append(i)
    seeds: list[tuple[int, int, int]] = []
    for gram, positions in found.items():
        hits = index[gram]
        if len(hits) <= MAX_SEED_HITS and len(positions) <= MAX_SEED_HITS:
            seen = len(positions) + len(hits)
            if flip:  # hits are in a, positions in b
                seeds.extend((i, j, seen) for i in hits for j in positions)
            else:
                seeds.extend((i, j, seen) for i in positions for j in hits)
    return [r for r in _chain(seeds) if r.matched >= min_words]


@per_document
def _gram_index(seg: Segmented) -> dict[tuple[str, ...], list[int]]:
    """Where each seedable n-gram of ``seg`` starts."""
    stems = _live_stems(seg)
    seedable = _seedable(stems)
    index: dict[tuple[str, ...], list[int]] = {}
    for j, gram in enumerate(_grams(stems)):
        if seedable[j]:
            index.setdefault(gram, []).append(j)
    return index


def _grams(stems: list[str]) -> Iterator[tuple[str, ...]]:
    """The ``SEED_N``-grams of ``stems``, one per start position."""
    return zip(*(itertools.islice(stems, k, None) for k in range(SEED_N)), strict=False)


@per_document
def _live_stems(seg: Segmented) -> list[str]:
    """Stems of each word; words of boilerplate sentences never match."""
    out = list(map(operator.itemgetter(3), seg.words))  # Word.stem, in C
    for s in seg.sentences:
        if s.boiler:
            for k in range(s.w0, s.w1):
                out[k] = f"\x00{k}"
    return out


def _seedable(stems: list[str]) -> list[bool]:
    """Per start position: does the n-gram there hold two content words?"""
    stop = stop_stems()
    dead = [t[:1] == "\x00" for t in stems]  # boilerplate markers from _live_stems
    content = [0] + [t not in stop and not d for t, d in zip(stems, dead, strict=True)]
    for k in range(1, len(content)):
        content[k] += content[k - 1]
    return [
        content[j + SEED_N] - content[j] >= 2 and not dead[j]
        for j in range(len(stems) - SEED_N + 1)
    ]


def _chain(seeds: list[tuple[int, int, int]]) -> list[Run]:
    """Chain seeds (i, j, occurrences) lying close in both documents into runs."""
    seeds.sort()
    # [a0, a1, b0, b1, matched, last_i, last_j, fewest occurrences of a seed]
    open_runs: list[list[int]] = []
    done: list[list[int]] = []
    for i, j, seen in seeds:
        placed = False
        for run in open_runs:
            di, dj = i - run[5], j - run[6]
            if (
                0 < di <= MAX_GAP + SEED_N
                and 0 < dj <= MAX_GAP + SEED_N
                and abs(di - dj) <= MAX_GAP
            ):
                run[4] += min(di, dj, SEED_N)
                run[1], run[3] = max(run[1], i + SEED_N), max(run[3], j + SEED_N)
                run[5], run[6] = i, j
                run[7] = min(run[7], seen)
                placed = True
                break
            if di == 0 and dj == 0:
                placed = True
                break
        if not placed:
            open_runs.append([i, i + SEED_N, j, j + SEED_N, SEED_N, i, j, seen])
        # Runs that can no longer grow are closed, keeping the open list short.
        keep: list[list[int]] = []
        for run in open_runs:
            (keep if i - run[5] <= MAX_GAP + SEED_N else done).append(run)
        open_runs = keep
    done.extend(open_runs)
    return [Run(r[0], r[1], r[2], r[3], r[4], r[7]) for r in done]


def sentence_scores(feats: Features, *, context: int = 1) -> tuple[Matrix, Matrix]:
    """Similarity of every sentence of a (rows) with every sentence of b.

    Returns:
        Two matrices: the sentences alone, and in context: each sentence
        together with up to ``context`` neighbours on each side in its
        paragraph, so that a pair scores high only when the passages around
        it agree too. Boilerplate sentences score -1 everywhere.
    """
    import numpy as np

    segs = feats.segs
    rows = feats.rows
    lexical = _sparse_rows_dot(rows[0], rows[1])
    # In context, the tf-idf cosine follows from the plain products: the
    # widened rows are sums of neighbouring rows, so their products are sums
    # of neighbouring products, divided by the widened rows' norms.
    norms = [_widened_norms(m, seg, context) for m, seg in zip(rows, segs, strict=True)]
    lexical_wide = _widen(
        _widen(lexical, segs[0], context, normalise=False).T, segs[1], context, normalise=False
    ).T
    lexical_wide /= norms[0][:, None]
    lexical_wide /= norms[1][None, :]
    vecs = feats.vectors
    dead_a = np.array([not bag for bag in feats.bags[0]], dtype=bool)
    dead_b = np.array([not bag for bag in feats.bags[1]], dtype=bool)
    out = []
    for score, wide in ((lexical, False), (lexical_wide, True)):
        if vecs is not None:
            va, vb = vecs
            if wide:
                va = _widen(va, segs[0], context, normalise=True)
                vb = _widen(vb, segs[1], context, normalise=True)
            semantic = csls(va @ vb.T)
            # In place: no extra matrix of the same size.
            score *= LEXICAL_WEIGHT
            semantic *= 1 - LEXICAL_WEIGHT
            score += semantic
            del semantic
        score[dead_a, :] = -1.0
        score[:, dead_b] = -1.0
        out.append(score.astype(np.float32, copy=False))
    return out[0], out[1]


def _sparse_rows_dot(a: Matrix, b: Matrix) -> Matrix:
    """``a @ b.T`` for tf-idf rows, which are almost all zeros.

    A sentence uses about ten of the thousands of shared stems, so each row
    of ``a`` needs only those rows of ``b.T``: a fortieth of the dense
    product's work.
    """
    import numpy as np

    bt = np.ascontiguousarray(b.T)
    out = np.zeros((a.shape[0], b.shape[0]), dtype=np.float32)
    for i, row in enumerate(a):
        cols = np.flatnonzero(row)
        if cols.size:
            out[i] = row[cols] @ bt[cols]
    return out


def _widened_norms(rows: Matrix, seg: Segmented, context: int) -> Matrix:
    """Norms of ``_widen(rows, seg, context)``'s rows (zeros as 1), without it.

    A widened row is ``sum_d c_d * row[i + d]``; its squared norm is the sum
    of ``c_d * c_e * (row[i + d] . row[i + e])`` over neighbours d, e, and
    the products of rows at most ``2 * context`` apart are cheap to list.
    """
    import numpy as np

    n = len(rows)
    para = np.array([s.paragraph for s in seg.sentences])
    # coef[d][i]: weight of row i + d in widened row i (0 out of range or paragraph).
    coef = {0: np.ones(n, dtype=np.float32)}
    for d in range(1, context + 1):
        coef[d], coef[-d] = np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
        if d < n:
            same = (para[d:] == para[:-d]).astype(np.float32) * 0.5**d
            coef[d][: n - d] = same
            coef[-d][d:] = same
    # gram[t][k + x] = row[x] . row[x + t], zero-padded by ``context`` each side.
    gram = {}
    for t in range(2 * context + 1):
        padded = np.zeros(n + 2 * context, dtype=np.float32)
        if t < n:
            padded[context : context + n - t] = np.einsum("ij,ij->i", rows[: n - t], rows[t:])
        gram[t] = padded
    square = np.zeros(n, dtype=np.float32)
    for d in range(-context, context + 1):
        for e in range(-context, context + 1):
            lo = context + min(d, e)
            square += coef[d] * coef[e] * gram[abs(e - d)][lo : lo + n]
    norms: Matrix = np.sqrt(np.maximum(square, 0.0))
    norms[norms < 1e-6] = 1.0
    return norms


def _widen(rows: Matrix, seg: Segmented, context: int, *, normalise: bool) -> Matrix:
    """Add each row's neighbours (same paragraph, up to ``context`` away)."""
    import numpy as np

    out = rows.copy()
    para = np.array([s.paragraph for s in seg.sentences])
    n = len(para)
    for d in range(1, context + 1):
        if d >= n:
            break
        same = (para[d:] == para[:-d])[:, None]
        weight = 0.5**d
        out[:-d] += weight * rows[d:] * same
        out[d:] += weight * rows[:-d] * same
    if normalise:
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        out /= norms
    return out


def csls(cos: Matrix) -> Matrix:
    """Cross-domain similarity local scaling: 2cos - r_a - r_b.

    Some sentences are close to everything (hubs); subtracting each one's
    mean similarity to its k nearest neighbours keeps them from winning
    every ranking.
    """
    import numpy as np

    k_a = min(CSLS_K, cos.shape[1])
    k_b = min(CSLS_K, cos.shape[0])
    if k_a == 0 or k_b == 0:
        return cos
    r_a = np.partition(cos, -k_a, axis=1)[:, -k_a:].mean(axis=1)
    r_b = np.partition(cos, -k_b, axis=0)[-k_b:, :].mean(axis=0)
    out: Matrix = 2 * cos - r_a[:, None] - r_b[None, :]
    return out


SOFT_BASELINE = 0.25
"""Cosine two unrelated words typically reach; rescaled to 0."""


def soft_overlap(feats: Features, a: range, b: range) -> float:
    """Idf-weighted greedy word alignment of sentences ``a`` and ``b`` (F1).

    Each content word finds its most similar word on the other side (the
    same stem counts 1; otherwise the rescaled cosine of their vectors), as
    BERTScore does with contextual vectors. It credits "died"/"death" and
    "purge"/"expelled" that plain stem overlap misses.
    """
    import numpy as np

    if feats.word_vectors is None:
        return 0.0
    side = []
    for seg, rng in zip(feats.segs, (a, b), strict=True):
        words = [
            w
            for k in rng
            if not seg.sentences[k].boiler
            for w in seg.words[seg.sentences[k].w0 : seg.sentences[k].w1]
            if w.norm in feats.word_index and w.stem in feats.idf
        ]
        side.append(words)
    wa, wb = side
    if not wa or not wb:
        return 0.0
    va = feats.word_vectors[[feats.word_index[w.norm] for w in wa]]
    vb = feats.word_vectors[[feats.word_index[w.norm] for w in wb]]
    sim = np.clip((va @ vb.T - SOFT_BASELINE) / (1 - SOFT_BASELINE), 0.0, 1.0)
    same = np.array([[x.stem == y.stem for y in wb] for x in wa])
    sim[same] = 1.0
    ia = np.array([feats.idf[w.stem] for w in wa])
    ib = np.array([feats.idf[w.stem] for w in wb])
    recall = float((sim.max(axis=1) * ia).sum() / ia.sum())
    precision = float((sim.max(axis=0) * ib).sum() / ib.sum())
    return 2 * recall * precision / (recall + precision) if recall + precision else 0.0


def years(feats: Features, side: int, rng: range) -> set[str]:
    """Four-digit years (1700-2099) mentioned in sentences ``rng``."""
    seg = feats.segs[side]
    out = set()
    for k in rng:
        s = seg.sentences[k]
        for w in seg.words[s.w0 : s.w1]:
            if len(w.norm) == 4 and w.norm.isdigit() and 1700 <= int(w.norm) < 2100:
                out.add(w.norm)
    return out
