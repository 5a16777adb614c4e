"""Page furniture: paragraphs that are no part of an account's text.

Web pages saved as text keep their menus, share buttons, lists of related
links and endnotes. Their sentences are segmented like any other (offsets must
hold) but marked, so that they never make parallels. This module only judges
paragraphs; it never cuts them.
"""

from __future__ import annotations

import re

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
        if _word_count(first) < 8 and _READING_HEADING.match(first.strip()):
            inside = True
        elif _word_count(block) >= READING_WORDS:
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
