"""A small comparison built by hand, so TUI tests and snapshots are deterministic.

The engine's output changes while it is tuned; these tests are about the
screen, so they get two short accounts of the same events and seven pairs
whose spans, scores, evidence and word-level diffs are written out here
(the diff opcodes come from stdlib difflib over the passages' words, which
is stable).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from aligner.documents import make_document
from aligner.model import (
    Comparison,
    DiffOp,
    Document,
    Evidence,
    EvidenceKind,
    Kind,
    Options,
    Pair,
    Span,
)

TEXT_A = """\
The Last Struggle

by A. Writer

In December 1922 Lenin dictated his Testament. "Comrade Stalin, having become General Secretary, has concentrated enormous power in his hands, and I am not sure that he always knows how to use that power with sufficient caution, or with judgement." He added a postscript proposing that Stalin be removed.

The Testament was read to the delegates of the Thirteenth Congress in May 1924, but it was not published.

On 7 November 1927, the tenth anniversary of the revolution, the Opposition marched in Moscow and Leningrad with its own banners: "Carry out Lenin's Testament!" and "Against opportunism, against a split!" The police tore the placards down and beat the marchers.

A week later Trotsky and Zinoviev were expelled from the party.

Stalin wrote that the party must be "monolithic", and the word became a weapon against every critic.

In January 1928 Trotsky was deported to Alma-Ata, near the Chinese border, with his family.
"""  # noqa: E501 (one line per paragraph, as in the samples: the app wraps them)

TEXT_B = """\
From Revolution to Bureaucracy

A second account

When the Congress met in 1924 the delegates heard the Testament read aloud, yet the document stayed unpublished for decades.

Lenin had warned: "Comrade Stalin, having become Secretary-General, has unlimited authority concentrated in his hands, and I am not sure whether he will always be capable of using that authority with sufficient caution, or with judgment."

The Oppositionists joined the anniversary demonstration of 7 November 1927 carrying their own slogans, among them "Carry out Lenin's Testament!"; squads of police and activists ripped the banners from their hands.

Within weeks Trotsky and Zinoviev had been thrown out of the party.

In 1928 Trotsky was exiled to Alma Ata in Central Asia, close to China.

The theory of socialism in one country was meanwhile proclaimed the official doctrine.
"""  # noqa: E501

_WORD = re.compile(r"\w+|[^\w\s]")


def _span(doc: Document, side: int, first: str, last: str) -> Span:
    start = doc.text.index(first)
    end = doc.text.index(last, start) + len(last)
    return Span(side, start, end)


def _tokens(text: str, origin: int) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), origin + m.start(), origin + m.end()) for m in _WORD.finditer(text)]


def _char_ops(a: str, a0: int, b: str, b0: int) -> tuple[DiffOp, ...]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return tuple(
        DiffOp(tag, a0 + i1, a0 + i2, b0 + j1, b0 + j2)  # type: ignore[arg-type]
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def word_diff(doc_a: Document, a: Span, doc_b: Document, b: Span) -> tuple[DiffOp, ...]:
    """Word-level opcodes between two spans, with character detail for variants."""
    ta = _tokens(doc_a.text[a.start : a.end], a.start)
    tb = _tokens(doc_b.text[b.start : b.end], b.start)
    matcher = difflib.SequenceMatcher(None, [t[0] for t in ta], [t[0] for t in tb], autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a_start = ta[i1][1] if i1 < i2 else (ta[i1][1] if i1 < len(ta) else a.end)
        a_end = ta[i2 - 1][2] if i1 < i2 else a_start
        b_start = tb[j1][1] if j1 < j2 else (tb[j1][1] if j1 < len(tb) else b.end)
        b_end = tb[j2 - 1][2] if j1 < j2 else b_start
        chars: tuple[DiffOp, ...] = ()
        if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1:
            wa, wb = ta[i1][0], tb[j1][0]
            if difflib.SequenceMatcher(None, wa, wb).ratio() >= 0.75:
                chars = _char_ops(
                    doc_a.text[a_start:a_end], a_start, doc_b.text[b_start:b_end], b_start
                )
        ops.append(DiffOp(tag, a_start, a_end, b_start, b_end, chars))  # type: ignore[arg-type]
    return tuple(ops)


def _evidence(
    doc_a: Document,
    a: Span,
    doc_b: Document,
    b: Span,
    items: list[tuple[EvidenceKind, str, str, float]],
) -> tuple[Evidence, ...]:
    out = []
    for kind, term_a, term_b, weight in items:
        in_a = tuple(
            (a.start + m.start(), a.start + m.end())
            for m in re.finditer(re.escape(term_a), doc_a.text[a.start : a.end])
        )
        in_b = tuple(
            (b.start + m.start(), b.start + m.end())
            for m in re.finditer(re.escape(term_b), doc_b.text[b.start : b.end])
        )
        assert in_a and in_b, (term_a, term_b)
        out.append(Evidence(kind, term_a, weight, in_a, in_b))
    return tuple(sorted(out, key=lambda e: -e.weight))


def make_pair(
    doc_a: Document,
    doc_b: Document,
    a: tuple[str, str],
    b: tuple[str, str],
    score: float,
    kind: Kind,
    evidence: list[tuple[EvidenceKind, str, str, float]] | None = None,
) -> Pair:
    """A pair from the first and last words of each passage."""
    span_a, span_b = _span(doc_a, 0, *a), _span(doc_b, 1, *b)
    return Pair(
        a=span_a,
        b=span_b,
        a_text=doc_a.text[span_a.start : span_a.end],
        b_text=doc_b.text[span_b.start : span_b.end],
        score=score,
        kind=kind,
        evidence=_evidence(doc_a, span_a, doc_b, span_b, evidence or []),
        diff=word_diff(doc_a, span_a, doc_b, span_b),
    )


def build_comparison(text_a: str = TEXT_A, text_b: str = TEXT_B) -> Comparison:
    """The hand-made comparison of the two short accounts."""
    doc_a = make_document(text_a, name="last-struggle.txt", path="last-struggle.txt")
    doc_b = make_document(text_b, name="revolution-to-bureaucracy.txt", path="rtb.txt")
    pairs = [
        make_pair(
            doc_a,
            doc_b,
            ("Comrade Stalin, having", "judgement."),
            ("Comrade Stalin, having", "judgment."),
            0.91,
            "quotation",
            [
                ("phrase", "with sufficient caution", "with sufficient caution", 0.8),
                ("name", "Stalin", "Stalin", 0.6),
            ],
        ),
        make_pair(
            doc_a,
            doc_b,
            ("The Testament was read", "not published."),
            ("When the Congress met", "for decades."),
            0.74,
            "retelling",
            [
                ("number", "1924", "1924", 0.9),
                ("rare", "Congress", "Congress", 0.7),
                ("rare", "delegates", "delegates", 0.6),
                ("name", "Testament", "Testament", 0.5),
            ],
        ),
        make_pair(
            doc_a,
            doc_b,
            ('"Carry out', 'Testament!"'),
            ('"Carry out', 'Testament!"'),
            0.97,
            "quotation",
            [("phrase", "Carry out Lenin's Testament!", "Carry out Lenin's Testament!", 1.0)],
        ),
        make_pair(
            doc_a,
            doc_b,
            ("On 7 November 1927", "beat the marchers."),
            ("The Oppositionists joined", "from their hands."),
            0.68,
            "retelling",
            [
                ("date", "7 November 1927", "7 November 1927", 1.0),
                ("name", "Opposition", "Opposition", 0.7),
                ("rare", "banners", "banners", 0.6),
                ("rare", "police", "police", 0.4),
                ("rare", "anniversary", "anniversary", 0.5),
            ],
        ),
        make_pair(
            doc_a,
            doc_b,
            ("A week later", "from the party."),
            ("Within weeks", "out of the party."),
            0.55,
            "retelling",
            [
                ("name", "Trotsky", "Trotsky", 0.6),
                ("name", "Zinoviev", "Zinoviev", 0.8),
                ("word", "party", "party", 0.2),
            ],
        ),
        make_pair(
            doc_a,
            doc_b,
            ("In January 1928", "with his family."),
            ("In 1928 Trotsky", "close to China."),
            0.62,
            "retelling",
            [
                ("number", "1928", "1928", 0.8),
                ("name", "Alma-Ata", "Alma Ata", 0.9),
                ("name", "Trotsky", "Trotsky", 0.5),
            ],
        ),
        make_pair(
            doc_a,
            doc_b,
            ("Stalin wrote", "every critic."),
            ("The theory of socialism", "official doctrine."),
            0.31,
            "retelling",
        ),
    ]
    pairs.sort(key=lambda p: (p.a.start, p.b.start))
    return Comparison(documents=(doc_a, doc_b), pairs=tuple(pairs), options=Options(min_score=0.0))


@pytest.fixture
def comparison() -> Comparison:
    """The hand-made comparison (fresh for each test)."""
    return build_comparison()


@pytest.fixture
def sample_files(tmp_path: Path) -> tuple[Path, Path]:
    """The two short accounts as files, for the worker path."""
    a, b = tmp_path / "last-struggle.txt", tmp_path / "revolution-to-bureaucracy.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    return a, b


@pytest.fixture
def pair_maker() -> Callable[..., Pair]:
    """``make_pair``, for tests that build their own small pairs."""
    return make_pair


RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


def _press(*pressed: str) -> RunBefore:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press(*pressed)
        await pilot.pause()

    return run_before


@pytest.fixture
def keys() -> Callable[..., RunBefore]:
    """``keys("n", "d")``: a snapshot's ``run_before`` that presses those keys."""
    return _press


ReadAt = Callable[[Pilot[Any], Screen[Any], int, int], Awaitable[None]]


async def _read_at(pilot: Pilot[Any], screen: Screen[Any], side: int, offset: int) -> None:
    """Reading mode (``d``) on ``screen``, document ``side`` focused and scrolled
    so that ``offset`` is on its reading row."""
    from aligner.tui.widgets.document_view import DocumentView

    await pilot.press("d")
    await pilot.pause()
    view = screen.query_one(f"#doc-{side}", DocumentView)
    view.focus()
    view.scroll_to_offset(offset)
    await pilot.pause()


@pytest.fixture
def read_at() -> ReadAt:
    """``await read_at(pilot, screen, side, offset)``: read there, e.g. before ``w``."""
    return _read_at
