"""Split a document into paragraphs, sentences and words, with offsets.

This is the only module that imports NLTK. Sentences come from Punkt trained
on the document itself (Punkt is unsupervised; ``nltk.sent_tokenize`` would
need data that is not installed). Words carry normalised forms and Snowball
stems for matching, while their offsets keep pointing at the original text.
It never decides what is parallel.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from aligner.boilerplate import (
    NOTE,
    blank,
    body,
    cited_work,
    framed,
    is_boilerplate,
    is_note_marker,
    link_lists,
    question_lists,
    reading_lists,
    unmarked,
)
from aligner.caches import IdentityCache
from aligner.documents import paragraph_spans
from aligner.model import Document

# Punkt's trainer is pure Python and costs ~4 us a character; a sample spread
# over the document learns the same abbreviations at a bounded cost.
_TRAIN_CHARS = 24_000
_TRAIN_CHUNK = 3_000

_WORD = re.compile(
    r"\d{1,3}(?:,\d{3})+(?![\d,])|\w+(?:['’]\w+)*(?:-\n[ \t]*(?=[a-zà-ÿ])\w+(?:['’]\w+)*)?"
)
"""A word; a number with thousands separators ("1,000,000") is one, and so
is a word hyphenated across a line end before a lower-case letter (text
taken from a PDF or a typeset page: "bureau-\ncracy")."""
_LINE_HYPHEN = re.compile(r"-\n[ \t]*")
_TRANSLATE = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"}
)
"""Typographic quotes, and the ligatures Unicode does not decompose."""

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even ever
    every few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just may me might more most must my myself no nor not now of
    off on once only or other ought our ours ourselves out over own same shall she should so
    some such than that the their theirs them themselves then there these they this those
    through thus to too under until up upon us very was we were what when where which while who
    whom whose why will with within without would yet you your yours yourself yourselves one
    two three many much however therefore indeed already still since though although whether
    either neither rather quite also i.e e.g etc s t ll d re ve m o p pp op cit ibid vol
    """.split()
)


class Word(NamedTuple):
    """One word of a document.

    A named tuple rather than a frozen dataclass: a book has millions of
    words, and a frozen dataclass's ``__init__`` costs ten times more.
    """

    start: int
    end: int
    norm: str
    """Case-folded, diacritics and curly quotes removed."""
    stem: str
    """Snowball stem of ``norm``."""
    cap: bool
    """Written with a capital letter."""


_new_word = tuple.__new__
"""``_new_word(Word, (start, end, norm, stem, cap))`` is ``Word(...)`` without
the named tuple's Python-level ``__new__`` (segmenting makes a tuple a word)."""


def words_in(words: Sequence[Word], start: int, end: int) -> Sequence[Word]:
    """The words of ``words`` (in document order) that start in ``[start, end)``."""
    lo = bisect.bisect_left(words, start, key=_word_start)
    hi = bisect.bisect_left(words, end, key=_word_start)
    return words[lo:hi]


def _word_start(word: Word) -> int:
    return word.start


class Sentence(NamedTuple):
    """A sentence: character range and the range of its words."""

    start: int
    end: int
    w0: int
    """Index of its first word in ``Segmented.words``."""
    w1: int
    """One past its last word."""
    paragraph: int
    """Index of its paragraph."""
    boiler: bool
    """Navigation, share buttons, headings or notes: never matched."""


@dataclass(frozen=True, slots=True)
class Segmented:
    """A document cut into words and sentences."""

    doc: Document
    words: tuple[Word, ...]
    sentences: tuple[Sentence, ...]
    paragraphs: tuple[tuple[int, int], ...]
    sentence_ends: tuple[int, ...]
    """``end`` of each sentence, ascending (for bisecting offsets)."""


def normalise(token: str) -> str:
    """Case-fold ``token`` and strip diacritics and typographic quotes."""
    token = token.translate(_TRANSLATE)
    if not token.isascii():
        token = "".join(
            c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c)
        )
    return token.casefold()


def is_stop(stem_or_word: str) -> bool:
    """True for a stopword or the stem of one ("therefor", "onli")."""
    return stem_or_word in stop_stems()


@lru_cache(maxsize=1)
def stop_stems() -> frozenset[str]:
    """The stopwords and their stems."""
    return STOPWORDS | {stem(w) for w in STOPWORDS}


@lru_cache(maxsize=65536)
def _forms(token: str) -> tuple[str, str]:
    """(normalised, stem) of a token as written; tokens repeat a lot."""
    norm = normalise(token)
    return norm, stem(norm)


@lru_cache(maxsize=65536)
def stem(norm: str) -> str:
    """Snowball stem of a normalised word (cached: words repeat a lot)."""
    known = _common_stems().get(norm)
    return known if known is not None else str(_stemmer().stem(norm))


@lru_cache(maxsize=1)
def _common_stems() -> dict[str, str]:
    """The Snowball stems of 28,000 common English words, computed ahead by
    NLTK's stemmer (``scripts/build_stems.py``): a lookup, not 25 us each."""
    path = Path(__file__).with_name("data") / "stems.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    table = {}
    for line in lines:
        word, _, stemmed = line.partition("\t")
        table[word] = stemmed or word
    return table


def warm_up() -> None:
    """Load NLTK's modules and the stem table (before forking: both
    processes have them then, at the cost of one)."""
    _nltk()
    _common_stems()


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    return _nltk()[1]("english", ignore_stopwords=False)


_NLTK_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _nltk() -> tuple[Any, Any, Any]:
    """NLTK's ``PunktSentenceTokenizer``, ``SnowballStemmer`` and ``PunktLanguageVars`` classes.

    ``import nltk`` runs the package's ``__init__``, which imports the whole
    toolkit (parsers, taggers, corpus readers, metrics: 0.3 s, a fifth of a
    comparison) for the two classes used here. While nltk is not imported,
    their two modules are loaded under empty stand-ins for the packages above
    them, and the stand-ins are removed again, so that a later ``import nltk``
    anywhere in the process gets the real package. On any surprise (another
    NLTK layout), the plain import.
    """
    with _NLTK_LOCK:  # two threads must not juggle the stand-ins at once
        if "nltk" not in sys.modules:
            try:
                return _nltk_modules_alone()
            except Exception:  # noqa: BLE001 - the plain import below is always right
                pass
    from nltk.stem.snowball import SnowballStemmer
    from nltk.tokenize.punkt import PunktLanguageVars, PunktSentenceTokenizer

    return PunktSentenceTokenizer, SnowballStemmer, PunktLanguageVars


def _nltk_modules_alone() -> tuple[Any, Any, Any]:
    import importlib
    import importlib.util
    import types

    try:
        for name in ("nltk", "nltk.tokenize", "nltk.stem", "nltk.corpus"):
            # In this order: finding a subpackage goes through its parent.
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.submodule_search_locations:
                raise ImportError(name)
            stand_in = types.ModuleType(name)
            stand_in.__path__ = list(spec.submodule_search_locations)
            stand_in.__spec__ = spec
            sys.modules[name] = stand_in
        # Only read by SnowballStemmer(ignore_stopwords=True), never used here.
        sys.modules["nltk.corpus"].stopwords = None  # type: ignore[attr-defined]
        sys.modules["nltk.pathsec"] = _deferred_pathsec()
        punkt = importlib.import_module("nltk.tokenize.punkt")
        snowball = importlib.import_module("nltk.stem.snowball")
        return punkt.PunktSentenceTokenizer, snowball.SnowballStemmer, punkt.PunktLanguageVars
    finally:
        for name in [k for k in sys.modules if k == "nltk" or k.startswith("nltk.")]:
            del sys.modules[name]


_PATHSEC_NAMES = ("open", "validate_path", "safe_env", "_as_path_text", "_reject_bad_name_syntax")
"""What Punkt and ``nltk.internals`` import from ``nltk.pathsec`` when loaded."""


def _deferred_pathsec() -> Any:
    """A stand-in for ``nltk.pathsec`` whose functions load the real one when called.

    NLTK's path checks (for loading and saving models, which the aligner
    never does) import ``http.client``, ``urllib.request`` and ``ssl``: a
    third of NLTK's load, before the engine's processes fork. Punkt imports a
    few of its functions by name; each stand-in function calls the real one,
    imported then. A name not listed fails the import, and ``_nltk`` falls
    back to the plain import of NLTK.
    """
    import importlib
    import types

    stand_in = types.ModuleType("nltk.pathsec")

    def deferred(name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module("nltk.pathsec"), name)(*args, **kwargs)

        call.__name__ = name
        return call

    for name in _PATHSEC_NAMES:
        setattr(stand_in, name, deferred(name))
    return stand_in


def segment(doc: Document) -> Segmented:
    """Cut ``doc`` into paragraphs, sentences and words.

    Returns:
        The ``Segmented`` document; every offset indexes ``doc.text``. For a
        document segmented lately by ``parallel.segment_all``, or handed to
        ``keep``, that same segmentation.
    """
    return known(doc) or segment_afresh(doc)


def known(doc: Document) -> Segmented | None:
    """``doc``'s segmentation if one is lent (``lending``) or kept (``keep``)."""
    return _lent(doc) or _KEPT.get(doc)


_KEPT: IdentityCache[Document, Segmented] = IdentityCache(8)
"""The documents segmented last by ``parallel.segment_all`` or handed to
``keep``: a look-up after a comparison (the app's ``w``) finds them segmented."""


def keep(seg: Segmented) -> None:
    """From now on ``segment(seg.doc)`` returns ``seg`` (e.g. a segmentation
    another process made and sent), as long as it is among the latest kept."""
    _KEPT.put(seg.doc, seg)


def kept(doc: Document) -> Segmented | None:
    """``doc``'s segmentation if ``keep`` holds it."""
    return _KEPT.get(doc)


_LENT = threading.local()


@contextlib.contextmanager
def lending(segs: Iterable[Segmented]) -> Iterator[None]:
    """Within the block, in this thread, ``segment(seg.doc)`` returns ``seg``.

    A synopsis compares every document with every other: each is segmented
    once and lent to all its comparisons.
    """
    saved: dict[int, Segmented] | None = getattr(_LENT, "table", None)
    _LENT.table = {**(saved or {}), **{id(s.doc): s for s in segs}}
    try:
        yield
    finally:
        _LENT.table = saved


def _lent(doc: Document) -> Segmented | None:
    table: dict[int, Segmented] | None = getattr(_LENT, "table", None)
    hit = table.get(id(doc)) if table else None
    return hit if hit is not None and hit.doc is doc else None


def segment_afresh(doc: Document) -> Segmented:
    """``segment(doc)`` computed now, whatever is kept or lent."""
    text = doc.text
    paragraphs = tuple(paragraph_spans(text))
    tokenizer = _sentence_tokenizer(text) if len(text) <= BOOK_CHARS else _QuickSplitter()
    words: list[Word] = []
    append = words.append
    last_work = ""
    sentences: list[Sentence] = []
    # Without what frames the work (blanked: offsets hold) and without their
    # markup, for judging them as for matching.
    work = body(text)
    blocks = [unmarked(framed(text, s, e, work)) for s, e in paragraphs]
    listed = link_lists(blocks) | question_lists(blocks) | reading_lists(blocks)
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        block = blocks[p_index]
        boiler_par = p_index in listed or is_boilerplate(text[p_start:p_end])
        # Punkt sees note markers as blanks too:
        # "convinced.[2] He" must end a sentence like "convinced. He".
        masked = NOTE.sub(blank, block)
        for s_start, s_end in _sentence_spans(tokenizer, masked):
            while s_start < s_end and masked[s_start].isspace():
                s_start += 1  # a sentence starts after the markup before it
            w0 = len(words)
            for m in _WORD.finditer(block, s_start, s_end):
                tok = m[0]
                start, end = m.span()
                if tok.isalpha():  # most words: no number, hyphen or comma
                    norm, stemmed = _forms(tok)
                    append(
                        _new_word(
                            Word, (p_start + start, p_start + end, norm, stemmed, tok[0].isupper())
                        )
                    )
                    continue
                source = None
                if tok.isdigit():
                    if is_note_marker(block, start, end):
                        continue
                    source = cited_work(block, start)
                    if source is not None and "ibid" in source.split():
                        source = last_work  # "Ibid., p. 12": the work cited last
                    elif source is not None:
                        last_work = source
                elif "\n" in tok:
                    tok = _LINE_HYPHEN.sub("", tok)
                elif "," in tok:
                    tok = tok.replace(",", "")  # "1,000" is the number 1000
                norm, stemmed = _forms(tok)
                if source is not None:
                    stemmed = f"{stemmed}@{source}"  # page 40 of one work only
                append(Word(p_start + start, p_start + end, norm, stemmed, tok[0].isupper()))
            prev = sentences[-1] if sentences else None
            if prev is not None and prev.paragraph == p_index and len(words) - w0 < 3:
                # A fragment Punkt cut off (a note number, "p."): glue it back.
                sentences[-1] = Sentence(
                    prev.start, p_start + s_end, prev.w0, len(words), p_index, prev.boiler
                )
                continue
            boiler = boiler_par or len(words) - w0 < 3
            sentences.append(
                Sentence(p_start + s_start, p_start + s_end, w0, len(words), p_index, boiler)
            )
    return Segmented(
        doc, tuple(words), tuple(sentences), paragraphs, tuple(s.end for s in sentences)
    )


def _sentence_tokenizer(text: str):  # type: ignore[no-untyped-def]
    if len(text) > _TRAIN_CHARS:
        step = len(text) // (_TRAIN_CHARS // _TRAIN_CHUNK)
        text = "\n\n".join(text[i : i + _TRAIN_CHUNK] for i in range(0, len(text), step))
    tokenizer = _nltk()[0](text, lang_vars=_language_vars())
    _drop_false_abbreviations(tokenizer, text)
    return tokenizer


_AFTER_PERIOD = r"\.\s*(\S*)"
"""What follows an abbreviation's full stop: the next token."""
TITLES = frozenset(
    "mr mrs ms messrs dr st prof gen col capt lt sgt rev hon fr sr jr gov sen mme mlle".split()
)
"""Titles before a name ("Mr. Smith"): abbreviations even where the name
follows them only there, so Punkt knows no other case of it."""
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
"""Months abbreviated before a day ("Nov. 10"): abbreviations in a text too
short for Punkt to learn them (before a capitalised word, as at the end of a
sentence, Punkt still ends the sentence there)."""
REFERENCES = frozenset("vol vols pp ch chap cf viz".split())
"""Abbreviations in references to a source that never end one ("Vol. 33", "pp. 12-14"):
abbreviations even in a text too short for Punkt to learn them, where "(LCW,
Vol. 33, p. 430)" would be cut in two after "Vol."."""


def _drop_false_abbreviations(tokenizer: Any, text: str) -> None:
    """Forget the words Punkt took for abbreviations that ``text`` only ever
    ends a sentence with.

    On a few thousand words, a word that happens to stand before a full stop
    each time it occurs ("at all.", "the sea.") looks like an abbreviation to
    Punkt's statistics, and a sentence that follows it is then split off only
    when its first word is never capitalised mid-sentence: a heading line
    ("# The Loss of the Titanic") or a name decides whether two sentences
    merge. A true abbreviation of two or more letters shows itself somewhere
    in the text: a lower-case word, a digit, a comma or capitals after it
    ("op. cit., p. 12", "Vol. XXIV", "etc., and"), or a name ("Mr. Smith",
    a word Punkt has seen capitalised mid-sentence and never in lower case).
    Initials (one letter), dotted forms ("i.e", "u.s.s.r") and ``TITLES`` stay,
    and ``REFERENCES`` are added.
    """
    params = tokenizer._params  # noqa: SLF001 - Punkt keeps what it learned there
    flags = type(tokenizer).train.__globals__  # Punkt's orthographic flags
    lower, upper_mid = flags["_ORTHO_LC"], flags["_ORTHO_MID_UC"]

    def shows_itself(word: str) -> bool:
        pattern = r"(?<![\w.])" + re.escape(word) + _AFTER_PERIOD
        for match in re.finditer(pattern, text, re.IGNORECASE):
            after = match[1]
            first = after[:1]
            if first.islower() or first.isdigit() or first in ",;:)":
                return True
            head = re.match(r"\w+", after)
            if head is None:
                continue
            if len(head[0]) > 1 and head[0].isupper():
                return True  # capitals: a roman numeral, an acronym (not "A" or "I")
            seen = params.ortho_context.get(head[0].lower(), 0)
            if seen & upper_mid and not seen & lower:
                return True
        return False

    for word in [w for w in params.abbrev_types if len(w) > 1 and "." not in w]:
        if word in TITLES or word in REFERENCES or word in MONTHS:
            continue
        if not shows_itself(word):
            params.abbrev_types.discard(word)
    params.abbrev_types.update(REFERENCES | MONTHS)


@lru_cache(maxsize=1)
def _language_vars():  # type: ignore[no-untyped-def]
    """Punkt's English conventions, with the backtick as a quotation mark too.

    Some plain-text editions quote `thus`: Punkt would not end a sentence at
    a full stop right before a closing backtick (nor move the backtick onto
    the sentence it closes), and a whole dialogue became one sentence.
    Markdown's emphasis after a full stop (**"Iceberg, right ahead!"**) stays
    with the sentence it closes too.
    """

    class Vars(_nltk()[2]):  # type: ignore[misc]
        _re_non_word_chars = r"(?:[)\";}\]\*_:@\'\({\[‘’“”«»!?`])"
        re_boundary_realignment = re.compile(r"[\"')\]}‘’“”«»`*_]+?(?:\s+|(?=--)|$)", re.MULTILINE)

    return Vars()


BOOK_CHARS = 4_000_000
"""Above this size a document is split into sentences by a plain rule instead
of Punkt: Punkt costs about a second a megabyte, and a book-length document
is only searched for shared quotations, where a sentence end serves to snap
a quotation's ends and nothing more."""

_SENTENCE_END = re.compile(r'(?<=[.!?…])["”’)\]]*\s+(?=["“‘(\[]?[A-Z0-9])')


class _QuickSplitter:
    """Sentence ends at ., ! or ? followed by space and a capital (books only)."""

    def span_tokenize(self, block: str) -> list[tuple[int, int]]:
        spans = []
        start = 0
        for m in _SENTENCE_END.finditer(block):
            spans.append((start, m.start()))
            start = m.end()
        end = len(block.rstrip())
        if end > start:
            spans.append((start, end))
        return [(a, b) for a, b in spans if b > a]


_GOES_ON = re.compile(r"[\"'”’»)\]]*\s*[,;:]")
"""A sentence does not begin with a comma (nor with the quotation mark that
closes a quoted exclamation before it: 'chanting "Open the gate!", the
officer'): Punkt ends one at every ! and ?, and such a piece goes on the one
before. A lower-case word after a ! or ? is left to begin a sentence: the
King James Version begins many so ("What is this? what new doctrine is
this?"), and joining them lost gospel parallels."""


def _sentence_spans(tokenizer, block: str) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    # Very long runs without breaks would make sentences of megabytes: cut them.
    spans: list[tuple[int, int]] = []
    for start, end in tokenizer.span_tokenize(block):
        if spans and _GOES_ON.match(block, start):
            start = spans.pop()[0]
        while end - start > 2000:
            cut = block.rfind(" ", start + 500, start + 2000)
            cut = cut if cut > start else start + 2000
            spans.append((start, cut))
            start = cut + 1 if block[cut : cut + 1] == " " else cut
        if end > start:
            spans.append((start, end))
    return spans
