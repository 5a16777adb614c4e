"""The sentence features of two documents, whatever was computed before."""

from __future__ import annotations

import dataclasses

import numpy as np

from aligner.documents import load_document
from aligner.features import Features, build_features
from aligner.segment import Segmented, segment

from .conftest import SAMPLES


def _fresh(seg: Segmented) -> Segmented:
    """``seg`` as a new object: nothing cached for it yet."""
    return dataclasses.replace(seg)


def _same(x: Features, y: Features) -> None:
    assert x.idf == y.idf
    assert x.bags == y.bags
    for mx, my in zip(x.rows, y.rows, strict=True):
        np.testing.assert_array_equal(mx, my)
    assert x.vectors is not None and y.vectors is not None
    for mx, my in zip(x.vectors, y.vectors, strict=True):
        np.testing.assert_array_equal(mx, my)


def test_what_a_document_alone_gives_is_reused_unchanged() -> None:
    # A synopsis, and look-ups in one document, build the features of one
    # document with several others: what it gives alone is computed once,
    # and no pair may change it for the next.
    a, b, c = (
        segment(load_document(SAMPLES[name]))
        for name in (
            "how-the-bureaucracy-seized-power",
            "clr-james-lenin-stalin",
            "what-is-stalinism",
        )
    )
    build_features(a, b)
    build_features(b, c)
    _same(build_features(a, c), build_features(_fresh(a), _fresh(c)))
    _same(build_features(c, a), build_features(_fresh(c), _fresh(a)))


def test_a_name_spelled_two_ways_is_one_name() -> None:
    """A transliterated name each account spells its own way (Dzerzhinsky /
    Djerzhinsky) is shared, as evidence too; a name further off (Radek /
    Ramek) or a common word (Fascism / Fascist) stays apart, and the second
    document's own stems, kept for its next comparison, are not changed."""
    from aligner.documents import make_document
    from aligner.evidence import find_evidence
    from aligner.features import _doc_stems

    a = segment(
        make_document(
            "In the spring Stalin sent Dzerzhinsky to Tiflis. Radek wrote about Fascism. "
            "The commission reported to Moscow.",
            name="a",
        )
    )
    b = segment(
        make_document(
            "That spring Stalin sent Djerzhinsky to Tiflis. Ramek wrote about Fascist. "
            "The commissions reported to Moscow.",
            name="b",
        )
    )
    before = [list(stems) for stems in _doc_stems(b)[0]]
    feats = build_features(a, b, semantic=False)
    assert feats.variants == {"djerzhinski": "dzerzhinski"}
    assert "dzerzhinski" in feats.bags[1][0] and "djerzhinski" not in feats.idf
    assert "ramek" in feats.bags[1][1] and "radek" not in feats.bags[1][1]
    assert [list(stems) for stems in _doc_stems(b)[0]] == before
    evidence = find_evidence(a.words[:8], b.words[:7], feats)
    name = next(e for e in evidence if e.term == "Dzerzhinsky")
    assert name.kind == "name"
    assert [b.doc.text[s:e] for s, e in name.b] == ["Djerzhinsky"]
