"""Sentence features shared by the matchers: weights, names, numbers, vectors.

Rarity is measured over the sentences of *both* documents, so a word common
in one account but absent from the other still counts as distinctive when it
is shared. This module describes sentences; it never pairs them.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from aligner.caches import per_document
from aligner.segment import STOPWORDS, TITLES, Segmented, Sentence, Word, is_stop

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Iterable, Sequence

    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]

_NUMBER = re.compile(r"\d")


def is_number(stem: str) -> bool:
    """A stem holding a digit ("1921", "25th", "3.7"): a number, weighted
    as names are, and listed as one in the evidence."""
    return _NUMBER.search(stem) is not None


# Words capitalised for grammar, not because they name something.
_NOT_NAMES = STOPWORDS | {"mr", "but", "and", "the", "this", "in", "it"}

# SIF weighting: a / (a + p(w)); a ~1e-3 is the value its authors recommend.
_SIF_A = 1e-3
MIN_COMMON = 0.35
MAX_RARE = 1.5
NAME_BOOST = 1.6
NUMBER_BOOST = 1.4


@dataclass(frozen=True, slots=True)
class Features:
    """What the matchers know about the sentences of two documents."""

    segs: tuple[Segmented, Segmented]
    idf: dict[str, float]
    """Inverse sentence frequency of each stem over both documents."""
    max_idf: float
    names: frozenset[str]
    """Stems that are proper names (capitalised wherever they occur mid-sentence)."""
    bags: tuple[tuple[dict[str, float], ...], tuple[dict[str, float], ...]]
    """Per sentence: content stem -> weight (tf-idf, names and numbers boosted)."""
    norms: tuple[tuple[float, ...], tuple[float, ...]]
    """Euclidean norm of each bag."""
    vectors: tuple[Matrix, Matrix] | None
    """Per sentence: unit SIF-weighted embedding (rows), or None without vectors."""
    word_index: dict[str, int]
    """Normalised content word -> row of ``word_vectors``."""
    word_vectors: Matrix | None
    """Unit vector of each content word, or None without vectors."""
    rows: tuple[Matrix, Matrix]
    """Per sentence: its bag as a unit row over the stems both documents use;
    per paragraph when ``pooled``."""
    pooled: bool = False
    """``rows`` hold one row per unit of ``ordered.version_units`` (a
    paragraph, or a run of one far longer than the other text's), the sum of
    its sentences' unit rows (versions too large to score sentence by
    sentence: the sentence rows would take gigabytes); ``bags`` are empty."""
    variants: dict[str, str] = field(default_factory=dict)
    """Names spelled two ways, one in each document (``_variants``): b's
    stem -> a's. ``bags``, ``rows`` and ``idf`` hold only a's spelling."""

    def is_anchor(self, stem: str) -> bool:
        """Names and numbers: the evidence that pins an event down."""
        return stem in self.names or is_number(stem)


def build_features(
    a: Segmented, b: Segmented, *, semantic: bool = True, dense: bool = True, pooled: bool = False
) -> Features:
    """Compute the sentence features of ``a`` and ``b`` together.

    With ``dense=False`` (documents too large for sentence-by-sentence
    scoring) the tf-idf rows and vectors are left empty. With ``pooled=True``
    (and ``dense``) the tf-idf rows are pooled by paragraph, for ordered mode
    only, and the bags are not kept.
    """
    segs = (a, b)
    stems_per, df, n_sent = _sentence_stems(segs, dense)
    names = _names(segs)
    variants = _variants(segs, names) if dense else {}
    if variants:
        stems_per, df, names = _respelled(stems_per, df, names, variants)
    idf, max_idf = _idf(segs, names, df, max(n_sent, 1))
    # Without dense scoring nothing reads the bags: skip them (and their
    # hundreds of MB for a book-length document).
    bags, norms = _bags(stems_per, idf, names) if dense else (((), ()), ((), ()))
    words: dict[str, int] = {}
    word_vecs = vectors = None
    if semantic and dense:
        from aligner import embed

        table = embed.load()
        if table is not None:
            ordered = sorted(_content_norms(segs[0]) | _content_norms(segs[1]))
            words = {w: i for i, w in enumerate(ordered)}
            word_vecs = table.vectors(ordered)
            vectors = _sentence_vectors(segs, stems_per, df, words, word_vecs)
    if dense and pooled:
        from aligner.ordered import version_units  # ordered mode is their only reader

        rows = _tfidf_rows(bags, norms, version_units(segs))
        bags, norms = ((), ()), ((), ())
    elif dense:
        rows = _tfidf_rows(bags, norms, None)
    else:
        import numpy as np

        rows = (np.zeros((0, 0), dtype=np.float32), np.zeros((0, 0), dtype=np.float32))
    return Features(
        segs,
        idf,
        max_idf,
        names,
        bags,
        norms,
        vectors,
        words,
        word_vecs,
        rows,
        pooled and dense,
        variants,
    )


VARIANT_RATIO = 85.0
"""Least similarity (rapidfuzz ratio, 0-100) of two spellings of one name."""
VARIANT_LEN = 5
"""Shortest stem taken for another spelling of a name: short names differ by
a letter from other names (Ivan / Ivar)."""
VARIANT_ZIPF = 3.0
"""Names rarer than this in English (wordfreq's Zipf scale) only: a common
word near a name is another word (Fascism / Fascist, America / American)."""


def _variants(segs: tuple[Segmented, Segmented], names: frozenset[str]) -> dict[str, str]:
    """Names each document spells its own way: b's stem -> a's.

    Transliterated and older spellings (Dzerzhinsky / Djerzhinsky,
    Khrushchev / Khruschev, Cæsarea / Cesarea) would otherwise share nothing.
    A name only b uses takes a's spelling when the two are each other's
    closest among the names only one of them uses, begin with the same
    letter, differ by little, and are both rare in English.
    """
    from rapidfuzz import fuzz, process

    stats = [_doc_stats(seg) for seg in segs]
    only: list[dict[str, list[str]]] = [{}, {}]  # by first letter
    for side, (own, other) in enumerate((stats, stats[::-1])):
        for t in sorted(names):
            rare = own.zipf.get(t, 0.0) < VARIANT_ZIPF
            if rare and t in own.upper and t not in other.zipf and len(t) >= VARIANT_LEN:
                only[side].setdefault(t[0], []).append(t)
    out = {}
    for letter, in_b in only[1].items():
        in_a = only[0].get(letter)
        if not in_a:
            continue
        sim = process.cdist(in_b, in_a, scorer=fuzz.ratio, score_cutoff=VARIANT_RATIO)
        for k, t in enumerate(in_b):
            j = int(sim[k].argmax())
            if sim[k, j] and int(sim[:, j].argmax()) == k:
                out[t] = in_a[j]
    return out


def _respelled(
    stems_per: list[list[list[str]]],
    df: Counter[str],
    names: frozenset[str],
    variants: dict[str, str],
) -> tuple[list[list[list[str]]], Counter[str], frozenset[str]]:
    """``_sentence_stems``' results with b's variants spelled as a spells them
    (new lists: the cached per-document stems are never changed)."""
    respell = variants.get
    per_b = [
        [respell(t, t) for t in stems] if any(t in variants for t in stems) else stems
        for stems in stems_per[1]
    ]
    df = df.copy()
    for t, a_spelling in variants.items():
        df[a_spelling] += df.pop(t, 0)
    return [stems_per[0], per_b], df, names - variants.keys()


def paragraph_groups(seg: Segmented) -> list[list[int]]:
    """The indices of each paragraph's matched (not boilerplate) sentences,
    for the paragraphs that have any, in order."""
    by_par: dict[int, list[int]] = {}
    for k, s in enumerate(seg.sentences):
        if not s.boiler:
            by_par.setdefault(s.paragraph, []).append(k)
    return list(by_par.values())


def _sentence_stems(
    segs: tuple[Segmented, Segmented], dense: bool
) -> tuple[list[list[list[str]]], Counter[str], int]:
    """Each sentence's content stems (kept only for dense scoring), the
    number of sentences using each stem, and the sentences with any."""
    df: Counter[str] = Counter()
    n_sent = 0
    stems_per: list[list[list[str]]] = []
    for seg in segs:
        per_doc, doc_df, doc_n = _doc_stems(seg) if dense else _doc_counts(seg)
        stems_per.append(per_doc)
        df.update(doc_df)
        n_sent += doc_n
    return stems_per, df, n_sent


@per_document
def _doc_stems(seg: Segmented) -> tuple[list[list[str]], Counter[str], int]:
    """``seg``'s share of ``_sentence_stems``, computed once per document (a
    synopsis, or look-ups in one document, reuse it); read, never changed."""
    per_doc = list(map(_stems_of(seg), seg.sentences))
    return (per_doc, *_counts(per_doc))


def _doc_counts(seg: Segmented) -> tuple[list[list[str]], Counter[str], int]:
    """``_doc_stems`` without the stems themselves (a book's would be ~100 MB)."""
    return ([], *_counts(map(_stems_of(seg), seg.sentences)))


def _counts(per_sentence: Iterable[list[str]]) -> tuple[Counter[str], int]:
    """How many sentences use each stem, and how many use any."""
    df: Counter[str] = Counter()
    n_sent = 0
    for stems in per_sentence:
        if stems:
            n_sent += 1
            df.update(set(stems))
    return df, n_sent


def _stems_of(seg: Segmented) -> Callable[[Sentence], list[str]]:
    """A sentence of ``seg`` -> its content stems (none for boilerplate)."""
    words = seg.words

    def stems(s: Sentence) -> list[str]:
        if s.boiler:
            return []
        return list(filter(None, map(_content, map(_STEM, words[s.w0 : s.w1]))))

    return stems


def _idf(
    segs: tuple[Segmented, Segmented], names: frozenset[str], df: Counter[str], n: int
) -> tuple[dict[str, float], float]:
    """Each stem's inverse sentence frequency over ``n`` sentences, damped for
    words common in English; and the largest possible value."""
    # Names and numbers are distinctive whatever their everyday frequency.
    common = _commonness(segs, names)
    background = _background(segs, names, df) if n < SMALL_CORPUS else {}
    extra = SMALL_CORPUS - n if background else 0
    idf = {
        t: math.log((n + extra + 1) / (c + extra * background.get(t, 0.0) + 0.5))
        * common.get(t, 1.0)
        for t, c in df.items()
    }
    return idf, math.log((n + extra + 1) / 1.5)


_Bags = tuple[tuple[dict[str, float], ...], tuple[dict[str, float], ...]]
_Norms = tuple[tuple[float, ...], tuple[float, ...]]


def _bags(
    stems_per: list[list[list[str]]], idf: dict[str, float], names: frozenset[str]
) -> tuple[_Bags, _Norms]:
    """Per sentence, its stems weighted (tf-idf, names and numbers boosted), and the norms."""
    # A stem's weight but for its count in the sentence: once per stem.
    base = {
        t: w * (NAME_BOOST if t in names else NUMBER_BOOST if is_number(t) else 1.0)
        for t, w in idf.items()
    }
    bags: list[tuple[dict[str, float], ...]] = []
    norms: list[tuple[float, ...]] = []
    for per_doc in stems_per:
        doc_bags = tuple(
            {
                t: base[t] if c == 1 else (1.0 + math.log(c)) * base[t]
                for t, c in Counter(stems).items()
            }
            for stems in per_doc
        )
        bags.append(doc_bags)
        norms.append(tuple(math.sqrt(sum(v * v for v in bag.values())) or 1.0 for bag in doc_bags))
    return (bags[0], bags[1]), (norms[0], norms[1])


def _tfidf_rows(
    bags: _Bags, norms: _Norms, groups: tuple[list[list[int]], list[list[int]]] | None = None
) -> tuple[Matrix, Matrix]:
    """Unit tf-idf rows over the stems both documents use, one per sentence,
    or with ``groups`` one per group: the sum of its sentences' unit rows.

    Stems only one document uses cannot add to a dot product, so the
    matrices are only as wide as the shared vocabulary.
    """
    import numpy as np

    shared = {t for bag in bags[0] for t in bag} & {t for bag in bags[1] for t in bag}
    vocab = {t: k for k, t in enumerate(sorted(shared))}
    mats = []
    width = max(len(vocab), 1)
    for side, (doc_bags, doc_norms) in enumerate(zip(bags, norms, strict=True)):
        if groups is None:
            m = np.zeros((len(doc_bags), width), dtype=np.float32)
            for row, bag in enumerate(doc_bags):
                for t, w in bag.items():
                    k = vocab.get(t)
                    if k is not None:
                        m[row, k] = w
            m /= np.asarray(doc_norms, dtype=np.float32)[:, None]
        else:
            rows, cols, weights, norms_of = [], [], [], []
            for row, members in enumerate(groups[side]):
                for sentence in members:
                    for t, w in doc_bags[sentence].items():
                        k = vocab.get(t)
                        if k is not None:
                            rows.append(row)
                            cols.append(k)
                            weights.append(w)
                            norms_of.append(doc_norms[sentence])
            m = np.zeros((len(groups[side]), width), dtype=np.float32)
            # In float32 and in order, as a loop adding one weight at a time would.
            values = np.asarray(weights, dtype=np.float32) / np.asarray(norms_of, dtype=np.float32)
            np.add.at(m, (np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)), values)
        mats.append(m)
    return mats[0], mats[1]


def _commonness(segs: tuple[Segmented, Segmented], names: frozenset[str]) -> dict[str, float]:
    """Per stem, a factor scaling its idf by how rare it is in English.

    1.0 for a word of Zipf 4 (e.g. "comrade"), down to ``MIN_COMMON`` for
    everyday words ("per", "role"), up to ``MAX_RARE`` for words the list
    does not know (names, rare words). A stem takes its commonest form.
    """
    from aligner import lexicon

    if not lexicon.available():
        return {}
    best: dict[str, float] = {}
    for seg in segs:
        for stem, z in _doc_stats(seg).zipf.items():
            if z > best.get(stem, -1.0):
                best[stem] = z
    return {
        t: min(max((7.0 - z) / 3.0, MIN_COMMON), MAX_RARE)
        for t, z in best.items()
        if t not in names and not is_number(t)
    }


SMALL_CORPUS = 60
"""Fewest sentences (both documents) whose counts tell how rare a word is.

Two short passages have too few sentences for idf: a word both use is in
half of them and weighs next to nothing. Below this, the counts are topped up
with pseudo-sentences of everyday English, in which each word occurs as
often as English at large has it (names and numbers never)."""
WORDS_PER_SENTENCE = 20


def _background(
    segs: tuple[Segmented, Segmented], names: frozenset[str], df: Counter[str]
) -> dict[str, float]:
    """Per stem, its chance of occurring in a sentence of everyday English."""
    from aligner import lexicon

    if not lexicon.available():
        return {}
    best: dict[str, float] = {}
    for seg in segs:
        for stem, z in _doc_stats(seg).zipf.items():
            if stem in df and z > best.get(stem, -1.0):
                best[stem] = z
    return {
        t: min(1.0, WORDS_PER_SENTENCE * 10.0 ** (z - 9.0))
        for t, z in best.items()
        if t not in names and not is_number(t)
    }


@lru_cache(maxsize=1 << 16)
def _content(stem: str) -> str:
    if is_stop(stem) or len(stem) < 2 and not stem.isdigit():
        return ""
    return stem


def _names(segs: tuple[Segmented, Segmented]) -> frozenset[str]:
    """Stems always capitalised when not first in their sentence."""
    upper: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for seg in segs:
        stats = _doc_stats(seg)
        upper.update(stats.upper)
        lower.update(stats.lower)
    return frozenset(
        t for t, c in upper.items() if t not in _NOT_NAMES and lower[t] <= 0.1 * c and len(t) > 1
    )


NAME_JOINERS = frozenset({"of", "and", "for", "de", "du", "la", "le", "von", "van", "di", "da"})
"""Lower-case words inside a name or a list of names; other words ("at",
"with", "against", "the" of an apposition: "Schabowski, the East Berlin party
chief") link two names, they do not make one."""


_IN_NAME = " \t\n,.'’()[]-"
"""What may lie between two words of a name or a list (``name_runs``): spaces,
commas, the full stop of an initial ("J. V. Stalin"), an apostrophe
("Workers' and Peasants' Inspection"), brackets around an alias
("Inspection (Rabkrin)"), a hyphen ("Alma-Ata"; not a dash)."""


def name_runs(words: Sequence[Word], names: Container[str], text: str) -> list[list[Word]]:
    """The words whose stem is in ``names``, in runs joined only by capitalised
    words, ``NAME_JOINERS``, spaces and commas: each run is one name ("People's
    Commissariat of Workers' and Peasants' Inspection") or a list of names
    ("Bukharin, Rykov and Tomsky"). Other marks between two words (quotes, a
    dash, a colon) end a run: '"Testament", Lenin wrote' names two things;
    so does a full stop but after an initial or a title (``_initial``).
    ``text`` is the words' document's text."""
    runs: list[list[Word]] = []
    joined = False
    end = -1
    before: Word | None = None
    for w in words:
        if joined:
            gap = text[end : w.start]
            joined = not gap.strip(_IN_NAME) and ("." not in gap or _initial(before))
            # "Yonov, Zinoviev's brother-in-law": a name in the possessive after
            # a comma is said of what follows, not the next item of a list.
            joined = joined and not ("," in gap and w.norm.endswith("'s"))
        end, before = w.end, w
        if w.stem in names:
            if joined:
                runs[-1].append(w)
            else:
                runs.append([w])
            joined = True
        elif not (w.cap or w.norm in NAME_JOINERS):
            joined = False
    return runs


def _initial(word: Word | None) -> bool:
    """Whether a full stop after ``word`` marks an initial or a title ("J.",
    "St.", "Gen."), not the end of a sentence ("...from the Moon. Nixon")."""
    return word is not None and (len(word.norm) == 1 or word.norm in TITLES)


def joined_names(groups: Iterable[set[str]]) -> list[set[str]]:
    """``groups`` of names, those sharing a name made one (a name given in a
    list and in a title is one thing)."""
    merged: list[set[str]] = []
    for group in groups:
        group = set(group)
        for other in [m for m in merged if m & group]:
            group |= other
            merged.remove(other)
        merged.append(group)
    return merged


@dataclass(frozen=True, slots=True)
class _DocStats:
    """What one document contributes to its comparisons, whatever the other."""

    upper: Counter[str]
    """Mid-sentence occurrences of each stem written with a capital."""
    lower: Counter[str]
    """Mid-sentence occurrences written in lower case."""
    zipf: dict[str, float]
    """Per stem, the English frequency of its commonest form."""


def prepare(seg: Segmented) -> None:
    """Compute ahead what ``seg`` alone contributes to ``build_features``.

    Its statistics and the vectors of its content words are cached, so that
    this may run while another process still segments the other document.
    """
    from aligner import embed

    _doc_stats(seg)
    table = embed.load()
    if table is not None:
        table.vectors(sorted(_content_norms(seg)))


@per_document
def _content_norms(seg: Segmented) -> frozenset[str]:
    """The normalised forms of ``seg``'s content words (each distinct form once, in C)."""
    return frozenset(norm for norm, stem in set(map(_NORM_STEM, seg.words)) if _content(stem))


_NORM = operator.itemgetter(2)
_STEM = operator.itemgetter(3)
_STEM_CAP = operator.itemgetter(3, 4)
_NORM_STEM = operator.itemgetter(2, 3)


@per_document
def _doc_stats(seg: Segmented) -> _DocStats:
    from aligner import lexicon

    words = seg.words
    # (stem, capitalised) of every word, minus those first in their sentence;
    # counted by C-level maps (a book has millions of words).
    counts = Counter(map(_STEM_CAP, words))
    counts.subtract(map(_STEM_CAP, (words[s.w0] for s in seg.sentences if s.w1 > s.w0)))
    upper: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for (stem, cap), n in counts.items():
        if n > 0 and not stem[:1].isdigit():
            (upper if cap else lower)[stem] = n
    zipf: dict[str, float] = {}
    # Each distinct (form, stem) once: a book repeats its words a lot.
    for norm, stem in set(map(_NORM_STEM, words)):
        z = lexicon.zipf(norm)
        if z > zipf.get(stem, -1.0):
            zipf[stem] = z
    return _DocStats(upper, lower, zipf)


def _top_direction(rows: Matrix, *, steps: int = 30) -> Matrix:
    """The first principal direction of ``rows``, by power iteration.

    Thirty products with the small dim x dim scatter matrix converge well
    for this one direction and cost microseconds, where LAPACK's eigh can
    cost most of a second when BLAS threads contend for the cores.
    """
    import numpy as np

    scatter = rows.T @ rows
    v = np.ones(scatter.shape[0], dtype=np.float32) / np.sqrt(scatter.shape[0])
    for _ in range(steps):
        w = scatter @ v
        norm = float(np.linalg.norm(w))
        if norm == 0.0:
            break
        v = w / norm
    result: Matrix = v
    return result


def _sentence_vectors(
    segs: tuple[Segmented, Segmented],
    stems_per: list[list[list[str]]],
    df: Counter[str],
    index: dict[str, int],
    word_vecs: Matrix,
) -> tuple[Matrix, Matrix]:
    import numpy as np

    dim = word_vecs.shape[1]
    total = sum(df.values()) or 1
    # SIF weight a / (a + p(w)), p(w) the stem's share of sentence occurrences.
    sif = {t: _SIF_A / (_SIF_A + c / total) for t, c in df.items()}
    rare = _SIF_A / (_SIF_A + 1 / total)
    out = []
    for seg, per_doc in zip(segs, stems_per, strict=True):
        n = len(seg.words)
        norms, stems = list(map(_NORM, seg.words)), list(map(_STEM, seg.words))
        # Per word (C-level maps): its row of ``word_vecs`` and its weight,
        # 0 for stopwords and words without a vector.
        ids = np.fromiter(map(index.get, norms, itertools.repeat(0)), dtype=np.int64, count=n)
        weight = np.fromiter(map(sif.get, stems, itertools.repeat(rare)), np.float32, count=n)
        weight *= np.fromiter(map(index.__contains__, norms), dtype=bool, count=n)
        weight *= np.fromiter(map(bool, map(_content, stems)), dtype=bool, count=n)
        mat = np.zeros((len(seg.sentences), dim), dtype=np.float32)
        for row, s in enumerate(seg.sentences):
            if per_doc[row]:
                mat[row] = weight[s.w0 : s.w1] @ word_vecs[ids[s.w0 : s.w1]]
        out.append(mat)
    # SIF's second step: remove the component common to all sentences.
    both = np.vstack(out)
    live = both[np.linalg.norm(both, axis=1) > 0]
    if len(live) > 2:
        # First principal direction from the small dim x dim scatter matrix
        # (an SVD of the sentence matrix costs a second on big documents).
        pc = _top_direction(live - live.mean(axis=0))
        out = [m - np.outer(m @ pc, pc) for m in out]
    for m in out:
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        m /= norms
    return out[0].astype(np.float32), out[1].astype(np.float32)
