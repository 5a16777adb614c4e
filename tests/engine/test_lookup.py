"""The look-up: where another document tells a given passage."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aligner
from aligner.documents import load_document, paragraph_span

from .conftest import SAMPLES

REVOLUTION = load_document(SAMPLES["revolution-to-counter-revolution"])
BUREAUCRACY = load_document(SAMPLES["how-the-bureaucracy-seized-power"])
BONAPARTISM = load_document(SAMPLES["soviet-power-to-bonapartism"])


def _paragraph_holding(doc: aligner.Document, phrase: str) -> tuple[int, int]:
    return paragraph_span(doc, doc.paragraph_number(doc.text.index(phrase)))


def test_a_quoted_paragraph_finds_its_quotation_first() -> None:
    passage = _paragraph_holding(REVOLUTION, "Stalin is too rude")
    found = aligner.find_parallels(REVOLUTION, BUREAUCRACY, *passage)
    best = found.pairs[0]
    assert best.kind == "quotation"
    assert "Stalin is too rude" in best.b_text
    # The passage is the whole paragraph, less the blank lines around it.
    assert best.a_text == REVOLUTION.text[passage[0] : passage[1]].strip()


@pytest.mark.parametrize(
    ("source", "target", "passage", "expected"),
    [
        # Each account says it in its own words, sharing three or four of
        # them: too few for ``compare`` to pair the two unasked.
        (
            "what-is-stalinism",
            "soviet-power-to-bonapartism",
            "Lenin’s death in 1924 was another heavy blow.",
            "The death of Lenin in 1924",
        ),
        (
            "soviet-power-to-bonapartism",
            "how-the-bureaucracy-seized-power",
            "While the party at the same time set out to purge indisciplined",
            "The purge was eventually carried out in 1921-22.",
        ),
    ],
)
def test_a_retold_event_is_found_in_other_words(
    source: str, target: str, passage: str, expected: str
) -> None:
    a, b = load_document(SAMPLES[source]), load_document(SAMPLES[target])
    start = a.text.index(passage)
    end = a.text.index(".", start + len(passage) - 1) + 1
    offered = aligner.find_parallels(a, b, start, end, limit=3).pairs
    found = [p for p in offered if expected in p.b_text]
    assert found and found[0].kind == "retelling"


def test_free_text_is_looked_up_as_the_passage() -> None:
    found = aligner.find_parallels("The Kronstadt rebellion of 1921", BONAPARTISM, limit=3)
    assert len(found.pairs) == 3
    assert "Kronstadt" in found.pairs[0].b_text
    assert found.documents[0].text == "The Kronstadt rebellion of 1921"


def test_stretches_are_ranked_apart_and_slice_back() -> None:
    passage = _paragraph_holding(REVOLUTION, "In February 1917, the Bolshevik Party")
    found = aligner.find_parallels(REVOLUTION, BONAPARTISM, *passage, limit=8)
    pairs = found.pairs
    assert len(pairs) == 8
    scores = [p.score for p in pairs]
    assert scores == sorted(scores, reverse=True)
    for p in pairs:
        assert p.b_text == BONAPARTISM.text[p.b.start : p.b.end]
        assert p.a == pairs[0].a
    spans = sorted((p.b.start, p.b.end) for p in pairs)
    assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:], strict=False))
    # Each stretch lies inside one paragraph of the target.
    for p in pairs:
        assert BONAPARTISM.paragraph_number(p.b.start) == BONAPARTISM.paragraph_number(p.b.end - 1)


def test_in_the_same_document_the_passage_itself_is_left_out() -> None:
    passage = _paragraph_holding(REVOLUTION, "Stalin is too rude")
    found = aligner.find_parallels(REVOLUTION, REVOLUTION, *passage, limit=5)
    assert found.pairs
    for p in found.pairs:
        assert p.b.end <= passage[0] or p.b.start >= passage[1]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 10, "not inside"),
        (10, 10, "not inside"),
        (0, 10**9, "not inside"),
    ],
)
def test_a_span_outside_the_document_is_refused(start: int, end: int, message: str) -> None:
    with pytest.raises(aligner.AlignerError, match=message):
        aligner.find_parallels(BUREAUCRACY, REVOLUTION, start, end)


def test_a_passage_without_words_and_a_zero_limit_are_refused() -> None:
    with pytest.raises(aligner.AlignerError, match="holds no words"):
        aligner.find_parallels("  \n\n  ", REVOLUTION)
    with pytest.raises(aligner.AlignerError, match="only common words"):
        aligner.find_parallels("the of and", REVOLUTION)
    with pytest.raises(aligner.AlignerError, match="limit"):
        aligner.find_parallels("Kronstadt", REVOLUTION, limit=0)


def test_paragraph_numbers_are_those_reports_show() -> None:
    start, end = paragraph_span(REVOLUTION, 77)
    assert REVOLUTION.paragraph_number(start) == 77
    assert REVOLUTION.paragraph_number(end) == 78
    assert REVOLUTION.text[start:end].strip().startswith("In February 1917")
    last = len(REVOLUTION.paragraph_starts)
    assert paragraph_span(REVOLUTION, last)[1] == len(REVOLUTION.text)
    with pytest.raises(aligner.AlignerError, match=f"paragraphs 1 to {last}"):
        paragraph_span(REVOLUTION, last + 1)


SHORT_A = (
    "The sailors of Kronstadt rose in March 1921.\n\nLenin replied with the New Economic "
    "Policy, a tax in kind.\n\nThe party banned its factions that spring."
)
SHORT_B = (
    "In 1921 the party banned factions.\n\nA tax in kind replaced requisitions under the "
    "New Economic Policy.\n\nKronstadt's sailors had risen in March."
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SHORT_A) - 1), st.integers(1, len(SHORT_A)), st.integers(1, 4))
def test_any_passage_gives_stretches_that_slice_back(start: int, size: int, limit: int) -> None:
    end = min(start + size, len(SHORT_A))
    try:
        found = aligner.find_parallels(SHORT_A, SHORT_B, start, end, limit=limit)
    except aligner.AlignerError as exc:
        assert any(m in str(exc) for m in ("holds no words", "not inside", "only common words"))
        return
    assert len(found.pairs) <= limit
    a, b = found.documents
    for p in found.pairs:
        assert a.text[p.a.start : p.a.end] == p.a_text
        assert b.text[p.b.start : p.b.end] == p.b_text
        assert start <= p.a.start <= p.a.end <= end
        assert 0.0 <= p.score <= 1.0


def test_the_api_takes_paths(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SHORT_A, encoding="utf-8")
    b.write_text(SHORT_B, encoding="utf-8")
    found = aligner.find_parallels(a, b, 0, SHORT_A.index("\n"), limit=1)
    assert "Kronstadt" in found.pairs[0].b_text


def test_looking_up_in_many_documents_in_turn() -> None:
    # More documents than the look-up keeps segmented: each look-up still
    # answers from its own two documents, the oldest kept one among them.
    docs = [load_document(p) for p in SAMPLES.values()]
    for source, target in [(docs[0], docs[1]), (docs[2], docs[3]), (docs[0], docs[4])]:
        found = aligner.find_parallels(source, target, 0, min(400, len(source.text)), limit=1)
        assert found.documents == (source, target)
        p = found.pairs[0]
        assert target.text[p.b.start : p.b.end] == p.b_text


def test_no_stretch_starts_on_a_reference_to_a_source() -> None:
    """A bare reference ("(Lenin, Collected Works, Vol. 3, p. 430)") points at
    a passage and tells nothing: it is never offered as a stretch of its own
    (in what-is-stalinism it followed the quotation it gives, which ranked
    lower than it for this passage)."""
    found = aligner.find_parallels(
        "Lenin's death in 1924 was another heavy blow.", SAMPLES["what-is-stalinism"]
    )
    assert len(found.pairs) == 5
    assert not any(p.b_text.startswith("(") for p in found.pairs)
