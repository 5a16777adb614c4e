"""What is no part of an account's text, though it stands in the file.

Page furniture: paragraphs a saved web page keeps (menus, share buttons,
lists of related links, study questions, reading lists, endnotes) and the
frame of a Project Gutenberg file. Inside paragraphs: HTML markup, web and
mail addresses, note markers, and the page numbers of references, which
point at a source rather than tell anything. Their sentences are segmented like any other (offsets
must hold) but marked, blanked or keyed, so that they never make parallels.
This module only judges text; it never cuts it.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
"""HTML/XML tags and character entities ("<p class=x>", "&amp;", "&#8217;")."""
_ADDRESS = re.compile(
    r"\b(?:https?://|ftp://|www\.)(?:[^\s<>\"'()\[\]]|\([^\s<>\"'()\[\]]*\))+"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
)
"""A web address ("https://www.marxists.org/archive/...", "www.example.org",
".../wiki/Edward_Smith_(sea_captain)" with its brackets, but not the one
that closes a Markdown link or a remark around it) or a mail address."""
_FOOTNOTE = re.compile(r"\[\^[^\]\s]{1,40}\]")
"""A Markdown footnote's mark ("[^1]", "[^fleet]"), in the text or before its note."""
NOTE = re.compile(r'\[\d{1,3}\]|(?<=[.,;:”"’)])\d{1,3}(?=[\s,;]|$)')
"""Note markers: "[2]", or digits glued to a word or closing quote ("misfortune.”5")."""
_NOTE_BEFORE = frozenset('.,;:”"’)]')
_PLACE = r"pp?|pages?|vols?|volume|ch|chap|chapter"
"""The words that place a reference in its work ("p.", "Vol.", "chapter")."""
_CITED = re.compile(
    rf"\b(?:{_PLACE}|nos?)\.?\s*(?:\d+\s*(?:[-–,]|and)\s*)*$",
    re.IGNORECASE,
)
"""What precedes a cited number: "p. ", "pp. 12-", "pages 93, ", "Vol. "."""
_CAPITALISED = re.compile(
    r"\b(?!(?:Vol|Vols|Volume|No|Nos|Ch|Chap|Chapter|Page|Pages|Pp|P)\b)[A-Z][a-z]{2,}"
)
"""A capitalised word of a cited work's name (not "Vol.", "Page")."""
_WORD = re.compile(r"\w+(?:['’]\w+)*")
"""A word, for counting only: ``segment``'s pattern less its joining of words
hyphenated across a line end (this module cannot import ``segment``, which
imports it; a count differs by at most those few words)."""


_BODY_START = re.compile(
    r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$", re.IGNORECASE | re.MULTILINE
)
_BODY_END = re.compile(
    r"^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$", re.IGNORECASE | re.MULTILINE
)


def body(text: str) -> tuple[int, int]:
    """Where the work itself lies in ``text``: all of it, but for a Project
    Gutenberg file, whose header and licence (the same in every such file)
    frame the work between its ``*** START OF`` and ``*** END OF`` lines."""
    start = _BODY_START.search(text)
    end = _BODY_END.search(text, start.end() if start else 0)
    return (start.end() if start else 0, end.start() if end else len(text))


def link_lists(blocks: list[str]) -> set[int]:
    """Paragraphs in runs of three or more short unpunctuated lines.

    Web pages end with lists of related links and titles ("Lessons of
    October - Introduction deals with German Revolution"); one such line
    may be a heading, three in a row are a list.
    """
    bare = [_word_count(b) < 16 and not re.search(r"[.!?…:;\"”]\s*$", b.strip()) for b in blocks]
    out: set[int] = set()
    start = 0
    for k in range(len(bare) + 1):
        if k == len(bare) or not bare[k]:
            if k - start >= 3:
                out.update(range(start, k))
            start = k + 1
    return out


_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s", re.MULTILINE)
_QUESTION = re.compile(r".*\?[\"”’)]?")


def question_lists(blocks: list[str]) -> set[int]:
    """Paragraphs in runs of two or more numbered questions.

    Study guides and FAQ pages end with "Questions for discussion" ("4.
    Didn't the crushing of the Kronstadt sailors rebellion in 1921 show...?"):
    they name an event without telling it.
    """
    asks = [_is_numbered_question(b) for b in blocks]
    out: set[int] = set()
    for k, ask in enumerate(asks):
        if ask and ((k > 0 and asks[k - 1]) or (k + 1 < len(asks) and asks[k + 1])):
            out.add(k)
    return out


_READING_HEADING = re.compile(
    r"(?:further|suggested|recommended|related)\s+(?:reading|study|articles|links)|"
    r"bibliography|references|sources|see\s+also|read\s+more",
    re.IGNORECASE,
)
READING_WORDS = 60
"""A reading list's entries are shorter than this; prose after it is not."""


def reading_lists(blocks: list[str]) -> set[int]:
    """Paragraphs under a "Further Reading" (or "Bibliography", "See also")
    heading: titles and blurbs of other works, up to the next paragraph of
    prose."""
    out: set[int] = set()
    inside = False
    for k, block in enumerate(blocks):
        first = block.strip().split("\n", 1)[0]
        if _READING_HEADING.match(first) and _word_count(first) < 8:
            inside = True
        elif inside and _word_count(block) >= READING_WORDS:
            inside = False
        if inside:
            out.add(k)
    return out


def _is_numbered_question(block: str) -> bool:
    """One numbered question (perhaps wrapped), perhaps under a heading line of its own."""
    number = _NUMBERED.search(block)
    if number is None:
        return False
    ask = " ".join(block[number.start() :].split())
    return (
        _QUESTION.fullmatch(ask) is not None
        and _word_count(ask) < 60
        and all(_word_count(line) < 8 for line in block[: number.start()].splitlines())
    )


def is_boilerplate(block: str) -> bool:
    """Short lines without sentence punctuation: menus, share buttons, headings."""
    stripped = block.strip()
    n_words = _word_count(stripped)
    if "|" in stripped and n_words < 12:
        return True
    if n_words < 8 and not re.search(r"[.!?…:;\"”]\s*$", stripped):
        return True
    return bool(
        re.match(r"^\[?\d{1,3}[.\]]\s", stripped) and n_words < 40 and _looks_like_note(stripped)
    )


def _word_count(block: str) -> int:
    """Words in ``block``; long blocks count as "many" without counting.

    Every test on it asks whether a block has fewer than 40 words, and a
    block of 1,200 characters has more unless it is one giant token.
    """
    return 1000 if len(block) > 1200 else len(_WORD.findall(block))


def _looks_like_note(block: str) -> bool:
    # Endnotes: "12. L. Trotsky, The Revolution Betrayed (London 1967), p 90."
    return bool(re.search(r"\bp{1,2}\.?\s?\d|\bibid\b|op\.\s?cit|\(\w+ \d{4}\)", block, re.I))


def framed(text: str, start: int, end: int, body: tuple[int, int]) -> str:
    """``text[start:end]`` with what lies outside ``body`` blanked."""
    lo, hi = body
    if lo <= start and end <= hi:
        return text[start:end]
    inner = text[max(start, lo) : min(end, hi)] if start < hi and lo < end else ""
    before = min(max(lo - start, 0), end - start)
    return " " * before + inner + " " * (end - start - before - len(inner))


def unmarked(block: str) -> str:
    """``block`` with the markup of a saved web page or XML, Markdown's
    footnote marks, and web and mail addresses, blanked: they are no part of
    the text (two pages saved from one site share their addresses, not their
    story). Blanks of the same length keep the offsets."""
    if "<" in block or "&" in block:
        block = _MARKUP.sub(blank, block)
    if "://" in block or "www." in block or "@" in block:
        block = _ADDRESS.sub(blank, block)
    if "[^" in block:
        block = _FOOTNOTE.sub(blank, block)
    return block


def blank(match: re.Match[str]) -> str:
    """Spaces as many as ``match`` has characters."""
    return " " * len(match.group())


def is_note_marker(block: str, start: int, end: int) -> bool:
    """True when the digits at ``block[start:end]`` mark a note."""
    before = block[start - 1] if start else " "
    after = block[end] if end < len(block) else " "
    if before == "[" and after == "]":
        return True
    return before in _NOTE_BEFORE and (after.isspace() or after in ",;")


_CITATION = re.compile(
    rf"\(\s*[^()]{{0,200}}?\b(?:{_PLACE})\.?\s*\d[^()]{{0,40}}\)[\s.]*",
    re.IGNORECASE,
)
"""A reference in parentheses, whole: "(LCW, Vol. 25, p. 468.)", "(Source: A.
Nove: An Economic History of the USSR p191)"."""


def is_citation(sentence: str) -> bool:
    """True when a sentence is only a reference to a source: it points at a
    passage rather than tells anything, so it cannot make a retelling."""
    return _CITATION.fullmatch(sentence.strip()) is not None


def cited_work(block: str, start: int) -> str | None:
    """For a page (or volume) number of a reference at ``start``, the work
    it belongs to as a key; ``None`` for any other number.

    "(Stalin, Lenin and Leninism, p. 40.)" and "(From Lenin to Stalin, page
    40)" share a number, not a page: a cited page is matched only with the
    same page of the same work, named by the last two capitalised words
    before it ("lenin leninism", "lenin stalin").
    """
    if _CITED.search(block, max(0, start - 40), start) is None:
        return None
    before = block[max(0, start - 80) : start]
    opening = before.rfind("(")
    names = _CAPITALISED.findall(before[opening + 1 :] if opening >= 0 else before)
    return " ".join(n.casefold() for n in names[-2:])
