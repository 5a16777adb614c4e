"""Property tests of the engine over arbitrary text.

The default run tries a few dozen examples per property; ``pytest -m slow``
runs the same properties over 10,000 examples each.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aligner
from aligner import Options

WORDS = [
    "Lenin",
    "Stalin",
    "Trotsky",
    "1924",
    "purge",
    "party",
    "the",
    "of",
    "testament",
    "Kronstadt",
]

# Arbitrary Unicode, including control characters, combining marks and emoji.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
# Sentences of a small vocabulary, so that parallels actually occur.
PROSE = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(lambda ws: " ".join(ws) + "."),
    max_size=8,
).map(lambda ss: "\n\n".join(" ".join(ss[i : i + 2]) for i in range(0, len(ss), 2)))
TEXT = st.one_of(ANY_TEXT, PROSE)

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))


def _spans_hold(a: str, b: str) -> None:
    c = aligner.compare(a, b, options=Options(min_score=0.0))
    for p in c.pairs:
        assert 0 <= p.a.start < p.a.end <= len(c.documents[0].text)
        assert 0 <= p.b.start < p.b.end <= len(c.documents[1].text)
        assert c.documents[0].text[p.a.start : p.a.end] == p.a_text
        assert c.documents[1].text[p.b.start : p.b.end] == p.b_text
    # No two pairs are the same passages twice.
    keys = [(p.a.start, p.a.end, p.b.start, p.b.end) for p in c.pairs]
    assert len(keys) == len(set(keys))


def _mirrors(a: str, b: str) -> None:
    ab = aligner.compare(a, b, options=Options(min_score=0.0))
    ba = aligner.compare(b, a, options=Options(min_score=0.0))
    forward = sorted((p.a.start, p.a.end, p.b.start, p.b.end, p.kind) for p in ab)
    backward = sorted((p.b.start, p.b.end, p.a.start, p.a.end, p.kind) for p in ba)
    assert forward == backward


@FAST
@given(TEXT, TEXT)
def test_spans_are_in_bounds_and_slice_back(a: str, b: str) -> None:
    _spans_hold(a, b)


@FAST
@given(PROSE, PROSE)
def test_swapping_mirrors(a: str, b: str) -> None:
    _mirrors(a, b)


@pytest.mark.slow
@SLOW
@given(TEXT, TEXT)
def test_spans_are_in_bounds_and_slice_back_many(a: str, b: str) -> None:
    _spans_hold(a, b)


@pytest.mark.slow
@SLOW
@given(PROSE, PROSE)
def test_swapping_mirrors_many(a: str, b: str) -> None:
    _mirrors(a, b)


@settings(max_examples=40, deadline=None)
@given(
    paragraphs=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=6),
    context=st.integers(min_value=1, max_value=3),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_context_norms_equal_the_widened_rows_norms(
    paragraphs: list[int], context: int, seed: int
) -> None:
    """The cheap norms of widened rows are the norms of the widened rows."""
    import numpy as np

    from aligner.documents import make_document
    from aligner.match import _widen, _widened_norms
    from aligner.segment import segment

    text = "\n\n".join(
        " ".join(f"Sentence {p} {k} says something plain." for k in range(n))
        for p, n in enumerate(paragraphs)
    )
    seg = segment(make_document(text, name="p"))
    rng = np.random.default_rng(seed)
    rows = rng.random((len(seg.sentences), 7), dtype=np.float32)
    rows[rng.random(len(rows)) < 0.3] = 0.0  # sentences without content words
    want = np.linalg.norm(_widen(rows, seg, context, normalise=False), axis=1)
    want[want == 0] = 1.0
    assert np.allclose(_widened_norms(rows, seg, context), want, atol=1e-5)
