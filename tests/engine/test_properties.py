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
