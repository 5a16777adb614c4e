"""Plain tests of the TUI's pure parts: highlighting, wrapping, view state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from aligner.documents import make_document
from aligner.model import Comparison, Pair
from aligner.tui.render import (
    DEFAULT_PALETTE,
    diff_text,
    evidence_text,
    first_words,
    passage_text,
    sentence_blocks,
)
from aligner.tui.view_state import Match, ViewState, find_matches, nearest_pair, pair_at
from aligner.tui.widgets.coverage import merge
from aligner.tui.widgets.document_view import wrap_lines


def _marked(text: object, style: object) -> list[str]:
    plain = str(text)
    return [plain[s.start : s.end] for s in text.spans if s.style == style]  # type: ignore[attr-defined]


def test_diff_marks_removed_added_changed_and_letters(comparison: Comparison) -> None:
    quote = comparison.pairs[0]
    a, b = diff_text(quote, "a"), diff_text(quote, "b")
    assert str(a) == quote.a_text and str(b) == quote.b_text
    assert _marked(a, DEFAULT_PALETTE.removed) == ["Secretary", "enormous power"]
    assert _marked(b, DEFAULT_PALETTE.added)[:2] == ["Secretary-", "unlimited authority"]
    assert "he always knows how to use that power" in _marked(a, DEFAULT_PALETTE.changed)
    assert "judgement" in _marked(a, DEFAULT_PALETTE.changed)
    assert "judgment" in _marked(b, DEFAULT_PALETTE.changed)
    assert _marked(a, DEFAULT_PALETTE.char) == ["e"]  # judg(e)ment
    assert _marked(b, DEFAULT_PALETTE.char) == []  # nothing extra in "judgment"
    assert _marked(a, DEFAULT_PALETTE.added) == [] and _marked(b, DEFAULT_PALETTE.removed) == []


def test_retelling_marks_evidence_only(comparison: Comparison) -> None:
    retelling = next(p for p in comparison.pairs if p.kind == "retelling" and p.evidence)
    text = passage_text(retelling, "b")
    assert str(text) == retelling.b_text
    assert set(_marked(text, DEFAULT_PALETTE.number)) == {"1924"}
    assert set(_marked(text, DEFAULT_PALETTE.rare)) == {"Congress", "delegates"}
    assert _marked(text, DEFAULT_PALETTE.changed) == []
    assert evidence_text(retelling, "a").spans  # a side marked too


def test_first_words() -> None:
    assert first_words("one  two\nthree", 60) == "one two three"
    assert first_words("alpha beta gamma delta", 12) == "alpha beta…"


@given(st.text(alphabet="ab \n", max_size=200), st.integers(min_value=1, max_value=30))
def test_wrap_keeps_every_character_in_order(text: str, width: int) -> None:
    lines = wrap_lines(text, width)
    assert all(end - start <= width for start, end in lines)
    assert all(a[1] <= b[0] for a, b in zip(lines, lines[1:], strict=False))
    kept = "".join(text[s:e] for s, e in lines)
    # Only newlines and the spaces lines were broken at are dropped.
    assert kept.replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert len(lines) >= text.count("\n") + 1


@given(st.text(alphabet="ab 漢字\n", max_size=200), st.integers(min_value=2, max_value=30))
def test_wrap_counts_wide_characters_as_two_cells(text: str, width: int) -> None:
    from rich.cells import cell_len

    lines = wrap_lines(text, width)
    assert all(cell_len(text[s:e]) <= width for s, e in lines)
    assert all(a[1] <= b[0] for a, b in zip(lines, lines[1:], strict=False))
    kept = "".join(text[s:e] for s, e in lines)
    assert kept.replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_merge() -> None:
    assert merge([(5, 9), (0, 3), (2, 4), (9, 10)]) == [(0, 4), (5, 10)]


def test_view_state_filters_sort_and_search(comparison: Comparison) -> None:
    state = ViewState()
    assert state.shown(comparison) == comparison.pairs
    state.step_score(+1)
    state.step_score(-3)
    assert state.min_score == 0.0
    for _ in range(14):
        state.step_score(+1)
    assert state.min_score == 0.7
    assert {p.score for p in state.shown(comparison)} == {0.91, 0.74, 0.97}
    state.cycle_kind()
    assert [p.kind for p in state.shown(comparison)] == ["quotation", "quotation"]
    state.cycle_sort()
    state.cycle_sort()
    assert [p.score for p in state.shown(comparison)] == [0.97, 0.91]
    first = state.search(comparison, "TESTAMENT")
    assert first is not None and first.side == 0
    assert len(state.matches) == len(find_matches(comparison, "testament")) == 5
    assert state.step_match(-1) == state.matches[-1]
    state.clear_search()
    assert state.current_match is None and find_matches(comparison, "  ") == []


def test_pair_lookup_by_place(comparison: Comparison) -> None:
    demo, carry = comparison.pairs[2], comparison.pairs[3]
    assert carry.a.start > demo.a.start and carry.a.end <= demo.a.end
    assert pair_at(comparison.pairs, 0, carry.a.start) is carry  # the tighter one
    assert pair_at(comparison.pairs, 0, 0) is None
    assert nearest_pair(comparison.pairs, 0, 0) is comparison.pairs[0]
    assert nearest_pair((), 0, 0) is None


def test_sentence_blocks_line_up_quotations(
    comparison: Comparison, pair_maker: Callable[..., Pair]
) -> None:
    a = make_document("He said: One. Two words here. Three!\n", name="a")
    b = make_document("She wrote: One. Two other words here. Three!\n", name="b")
    pair = pair_maker(a, b, ("One.", "Three!"), ("One.", "Three!"), 0.9, "quotation")
    blocks = sentence_blocks(pair)
    assert [a.text[a0:a1].strip() for a0, a1, _, _ in blocks] == [
        "One.",
        "Two words here.",
        "Three!",
    ]
    assert [b.text[b0:b1].strip() for _, _, b0, b1 in blocks] == [
        "One.",
        "Two other words here.",
        "Three!",
    ]
    assert blocks[0][0] == pair.a.start and blocks[-1][1] == pair.a.end
    retelling = comparison.pairs[1]
    assert sentence_blocks(retelling) == [
        (retelling.a.start, retelling.a.end, retelling.b.start, retelling.b.end)
    ]


def test_view_state_goes_through_a_look_ups_stretches(comparison: Comparison) -> None:
    state = ViewState()
    state.search(comparison, "Trotsky")
    pairs = comparison.pairs[:3]
    found = replace(comparison, pairs=pairs)
    first = state.stretches(found, 1, 1)  # a passage of B, looked up in A
    assert state.listing == "stretches" and state.match_label == "stretch"
    assert state.query == ""
    assert state.passage == Match(1, pairs[0].a.start, pairs[0].a.end)
    assert state.matches == [Match(0, p.b.start, p.b.end) for p in pairs]
    assert first == state.matches[1]
    assert state.step_match(1) == state.matches[2]
    assert state.step_match(1) == state.matches[0]  # wraps around
    assert state.stretches(replace(found, pairs=()), 0, 0) is None
    assert state.passage is None and state.matches == []
    state.clear_search()
    assert state.listing == "search" and state.passage is None


def test_lines_wrapped_inside_a_paragraph_flow_on() -> None:
    """A text wrapped at a fixed width shows each paragraph as one flowing
    passage (a column rewraps it); the breaks between paragraphs stay, and
    the text keeps its length (offsets hold)."""
    from aligner.tui.render import flowed

    text = (
        "The lunar module Eagle began\n  its descent to the Sea of\nTranquillity.\n\n"
        "Armstrong took partial manual\ncontrol.\n"
    )
    doc = make_document(text, name="wrapped")
    start = text.index("lunar")
    shown = flowed(text[start:], start, doc)
    assert shown == (
        "lunar module Eagle began   its descent to the Sea of Tranquillity.\n\n"
        "Armstrong took partial manual control.\n"
    )
    verses = (
        "And he said unto them, Go ye into all the world.",
        "And they went forth, and preached every where.",
        "Now when Jesus was risen early the first day of the week, he appeared to Mary.",
        "She went and told them that had been with him, as they mourned and wept.",
        "And they, when they had heard that he was alive, believed not.",
    )
    lines = make_document("\n".join(verses), name="verses")
    assert len(lines.paragraph_starts) == len(verses)  # a verse a line: a paragraph each
    assert flowed(lines.text, 0, lines) == lines.text
