"""Why two passages were paired: the names, dates, numbers, rare words and
phrases they share, with where each occurs on both sides. It never pairs
passages."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from aligner import segment
from aligner.features import Features, is_number, joined_names, name_runs
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
_POSSESSIVE = re.compile(r"(?<=s)['’]$|['’]s$")
"""The possessive a name may be written with ("Lenin’s", "Soviets'"): its term leaves it out."""
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_DAY = re.compile(r"([1-9]|[12][0-9]|3[01])(st|nd|rd|th)?")
_YEAR = re.compile(r"1[0-9]{3}|20[0-9]{2}")
"""A year after a month ("March 1521" too; standing alone, ``match.years``
takes only 1700-2099 for years, a smaller number being more often a count)."""
_PARTS = ("weekday", "month", "day", "year")
_IN_DATE = re.compile(r"[\s,]*(?:of\s+)?")
"""What may stand between the parts of a date: "25 December", "December 25,
1922", "the 21st of January"."""


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
    # A shared date names one month or day of the week on both sides.
    if where_a.keys() & where_b.keys() & _date_stems():
        items, dated = _shared_dates(a, b, feats)
    else:
        items, dated = [], set()
    for stem in shared:
        named = together.get(stem)
        if stem in dated and named is None:
            continue  # part of a date both give
        if named is not None and stem != named.stems[0]:
            continue  # given once, with the first name of its group
        group = named.stems if named is not None else (stem,)
        idf = max(feats.idf[t] for t in group)
        kind: EvidenceKind
        if named is None and _is_date(where_a[stem][0]):
            kind = "date"  # a month or day of the week: no name
        elif stem in feats.names:
            kind = "name"
        elif is_number(stem):
            kind = "number"
        elif idf >= RARE_SHARE * feats.max_idf:
            kind = "rare"
        else:
            kind = "word"
        if named is not None:
            term, spans_a, spans_b = named.term, named.a, named.b
        else:
            first = where_a[stem][0]
            term = _surface(first, feats) if kind in ("name", "date") else first.norm
            spans_a = tuple((w.start, w.end) for w in where_a[stem])
            spans_b = tuple((w.start, w.end) for w in where_b[stem])
        weight = round(min(idf / feats.max_idf, 1.0), 3)
        items.append(Evidence(kind=kind, term=term, weight=weight, a=spans_a, b=spans_b))
    order = {"name": 0, "date": 0, "number": 0, "rare": 1, "word": 2}
    items.sort(key=lambda e: (order.get(e.kind, 3), -e.weight, e.term))
    phrases = _phrases(a, diff, feats)
    return tuple(phrases + items[: MAX_ITEMS - len(phrases)])


@dataclass(frozen=True, slots=True)
class _Date:
    """A date as a passage writes it: a month (or day of the week), and the
    day and year written next to it."""

    words: dict[str, Word]
    """``month`` (or ``weekday``), and ``day`` and ``year`` when given."""
    values: dict[str, str]
    """The same parts' values: "december", "25" (of "25th"), "1922"."""


def _dates(words: Sequence[Word], text: str) -> list[_Date]:
    """The dates in ``words``: each capitalised month or day of the week, with
    a day of the month written just before or after it and a year after
    those ("25 December 1922", "December 25, 1922", "the 21st of January";
    "May" only with a day or a year, a verb otherwise)."""
    out = []
    for n, w in enumerate(words):
        if not _is_date(w):
            continue
        if w.norm in WEEKDAYS:
            out.append(_Date({"weekday": w}, {"weekday": w.norm}))
            continue
        parts, values, last = {"month": w}, {"month": w.norm}, n
        before = words[n - 1] if n > 0 else None
        after = words[n + 1] if n + 1 < len(words) else None
        if before is not None and _adjacent(before, w, text) and (day := _day(before)):
            parts["day"], values["day"] = before, day
        elif after is not None and _adjacent(w, after, text) and (day := _day(after)):
            parts["day"], values["day"], last = after, day, n + 1
        year = words[last + 1] if last + 1 < len(words) else None
        if year is not None and _adjacent(words[last], year, text) and _YEAR.fullmatch(year.norm):
            parts["year"], values["year"] = year, year.norm
        if w.norm != "may" or len(parts) > 1:
            out.append(_Date(parts, values))
    return out


@lru_cache(maxsize=1)
def _date_stems() -> frozenset[str]:
    """The stems of the months and days of the week."""
    return frozenset(segment.stem(word) for word in MONTHS | WEEKDAYS)


def _is_date(word: Word) -> bool:
    return word.cap and (word.norm in MONTHS or word.norm in WEEKDAYS)


def _day(word: Word) -> str | None:
    """The day of the month ``word`` writes ("25" of "25th"), if any."""
    match = _DAY.fullmatch(word.norm)
    return match[1] if match else None


def _adjacent(w: Word, nxt: Word, text: str) -> bool:
    return _IN_DATE.fullmatch(text, w.end, nxt.start) is not None


def _shared_dates(
    a: Sequence[Word], b: Sequence[Word], feats: Features
) -> tuple[list[Evidence], set[str]]:
    """The dates both passages give, an item each, and the stems they use.

    Two mentions give one date when they name one month (or day of the
    week) and no different day or year; the item holds what both give
    ("December 25" of "December 25, 1922" and "on December 25"), written as
    a writes it, its spans only those parts.
    """
    texts = (feats.segs[0].doc.text, feats.segs[1].doc.text)
    dates = (_dates(a, texts[0]), _dates(b, texts[1]))
    found: dict[tuple[str, ...], tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    stems: dict[tuple[str, ...], set[str]] = {}
    for x in dates[0]:
        for y in dates[1]:
            common = [
                part for part in _PARTS if part in x.values and x.values[part] == y.values.get(part)
            ]
            clash = any(
                part in x.values and part in y.values and x.values[part] != y.values[part]
                for part in _PARTS
            )
            if clash or not set(common) & {"weekday", "month"}:
                continue  # no date in common: another day, or only a number
            key = tuple(f"{part}={x.values[part]}" for part in common)
            spans = found.setdefault(key, ([], []))
            for date, side in ((x, spans[0]), (y, spans[1])):
                words = [date.words[part] for part in common]
                span = (min(w.start for w in words), max(w.end for w in words))
                if span not in side:
                    side.append(span)
            stems.setdefault(key, set()).update(x.words[part].stem for part in common)
    items = []
    used: set[str] = set()
    for key, (spans_a, spans_b) in found.items():
        weights = [feats.idf[t] for t in stems[key] if t in feats.idf]
        if not weights:
            continue
        used |= stems[key]
        start, end = min(spans_a)
        term = " ".join(texts[0][start:end].split())
        weight = round(min(max(weights) / feats.max_idf, 1.0), 3)
        items.append(Evidence("date", term, weight, tuple(sorted(spans_a)), tuple(sorted(spans_b))))
    return items, used


def _phrases(a: Sequence[Word], diff: Sequence[DiffOp], feats: Features) -> list[Evidence]:
    """The diff's equal runs of ``PHRASE_WORDS`` or more words, longest first,
    each from its first content word to its last ("attacked the People's
    Commissariat", not "he attacked the People's Commissariat of": a run
    ends where the texts part, often after a little word)."""
    text = feats.segs[0].doc.text
    b_words = feats.segs[1].words
    found: list[tuple[int, Evidence]] = []
    for op in diff:
        if op.tag != "equal":
            continue
        words = words_in(a, op.a_start, op.a_end)
        content = sum(not is_stop(w.stem) for w in words)
        if len(words) < PHRASE_WORDS or content < 2:
            continue
        first, last = _content_ends(words)
        other = words_in(b_words, op.b_start, op.b_end)  # the same words, one for one
        if len(other) != len(words):
            continue
        kept = words[first : last + 1]
        shown = kept[: _content_ends(kept[:PHRASE_TERM_WORDS])[1] + 1]
        term = " ".join(text[shown[0].start : shown[-1].end].split())
        found.append(
            (
                len(words),
                Evidence(
                    kind="phrase",
                    term=term + (" …" if len(kept) > len(shown) else ""),
                    weight=round(min(content / (2 * PHRASE_WORDS), 1.0), 3),
                    a=((kept[0].start, kept[-1].end),),
                    b=((other[first].start, other[last].end),),
                ),
            )
        )
    found.sort(key=lambda x: (-x[0], x[1].a))
    return sorted((e for _, e in found[:MAX_PHRASES]), key=lambda e: e.a)  # the longest, in order


def _content_ends(words: Sequence[Word]) -> tuple[int, int]:
    """Indices of the first and the last content word of ``words`` (which has one)."""
    content = [k for k, w in enumerate(words) if not is_stop(w.stem)]
    return content[0], content[-1]


@dataclass(frozen=True, slots=True)
class _Named:
    """Names the passages give together: one evidence item."""

    stems: tuple[str, ...]
    term: str
    a: tuple[tuple[int, int], ...]
    b: tuple[tuple[int, int], ...]


def _names_together(
    a: Sequence[Word], b: Sequence[Word], names: set[str], feats: Features
) -> dict[str, _Named]:
    """The shared ``names`` that either passage gives as one name or one list
    ("Bornholmer Strasse", "Bukharin, Rykov and Tomsky"), as the engine counts
    them (``align._shared``), by each of their stems.

    The item's term is its first mention of two or more names, in a if a has
    one; its spans are a span per mention, an alias in brackets one of its own.
    """
    if len(names) < 2:  # one name makes no group
        return {}
    respell = feats.variants.get
    texts = (feats.segs[0].doc.text, feats.segs[1].doc.text)
    spelt_b = {w.stem for w in b if respell(w.stem, w.stem) in names}
    runs = (name_runs(a, names, texts[0]), name_runs(b, spelt_b, texts[1]))
    stems = [[{respell(w.stem, w.stem) for w in run} for run in side] for side in runs]
    out: dict[str, _Named] = {}
    for group in joined_names(g for side in stems for g in side):
        if len(group) < 2:
            continue
        # Each run lies in one group: the groups are unions of runs.
        mine = [
            [r for r, g in zip(side, gs, strict=True) if g & group]
            for side, gs in zip(runs, stems, strict=True)
        ]
        term = next(
            (
                _written(run, text)
                for side, text in zip(mine, texts, strict=True)
                for run in side
                if len(run) > 1
            ),
            _surface(mine[0][0][0], feats) if mine[0] else " ".join(sorted(group)),
        )
        named = _Named(
            tuple(sorted(group)),
            term,
            _spans(mine[0], texts[0]),
            _spans(mine[1], texts[1]),
        )
        for t in group:
            out[t] = named
    return out


def _written(run: list[Word], text: str) -> str:
    """A run of names as the text writes it; an alias in brackets
    ("Inspection (Rabkrin)") ends it."""
    return _bare(" ".join(_BRACKET.split(text[run[0].start : run[-1].end])[0].split()))


def _spans(runs: list[list[Word]], text: str) -> tuple[tuple[int, int], ...]:
    """A span per run, split where brackets set an alias apart."""
    spans: list[tuple[int, int]] = []
    for run in runs:
        start = run[0].start
        for w, nxt in itertools.pairwise(run):
            if any(mark in text[w.end : nxt.start] for mark in "()[]"):
                spans.append((start, w.end))
                start = nxt.start
        spans.append((start, run[-1].end))
    return tuple(sorted(spans))


def _surface(word: Word, feats: Features) -> str:
    return _bare(feats.segs[0].doc.text[word.start : word.end])


def _bare(name: str) -> str:
    """``name`` without a possessive ending ("Lenin’s" -> "Lenin")."""
    return _POSSESSIVE.sub("", name) or name
